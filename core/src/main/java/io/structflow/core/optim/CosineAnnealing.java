package io.structflow.core.optim;

/**
 * Cosine annealing from {@code base} to {@code min} over {@code epochs} epochs (PyTorch's
 * {@code CosineAnnealingLR} with {@code T_max = epochs}; Loshchilov &amp; Hutter, SGDR, ICLR 2017,
 * arXiv:1608.03983, eq. (5) without restarts).
 * <pre>
 *   η(e) = min + (base − min) · (1 + cos(π e / epochs)) / 2    for 0 ≤ e ≤ epochs,
 *   η(e) = min                                               for e &gt; epochs
 * </pre>
 * Unlike PyTorch, which continues the cosine periodically past {@code T_max}, the rate stays
 * at {@code min} after the last epoch.
 *
 * @param base   rate of epoch 0, finite and ≥ 0
 * @param min    final rate, in [0, base]
 * @param epochs length of the annealing, ≥ 1
 */
public record CosineAnnealing(double base, double min, int epochs) implements LearningRateSchedule {
    /** Validates the arguments. */
    public CosineAnnealing {
        Hyper.requireRate("CosineAnnealing", "base", base);
        if (!(min >= 0 && min <= base)) {
            throw new IllegalArgumentException("CosineAnnealing: min expected in [0, base=" + base + "] but got " + min);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("CosineAnnealing: epochs expected ≥ 1 but got " + epochs);
        }
    }

    @Override
    public double rate(int epoch) {
        Hyper.requireEpoch("CosineAnnealing", epoch);
        if (epoch >= epochs) {
            return min;
        }
        return min + (base - min) * 0.5 * (1 + Math.cos(Math.PI * epoch / epochs));
    }
}
