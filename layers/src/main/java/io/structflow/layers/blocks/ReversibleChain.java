package io.structflow.layers.blocks;

import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Recompute;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Module;
import io.structflow.layers.Invertible;
import io.structflow.layers.Property;
import io.structflow.layers.Structured;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A composition {@code Φ = Φ_L ∘ … ∘ Φ_1} of invertible layers trained by reversible
 * backpropagation (Gomez, Ren, Urtasun, Grosse, "The reversible residual network", NeurIPS 2017,
 * §3; {@link Recompute#reversible}): the forward pass keeps no graph and stores only the
 * activations {@code x_j} at the chain's <em>stored indices</em> (always {@code x_0}, the input,
 * and {@code x_L}, the output); the backward pass rebuilds every other layer input
 * {@code x_{j} = Φ_{j+1}⁻¹(x_{j+1})} from the stored activation above it and differentiates each
 * layer locally. The memory of a training step is then that of the stored activations and one
 * layer's graph, whatever L; each layer costs one more forward evaluation and one inverse.
 *
 * <p>Each layer must be {@link Invertible} and report {@link Property#INVERTIBLE}
 * ({@link Structured}): SympNet modules, additive couplings, flow layers whose integrator has an
 * explicit adjoint (symplectic Euler, Störmer–Verlet, Yoshida's composition on separable
 * Hamiltonians) or is a splitting into shears (divergence-free fields). The layers are registered
 * as children {@code 0, 1, …}, like a {@code Sequential} of the same layers, and a chain works
 * inside a {@code Sequential} with ordinary layers before and after it.
 *
 * <p><b>Reconstruction drift.</b> The inverses are exact in exact arithmetic only: in floating
 * point, reconstructing {@code x_j} from {@code x_k} accumulates the round-off of {@code k − j}
 * inverses, and the gradients are those of the layers at the reconstructed inputs.
 * {@link #reconstructionDrift} measures the error of every reconstructed input on a batch;
 * {@link #withDriftTolerance} stores an activation wherever reconstructing it would exceed a
 * tolerance; {@link #checkpointEvery} stores every k-th activation.
 */
public final class ReversibleChain extends Module implements Structured, Invertible {
    private final List<Module> layers;
    private final int[] stored;

    /**
     * A chain storing only its input and output.
     *
     * @param layers at least one layer, each {@link Invertible} and reporting {@link Property#INVERTIBLE}
     * @throws IllegalArgumentException naming the first layer without an exact inverse
     */
    public ReversibleChain(List<? extends Module> layers) {
        this(checked(layers), new int[] {0, layers.size()});
    }

    private ReversibleChain(List<Module> layers, int[] stored) {
        this.layers = layers;
        this.stored = stored;
        for (int i = 0; i < layers.size(); i++) {
            register(Integer.toString(i), layers.get(i));
        }
    }

    /** {@link #ReversibleChain(List)} of the given layers. */
    public static ReversibleChain of(Module... layers) {
        Checks.notNull("ReversibleChain.of", "layers", layers);
        return new ReversibleChain(Arrays.asList(layers));
    }

    private static List<Module> checked(List<? extends Module> layers) {
        if (layers == null || layers.isEmpty()) {
            throw Checks.bad("ReversibleChain", "layers", "at least one invertible layer",
                    layers == null ? "null" : "none");
        }
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            if (!(m instanceof Invertible) || !(m instanceof Structured s)
                    || !s.properties().contains(Property.INVERTIBLE)) {
                throw Checks.bad("ReversibleChain", "layers[" + i + "]", "a layer with an exact inverse "
                        + "(Invertible, reporting INVERTIBLE)", m == null ? "null" : describe(m));
            }
        }
        return List.copyOf(layers);
    }

    private static String describe(Module m) {
        String properties = m instanceof Structured s ? ", properties " + s.properties() : "";
        return m.getClass().getSimpleName() + properties;
    }

    /**
     * The same layers (shared, not copied) storing every k-th activation {@code x_0, x_k, x_2k, …}
     * and the output: reconstruction then never crosses more than {@code k − 1} inverses.
     *
     * @param k ≥ 1; k = 1 stores every activation (ordinary memory, no reconstruction)
     */
    public ReversibleChain checkpointEvery(int k) {
        Checks.atLeast("ReversibleChain.checkpointEvery", "k", 1, k);
        TreeSet<Integer> s = new TreeSet<>();
        for (int j = 0; j < layers.size(); j += k) {
            s.add(j);
        }
        s.add(layers.size());
        return new ReversibleChain(layers, toArray(s));
    }

    /**
     * The same layers (shared) storing, in addition to input and output, every activation that the
     * backward pass would otherwise reconstruct with a relative error above {@code tolerance} on
     * {@code probe} (see {@link #reconstructionDrift}). Scanning from the output down, an
     * activation is reconstructed from the nearest stored one above it; where the error would
     * exceed the tolerance the activation is stored instead.
     *
     * <p>Promise: on {@code probe}, every reconstructed layer input of the returned chain is within
     * {@code tolerance} (as {@link #reconstructionDrift} measures it). On other batches of the same
     * distribution the error is of the same size, not bounded.
     *
     * @param tolerance relative error allowed, &gt; 0
     * @param probe     a representative batch of the chain's inputs; not mutated
     */
    public ReversibleChain withDriftTolerance(double tolerance, Tensor probe) {
        if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
            throw Checks.bad("ReversibleChain.withDriftTolerance", "tolerance", "a finite value > 0", tolerance);
        }
        Checks.notNull("ReversibleChain.withDriftTolerance", "probe", probe);
        Tensor[] x = activations(probe);
        TreeSet<Integer> s = new TreeSet<>(List.of(0, layers.size()));
        try (GradMode.Scope scope = GradMode.noGrad()) {
            Tensor rebuilt = x[layers.size()];
            for (int j = layers.size() - 1; j >= 1; j--) {
                rebuilt = inverse(j, rebuilt);
                if (relativeError(rebuilt, x[j]) > tolerance) {
                    s.add(j);
                    rebuilt = x[j];
                }
            }
        }
        return new ReversibleChain(layers, toArray(s));
    }

    /**
     * The indices j of the activations {@code x_j} the forward pass stores (x_0 is the input, x_L
     * the output), ascending.
     */
    public int[] storedActivations() {
        return stored.clone();
    }

    /** The layers, first applied first. */
    public List<Module> layers() {
        return layers;
    }

    /**
     * Measures the reconstruction the backward pass performs on this batch: runs the chain forward
     * keeping every activation, rebuilds each layer input from the nearest stored activation above
     * it with the inverses, and compares.
     *
     * @param x a batch of the chain's inputs; not mutated
     * @return per layer input, the relative error {@code max|x̂_j − x_j| / max(1, max|x_j|)}
     *         (0 for stored activations)
     */
    public Drift reconstructionDrift(Tensor x) {
        Checks.notNull("ReversibleChain.reconstructionDrift", "x", x);
        Tensor[] exact = activations(x);
        double[] error = new double[layers.size()];
        try (GradMode.Scope scope = GradMode.noGrad()) {
            for (int k = stored.length - 1; k >= 1; k--) {
                Tensor rebuilt = exact[stored[k]];
                for (int j = stored[k] - 1; j > stored[k - 1]; j--) {
                    rebuilt = inverse(j, rebuilt);
                    error[j] = relativeError(rebuilt, exact[j]);
                }
            }
        }
        return new Drift(error);
    }

    /**
     * The measured reconstruction errors of one batch.
     *
     * @param error per layer input j (0 ≤ j &lt; L), {@code max|x̂_j − x_j| / max(1, max|x_j|)};
     *              0 where x_j is stored
     */
    public record Drift(double[] error) {
        /** The largest error. */
        public double max() {
            return Arrays.stream(error).max().orElse(0);
        }
    }

    private Tensor[] activations(Tensor x) {
        Tensor[] out = new Tensor[layers.size() + 1];
        out[0] = x;
        try (GradMode.Scope scope = GradMode.noGrad()) {
            for (int j = 0; j < layers.size(); j++) {
                out[j + 1] = layers.get(j).forward(out[j]);
            }
        }
        return out;
    }

    /** x_j = Φ_{j+1}⁻¹(x_{j+1}), i.e. layer j (0-based) undone. */
    private Tensor inverse(int j, Tensor y) {
        return ((Invertible) layers.get(j)).inverse(y);
    }

    private static double relativeError(Tensor rebuilt, Tensor exact) {
        INDArray e = exact.value();
        double scale = Math.max(1, e.amaxNumber().doubleValue());
        return rebuilt.value().sub(e).amaxNumber().doubleValue() / scale;
    }

    private static int[] toArray(TreeSet<Integer> s) {
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * @param x the first layer's input; not mutated
     * @return the last layer's output; differentiable in x and every layer's parameters
     */
    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        for (int k = 1; k < stored.length; k++) {
            List<Recompute.Step> steps = new ArrayList<>();
            for (int j = stored[k - 1]; j < stored[k]; j++) {
                Module m = layers.get(j);
                steps.add(new Recompute.Step("layer " + j + ", " + m.getClass().getSimpleName(), m::forward,
                        ((Invertible) m)::inverse, m.parameters()));
            }
            y = Recompute.reversible("ReversibleChain", steps, y);
        }
        return y;
    }

    /** The layers' inverses in reverse order. */
    @Override
    public Tensor inverse(Tensor y) {
        Tensor x = y;
        for (int j = layers.size() - 1; j >= 0; j--) {
            x = inverse(j, x);
        }
        return x;
    }

    /** The properties every layer reports (a composition keeps what each factor keeps). */
    @Override
    public Set<Property> properties() {
        Set<Property> common = EnumSet.allOf(Property.class);
        for (Module m : layers) {
            common.retainAll(((Structured) m).properties());
        }
        return Collections.unmodifiableSet(common);
    }
}
