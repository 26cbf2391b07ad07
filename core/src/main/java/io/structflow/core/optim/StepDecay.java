package io.structflow.core.optim;

/**
 * Step decay: the rate is multiplied by {@code gamma} every {@code stepSize} epochs (PyTorch's
 * {@code StepLR}), the "SGD with a step schedule" used for the image classifiers of [CMOSS] §3.3.
 * <pre>
 *   η(e) = base · gamma^⌊e / stepSize⌋
 * </pre>
 *
 * @param base     rate of epoch 0, finite and ≥ 0
 * @param gamma    factor per decay, in (0, 1] (1 keeps the rate constant)
 * @param stepSize epochs between decays, ≥ 1
 */
public record StepDecay(double base, double gamma, int stepSize) implements LearningRateSchedule {
    /** Validates the arguments. */
    public StepDecay {
        Hyper.requireRate("StepDecay", "base", base);
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("StepDecay: gamma expected in (0, 1] but got " + gamma);
        }
        if (stepSize < 1) {
            throw new IllegalArgumentException("StepDecay: stepSize expected ≥ 1 but got " + stepSize);
        }
    }

    @Override
    public double rate(int epoch) {
        Hyper.requireEpoch("StepDecay", epoch);
        return base * Math.pow(gamma, epoch / stepSize);
    }
}
