package io.structflow.examples.dynamics;

import io.structflow.core.autodiff.Tensor;
import io.structflow.examples.support.OptionRanges;
import io.structflow.layers.models.MassPreservingNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import java.io.IOException;
import java.util.SplittableRandom;

/**
 * [CMOSS] §4.3: a {@link MassPreservingNetwork} learns the time-{@code t} flow map of the SIR
 * model (4.3) from trajectory pairs {@code (x, φ_t(x))}, x uniform on the simplex, targets from
 * fine RK4. Reports the test error next to the identity map's, the worst mass defect
 * {@code |Σ Φ(x) − Σ x|} on the test points, and a rollout (the learned map applied repeatedly
 * from one initial state, Fig. 6) against the true trajectory.
 */
public final class SirExperiment {
    private SirExperiment() {
    }

    /**
     * The experiment's settings.
     *
     * @param system       β and γ of (4.3)
     * @param time         t of the learned flow map φ_t
     * @param rk4Steps     RK4 steps per unit of time for the reference data
     * @param trainSize    training pairs
     * @param testSize     test pairs
     * @param width        lifted width n (the paper doubles d = 3 to 6)
     * @param depth        number of Euler layers
     * @param hidden       hidden width of each field's network A(z)
     * @param step         initial step of every layer
     * @param fit          optimiser settings
     * @param type         element type of the network and data
     * @param seed         seed of the data and the weights
     * @param rolloutStart initial state of the rollout {@code (S, I, R)}
     * @param rolloutSteps number of applications of the learned map in the rollout
     */
    public record Config(SirSystem system, double time, int rk4Steps, int trainSize, int testSize, int width, int depth,
                         int hidden, double step, FlowMapFit.Settings fit, DataType type, long seed,
                         double[] rolloutStart, int rolloutSteps) {
        /** Validates sizes; messages name the command's options. */
        public Config {
            OptionRanges.atLeast("--train", trainSize, 1);
            OptionRanges.atLeast("--test", testSize, 1);
            OptionRanges.atLeast("--layers", depth, 1);
            OptionRanges.atLeast("--hidden", hidden, 1);
            OptionRanges.atLeast("--rollout", rolloutSteps, 1);
            OptionRanges.atLeast("--width", width, 4);
            OptionRanges.positive("--time", time);
            if (rk4Steps < 1) {
                throw new IllegalArgumentException("SirExperiment.Config: rk4Steps expected at least 1 but got " + rk4Steps);
            }
            if (rolloutStart == null || rolloutStart.length != 3) {
                throw new IllegalArgumentException("SirExperiment.Config: rolloutStart expected (S, I, R) but got "
                        + (rolloutStart == null ? "null" : rolloutStart.length + " values"));
            }
            fit.requireBatchAtMost(trainSize);
            rolloutStart = rolloutStart.clone();
        }

        /**
         * The defaults: β = 2, γ = 1, t = 1, 1024 training and 1024 test pairs, n = 6, 9 layers of
         * hidden width 10, h = 0.1, Adam with batch 32 for {@code epochs} epochs, the learning rate
         * falling from 1e-2 to 1e-4 along a cosine, rollout
         * of 20 steps from (0.9, 0.1, 0).
         */
        public static Config defaults(int epochs, DataType type, long seed) {
            return new Config(new SirSystem(2.0, 1.0), 1.0, 100, 1024, 1024, 6, 9, 10, 0.1,
                    new FlowMapFit.Settings(epochs, 32, 1e-2, 1e-4, seed), type, seed, new double[] {0.9, 0.1, 0.0}, 20);
        }

    }

    /**
     * What one run measured.
     *
     * @param testMse          mean squared error of the network on the test pairs
     * @param identityMse      the same for the identity map {@code x ↦ x}
     * @param maxMassError     {@code max |Σ Φ(x) − Σ x|} over the test points
     * @param rolloutMse       mean squared error of the rollout against the true trajectory
     * @param rolloutMassError {@code max_k |Σ x_k − Σ x_0|} along the rollout
     * @param losses           mean training loss per epoch
     * @param parameters       number of trained parameters
     * @param trueRollout      {@code [steps + 1][3]}, the true states at times {@code k t}
     * @param learnedRollout   {@code [steps + 1][3]}, the learned map's iterates
     * @param seconds          wall-clock seconds of training
     */
    public record Result(double testMse, double identityMse, double maxMassError, double rolloutMse,
                         double rolloutMassError, double[] losses, long parameters, double[][] trueRollout,
                         double[][] learnedRollout, double seconds) {
    }

    /** Generates the data, trains the network and evaluates it. */
    public static Result run(Config c) throws IOException {
        SplittableRandom rng = new SplittableRandom(c.seed());
        int substeps = (int) Math.ceil(c.rk4Steps() * c.time());
        Tensor xTrain = SirSystem.sampleSimplex(c.trainSize(), rng, c.type());
        Tensor yTrain = c.system().flow(xTrain, c.time(), substeps);
        Tensor xTest = SirSystem.sampleSimplex(c.testSize(), rng, c.type());
        Tensor yTest = c.system().flow(xTest, c.time(), substeps);

        MassPreservingNetwork net = new MassPreservingNetwork(3, c.width(), c.depth(), c.hidden(), c.step(), c.type(),
                rng.nextLong());
        long start = System.nanoTime();
        double[] losses = FlowMapFit.train(net, xTrain, yTrain, c.fit(), "sir");
        double seconds = (System.nanoTime() - start) / 1e9;

        double testMse = FlowMapFit.mse(net, xTest, yTest);
        double identityMse = FlowMapFit.mse(xTest, yTest);
        double massError = maxMassError(xTest, FlowMapFit.predict(net, xTest));

        Tensor state = Tensor.of(DataType.DOUBLE, c.rolloutStart(), 1, 3).to(c.type());
        Tensor truth = state;
        double[][] trueRollout = new double[c.rolloutSteps() + 1][];
        double[][] learned = new double[c.rolloutSteps() + 1][];
        trueRollout[0] = truth.toDoubleArray();
        learned[0] = state.toDoubleArray();
        for (int k = 1; k <= c.rolloutSteps(); k++) {
            truth = c.system().flow(truth.to(DataType.DOUBLE), c.time(), substeps);
            state = FlowMapFit.predict(net, state);
            trueRollout[k] = truth.toDoubleArray();
            learned[k] = state.toDoubleArray();
        }
        double rolloutSq = 0;
        double rolloutMass = 0;
        double mass0 = learned[0][0] + learned[0][1] + learned[0][2];
        for (int k = 0; k <= c.rolloutSteps(); k++) {
            for (int i = 0; i < 3; i++) {
                double d = learned[k][i] - trueRollout[k][i];
                rolloutSq += d * d;
            }
            rolloutMass = Math.max(rolloutMass, Math.abs(learned[k][0] + learned[k][1] + learned[k][2] - mass0));
        }
        return new Result(testMse, identityMse, massError, rolloutSq / (3.0 * (c.rolloutSteps() + 1)), rolloutMass,
                losses, net.parameterCount(), trueRollout, learned, seconds);
    }

    /**
     * {@code max_b |Σᵢ out_bi − Σᵢ in_bi|}, both sums in double.
     *
     * @param in  {@code [batch, d]}
     * @param out {@code [batch, d]}
     */
    public static double maxMassError(Tensor in, Tensor out) {
        double[] a = in.toDoubleArray();
        double[] b = out.toDoubleArray();
        if (a.length != b.length || in.rank() != 2) {
            throw new IllegalArgumentException("SirExperiment.maxMassError: out expected the shape [batch, d] of in but "
                    + "got " + java.util.Arrays.toString(out.shape()) + " for " + java.util.Arrays.toString(in.shape()));
        }
        int d = (int) in.size(1);
        double worst = 0;
        for (int k = 0; k < a.length; k += d) {
            double sa = 0;
            double sb = 0;
            for (int i = 0; i < d; i++) {
                sa += a[k + i];
                sb += b[k + i];
            }
            worst = Math.max(worst, Math.abs(sb - sa));
        }
        return worst;
    }
}
