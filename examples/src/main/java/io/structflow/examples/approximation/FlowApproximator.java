package io.structflow.examples.approximation;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Linear;
import io.structflow.core.nn.Module;
import io.structflow.integrators.GradientField;
import io.structflow.integrators.SkewField;
import io.structflow.integrators.lie.CayleyHeun;
import io.structflow.integrators.rungekutta.ExplicitEuler;
import io.structflow.layers.FlowLayer;
import io.structflow.layers.fields.ContractiveGradientField;
import io.structflow.layers.fields.ExpansiveGradientField;
import io.structflow.layers.fields.GeneralGradientField;
import io.structflow.layers.fields.ProjectedSphereField;
import io.structflow.layers.fields.TriangularSkewField;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The network of [CMOSS] Thm 2.2 for a function {@code ℝᵈ → ℝ}: an affine lift into {@code ℝⁿ},
 * {@code L} blocks each made of one gradient-flow step and one sphere-preserving step, and a
 * linear projection,
 * <pre>
 *   N(x) = P ∘ Ψ_S^{h_L} ∘ Ψ_G^{h_L} ∘ … ∘ Ψ_S^{h_1} ∘ Ψ_G^{h_1} ∘ Λ(x),   Λ(x) = Wx + c,   P(z) = wᵀz + e
 * </pre>
 * where {@code Ψ_G} is an explicit Euler step of a gradient field ({@code Aᵀdiag(α)σ(Az+b)},
 * {@code −Aᵀσ(Az+b)} (3.3) or {@code +Aᵀσ(Az+b)} (3.7), see {@link GradientKind}) and {@code Ψ_S}
 * a {@link CayleyHeun} step of a sphere-preserving field ({@code (A(z) − A(z)ᵀ)z} or
 * {@code P(z)BᵀΣ(Cz+d)}, see {@link SphereKind}), which keeps {@code ‖z‖} exactly. Every step size
 * is learnable. Thm 2.2: such compositions approximate any continuous function on a compact set
 * uniformly. Cost per sample: {@code O(L(nm + n³))}, the {@code n³} from CayleyHeun's linear
 * solves.
 */
public final class FlowApproximator extends Module {
    /** Which gradient field the gradient steps use. */
    public enum GradientKind {
        /** {@code Aᵀdiag(α)σ(Az+b)} with signed α ({@link GeneralGradientField}). */
        GENERAL,
        /** {@code −Aᵀσ(Az+b)} ({@link ContractiveGradientField}, (3.3)). */
        CONTRACTIVE,
        /** {@code +Aᵀσ(Az+b)} ({@link ExpansiveGradientField}, (3.7)). */
        EXPANSIVE,
        /** Contractive and expansive fields in turn, starting with contractive. */
        ALTERNATING;

        /** Parses {@code general|contractive|expansive|alternating} (any case). */
        public static GradientKind parse(String s) {
            for (GradientKind k : values()) {
                if (k.name().equalsIgnoreCase(s)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("gradient kind: expected general, contractive, expansive or alternating "
                    + "but got '" + s + "'");
        }
    }

    /** Which sphere-preserving field the norm-preserving steps use. */
    public enum SphereKind {
        /** {@code (A(z) − A(z)ᵀ)z}, A strictly upper triangular ({@link TriangularSkewField}, Thm 2.2). */
        TRIANGULAR,
        /** {@code P(z)BᵀΣ(Cz + d)} ({@link ProjectedSphereField}); needs {@code z ≠ 0}. */
        PROJECTED;

        /** Parses {@code triangular|projected} (any case). */
        public static SphereKind parse(String s) {
            for (SphereKind k : values()) {
                if (k.name().equalsIgnoreCase(s)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("sphere kind: expected triangular or projected but got '" + s + "'");
        }
    }

    /**
     * The shape of a {@link FlowApproximator}.
     *
     * @param in          input dimension d ≥ 1
     * @param width       lifted dimension n ≥ 2
     * @param blocks      number L ≥ 1 of (gradient, sphere) step pairs
     * @param hidden      width m of each gradient field (rows of A) and of each sphere field's hidden layer
     * @param initialStep initial value of every learnable step, finite
     * @param gradient    gradient field family
     * @param sphere      sphere-preserving field family
     */
    public record Architecture(int in, int width, int blocks, int hidden, double initialStep, GradientKind gradient,
                               SphereKind sphere) {
        /** Validates sizes and the step. */
        public Architecture {
            positive("in", in, 1);
            positive("width", width, 2);
            positive("blocks", blocks, 1);
            positive("hidden", hidden, 1);
            if (!Double.isFinite(initialStep)) {
                throw new ArithmeticException("FlowApproximator: initialStep expected finite but got " + initialStep);
            }
            if (gradient == null || sphere == null) {
                throw new IllegalArgumentException("FlowApproximator: gradient and sphere kinds expected non-null but got "
                        + gradient + ", " + sphere);
            }
        }

        private static void positive(String name, int v, int min) {
            if (v < min) {
                throw new IllegalArgumentException("FlowApproximator: " + name + " expected ≥ " + min + " but got " + v);
            }
        }

        /** A one-line description for tables. */
        public String describe() {
            return String.format(Locale.ROOT, "lift %d→%d, %d × (%s gradient Euler + %s sphere CayleyHeun), hidden %d",
                    in, width, blocks, gradient.name().toLowerCase(Locale.ROOT), sphere.name().toLowerCase(Locale.ROOT),
                    hidden);
        }
    }

    private final Architecture architecture;
    private final Linear lift;
    private final List<FlowLayer<?>> layers = new ArrayList<>();
    private final List<FlowLayer<? extends SkewField>> sphereLayers = new ArrayList<>();
    private final Linear projection;

    /**
     * @param a    the architecture
     * @param type FLOAT or DOUBLE
     * @param seed seed of every initialisation
     */
    public FlowApproximator(Architecture a, DataType type, long seed) {
        if (a == null) {
            throw new IllegalArgumentException("FlowApproximator: architecture expected non-null but got null");
        }
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("FlowApproximator: type expected FLOAT or DOUBLE but got " + type);
        }
        this.architecture = a;
        SplittableRandom rng = new SplittableRandom(seed);
        Activation sigma = Activation.tanh();
        lift = register("lift", new Linear(a.in(), a.width(), true, type, rng));
        for (int i = 0; i < a.blocks(); i++) {
            GradientField g = gradientField(a, i, sigma, type, rng);
            FlowLayer<?> gradientLayer = gradientLayer(g, a.initialStep(), type);
            layers.add(register("gradient" + i, gradientLayer));
            FlowLayer<? extends SkewField> sphereLayer = a.sphere() == SphereKind.TRIANGULAR
                    ? new FlowLayer<>(new TriangularSkewField(a.width(), a.hidden(), sigma, type, rng), new CayleyHeun(),
                    FlowLayer.stepParameter(a.initialStep(), type), 1)
                    : new FlowLayer<>(new ProjectedSphereField(a.width(), a.hidden(), sigma, type, rng), new CayleyHeun(),
                    FlowLayer.stepParameter(a.initialStep(), type), 1);
            layers.add(register("sphere" + i, sphereLayer));
            sphereLayers.add(sphereLayer);
        }
        projection = register("projection", new Linear(a.width(), 1, true, type, rng));
    }

    private static GradientField gradientField(Architecture a, int i, Activation sigma, DataType type,
                                               SplittableRandom rng) {
        return switch (a.gradient()) {
            case GENERAL -> new GeneralGradientField(a.width(), a.hidden(), sigma, type, rng);
            case CONTRACTIVE -> new ContractiveGradientField(a.width(), a.hidden(), sigma, false, type, rng);
            case EXPANSIVE -> new ExpansiveGradientField(a.width(), a.hidden(), sigma, false, type, rng);
            case ALTERNATING -> i % 2 == 0
                    ? new ContractiveGradientField(a.width(), a.hidden(), sigma, false, type, rng)
                    : new ExpansiveGradientField(a.width(), a.hidden(), sigma, false, type, rng);
        };
    }

    private static FlowLayer<?> gradientLayer(GradientField g, double h, DataType type) {
        return new FlowLayer<>(g, new ExplicitEuler(), FlowLayer.stepParameter(h, type), 1);
    }

    /** The architecture this network was built with. */
    public Architecture architecture() {
        return architecture;
    }

    /** The sphere-preserving layers, in order (each keeps the norm of its input). */
    public List<FlowLayer<? extends SkewField>> sphereLayers() {
        return Collections.unmodifiableList(sphereLayers);
    }

    /** The lifted state after the lift, {@code [batch, n]}. */
    public Tensor lift(Tensor x) {
        return lift.forward(x);
    }

    /**
     * @param x inputs {@code [batch, d]}; not mutated
     * @return {@code N(x)}, {@code [batch, 1]}
     */
    @Override
    public Tensor forward(Tensor x) {
        if (x == null || x.rank() != 2 || x.size(1) != architecture.in()) {
            throw new IllegalArgumentException("FlowApproximator.forward: x expected shape [batch, " + architecture.in()
                    + "] but got " + (x == null ? "null" : java.util.Arrays.toString(x.shape())));
        }
        Tensor z = lift.forward(x);
        for (FlowLayer<?> layer : layers) {
            z = layer.forward(z);
        }
        return projection.forward(z);
    }
}
