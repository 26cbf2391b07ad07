package io.structflow.examples.dynamics;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.check.Agreement;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Init;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.core.nn.Sequential;
import io.structflow.examples.support.OptionRanges;
import io.structflow.layers.blocks.GradientModule;
import io.structflow.layers.blocks.ReversibleChain;
import io.structflow.layers.blocks.SympNetModule;
import io.structflow.layers.verify.PropertyChecks;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A very deep G-SympNet ([CMOSS] §4.1; Jin et al. 2020, doi:10.1016/j.neunet.2020.08.017) trained
 * by reversible backpropagation ({@link ReversibleChain}): the pendulum's flow map
 * {@code φ_h}, {@code H = p²/2 − cos q}, learned from trajectory pairs by {@code L} gradient
 * modules {@code p ← p + Kᵀdiag(a)tanh(Kq + b)} (and the same on q), alternating halves. Every
 * module starts as the identity ({@code a = 0}, as ReZero, Bachlechner et al. 2021, starts its
 * residual branches), so the deep network starts at the identity map and its depth does not
 * amplify the initial weights. A training step keeps the chain's input and output and one module's
 * graph, whatever L; steps run eagerly, so memory is freed as a step goes.
 *
 * <p>Measured: test error against the identity map's, the symplecticity residual
 * {@code max ‖JᵀΩJ − Ω‖_F}, the reconstruction drift of the trained chain on test states
 * ({@link ReversibleChain#reconstructionDrift}), and how far the reversible gradients of one test
 * batch are from ordinary backpropagation's at the trained weights.
 */
public final class DeepSympNetExperiment {
    private DeepSympNetExperiment() {
    }

    /**
     * The settings.
     *
     * @param depth            gradient modules L
     * @param width            hidden width of each module
     * @param h                step of the learned flow map
     * @param rk4Substeps      RK4 steps per flow step in the reference
     * @param pMax             training box {@code [−π, π] × [−pMax, pMax]}
     * @param trainSize        training pairs
     * @param testSize         test pairs
     * @param fit              optimiser settings
     * @param type             element type
     * @param seed             seed of data and weights
     * @param symplecticPoints test states on which the symplecticity residual is measured
     */
    public record Config(int depth, int width, double h, int rk4Substeps, double pMax, int trainSize, int testSize,
                         FlowMapFit.Settings fit, DataType type, long seed,
                         int symplecticPoints) {
        /** Validates the settings; messages name the command's options. */
        public Config {
            OptionRanges.atLeast("--depth", depth, 1);
            OptionRanges.atLeast("--width", width, 1);
            OptionRanges.atLeast("--train", trainSize, 1);
            OptionRanges.atLeast("--test", testSize, 1);
            fit.requireBatchAtMost(trainSize);
            if (!(h > 0) || !(pMax > 0) || rk4Substeps < 1 || symplecticPoints < 1) {
                throw new IllegalArgumentException("DeepSympNetExperiment.Config: h, pMax, rk4Substeps and "
                        + "symplecticPoints expected positive but got " + h + ", " + pMax + ", " + rk4Substeps + ", "
                        + symplecticPoints);
            }
        }
    }

    /**
     * What one run measured.
     *
     * @param parameters          trainable scalars
     * @param identityMse         test error of the identity map
     * @param testMse             test error of the trained network
     * @param symplecticity       {@code max ‖JᵀΩJ − Ω‖_F} on test states
     * @param drift               largest relative reconstruction error on test states
     * @param gradientDifference  {@code max|g_rev − g_ord| / max|g_ord|} over all parameters, one test batch
     * @param seconds             training wall time
     * @param losses              mean training loss per epoch
     */
    public record Result(long parameters, double identityMse, double testMse,
                         double symplecticity, double drift, double gradientDifference, double seconds,
                         double[] losses) {
    }

    /** The L modules, alternating UP and LOW, each the identity at initialisation ({@code a = 0}). */
    public static List<SympNetModule> identityModules(int depth, int width, SplittableRandom rng, DataType type) {
        List<SympNetModule> modules = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            modules.add(GradientModule.fromWeights(i % 2 == 0 ? SympNetModule.Half.UP : SympNetModule.Half.LOW,
                    Activation.tanh(), Init.xavierUniform(type, rng, width, 1), Tensor.zeros(type, width),
                    Tensor.uniform(type, rng, -2, 2, width)));
        }
        return modules;
    }

    /** Trains and measures one network. */
    public static Result run(Config c) throws IOException {
        SplittableRandom rng = new SplittableRandom(c.seed());
        PendulumSystem.Pairs train = PendulumSystem.pairs(c.trainSize(), c.pMax(), c.h(), c.rk4Substeps(), rng, c.type());
        PendulumSystem.Pairs test = PendulumSystem.pairs(c.testSize(), c.pMax(), c.h(), c.rk4Substeps(), rng, c.type());
        Tensor xTest = test.x();
        Tensor yTest = test.y();
        List<SympNetModule> modules = identityModules(c.depth(), c.width(), rng, c.type());
        ReversibleChain chain = new ReversibleChain(modules);
        long start = System.nanoTime();
        double[] losses = FlowMapFit.train(chain, train.x(), train.y(), c.fit(), "deep-sympnet", false);
        double seconds = (System.nanoTime() - start) / 1e9;
        Tensor points = xTest.slice(0, 0, Math.min(c.symplecticPoints(), c.testSize()));
        double residual = PropertyChecks.symplecticity(chain::forward, points, Double.POSITIVE_INFINITY).value();
        Tensor batch = xTest.slice(0, 0, Math.min(c.fit().batchSize(), c.testSize()));
        return new Result(chain.parameterCount(), FlowMapFit.mse(xTest, yTest),
                FlowMapFit.mse(chain, xTest, yTest), residual, chain.reconstructionDrift(xTest).max(),
                gradientDifference(chain, batch, PendulumSystem.flow(batch, c.h(), c.rk4Substeps())), seconds, losses);
    }

    /**
     * How far the chain's gradients of the MSE on one batch are from those of the same layers in a
     * Sequential ({@link Agreement#relativeDifference}).
     */
    static double gradientDifference(ReversibleChain chain, Tensor x, Tensor y) {
        Module ordinary = new Sequential(chain.layers().toArray(new Module[0]));
        List<Parameter> parameters = chain.parameters();
        Tensor[] reversible = Autograd.grad(chain.forward(x).sub(y).square().mean(), false,
                parameters.toArray(new Tensor[0]));
        Tensor[] expected = Autograd.grad(ordinary.forward(x).sub(y).square().mean(), false,
                parameters.toArray(new Tensor[0]));
        return Agreement.relativeDifference(reversible, expected);
    }
}
