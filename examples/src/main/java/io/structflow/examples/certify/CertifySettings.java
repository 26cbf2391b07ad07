package io.structflow.examples.certify;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How {@code certify} trains: Adam on the Lipschitz-margin cross-entropy
 * ({@code Losses.lipschitzMarginCrossEntropy}) with pairwise offsets {@code ε_train·K_ij·L₀} (K the
 * head's pairwise constants: √2 for every pair for the scaled head, {@code ‖ŵ_i − ŵ_j‖} for the
 * row-normalised one; L₀ = 1, the bound every network here is built to keep) at temperature τ, a
 * cosine learning-rate schedule from η₀ to 0, and random shifts of up to {@code shift} pixels (zero
 * fill) as augmentation,
 * <pre>
 *   L = (τ/B) Σ_b CE((f(shift(x_b)) + ε_train·K_{y_b,·}) / τ, y_b),   η(e) = η₀ (1 + cos(π e / E)) / 2
 * </pre>
 *
 * @param epochs       E ≥ 1 (counted across resumes)
 * @param batchSize    mini-batch size ≥ 1
 * @param learningRate η₀ &gt; 0
 * @param trainEpsilon ε_train ≥ 0 of the loss's offset
 * @param temperature  τ &gt; 0
 * @param shift        largest shift in pixels, ≥ 0 (0: no augmentation)
 * @param seed         seed of the batch order and the shifts
 */
public record CertifySettings(int epochs, int batchSize, double learningRate, double trainEpsilon, double temperature,
                              int shift, long seed) {
    /** Validates the arguments; messages name the command-line option. */
    public CertifySettings {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs: expected ≥ 1 but got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch: expected ≥ 1 but got " + batchSize);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("--lr: expected a finite rate > 0 but got " + learningRate);
        }
        if (!(trainEpsilon >= 0) || !Double.isFinite(trainEpsilon)) {
            throw new IllegalArgumentException("--train-eps: expected a finite radius ≥ 0 but got " + trainEpsilon);
        }
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("--temperature: expected a finite value > 0 but got " + temperature);
        }
        if (shift < 0 || shift > 8) {
            throw new IllegalArgumentException("--shift: expected 0 to 8 pixels but got " + shift);
        }
    }

    /** snake_case entries; without {@code epochs} when {@code withEpochs} is false (the checkpoint fingerprint). */
    public Map<String, Object> toMap(boolean withEpochs) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (withEpochs) {
            m.put("epochs", epochs);
        }
        m.put("batch_size", batchSize);
        m.put("optimizer", "adam");
        m.put("learning_rate", learningRate);
        m.put("schedule", "cosine");
        m.put("loss", "lipschitz_margin_cross_entropy");
        m.put("train_epsilon", trainEpsilon);
        m.put("temperature", temperature);
        m.put("shift_augmentation", shift);
        m.put("seed", seed);
        return m;
    }
}
