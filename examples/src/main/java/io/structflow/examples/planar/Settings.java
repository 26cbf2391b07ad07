package io.structflow.examples.planar;

import io.structflow.examples.support.OptionRanges;
import io.structflow.examples.support.SharedOptions;
import io.structflow.layers.models.PlanarClassifier;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Everything that defines one training run of the planar experiment except the seed: the data
 * and training schedule, and the network's {@link #architecture()}.
 *
 * @param dataset        the planar set
 * @param trainSize      training points (1000 in Table 1)
 * @param testSize       test points (1000)
 * @param width          width n of the lifted state (zero-padding lift ℝ² → ℝⁿ; 4)
 * @param layers         number of residual layers (10; even for the alternating family)
 * @param slope          a, the negative-side slope of σ = LeakyReLU(a) (0.5)
 * @param substeps       S, the sub-steps of each layer of the alternating family, for the region R of (3.10) (2)
 * @param epochs         training epochs (300)
 * @param batchSize      mini-batch size (256)
 * @param learningRate   Adam's learning rate (1e-2)
 * @param weightStd      standard deviation of the raw weights W of {@code A = expm(W − Wᵀ)} at initialisation
 * @param alternatingH1  initial contractive step h₁ of each alternating pair (projected into R)
 * @param alternatingH2  initial expansive step h₂ of each alternating pair (projected into R)
 * @param minContractiveStep δ, a floor on the contractive step h₁ of each alternating pair (0: none)
 * @param expansiveStep  initial step of the expansive layers (≥ 0)
 * @param contractiveStep initial step of the contractive layers (in [0, 2])
 * @param type           FLOAT or DOUBLE
 */
public record Settings(PlanarSet dataset, int trainSize, int testSize, int width, int layers, double slope,
                       int substeps, int epochs, int batchSize, double learningRate, double weightStd,
                       double alternatingH1, double alternatingH2, double minContractiveStep, double expansiveStep, double contractiveStep,
                       DataType type) implements java.io.Serializable {
    /**
     * Validates every field; messages name the option (or, for the network's shape, the
     * {@link PlanarClassifier.Architecture} component), what was expected and what came.
     */
    public Settings {
        if (dataset == null) {
            throw new IllegalArgumentException("--dataset: expected disc, rings, spirals or moons but got null");
        }
        OptionRanges.atLeast("--train-size", trainSize, 1);
        OptionRanges.atLeast("--test-size", testSize, 1);
        if (width < 2) {
            throw new IllegalArgumentException("--width: expected ≥ 2 (the data are planar) but got " + width);
        }
        if (layers < 2 || layers % 2 != 0) {
            throw new IllegalArgumentException("--layers: expected an even number ≥ 2 (the alternating family is made"
                    + " of contractive/expansive pairs) but got " + layers);
        }
        if (!(slope > 0) || !(slope <= 1)) {
            throw new IllegalArgumentException("--slope: expected 0 < a ≤ 1 (LeakyReLU slope) but got " + slope);
        }
        OptionRanges.atLeast("--substeps", substeps, 1);
        OptionRanges.atLeast("--epochs", epochs, 1);
        OptionRanges.atLeast("--batch-size", batchSize, 1);
        OptionRanges.positive("--lr", learningRate);
        OptionRanges.positive("--weight-std", weightStd);
        OptionRanges.nonNegative("--alternating-h1", alternatingH1);
        OptionRanges.nonNegative("--alternating-h2", alternatingH2);
        OptionRanges.nonNegative("--min-contractive-step", minContractiveStep);
        if (minContractiveStep > slope * substeps) {
            throw new IllegalArgumentException("--min-contractive-step: expected 0 ≤ δ ≤ aS = " + slope * substeps
                    + " (where the boundary of R stops rising) but got " + minContractiveStep);
        }
        OptionRanges.nonNegative("--expansive-step", expansiveStep);
        OptionRanges.nonNegative("--contractive-step", contractiveStep);
        if (contractiveStep > 2) {
            throw new IllegalArgumentException("--contractive-step: expected a value in [0, 2] (the Euler bound 2/‖A‖²"
                    + " of (3.5)) but got " + contractiveStep);
        }
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("--dtype: expected float32 or float64 but got " + type);
        }
        new PlanarClassifier.Architecture(width, layers, slope, substeps, weightStd, alternatingH1, alternatingH2,
                minContractiveStep, expansiveStep, contractiveStep, type);
    }

    /**
     * The settings of [CMOSS] §1.1 with this implementation's chosen defaults (see the README):
     * 1000 training and 1000 test points of the disc, 300 epochs of Adam (lr 1e-2) on batches of
     * 256, and {@link PlanarClassifier.Architecture#defaults()}.
     */
    public static Settings defaults() {
        PlanarClassifier.Architecture a = PlanarClassifier.Architecture.defaults();
        return new Settings(PlanarSet.DISC, 1000, 1000, a.width(), a.layers(), a.slope(), a.substeps(), 300, 256, 1e-2,
                a.weightStd(), a.alternatingH1(), a.alternatingH2(), a.minContractiveStep(), a.expansiveStep(),
                a.contractiveStep(), a.type());
    }

    /** The network's shape and initial state. */
    public PlanarClassifier.Architecture architecture() {
        return new PlanarClassifier.Architecture(width, layers, slope, substeps, weightStd, alternatingH1,
                alternatingH2, minContractiveStep, expansiveStep, contractiveStep, type);
    }

    /** A copy with another number of epochs. */
    public Settings withEpochs(int n) {
        return new Settings(dataset, trainSize, testSize, width, layers, slope, substeps, n, batchSize, learningRate,
                weightStd, alternatingH1, alternatingH2, minContractiveStep, expansiveStep, contractiveStep, type);
    }

    /** A copy with other train and test sizes. */
    public Settings withSizes(int train, int test) {
        return new Settings(dataset, train, test, width, layers, slope, substeps, epochs, batchSize, learningRate,
                weightStd, alternatingH1, alternatingH2, minContractiveStep, expansiveStep, contractiveStep, type);
    }

    /** The settings as snake_case entries for results.json. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset.key());
        m.put("train_size", trainSize);
        m.put("test_size", testSize);
        m.put("width", width);
        m.put("layers", layers);
        m.put("activation", "LeakyReLU(" + slope + ")");
        m.put("slope", slope);
        m.put("substeps", substeps);
        m.put("epochs", epochs);
        m.put("batch_size", batchSize);
        m.put("optimizer", "Adam");
        m.put("learning_rate", learningRate);
        m.put("weight_std", weightStd);
        m.put("alternating_initial_h1", alternatingH1);
        m.put("alternating_initial_h2", alternatingH2);
        m.put("alternating_min_h1", minContractiveStep);
        m.put("expansive_initial_step", expansiveStep);
        m.put("contractive_initial_step", contractiveStep);
        m.put("dtype", SharedOptions.dtypeName(type));
        return m;
    }
}
