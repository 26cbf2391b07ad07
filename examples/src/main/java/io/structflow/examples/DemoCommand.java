package io.structflow.examples;

import io.structflow.examples.demo.DemoExperiment;
import io.structflow.examples.demo.DemoReport;
import io.structflow.examples.support.ByProtocol;
import io.structflow.examples.support.ReportWriter;
import io.structflow.examples.support.SharedOptionUse;
import io.structflow.examples.support.SharedOptions;
import io.structflow.examples.support.SharedOptionsFit;
import io.structflow.examples.support.TakesSharedOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A one-minute tour: a small gradient-flow network learns two moons ({@link DemoExperiment}). */
@Command(name = "demo", mixinStandardHelpOptions = true, modelTransformer = SharedOptionsFit.class,
        description = "Train a small gradient-flow network on two moons and print its loss falling.")
final class DemoCommand implements Callable<Integer>, TakesSharedOptions {
    @Mixin
    SharedOptions shared;

    @Option(names = "--layers", defaultValue = "6", description = "gradient-flow layers (default ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--width", defaultValue = "8", description = "width of the lifted state (default ${DEFAULT-VALUE})")
    int width;

    @Override
    public SharedOptionUse sharedOptionUse() {
        return SharedOptionUse.outAndDebug().seed(1).epochs(ByProtocol.of(30));
    }

    @Override
    public Integer call() throws IOException {
        DemoExperiment.Config config = new DemoExperiment.Config(shared.epochs(), shared.seed(), layers, width);
        Path out = shared.prepareOut();
        ReportWriter.write(DemoReport.of(config, DemoExperiment.run(config)), out, System.out);
        return 0;
    }
}
