package io.structflow.core.optim;

/**
 * A learning rate per epoch, {@code η(e)} for epochs {@code e = 0, 1, …} (PyTorch's
 * {@code lr_scheduler} stepped once per epoch). The trainer sets
 * {@link Optimizer#setLearningRate(double)} to {@code rate(e)} at the start of epoch {@code e},
 * so a resumed run uses the same rates as an uninterrupted one.
 */
@FunctionalInterface
public interface LearningRateSchedule {
    /**
     * @param epoch zero-based epoch index, {@code ≥ 0}
     * @return the learning rate for that epoch (finite, {@code ≥ 0})
     */
    double rate(int epoch);

    /** The same rate every epoch. */
    static LearningRateSchedule constant(double rate) {
        Hyper.requireRate("LearningRateSchedule.constant", "rate", rate);
        return epoch -> {
            Hyper.requireEpoch("LearningRateSchedule.constant", epoch);
            return rate;
        };
    }
}
