package io.structflow.examples;

import io.structflow.core.data.FashionMnist;
import io.structflow.examples.certify.CertifyExperiment;
import io.structflow.examples.certify.CertifyReport;
import io.structflow.examples.certify.CertifySettings;
import io.structflow.examples.support.ByProtocol;
import io.structflow.examples.support.ReportWriter;
import io.structflow.examples.support.SharedOptionUse;
import io.structflow.examples.support.SharedOptions;
import io.structflow.examples.support.SharedOptionsFit;
import io.structflow.examples.support.TakesSharedOptions;
import io.structflow.layers.models.Architecture;
import io.structflow.layers.models.CertifiedNetworks;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Certified robustness on Fashion-MNIST: a CPL-style non-expansive classifier ([CMOSS] (3.5)) and
 * a switching-pair classifier with exactly orthogonal convolutions ((3.10), 1-Lipschitz by
 * construction), trained with the Lipschitz-margin loss on all 60 000 training images; clean,
 * certified (re-checked in float64) and PGD-ℓ2 robust accuracy at ε ∈ {36/255, 72/255, 108/255, 1},
 * the bound's tightness, seconds per epoch and memory. Checkpoints every epoch and resumes, as
 * {@code robust}.
 */
@Command(name = "certify", mixinStandardHelpOptions = true, modelTransformer = SharedOptionsFit.class,
        description = {"Certified training of 1-Lipschitz classifiers on Fashion-MNIST (orthogonal convolutions, "
                + "Lipschitz-margin loss).",
                "Threads: 1 by default; -Dstructflow.threads=2 (before -jar) for the full run on a quiet machine."})
final class CertifyCommand implements Callable<Integer>, TakesSharedOptions {
    @Mixin
    SharedOptions shared;

    @Option(names = "--networks", defaultValue = "all",
            description = "comma-separated: cpl,orthogonal_switching or all (default ${DEFAULT-VALUE})")
    String networks;

    @Option(names = "--head", defaultValue = "row_normalised",
            description = "linear head: row_normalised (normalised rows w_i; certificate f_y - f_j > eps*L_body*|w_y - w_j| "
                    + "for every j) or scaled (alpha*W, |W|<=1; certificate margin > sqrt(2)*eps*L) "
                    + "(default ${DEFAULT-VALUE})")
    String head;

    @Option(names = "--data", defaultValue = FashionMnist.DEFAULT_DIRECTORY,
            description = "Fashion-MNIST directory (default ${DEFAULT-VALUE}; " + FashionMnist.INSTALL_HINT + ")")
    Path data;

    @Option(names = "--train-images", description = "training images, 0 = all 60000 (default 0; --quick 2000)")
    Integer trainImages;

    @Option(names = "--test-images", description = "fixed test images evaluated (default 10000; --quick 256)")
    Integer testImages;

    @Option(names = "--tightness-images", defaultValue = "32",
            description = "test images whose attacks and Jacobian norms bound the Lipschitz constant from below "
                    + "(default ${DEFAULT-VALUE})")
    int tightnessImages;

    @Option(names = "--channels", split = ",",
            description = "channels of the 14x14 and 7x7 stages, each >= 4x the previous (default 8,32)")
    int[] channels = {8, 32};

    @Option(names = "--pairs", defaultValue = "2",
            description = "switching pairs per stage; each network has 2x this many residual layers (default ${DEFAULT-VALUE})")
    int pairs;

    @Option(names = "--substeps", defaultValue = "1", description = "Euler sub-steps S per layer (default ${DEFAULT-VALUE})")
    int substeps;

    @Option(names = "--dense-layers", defaultValue = "0",
            description = "dense non-expansive layers between the flattened features and the head (default ${DEFAULT-VALUE})")
    int denseLayers;

    @Option(names = "--dense-width", defaultValue = "128",
            description = "rows of each dense layer's weight (default ${DEFAULT-VALUE})")
    int denseWidth;

    @Option(names = "--slope", defaultValue = "0.5",
            description = "slope a of the activation max(x, a*x) in every residual layer, 0 < a <= 1 (default ${DEFAULT-VALUE})")
    double slope;

    @Option(names = "--lr", defaultValue = "0.005", description = "Adam learning rate, cosine to 0 (default ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--batch", defaultValue = "128", description = "mini-batch size (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--train-eps", defaultValue = "0.15",
            description = "epsilon of the loss's margin offset sqrt(2)*eps (default ${DEFAULT-VALUE})")
    double trainEps;

    @Option(names = "--temperature", defaultValue = "0.25",
            description = "temperature of the margin cross-entropy (default ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--shift", defaultValue = "0",
            description = "random shifts of up to this many pixels as augmentation, 0 = off (default ${DEFAULT-VALUE})")
    int shift;

    @Option(names = "--attack-batch", defaultValue = "256", description = "images per attack batch (default ${DEFAULT-VALUE})")
    int attackBatch;

    @Option(names = "--fresh", description = "discard existing checkpoints in --out and train from scratch")
    boolean fresh;

    @Override
    public SharedOptionUse sharedOptionUse() {
        return SharedOptionUse.outAndDebug().seed(1).runs(ByProtocol.of(1)).epochs(ByProtocol.of(20).quick(1))
                .dtype(DataType.FLOAT).describe(SharedOptions.RUNS, "seeds per network; only 1 is supported")
                .quick("smoke run: 2000 training images, 1 epoch, 256 test images");
    }

    @Override
    public Integer call() throws Exception {
        if (shared.runs() != 1) {
            throw new IllegalArgumentException("--runs: expected 1 (one seed per network; vary --seed and --out for more) "
                    + "but got " + shared.runs());
        }
        boolean quick = shared.quick();
        List<CertifiedNetworks.Kind> kinds = CertifiedNetworks.Kind.parseList(networks);
        CertifiedNetworks.Head headKind = CertifiedNetworks.Head.parse(head);
        CertifiedNetworks.DenseTail tail = new CertifiedNetworks.DenseTail(denseLayers, denseWidth);
        if (!(slope > 0 && slope <= 1)) {   // Architecture refuses it too, naming its field rather than the option
            throw new IllegalArgumentException("--slope: expected 0 < a ≤ 1 but got " + slope);
        }
        Architecture arch = new Architecture(channels, pairs, substeps, slope, true, shared.dtype(), shared.seed());
        CertifySettings settings = new CertifySettings(shared.epochs(), batch, lr, trainEps, temperature, shift,
                shared.seed());
        int test = testImages != null ? testImages : quick ? 256 : 10000;
        CertifyExperiment.Options options = new CertifyExperiment.Options(data, shared.out(), kinds, headKind, tail, arch,
                settings,
                trainImages != null ? trainImages : quick ? 2000 : 0, test, Math.min(tightnessImages, test), attackBatch,
                fresh, System.console() != null);
        CertifiedNetworks.build(kinds.get(0), headKind, tail, arch, FashionMnist.NUM_CLASSES);   // refuses bad --channels before any work
        shared.prepareOut();
        List<CertifyExperiment.NetworkResult> results = CertifyExperiment.run(options, System.out);
        ReportWriter.write(CertifyReport.of(options, results), options.out(), System.out);
        return 0;
    }
}
