package io.structflow.examples.robust;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the networks of [CMOSS] §3.3 are trained: SGD with momentum and a step learning-rate
 * schedule on the multi-class hinge loss plus the convolutional orthogonality regulariser,
 * <pre>
 *   L = (1/B) Σ_b (1/C) Σ_{j≠y_b} max(0, m − s_{b,y_b} + s_{b,j})  +  λ Σ_K ‖Conv(K, K) − I_r0‖²_F
 *   η(e) = η₀ · γ^⌊e / stepEpochs⌋
 * </pre>
 *
 * @param epochs       total epochs, ≥ 1 (counted across resumes)
 * @param batchSize    mini-batch size, ≥ 1
 * @param learningRate η₀ &gt; 0
 * @param momentum     μ in [0, 1)
 * @param stepEpochs   epochs between learning-rate decays, ≥ 1
 * @param gamma        decay factor in (0, 1]
 * @param margin       hinge margin m ≥ 0 (the paper: 0.07, 0.15, 0.3)
 * @param orthWeight   λ ≥ 0 of the orthogonality regulariser (0: none)
 * @param seed         seed of the batch order
 * @param compiled     whether to record and replay the training step ({@code Trainer.compiled})
 */
public record TrainingSettings(int epochs, int batchSize, double learningRate, double momentum, int stepEpochs,
                               double gamma, double margin, double orthWeight, long seed, boolean compiled)
        implements java.io.Serializable {
    /** Validates the arguments; messages name the command-line option. */
    public TrainingSettings {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs: expected ≥ 1 but got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch: expected ≥ 1 but got " + batchSize);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("--lr: expected a finite rate > 0 but got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("--momentum: expected in [0, 1) but got " + momentum);
        }
        if (stepEpochs < 1) {
            throw new IllegalArgumentException("--lr-step: expected ≥ 1 epoch but got " + stepEpochs);
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("--lr-gamma: expected in (0, 1] but got " + gamma);
        }
        if (!(margin >= 0) || !Double.isFinite(margin)) {
            throw new IllegalArgumentException("--margin: expected a finite value ≥ 0 but got " + margin);
        }
        if (!(orthWeight >= 0) || !Double.isFinite(orthWeight)) {
            throw new IllegalArgumentException("--orth-weight: expected a finite value ≥ 0 but got " + orthWeight);
        }
    }

    /** This configuration with another initial learning rate η₀. */
    public TrainingSettings withLearningRate(double rate) {
        return new TrainingSettings(epochs, batchSize, rate, momentum, stepEpochs, gamma, margin, orthWeight, seed,
                compiled);
    }

    /** This configuration with another number of epochs. */
    public TrainingSettings withEpochs(int n) {
        return new TrainingSettings(n, batchSize, learningRate, momentum, stepEpochs, gamma, margin, orthWeight, seed,
                compiled);
    }

    /**
     * snake_case entries for results.json; without {@code epochs} when {@code withEpochs} is false
     * (the checkpoint fingerprint: more epochs continue a run, anything else starts another).
     */
    public Map<String, Object> toMap(boolean withEpochs) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (withEpochs) {
            m.put("epochs", epochs);
        }
        m.put("batch_size", batchSize);
        m.put("optimizer", "sgd");
        m.put("learning_rate", learningRate);
        m.put("momentum", momentum);
        m.put("lr_step_epochs", stepEpochs);
        m.put("lr_gamma", gamma);
        m.put("loss", "multi_class_hinge");
        m.put("margin", margin);
        m.put("orthogonality_regulariser_weight", orthWeight);
        m.put("seed", seed);
        return m;
    }
}
