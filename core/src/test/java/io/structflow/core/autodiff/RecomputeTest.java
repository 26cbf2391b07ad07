package io.structflow.core.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.check.Agreement;
import io.structflow.core.nn.Checkpointed;
import io.structflow.core.nn.Lambda;
import io.structflow.core.nn.Linear;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.core.nn.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class RecomputeTest {
    private static final DataType D = DataType.DOUBLE;

    /** The shear (a, b) ↦ (a, b + tanh(W a + c)) or its mirror, with its exact inverse. */
    static final class Shear extends Module {
        final Linear map;
        final boolean up;

        Shear(boolean up, SplittableRandom rng) {
            this.map = register("map", new Linear(2, 2, true, D, rng));
            this.up = up;
        }

        @Override
        public Tensor forward(Tensor x) {
            return move(x, 1);
        }

        Tensor inverse(Tensor y) {
            return move(y, -1);
        }

        private Tensor move(Tensor x, double sign) {
            Tensor a = x.slice(1, 0, 2);
            Tensor b = x.slice(1, 2, 4);
            return up ? Tensor.concat(1, a, b.add(map.forward(a).tanh().mul(sign)))
                    : Tensor.concat(1, a.add(map.forward(b).tanh().mul(sign)), b);
        }

        Recompute.Step step() {
            return new Recompute.Step("shear", this::forward, this::inverse, parameters());
        }
    }

    /** lift → (shears, reversible or recorded) → head. */
    static final class Net extends Module {
        final Linear lift;
        final List<Shear> shears = new ArrayList<>();
        final Linear head;
        boolean reversible;

        Net(int depth, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            lift = register("lift", new Linear(3, 4, true, D, rng));
            for (int i = 0; i < depth; i++) {
                shears.add(register("s" + i, new Shear(i % 2 == 0, rng)));
            }
            head = register("head", new Linear(4, 2, true, D, rng));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor z = lift.forward(x);
            if (reversible) {
                z = Recompute.reversible("shears", shears.stream().map(Shear::step).toList(), z);
            } else {
                for (Shear s : shears) {
                    z = s.forward(z);
                }
            }
            return head.forward(z);
        }
    }

    private static Tensor[] gradients(Module m, Function<Tensor, Tensor> f, Tensor x, Tensor w) {
        List<Tensor> wrt = new ArrayList<>(m.parameters());
        wrt.add(x);
        return Autograd.grad(f.apply(x).mul(w).sum(), false, wrt.toArray(new Tensor[0]));
    }

    @Test
    void reversible_shearChain_gradientsEqualOrdinaryBackprop() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 3; trial++) {
            Net net = new Net(3 + rng.nextInt(6), rng.nextLong());
            Tensor x = Tensor.variable(Tensor.randnArray(D, rng, 5, 3));
            Tensor w = Tensor.randn(D, rng, 5, 2);
            Tensor[] ordinary = gradients(net, net::forward, x, w);
            net.reversible = true;
            Tensor[] reversible = gradients(net, net::forward, x, w);
            assertTrue(Agreement.relativeDifference(reversible, ordinary) < 1e-10, "trial " + trial);
            assertTrue(ordinary[0].abs().sum().item() > 1e-3, "the lift's gradient crosses every shear");
        }
    }

    /** Double backprop through a reversible run records the run again: the second derivatives agree. */
    @Test
    void reversible_underCreateGraph_secondDerivativesEqualOrdinary() {
        SplittableRandom rng = new SplittableRandom(5);
        Net net = new Net(4, 11);
        Tensor x = Tensor.variable(Tensor.randnArray(D, rng, 3, 3));
        Tensor[][] second = new Tensor[2][];
        for (int mode = 0; mode < 2; mode++) {
            net.reversible = mode == 1;
            Tensor gx = Autograd.grad(net.forward(x).square().sum(), true, x)[0];
            second[mode] = Autograd.grad(gx.square().sum(), false, net.parameters().toArray(new Tensor[0]));
        }
        assertTrue(Agreement.relativeDifference(second[1], second[0]) < 1e-10);
    }

    @Test
    void checkpointed_anySequential_gradientsEqualOrdinaryBackprop() {
        SplittableRandom rng = new SplittableRandom(7);
        Sequential seq = new Sequential(new Linear(3, 5, true, D, rng), new Lambda("tanh", Tensor::tanh),
                new Linear(5, 5, true, D, rng), new Lambda("square", Tensor::square), new Linear(5, 5, true, D, rng),
                new Lambda("tanh", Tensor::tanh), new Linear(5, 2, true, D, rng));
        Tensor x = Tensor.variable(Tensor.randnArray(D, rng, 6, 3));
        Tensor w = Tensor.randn(D, rng, 6, 2);
        Tensor[] ordinary = gradients(seq, seq::forward, x, w);
        for (int every = 1; every <= 8; every += 2) {
            Checkpointed c = new Checkpointed(seq, every);
            assertEquals(seq.namedParameters().keySet(), c.namedParameters().keySet());
            Tensor[] checkpointed = gradients(c, c::forward, x, w);
            assertTrue(Agreement.relativeDifference(checkpointed, ordinary) < 1e-12, "every " + every);
        }
    }

    @Test
    void reversible_mapReadingAnUndeclaredParameter_isNamedInTheBackwardPass() {
        Parameter hidden = new Parameter("hidden", Tensor.ones(D, 4).value());
        Recompute.Step step = new Recompute.Step("scaled", t -> t.add(hidden), t -> t.sub(hidden), List.of());
        Parameter declared = new Parameter("declared", Tensor.ones(D, 4).value());
        Recompute.Step other = new Recompute.Step("other", t -> t.mul(declared), t -> t.div(declared), List.of(declared));
        Tensor y = Recompute.reversible("run", List.of(other, step), Tensor.variable(Tensor.randnArray(D,
                new SplittableRandom(1), 2, 4)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Autograd.backward(y.sum()));
        assertTrue(e.getMessage().contains("step 1 (scaled)") && e.getMessage().contains("hidden"), e.getMessage());
    }
}
