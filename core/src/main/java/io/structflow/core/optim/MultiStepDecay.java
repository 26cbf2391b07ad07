package io.structflow.core.optim;

import java.util.Arrays;

/**
 * Decay at given milestones (PyTorch's {@code MultiStepLR}): the rate is multiplied by
 * {@code gamma} at each milestone epoch reached.
 * <pre>
 *   η(e) = base · gamma^{#{m ∈ milestones : m ≤ e}}
 * </pre>
 *
 * @param base       rate of epoch 0, finite and ≥ 0
 * @param gamma      factor per milestone, in (0, 1]
 * @param milestones strictly increasing epochs ≥ 1 (copied)
 */
public record MultiStepDecay(double base, double gamma, int[] milestones) implements LearningRateSchedule {
    /** Validates and copies the arguments. */
    public MultiStepDecay {
        Hyper.requireRate("MultiStepDecay", "base", base);
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("MultiStepDecay: gamma expected in (0, 1] but got " + gamma);
        }
        milestones = milestones.clone();
        for (int i = 0; i < milestones.length; i++) {
            if (milestones[i] < 1 || (i > 0 && milestones[i] <= milestones[i - 1])) {
                throw new IllegalArgumentException("MultiStepDecay: milestones expected strictly increasing epochs ≥ 1"
                        + " but got " + Arrays.toString(milestones));
            }
        }
    }

    /** The milestones (a copy). */
    @Override
    public int[] milestones() {
        return milestones.clone();
    }

    @Override
    public double rate(int epoch) {
        Hyper.requireEpoch("MultiStepDecay", epoch);
        int passed = 0;
        while (passed < milestones.length && milestones[passed] <= epoch) {
            passed++;
        }
        return base * Math.pow(gamma, passed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultiStepDecay m && Double.compare(m.base, base) == 0
                && Double.compare(m.gamma, gamma) == 0 && Arrays.equals(m.milestones, milestones);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Double.hashCode(base) + Double.hashCode(gamma)) + Arrays.hashCode(milestones);
    }

    @Override
    public String toString() {
        return "MultiStepDecay[base=" + base + ", gamma=" + gamma + ", milestones=" + Arrays.toString(milestones) + "]";
    }
}
