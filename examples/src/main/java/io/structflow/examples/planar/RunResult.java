package io.structflow.examples.planar;

/**
 * One trained network of the planar experiment.
 *
 * @param seed            the run's seed (initialisation and batch order)
 * @param testAccuracy    fraction of test points classified correctly
 * @param trainAccuracy   the same on the training set
 * @param finalTime       {@code T = Σ|hᵢ|} over the layers
 * @param steps           the learned step of each layer, in layer order
 * @param lipschitzRatio  largest {@code ‖Φ(x) − Φ(y)‖/‖x − y‖} of the dynamical part Φ (lift and
 *                        residual layers) over random pairs around the test points
 * @param stepViolation   largest violation of the step constraints after training (0: all in their sets)
 * @param finalLoss       mean training loss of the last epoch
 * @param seconds         wall-clock training time
 */
public record RunResult(long seed, double testAccuracy, double trainAccuracy, double finalTime, double[] steps,
                        double lipschitzRatio, double stepViolation, double finalLoss, double seconds)
        implements java.io.Serializable {
}
