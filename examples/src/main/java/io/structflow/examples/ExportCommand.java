package io.structflow.examples;

import io.structflow.core.io.ModelWeights;
import io.structflow.examples.robust.RobustExperiment;
import io.structflow.examples.support.SharedOptionUse;
import io.structflow.examples.support.SharedOptions;
import io.structflow.examples.support.SharedOptionsFit;
import io.structflow.examples.support.TakesSharedOptions;
import io.structflow.interop.onnx.OnnxExport;
import io.structflow.layers.models.Architecture;
import io.structflow.layers.models.RobustNetworks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Exports a trained network of the examples to a standard format: {@code structflow export --model
 * DIR --format onnx|safetensors}. DIR is a network's run directory as {@code structflow robust}
 * writes it ({@code <out>/<network>/} with {@code config.json} and {@code checkpoint.zip}; the
 * other commands keep no checkpoints). The file is written atomically to {@code --out} as
 * {@code <network>.onnx} (the inference graph, {@link OnnxExport}, input {@code [batch, 1, 28, 28]})
 * or {@code <network>.safetensors} (the weights by dotted name, {@link ModelWeights}).
 */
@Command(name = "export", mixinStandardHelpOptions = true, modelTransformer = SharedOptionsFit.class,
        description = "Export a trained network (a run directory of 'structflow robust') to ONNX or safetensors.")
final class ExportCommand implements Callable<Integer>, TakesSharedOptions {
    /** The formats written. */
    enum Format {
        onnx, safetensors
    }

    @Mixin
    SharedOptions shared;

    @Option(names = "--model", required = true,
            description = "a network's run directory of 'structflow robust' (with config.json and checkpoint.zip)")
    Path model;

    @Option(names = "--format", required = true, description = "onnx or safetensors")
    Format format;

    @Override
    public SharedOptionUse sharedOptionUse() {
        return SharedOptionUse.outAndDebug();
    }

    @Override
    public Integer call() throws IOException {
        RobustNetworks.Network network = RobustExperiment.loadTrained(model);
        Path out = shared.prepareOut();
        Path file = out.resolve(network.kind().key() + "." + format.name());
        var type = network.model().parameters().get(0).dtype();
        if (format == Format.onnx) {
            long side = Architecture.IMAGE_SIZE;
            OnnxExport.write(network.model(), new long[] {1, side, side}, type, file);
            System.out.printf("wrote %s: ONNX IR %d, opset %d, %s [batch, 1, %d, %d] -> %s [batch, classes]%n", file,
                    OnnxExport.IR_VERSION, OnnxExport.OPSET, OnnxExport.INPUT, side, side, OnnxExport.OUTPUT);
        } else {
            ModelWeights.save(network.model(), file, Map.of("network", network.kind().key()));
            System.out.printf("wrote %s: %d tensors, %d parameters%n", file, network.model().namedParameters().size(),
                    network.model().parameterCount());
        }
        return 0;
    }
}
