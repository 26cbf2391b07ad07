package io.structflow.layers.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.check.Agreement;
import io.structflow.core.data.DataLoader;
import io.structflow.core.data.Dataset;
import io.structflow.core.loss.Losses;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Linear;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.core.nn.Sequential;
import io.structflow.core.optim.Adam;
import io.structflow.core.train.CompiledStep;
import io.structflow.core.train.LossFunction;
import io.structflow.core.train.Trainer;
import io.structflow.integrators.rungekutta.ExplicitEuler;
import io.structflow.integrators.rungekutta.ExplicitRungeKutta;
import io.structflow.integrators.splitting.Splitting;
import io.structflow.integrators.symplectic.StormerVerlet;
import io.structflow.integrators.symplectic.SymplecticEuler;
import io.structflow.integrators.symplectic.Yoshida4;
import io.structflow.layers.FlowLayer;
import io.structflow.layers.fields.DivergenceFreeField;
import io.structflow.layers.fields.MlpField;
import io.structflow.layers.fields.SeparableHamiltonianField;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class ReversibleChainTest {
    private static final DataType D = DataType.DOUBLE;
    private static final Activation TANH = Activation.tanh();

    /** Every invertible layer type on a state of width 4 ({@code [q, p]} with d = 2). */
    private static final List<Function<SplittableRandom, Module>> TYPES = List.of(
            r -> new GradientModule(2, 5, SympNetModule.Half.UP, TANH, r.nextLong(), D),
            r -> new GradientModule(2, 5, SympNetModule.Half.LOW, TANH, r.nextLong(), D),
            r -> new LinearModule(2, SympNetModule.Half.UP, r.nextLong(), D),
            r -> new ActivationModule(2, SympNetModule.Half.LOW, TANH, r.nextLong(), D),
            r -> SympNet.gradient(2, 3, 4, TANH, r.nextLong(), D),
            r -> new FlowLayer<>(hamiltonian(r), new SymplecticEuler(SymplecticEuler.Variant.P_FIRST),
                    FlowLayer.stepParameter(0.3, D), 2),
            r -> new FlowLayer<>(hamiltonian(r), new SymplecticEuler(SymplecticEuler.Variant.Q_FIRST),
                    FlowLayer.stepParameter(0.2, D), 1),
            r -> new FlowLayer<>(hamiltonian(r), new StormerVerlet(), FlowLayer.stepParameter(0.25, D), 1),
            r -> new FlowLayer<>(hamiltonian(r), new Yoshida4(), FlowLayer.stepParameter(0.2, D), 1),
            r -> AdditiveCoupling.perceptron(4, 5, TANH, r.nextLong(), D),
            r -> new FlowLayer<>(new DivergenceFreeField(4, 3, TANH, D, r.split()),
                    Splitting.strang(new ExplicitEuler(), ExplicitRungeKutta.rk4()), FlowLayer.stepParameter(0.4, D), 1),
            r -> new FlowLayer<>(new DivergenceFreeField(4, 3, TANH, D, r.split()),
                    Splitting.lieTrotter(ExplicitRungeKutta.heun(), new ExplicitEuler()), FlowLayer.stepParameter(0.3, D), 2));

    private static SeparableHamiltonianField hamiltonian(SplittableRandom r) {
        return new SeparableHamiltonianField(4, 4, TANH, D, r.split());
    }

    private static Tensor[] gradients(Module model, Tensor x, Tensor w) {
        List<Tensor> wrt = new ArrayList<>(model.parameters());
        wrt.add(x);
        return Autograd.grad(model.forward(x).mul(w).sum(), false, wrt.toArray(new Tensor[0]));
    }

    /** lift → layers → projection, ordinary and reversible (whole, and stored every 2 layers), same parameters. */
    private static void assertReversibleGradientsEqualOrdinary(List<Module> layers, SplittableRandom rng, String what) {
        Linear lift = new Linear(3, 4, true, D, rng);
        Linear projection = new Linear(4, 2, true, D, rng);
        Sequential ordinary = new Sequential(lift, new Sequential(layers.toArray(new Module[0])), projection);
        ReversibleChain chain = new ReversibleChain(layers);
        Tensor x = Tensor.variable(Tensor.randnArray(D, rng, 5, 3));
        Tensor w = Tensor.randn(D, rng, 5, 2);
        Tensor[] expected = gradients(ordinary, x, w);
        double size = 0;
        for (Tensor g : expected) {
            size += g.abs().sum().item();
        }
        assertTrue(size > 1e-3, what + ": gradients expected non-zero");
        for (ReversibleChain c : List.of(chain, chain.checkpointEvery(2))) {
            Sequential reversible = new Sequential(lift, c, projection);
            assertEquals(ordinary.namedParameters().keySet(), reversible.namedParameters().keySet());
            double diff = Agreement.relativeDifference(gradients(reversible, x, w), expected);
            assertTrue(diff < 1e-10, what + ", stored " + java.util.Arrays.toString(c.storedActivations())
                    + ": gradients differ by " + diff);
        }
    }

    @Test
    void reversibleGradients_eachInvertibleLayerType_equalOrdinaryBackprop() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int t = 0; t < TYPES.size(); t++) {
            List<Module> layers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                layers.add(TYPES.get(t).apply(rng));
            }
            assertReversibleGradientsEqualOrdinary(layers, rng, "type " + t + " (" + layers.get(0).getClass().getSimpleName() + ")");
        }
    }

    @Test
    void reversibleGradients_randomMixedChains_equalOrdinaryBackprop() {
        SplittableRandom rng = new SplittableRandom(2);
        for (int trial = 0; trial < 4; trial++) {
            List<Module> layers = new ArrayList<>();
            int depth = 4 + rng.nextInt(5);
            for (int i = 0; i < depth; i++) {
                layers.add(TYPES.get(rng.nextInt(TYPES.size())).apply(rng));
            }
            assertReversibleGradientsEqualOrdinary(layers, rng, "mixed chain " + trial);
        }
    }

    @Test
    void constructor_layerWithoutExactInverse_isRefusedByName() {
        SplittableRandom rng = new SplittableRandom(3);
        Module euler = FlowLayer.fixedStep(new MlpField(4, 5, TANH, D, rng), new ExplicitEuler(), 0.1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReversibleChain.of(new LinearModule(2, SympNetModule.Half.UP, 1, D), euler));
        assertTrue(e.getMessage().startsWith("ReversibleChain: layers[1] expected a layer with an exact inverse"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ReversibleChain.of(new Linear(4, 4, true, D, rng)));
    }

    private static Sequential model(boolean reversible, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Linear lift = new Linear(2, 4, true, D, rng);
        List<Module> layers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            layers.add(TYPES.get(i % 2 == 0 ? 0 : 7).apply(rng));
        }
        Module middle = reversible ? new ReversibleChain(layers) : new Sequential(layers.toArray(new Module[0]));
        return new Sequential(lift, middle, new Linear(4, 1, true, D, rng));
    }

    private static Dataset data() {
        SplittableRandom rng = new SplittableRandom(9);
        Tensor x = Tensor.randn(D, rng, 48, 2);
        Tensor y = x.slice(1, 0, 1).mul(x.slice(1, 1, 2)).tanh();
        return Dataset.regression("product", x.value(), y.value());
    }

    private static final LossFunction MSE = (m, b) -> Losses.mse(m.forward(b.x()), b.y());

    @Test
    void trainer_reversibleModel_equalsOrdinaryTrainingStepForStep() throws Exception {
        Sequential ordinary = model(false, 4);
        Sequential reversible = model(true, 4);
        var a = Trainer.builder(ordinary, new Adam(ordinary, Adam.Config.defaults(0.01)), MSE,
                DataLoader.shuffled(data(), 16, 5)).epochs(3).build().fit();
        var b = Trainer.builder(reversible, new Adam(reversible, Adam.Config.defaults(0.01)), MSE,
                DataLoader.shuffled(data(), 16, 5)).epochs(3).build().fit();
        for (int e = 0; e < 3; e++) {
            assertEquals(a.get(e).loss(), b.get(e).loss(), 1e-10 * Math.max(1, a.get(e).loss()), "epoch " + e);
        }
        assertTrue(a.get(2).loss() < a.get(0).loss(), "training should lower the loss");
        List<Parameter> pa = ordinary.parameters();
        List<Parameter> pb = reversible.parameters();
        for (int i = 0; i < pa.size(); i++) {
            assertArrayEquals(pa.get(i).toDoubleArray(), pb.get(i).toDoubleArray(), 1e-10, pa.get(i).name());
        }
    }

    @Test
    void compiledStep_reversibleModel_replaysTheOrdinaryGradients() {
        Sequential ordinary = model(false, 6);
        Sequential reversible = model(true, 6);
        CompiledStep step = new CompiledStep(reversible, MSE);
        DataLoader loader = DataLoader.shuffled(data(), 16, 7);
        int n = 0;
        for (; n < loader.batchesPerEpoch(); n++) {
            var batch = loader.batch(0, n);
            double replayed = step.run(batch);
            ordinary.zeroGrad();
            Tensor l = MSE.loss(ordinary, batch);
            Autograd.backward(l);
            assertEquals(l.item(), replayed, 1e-12, "loss of batch " + n);
            List<Parameter> pa = ordinary.parameters();
            List<Parameter> pb = reversible.parameters();
            for (int i = 0; i < pa.size(); i++) {
                assertArrayEquals(pa.get(i).grad().data().asDouble(), pb.get(i).grad().data().asDouble(), 1e-10,
                        pa.get(i).name() + " gradient of batch " + n);
            }
        }
        assertTrue(n >= 3 && step.isReplaying(), String.valueOf(step.eagerReason()));
    }

    /** A float32 G-SympNet of 1000 modules (d = 1, width 16) as a chain, and a batch of its inputs. */
    private static ReversibleChain deepFloat32Chain() {
        return new ReversibleChain(SympNet.gradient(1, 1000, 16, TANH, 3, DataType.FLOAT).modules());
    }

    private static Tensor float32Batch(long seed) {
        return Tensor.randn(DataType.FLOAT, new SplittableRandom(seed), 64, 2);
    }

    @Test
    void reconstructionDrift_float32_growsWithTheInversesCrossed() {
        double[] error = deepFloat32Chain().reconstructionDrift(float32Batch(1)).error();
        double near = 0;
        for (int j = 990; j < 1000; j++) {
            near = Math.max(near, error[j]);
        }
        assertEquals(0, error[0], "x_0 is the stored input");
        assertTrue(near > 0 && near < 1e-6, "within 10 inverses of the output: " + near);
        assertTrue(error[1] > 10 * near, "across 999 inverses " + error[1] + " vs within 10: " + near);
    }

    @Test
    void withDriftTolerance_float32_storesFewActivationsAndBoundsTheProbeDrift() {
        ReversibleChain chain = deepFloat32Chain();
        Tensor probe = float32Batch(1);
        double tolerance = 2e-6;
        assertTrue(chain.reconstructionDrift(probe).max() > 5 * tolerance, "the test needs drift above the tolerance");
        ReversibleChain planned = chain.withDriftTolerance(tolerance, probe);
        int[] stored = planned.storedActivations();
        assertTrue(stored.length > 2 && stored.length <= 20, "stored " + java.util.Arrays.toString(stored));
        assertEquals(0, stored[0]);
        assertEquals(1000, stored[stored.length - 1]);
        assertTrue(planned.reconstructionDrift(probe).max() <= tolerance, "promised on the probe");
        assertTrue(planned.reconstructionDrift(float32Batch(2)).max() < 3 * tolerance, "same size on another batch");
        assertEquals(chain.namedParameters().keySet(), planned.namedParameters().keySet());
    }

    @Test
    void checkpointEvery_storesEveryKthActivation_andReconstructsOnlyBetween() {
        ReversibleChain chain = ReversibleChain.of(TYPES.get(0).apply(new SplittableRandom(4)),
                TYPES.get(1).apply(new SplittableRandom(5)), TYPES.get(9).apply(new SplittableRandom(6)),
                TYPES.get(7).apply(new SplittableRandom(7)), TYPES.get(3).apply(new SplittableRandom(8))).checkpointEvery(2);
        assertArrayEquals(new int[] {0, 2, 4, 5}, chain.storedActivations());
        double[] error = chain.reconstructionDrift(Tensor.randn(D, new SplittableRandom(9), 4, 4)).error();
        for (int j : new int[] {0, 2, 4}) {
            assertEquals(0, error[j], "x_" + j + " is stored");
        }
        assertTrue(error[1] > 0 && error[1] < 1e-14 && error[3] > 0 && error[3] < 1e-14, java.util.Arrays.toString(error));
    }
}
