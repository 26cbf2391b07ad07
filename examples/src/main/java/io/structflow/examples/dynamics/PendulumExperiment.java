package io.structflow.examples.dynamics;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Sequential;
import io.structflow.integrators.rungekutta.ExplicitEuler;
import io.structflow.integrators.symplectic.StormerVerlet;
import io.structflow.layers.FlowLayer;
import io.structflow.layers.Property;
import io.structflow.layers.blocks.SympNet;
import io.structflow.layers.fields.MlpField;
import io.structflow.layers.fields.SeparableHamiltonianField;
import io.structflow.examples.support.OptionRanges;
import io.structflow.layers.verify.PropertyChecks;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Learning the pendulum's flow map {@code φ_h}, {@code H = p²/2 − cos q}, h = 0.1, from
 * trajectory pairs ([M-slides] "Learning the Hamiltonian", [CMOSS] §4.1) with three networks:
 * <ul>
 *   <li>{@link Model#SYMPNET}: a G-SympNet ({@link SympNet#gradient}), exactly symplectic;</li>
 *   <li>{@link Model#HAMILTONIAN}: one Störmer–Verlet step of size h of a learned separable
 *       Hamiltonian {@code H_θ = uᵀΓ(Ap + a) + vᵀΓ(Bq + b)} ({@link SeparableHamiltonianField}),
 *       exactly symplectic and explicit;</li>
 *   <li>{@link Model#RESNET}: an unstructured ResNet {@code x ← x + W₂tanh(W₁x + b₁) + b₂}
 *       ({@link MlpField} under explicit Euler with step 1) with about as many parameters as the
 *       SympNet.</li>
 * </ul>
 * Each model is measured by its test error, its symplecticity residual
 * {@code max ‖JᵀΩJ − Ω‖_F} on test points ({@link PropertyChecks#symplecticity}), and the energy
 * error {@code max_{k, x₀} |H(x_k) − H(x₀)|} along a rollout of the learned map from initial
 * states on closed orbits inside the training box.
 */
public final class PendulumExperiment {
    private PendulumExperiment() {
    }

    /** The three models compared. */
    public enum Model {
        /** G-SympNet. */
        SYMPNET("sympnet"),
        /** Störmer–Verlet step of a learned separable Hamiltonian. */
        HAMILTONIAN("hamiltonian"),
        /** Unstructured ResNet baseline. */
        RESNET("resnet");

        private final String key;

        Model(String key) {
            this.key = key;
        }

        /** The snake_case key used in results.json and on the command line. */
        public String key() {
            return key;
        }

        /**
         * The model of this key.
         *
         * @throws IllegalArgumentException naming {@code --models} when there is none
         */
        public static Model of(String key) {
            for (Model m : values()) {
                if (m.key.equals(key.trim())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("--models: expected names from sympnet, hamiltonian, resnet but got '"
                    + key + "'");
        }
    }

    /**
     * The experiment's settings.
     *
     * @param h                 step of the learned flow map
     * @param rk4Substeps       RK4 steps per flow step in the reference
     * @param pMax              training box {@code [−π, π] × [−pMax, pMax]}
     * @param trainSize         training pairs
     * @param testSize          test pairs
     * @param sympModules       gradient modules of the SympNet
     * @param sympWidth         hidden width of each gradient module
     * @param hamiltonianWidth  width m of each of the two networks of {@code H_θ}
     * @param resnetBlocks      ResNet blocks
     * @param resnetWidth       hidden width of each ResNet block
     * @param fit               optimiser settings (shared by the three models)
     * @param type              element type
     * @param seed              seed of data and weights
     * @param rolloutSteps      length of the energy rollouts
     * @param randomOrbits      random rollout initial states (besides the portrait ones)
     * @param portraitStarts    {@code q₀} of the portrait orbits (with {@code p₀ = 0}), plotted
     * @param symplecticPoints  test points on which the symplecticity residual is measured
     * @param models            which models to train
     */
    public record Config(double h, int rk4Substeps, double pMax, int trainSize, int testSize, int sympModules,
                         int sympWidth, int hamiltonianWidth, int resnetBlocks, int resnetWidth, FlowMapFit.Settings fit,
                         DataType type, long seed, int rolloutSteps, int randomOrbits, double[] portraitStarts,
                         int symplecticPoints, List<Model> models) {
        /** Validates the settings. */
        public Config {
            atLeast("rk4Substeps", rk4Substeps, 1);
            OptionRanges.atLeast("--train", trainSize, 1);
            OptionRanges.atLeast("--test", testSize, 1);
            OptionRanges.atLeast("--symp-modules", sympModules, 1);
            OptionRanges.atLeast("--symp-width", sympWidth, 1);
            OptionRanges.atLeast("--ham-width", hamiltonianWidth, 1);
            OptionRanges.atLeast("--resnet-blocks", resnetBlocks, 1);
            OptionRanges.atLeast("--resnet-width", resnetWidth, 1);
            OptionRanges.atLeast("--rollout", rolloutSteps, 1);
            OptionRanges.atLeast("--orbits", randomOrbits, 0);
            atLeast("symplecticPoints", symplecticPoints, 1);
            if (!(h > 0) || !(pMax > 0)) {
                throw new IllegalArgumentException("PendulumExperiment.Config: h and pMax expected positive but got h = "
                        + h + ", pMax = " + pMax);
            }
            if (models == null || models.isEmpty()) {
                throw new IllegalArgumentException("PendulumExperiment.Config: models expected at least one of "
                        + List.of(Model.values()) + " but got " + models);
            }
            double limit = Math.acos(1 - 0.5 * pMax * pMax);
            for (double q0 : portraitStarts) {
                if (!(Math.abs(q0) < limit)) {
                    throw new IllegalArgumentException("PendulumExperiment.Config: portraitStarts expected |q₀| < "
                            + limit + " (orbits inside the training box |p| ≤ " + pMax + ") but got " + q0);
                }
            }
            fit.requireBatchAtMost(trainSize);
            portraitStarts = portraitStarts.clone();
            models = List.copyOf(models);
        }

        private static void atLeast(String name, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException("PendulumExperiment.Config: " + name + " expected at least " + min
                        + " but got " + value);
            }
        }

        /**
         * The defaults: h = 0.1 (RK4 reference with 10 sub-steps), box {@code [−π, π] × [−1.5, 1.5]},
         * 4096 training and 1024 test pairs, SympNet of 8 gradient modules of width 32 (768
         * parameters), separable Hamiltonian of width 128 (768), ResNet of 8 blocks of width 19
         * (776), Adam lr 1e-3 at batch 256 (16 steps per epoch), rollouts of 1000 steps from 8
         * random and 3 portrait states ({@code q₀ = 0.5, 1.0, 1.5}, {@code p₀ = 0}).
         */
        public static Config defaults(int epochs, DataType type, long seed) {
            return new Config(0.1, 10, 1.5, 4096, 1024, 8, 32, 128, 8, 19,
                    FlowMapFit.Settings.constant(epochs, 256, 1e-3, seed), type, seed, 1000, 8,
                    new double[] {0.5, 1.0, 1.5}, 32, List.of(Model.values()));
        }
    }

    /**
     * One model's measurements.
     *
     * @param model              which model
     * @param parameters         number of trained parameters
     * @param testMse            mean squared error on the test pairs
     * @param symplecticity      {@code max ‖JᵀΩJ − Ω‖_F} on test points
     * @param energyError        {@code max |H(x_k) − H(x₀)|} over the rollouts
     * @param energyCurve        per step k, {@code max_{x₀} |H(x_k) − H(x₀)|}, length {@code rolloutSteps + 1}
     * @param portrait           per portrait orbit, {@code [rolloutSteps + 1][2]} states
     * @param losses             mean training loss per epoch
     * @param seconds            wall-clock seconds of training
     */
    public record ModelResult(Model model, long parameters, double testMse, double symplecticity, double energyError,
                              double[] energyCurve, double[][][] portrait, double[] losses, double seconds) {
    }

    /**
     * A run's measurements.
     *
     * @param identityMse   test error of the identity map
     * @param models        per model, in the order of {@link Config#models()}
     * @param truePortrait  the reference orbits, {@code [orbit][rolloutSteps + 1][2]}
     * @param trueEnergyError the reference's own {@code max |H(x_k) − H(x₀)|} (RK4 in float64)
     */
    public record Result(double identityMse, List<ModelResult> models, double[][][] truePortrait,
                         double trueEnergyError) {
    }

    /**
     * Builds an untrained model.
     *
     * @param rng source of the weights' seeds
     */
    public static Module build(Model model, Config c, SplittableRandom rng) {
        return switch (model) {
            case SYMPNET -> SympNet.gradient(1, c.sympModules(), c.sympWidth(), Activation.tanh(), rng.nextLong(),
                    c.type());
            case HAMILTONIAN -> FlowLayer.fixedStep(
                    new SeparableHamiltonianField(2, c.hamiltonianWidth(), Activation.tanh(), c.type(),
                            new SplittableRandom(rng.nextLong())),
                    new StormerVerlet(), c.h(), 1, c.type()).require(Property.SYMPLECTIC);
            case RESNET -> {
                SplittableRandom r = new SplittableRandom(rng.nextLong());
                Sequential net = new Sequential();
                for (int i = 0; i < c.resnetBlocks(); i++) {
                    net.add(FlowLayer.fixedStep(new MlpField(2, c.resnetWidth(), Activation.tanh(), c.type(), r),
                            new ExplicitEuler(), 1.0, 1, c.type()));
                }
                yield net;
            }
        };
    }

    /** Generates the data, trains every model of the configuration and evaluates it. */
    public static Result run(Config c) throws IOException {
        SplittableRandom rng = new SplittableRandom(c.seed());
        PendulumSystem.Pairs train = PendulumSystem.pairs(c.trainSize(), c.pMax(), c.h(), c.rk4Substeps(), rng, c.type());
        PendulumSystem.Pairs test = PendulumSystem.pairs(c.testSize(), c.pMax(), c.h(), c.rk4Substeps(), rng, c.type());
        Tensor xTest = test.x();
        Tensor yTest = test.y();
        double identityMse = FlowMapFit.mse(xTest, yTest);

        int portraits = c.portraitStarts().length;
        double[][] starts = new double[portraits + c.randomOrbits()][];
        for (int i = 0; i < portraits; i++) {
            starts[i] = new double[] {c.portraitStarts()[i], 0};
        }
        double[][] random = PendulumSystem.sampleOrbits(c.randomOrbits(), c.pMax(),
                PendulumSystem.maxOrbitEnergy(c.pMax()), rng);
        System.arraycopy(random, 0, starts, portraits, random.length);
        Tensor x0 = Tensor.of(DataType.DOUBLE, flatten(starts), starts.length, 2);

        double[][][] truth = rollout(x -> PendulumSystem.flow(x, c.h(), c.rk4Substeps()), x0, c.rolloutSteps());
        double trueEnergyError = max(energyCurve(truth));
        Tensor symplecticPoints = xTest.slice(0, 0, Math.min(c.symplecticPoints(), c.testSize()));

        List<ModelResult> results = new ArrayList<>();
        for (Model m : c.models()) {
            Module net = build(m, c, new SplittableRandom(rng.nextLong()));
            long start = System.nanoTime();
            double[] losses = FlowMapFit.train(net, train.x(), train.y(), c.fit(), "pendulum/" + m.key());
            double seconds = (System.nanoTime() - start) / 1e9;
            double testMse = FlowMapFit.mse(net, xTest, yTest);
            double residual = PropertyChecks.symplecticity(net::forward, symplecticPoints,
                    PropertyChecks.defaultTolerance(c.type())).value();
            double[][][] orbits = rollout(x -> FlowMapFit.predict(net, x), x0.to(c.type()), c.rolloutSteps());
            double[] curve = energyCurve(orbits);
            double[][][] portrait = new double[portraits][][];
            System.arraycopy(orbits, 0, portrait, 0, portraits);
            results.add(new ModelResult(m, net.parameterCount(), testMse, residual, max(curve), curve, portrait, losses,
                    seconds));
        }
        double[][][] truePortrait = new double[portraits][][];
        System.arraycopy(truth, 0, truePortrait, 0, portraits);
        return new Result(identityMse, List.copyOf(results), truePortrait, trueEnergyError);
    }

    /**
     * {@code steps} applications of {@code map} from the states {@code x0}.
     *
     * @param x0 {@code [orbits, 2]}
     * @return {@code [orbit][steps + 1][2]}
     */
    static double[][][] rollout(java.util.function.UnaryOperator<Tensor> map, Tensor x0, int steps) {
        int orbits = (int) x0.size(0);
        double[][][] out = new double[orbits][steps + 1][];
        Tensor x = x0;
        for (int k = 0; ; k++) {
            double[] v = x.toDoubleArray();
            for (int o = 0; o < orbits; o++) {
                out[o][k] = new double[] {v[2 * o], v[2 * o + 1]};
            }
            if (k == steps) {
                return out;
            }
            x = map.apply(x);
        }
    }

    /** Per step k, {@code max_orbit |H(x_k) − H(x_0)|}. */
    static double[] energyCurve(double[][][] orbits) {
        int steps = orbits[0].length;
        double[] curve = new double[steps];
        for (double[][] orbit : orbits) {
            double h0 = PendulumSystem.energy(orbit[0][0], orbit[0][1]);
            for (int k = 0; k < steps; k++) {
                double e = Math.abs(PendulumSystem.energy(orbit[k][0], orbit[k][1]) - h0);
                curve[k] = Math.max(curve[k], Double.isNaN(e) ? Double.POSITIVE_INFINITY : e);
            }
        }
        return curve;
    }

    private static double max(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    private static double[] flatten(double[][] rows) {
        double[] out = new double[rows.length * 2];
        for (int i = 0; i < rows.length; i++) {
            out[2 * i] = rows[i][0];
            out[2 * i + 1] = rows[i][1];
        }
        return out;
    }
}
