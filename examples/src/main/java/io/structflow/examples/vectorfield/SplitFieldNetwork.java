package io.structflow.examples.vectorfield;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Module;
import io.structflow.integrators.SplitField;
import io.structflow.integrators.discretegradient.Gonzalez;
import io.structflow.integrators.lie.CayleyHeun;
import io.structflow.layers.fields.GeneralGradientField;
import io.structflow.layers.fields.TriangularSkewField;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A vector field {@code X_θ = X_S + X_G} learned as the sum of a sphere-preserving part and a
 * gradient part ([CMOSS] App. A; Thm 2.2's two families):
 * <pre>
 *   X_S(x) = (A(x) − A(x)ᵀ) x       ({@link TriangularSkewField}),
 *   X_G(x) = ∇V(x) = Wᵀdiag(α)σ(Wx + b),   V = αᵀΓ(Wx + b)   ({@link GeneralGradientField})
 * </pre>
 * Every smooth field splits this way: with {@code U(x) = ∫₀¹ X(tx)·x dt} one has
 * {@code x·∇U = x·X}, so {@code X − ∇U} is tangent to the spheres and equals {@code S(x)x} with
 * {@code S = (wxᵀ − xwᵀ)/‖x‖²}, {@code w = X − ∇U}.
 *
 * <p>One step of the model is a composition of structure-preserving steps of the two parts:
 * {@code Ψ_S} the explicit norm-preserving {@link CayleyHeun} step of X_S and {@code Ψ_G} the
 * {@link Gonzalez} discrete gradient step of X_G (implicit, {@code V(y) − V(z) = h‖∇̄V‖²}):
 * <pre>
 *   Lie–Trotter:  y = Ψ_G^h ∘ Ψ_S^h (x)                                   (first order)
 *   symmetric:    y = (Ψ_S^{−h/2})⁻¹ ∘ Ψ_G^h ∘ Ψ_S^{h/2} (x)             (second order)
 * </pre>
 * On a trajectory pair {@code (x, y)} both ends of the discrete gradient step are explicit:
 * {@code z = Ψ_S^h(x)} (or {@code Ψ_S^{h/2}(x)}) and {@code y} (or {@code w = Ψ_S^{−h/2}(y)}), so
 * the defect {@link Gonzalez#residual} {@code r = w − z − h∇̄V(z, w)} is a training loss that needs
 * no nonlinear solve. Cost per sample and step: two n×n solves per CayleyHeun step, two energies
 * and one gradient of V.
 */
public final class SplitFieldNetwork extends Module implements SplitField<TriangularSkewField, GeneralGradientField> {
    /** How the two parts' steps are composed. */
    public enum Composition {
        /** {@code Ψ_G^h ∘ Ψ_S^h}, the composition of [CMOSS] App. A; first order. */
        LIE_TROTTER,
        /** {@code (Ψ_S^{−h/2})⁻¹ ∘ Ψ_G^h ∘ Ψ_S^{h/2}}; second order (Strang with the adjoint CayleyHeun). */
        SYMMETRIC;

        /** Parses {@code lie-trotter|symmetric} (any case, '-' or '_'). */
        public static Composition parse(String s) {
            for (Composition c : values()) {
                if (c.name().replace('_', '-').equalsIgnoreCase(s.replace('_', '-'))) {
                    return c;
                }
            }
            throw new IllegalArgumentException("composition: expected lie-trotter or symmetric but got '" + s + "'");
        }

        /** {@code lie-trotter} or {@code symmetric}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final int n;
    private final TriangularSkewField sphere;
    private final GeneralGradientField gradient;
    private final Composition composition;
    private final CayleyHeun cayleyHeun = new CayleyHeun();
    private final Gonzalez gonzalez = new Gonzalez();

    /**
     * @param n           state dimension ≥ 2
     * @param hidden      hidden width of both parts
     * @param composition how the steps are composed
     * @param type        FLOAT or DOUBLE
     * @param seed        seed of the initialisation
     */
    public SplitFieldNetwork(int n, int hidden, Composition composition, DataType type, long seed) {
        if (composition == null) {
            throw new IllegalArgumentException("SplitFieldNetwork: composition expected non-null but got null");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        this.n = n;
        this.sphere = register("sphere", new TriangularSkewField(n, hidden, Activation.tanh(), type, rng));
        this.gradient = register("gradient", new GeneralGradientField(n, hidden, Activation.tanh(), type, rng));
        this.composition = composition;
    }

    /** The sphere-preserving part X_S. */
    @Override
    public TriangularSkewField first() {
        return sphere;
    }

    /** The gradient part X_G. */
    @Override
    public GeneralGradientField second() {
        return gradient;
    }

    /** The composition used by {@link #residual}. */
    public Composition composition() {
        return composition;
    }

    /** The norm-preserving step {@code Ψ_S^h(x)} of the sphere-preserving part. */
    public Tensor sphereStep(Tensor x, Tensor h) {
        return cayleyHeun.step(sphere, x, h);
    }

    /**
     * The discrete gradient defect of a trajectory pair, see the class documentation.
     *
     * @param x start states {@code [batch, n]}
     * @param y end states {@code [batch, n]} after time h
     * @param h the step, one element of x's type
     * @return {@code r}, {@code [batch, n]}; zero when the model's step maps x to y exactly
     */
    public Tensor residual(Tensor x, Tensor y, Tensor h) {
        if (x == null || y == null || x.rank() != 2 || x.size(1) != n || !java.util.Arrays.equals(x.shape(), y.shape())) {
            throw new IllegalArgumentException("SplitFieldNetwork.residual: x and y expected equal shapes [batch, " + n
                    + "] but got " + (x == null ? "null" : java.util.Arrays.toString(x.shape())) + " and "
                    + (y == null ? "null" : java.util.Arrays.toString(y.shape())));
        }
        if (composition == Composition.LIE_TROTTER) {
            return gonzalez.residual(gradient, sphereStep(x, h), y, h);
        }
        Tensor half = h.mul(0.5);
        return gonzalez.residual(gradient, sphereStep(x, half), sphereStep(y, half.neg()), h);
    }

    /**
     * The training loss of a batch of pairs: {@code mean_b ‖r_b‖² / h²}, the squared defect in
     * units of the field.
     */
    public Tensor loss(Tensor x, Tensor y, double h) {
        if (!(h > 0) || !Double.isFinite(h)) {
            throw new IllegalArgumentException("SplitFieldNetwork.loss: h expected finite and > 0 but got " + h);
        }
        Tensor r = residual(x, y, Tensor.scalar(h, x.dtype()));
        return r.square().sum(false, 1).mean().mul(1.0 / (h * h));
    }

    /** {@code X_S(x) + X_G(x)}, {@code [batch, n]}. */
    @Override
    public Tensor forward(Tensor x) {
        return apply(x);
    }
}
