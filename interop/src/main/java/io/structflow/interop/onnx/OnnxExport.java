package io.structflow.interop.onnx;

import io.structflow.core.io.AtomicFiles;
import io.structflow.core.nn.Exportable;
import io.structflow.core.nn.InferenceGraph;
import io.structflow.core.nn.Module;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Exports a model's inference graph to an ONNX file (a {@code ModelProto} of the ONNX
 * specification, <a href="https://github.com/onnx/onnx/blob/main/onnx/onnx.proto">onnx/onnx.proto</a>,
 * and <a href="https://github.com/onnx/onnx/blob/main/docs/IR.md">docs/IR.md</a>): IR version
 * {@value #IR_VERSION}, the default operator set at version {@value #OPSET}, one input
 * {@code input} of shape {@code [batch, …]} with a symbolic batch dimension and one output
 * {@code output}.
 *
 * <p>The graph is what the model's {@link Exportable#appendTo} appends: the weights at export time
 * (after every parametrisation) as initializers, so the file computes exactly the forward pass of
 * the trained model, in the model's element type. A module that is not {@link Exportable}, or that
 * has no exact graph (an implicit integrator, a dilated convolutional field), stops the export with
 * an {@link UnsupportedOperationException} naming the layer's dotted path, its class and the reason.
 *
 * <p>Field numbers used ({@code onnx.proto}): ModelProto ir_version = 1, producer_name = 2,
 * producer_version = 3, graph = 7, opset_import = 8; OperatorSetIdProto domain = 1, version = 2;
 * the graph's own in {@link OnnxGraph}.
 */
public final class OnnxExport {
    /** The ONNX IR version written (the version that goes with opset 17). */
    public static final long IR_VERSION = 8;
    /** The version of the default ("ai.onnx") operator set the graph uses. */
    public static final long OPSET = 17;
    /** Name of the graph's input. */
    public static final String INPUT = "input";
    /** Name of the graph's output. */
    public static final String OUTPUT = "output";

    private OnnxExport() {
    }

    /**
     * The serialised ONNX model of {@code model}'s forward pass.
     *
     * @param model       the model (not modified)
     * @param sampleShape one input sample's shape, without the batch: {@code [2]} for planar points,
     *                    {@code [1, 28, 28]} for a greyscale image; sizes ≥ 1
     * @param type        FLOAT or DOUBLE, the model's element type
     * @throws IllegalArgumentException      on a bad shape or type
     * @throws UnsupportedOperationException naming the layer that has no exact inference graph
     */
    public static byte[] toBytes(Module model, long[] sampleShape, DataType type) {
        if (model == null || sampleShape == null || sampleShape.length == 0
                || Arrays.stream(sampleShape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("OnnxExport: model and sampleShape expected non-null, sizes ≥ 1 but got "
                    + model + ", " + Arrays.toString(sampleShape));
        }
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("OnnxExport: type expected FLOAT or DOUBLE but got " + type);
        }
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = InferenceGraph.BATCH;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        OnnxGraph graph = new OnnxGraph(type);
        InferenceGraph.Value input = new InferenceGraph.Value(INPUT, shape);
        InferenceGraph.Value output = graph.identity(graph.applyRoot(model, input), OUTPUT);
        ProtoWriter opset = new ProtoWriter().string(1, "").int64(2, OPSET);
        return new ProtoWriter()
                .int64(1, IR_VERSION)
                .string(2, "structflow")
                .string(3, version())
                .message(7, graph.encode(model.getClass().getSimpleName(), input, output))
                .message(8, opset)
                .toByteArray();
    }

    /** Writes {@link #toBytes} to {@code file} atomically. */
    public static void write(Module model, long[] sampleShape, DataType type, Path file) throws IOException {
        byte[] bytes = toBytes(model, sampleShape, type);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    private static String version() {
        String v = OnnxExport.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
