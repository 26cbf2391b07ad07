package io.structflow.layers.blocks;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Exportable;
import io.structflow.core.nn.InferenceGraph;
import io.structflow.core.nn.Module;
import io.structflow.layers.Invertible;
import io.structflow.layers.Property;
import io.structflow.layers.Structured;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A SympNet (Jin et al. 2020, doi:10.1016/j.neunet.2020.08.017; [CMOSS] §4.1): a composition of
 * {@link SympNetModule}s on {@code x = [q, p]},
 * <pre>
 *   Φ = M_L ∘ … ∘ M_1,     each M_i a gradient, linear or activation shear (UP or LOW)
 * </pre>
 * exactly symplectic, volume-preserving and invertible as a composition of such maps. G-SympNets
 * alternate gradient modules UP/LOW ({@link #gradient}); LA-SympNets alternate linear and
 * activation modules ({@link #linearActivation}). The {@link Builder} appends modules with
 * alternating halves, starting with UP. Children are named {@code 0, 1, …}.
 */
public final class SympNet extends Module implements Structured, Invertible, Exportable {
    private final int dimension;
    private final List<SympNetModule> modules;

    /**
     * @param modules at least one module, all of the same dimension d
     */
    public SympNet(List<? extends SympNetModule> modules) {
        if (modules == null || modules.isEmpty()) {
            throw Checks.bad("SympNet", "modules", "at least one module", modules == null ? "null" : "none");
        }
        this.dimension = modules.get(0).dimension();
        List<SympNetModule> copy = new ArrayList<>();
        for (int i = 0; i < modules.size(); i++) {
            SympNetModule m = modules.get(i);
            if (m.dimension() != dimension) {
                throw Checks.bad("SympNet", "modules[" + i + "] dimension", "d = " + dimension, m.dimension());
            }
            copy.add(register(Integer.toString(i), m));
        }
        this.modules = Collections.unmodifiableList(copy);
    }

    /**
     * A G-SympNet: {@code modules} gradient modules of hidden width {@code width}, alternating UP,
     * LOW, UP, …
     */
    public static SympNet gradient(int dimension, int modules, int width, Activation sigma, long seed, DataType type) {
        Checks.atLeast("SympNet.gradient", "modules", 1, modules);
        Builder b = builder(dimension, seed, type);
        for (int i = 0; i < modules; i++) {
            b.gradient(width, sigma);
        }
        return b.build();
    }

    /**
     * An LA-SympNet: {@code layers} times (linear modules {@code linearPerLayer}, alternating
     * halves, then one activation module), and a final group of linear modules.
     */
    public static SympNet linearActivation(int dimension, int layers, int linearPerLayer, Activation sigma, long seed,
                                           DataType type) {
        Checks.atLeast("SympNet.linearActivation", "layers", 1, layers);
        Checks.atLeast("SympNet.linearActivation", "linearPerLayer", 1, linearPerLayer);
        Builder b = builder(dimension, seed, type);
        for (int i = 0; i < layers; i++) {
            for (int j = 0; j < linearPerLayer; j++) {
                b.linear();
            }
            b.activation(sigma);
        }
        for (int j = 0; j < linearPerLayer; j++) {
            b.linear();
        }
        return b.build();
    }

    /** The pendulum network of REPRODUCTION-NOTES / [CMOSS] §4.1: d = 1, 8 gradient modules of width 32, tanh. */
    public static SympNet pendulum(long seed, DataType type) {
        return gradient(1, 8, 32, Activation.tanh(), seed, type);
    }

    /** A builder for a network of dimension d; module seeds are drawn from {@code seed}. */
    public static Builder builder(int dimension, long seed, DataType type) {
        return new Builder(dimension, seed, type);
    }

    /** d (the state has 2d entries). */
    public int dimension() {
        return dimension;
    }

    /** The modules, first applied first. */
    public List<SympNetModule> modules() {
        return modules;
    }

    /**
     * @param x {@code [batch, 2d]}; not mutated
     * @return {@code [batch, 2d]}
     */
    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        for (SympNetModule m : modules) {
            y = m.forward(y);
        }
        return y;
    }

    /** The modules' inverses in reverse order. */
    @Override
    public Tensor inverse(Tensor y) {
        Tensor x = y;
        for (int i = modules.size() - 1; i >= 0; i--) {
            x = modules.get(i).inverse(x);
        }
        return x;
    }

    /** {@code SYMPLECTIC, VOLUME_PRESERVING, INVERTIBLE}. */
    @Override
    public Set<Property> properties() {
        return Collections.unmodifiableSet(EnumSet.of(Property.SYMPLECTIC, Property.VOLUME_PRESERVING,
                Property.INVERTIBLE));
    }

    /** Appends modules, alternating UP and LOW (starting with UP) unless a half is given. */
    public static final class Builder {
        private final int dimension;
        private final SplittableRandom seeds;
        private final DataType type;
        private final List<SympNetModule> modules = new ArrayList<>();
        private SympNetModule.Half next = SympNetModule.Half.UP;

        private Builder(int dimension, long seed, DataType type) {
            this.dimension = Checks.atLeast("SympNet.builder", "dimension", 1, dimension);
            Checks.notNull("SympNet.builder", "type", type);
            this.seeds = new SplittableRandom(seed);
            this.type = type;
        }

        /** A gradient module of hidden width {@code width} on the next half. */
        public Builder gradient(int width, Activation sigma) {
            return add(new GradientModule(dimension, width, next, sigma, seeds.nextLong(), type));
        }

        /** A linear module on the next half. */
        public Builder linear() {
            return add(new LinearModule(dimension, next, seeds.nextLong(), type));
        }

        /** An activation module on the next half. */
        public Builder activation(Activation sigma) {
            return add(new ActivationModule(dimension, next, sigma, seeds.nextLong(), type));
        }

        /** Any module (its half is kept); the next default half is the other one. */
        public Builder add(SympNetModule module) {
            Checks.notNull("SympNet.Builder.add", "module", module);
            modules.add(module);
            next = module.half() == SympNetModule.Half.UP ? SympNetModule.Half.LOW : SympNetModule.Half.UP;
            return this;
        }

        /** The network. */
        public SympNet build() {
            return new SympNet(modules);
        }
    }

    /** Each module's shear in turn. */
    @Override
    public InferenceGraph.Value appendTo(InferenceGraph graph, InferenceGraph.Value x) {
        return graph.applyInOrder(modules, x);
    }
}
