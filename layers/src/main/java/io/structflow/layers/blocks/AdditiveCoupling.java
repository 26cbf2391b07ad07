package io.structflow.layers.blocks;

import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.GivenWeights;
import io.structflow.core.nn.Module;
import io.structflow.layers.Invertible;
import io.structflow.layers.Property;
import io.structflow.layers.Structured;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A volume-preserving RevNet-style block, the additive coupling of [CMOSS] §4.2 (Gomez et al.,
 * "The reversible residual network", NeurIPS 2017; Dinh et al., NICE, 2015): on
 * {@code x = [x₁, x₂]} (split after {@code split} features),
 * <pre>
 *   y₁ = x₁ + f(x₂),     y₂ = x₂ + g(y₁)
 * </pre>
 * the composition of two shears, i.e. one symplectic-Euler-like step of the partitioned
 * divergence-free field {@code (f(x₂), g(x₁))}. Its Jacobian is
 * {@code [[I, F], [G, I + GF]]} = {@code [[I, 0], [G, I]]·[[I, F], [0, I]]}, so {@code det J = 1}
 * for every f and g, and the exact inverse is
 * <pre>
 *   x₂ = y₂ − g(y₁),     x₁ = y₁ − f(x₂).
 * </pre>
 * At width 2 the map is also symplectic. Cost: one evaluation each of f and g (forward and inverse).
 */
public final class AdditiveCoupling extends Module implements Structured, Invertible {
    private final int width;
    private final int split;
    private final Module f;
    private final Module g;

    /**
     * @param width n, the state width
     * @param split size of x₁, {@code 1 ≤ split < n}
     * @param f     maps {@code [batch, n − split] → [batch, split]}
     * @param g     maps {@code [batch, split] → [batch, n − split]}
     */
    public AdditiveCoupling(int width, int split, Module f, Module g) {
        Checks.atLeast("AdditiveCoupling", "width", 2, width);
        if (split < 1 || split >= width) {
            throw Checks.bad("AdditiveCoupling", "split", "1 ≤ split < width = " + width, split);
        }
        Checks.notNull("AdditiveCoupling", "f", f);
        Checks.notNull("AdditiveCoupling", "g", g);
        this.width = width;
        this.split = split;
        this.f = register("f", f);
        this.g = register("g", g);
    }

    /**
     * The block with one-hidden-layer perceptrons {@code f, g(u) = W₂σ(W₁u + b₁) + b₂} of hidden
     * width {@code hidden}, split at {@code width / 2}.
     */
    public static AdditiveCoupling perceptron(int width, int hidden, Activation sigma, long seed, DataType type) {
        Checks.atLeast("AdditiveCoupling.perceptron", "width", 2, width);
        Checks.atLeast("AdditiveCoupling.perceptron", "hidden", 1, hidden);
        Checks.notNull("AdditiveCoupling.perceptron", "sigma", sigma);
        int split = width / 2;
        SplittableRandom rng = new SplittableRandom(seed);
        Perceptron f = Perceptron.random(width - split, hidden, split, sigma, rng, type);
        Perceptron g = Perceptron.random(split, hidden, width - split, sigma, rng, type);
        return new AdditiveCoupling(width, split, f, g);
    }

    /**
     * The block with one-hidden-layer perceptrons {@code f(u) = W₂σ(W₁u + b₁) + b₂} and g of the
     * same form, from given weights, copied; its {@link #namedParameters()} are
     * {@code f.W1, f.b1, f.W2, f.b2, g.W1, g.b1, g.W2, g.b2}. With d₁ = split the size of x₁ and d₂
     * that of x₂ (n = d₁ + d₂):
     *
     * @param sigma σ of both perceptrons
     * @param fW1   {@code [hf, d₂]}
     * @param fb1   {@code [hf]}
     * @param fW2   {@code [d₁, hf]}
     * @param fb2   {@code [d₁]}
     * @param gW1   {@code [hg, d₁]}
     * @param gb1   {@code [hg]}
     * @param gW2   {@code [d₂, hg]}
     * @param gb2   {@code [d₂]}
     * @throws IllegalArgumentException naming the argument whose shape or element type is wrong
     */
    public static AdditiveCoupling fromWeights(Activation sigma, Tensor fW1, Tensor fb1, Tensor fW2, Tensor fb2,
                                               Tensor gW1, Tensor gb1, Tensor gW2, Tensor gb2) {
        Checks.notNull("AdditiveCoupling.fromWeights", "sigma", sigma);
        GivenWeights given = new GivenWeights("AdditiveCoupling.fromWeights");
        given.require("fW1", fW1, "hf", "d₂");
        given.require("fb1", fb1, "hf");
        given.require("fW2", fW2, "d₁", "hf");
        given.require("fb2", fb2, "d₁");
        given.require("gW1", gW1, "hg", "d₁");
        given.require("gb1", gb1, "hg");
        given.require("gW2", gW2, "d₂", "hg");
        given.require("gb2", gb2, "d₂");
        int split = (int) given.size("d₁");
        return new AdditiveCoupling(split + (int) given.size("d₂"), split, new Perceptron(sigma, fW1, fb1, fW2, fb2),
                new Perceptron(sigma, gW1, gb1, gW2, gb2));
    }

    /** n. */
    public int width() {
        return width;
    }

    /** Size of x₁. */
    public int split() {
        return split;
    }

    /**
     * @param x {@code [batch, n]}; not mutated
     * @return {@code [batch, n]}
     */
    @Override
    public Tensor forward(Tensor x) {
        Shapes.require("AdditiveCoupling.forward", "x", x, -1, width);
        Tensor y1 = x.slice(1, 0, split).add(checked("f", f.forward(x.slice(1, split, width)), split));
        Tensor y2 = x.slice(1, split, width).add(checked("g", g.forward(y1), width - split));
        return Tensor.concat(1, y1, y2);
    }

    /** The exact inverse {@code x₂ = y₂ − g(y₁), x₁ = y₁ − f(x₂)}. */
    @Override
    public Tensor inverse(Tensor y) {
        Shapes.require("AdditiveCoupling.inverse", "y", y, -1, width);
        Tensor y1 = y.slice(1, 0, split);
        Tensor x2 = y.slice(1, split, width).sub(checked("g", g.forward(y1), width - split));
        Tensor x1 = y1.sub(checked("f", f.forward(x2), split));
        return Tensor.concat(1, x1, x2);
    }

    private static Tensor checked(String name, Tensor out, long size) {
        if (out.rank() != 2 || out.size(1) != size) {
            throw Checks.bad("AdditiveCoupling", name + " output", "shape [batch, " + size + "]",
                    Arrays.toString(out.shape()));
        }
        return out;
    }

    /**
     * {@code VOLUME_PRESERVING, INVERTIBLE}, and {@code SYMPLECTIC} at width 2, where an
     * area-preserving map of the plane is symplectic ({@code det J = 1} is {@code JᵀΩJ = Ω} for 2×2 J).
     */
    @Override
    public Set<Property> properties() {
        return Collections.unmodifiableSet(width == 2
                ? EnumSet.of(Property.VOLUME_PRESERVING, Property.INVERTIBLE, Property.SYMPLECTIC)
                : EnumSet.of(Property.VOLUME_PRESERVING, Property.INVERTIBLE));
    }
}
