package io.structflow.integrators.lie;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.SkewField;
import io.structflow.integrators.Structure;
import io.structflow.integrators.internal.Checks;
import io.structflow.core.autodiff.LinearSolve;
import java.util.EnumSet;
import java.util.Set;

/**
 * An explicit norm-preserving Heun method for sphere-preserving fields {@code f(x) = S(x)x}
 * ({@link SkewField}): the commutator-free Lie-group Heun method with the Cayley map,
 * <pre>
 *   S₁ = S(x),   x̃ = cay(h S₁) x,   S₂ = S(x̃),   y = cay(h (S₁ + S₂)/2) x,
 *   cay(A) = (I − A/2)⁻¹ (I + A/2)
 * </pre>
 * Since {@code cay} maps skew matrices to orthogonal ones, {@code ‖y‖ = ‖x‖} up to round-off for
 * every step size ({@link Structure#NORM_PRESERVING}). Order 2: {@code cay(A) = I + A + A²/2 + O(A³)}
 * matches the exponential to second order, and {@code (S₁ + S₂)/2 = S + (h/2) S'[Sx] + O(h²)}
 * reproduces the second Taylor term of the exact flow. It needs no nonlinear solve, only a
 * linear {@code n × n} solve per sample and stage (cost: two evaluations of {@code S},
 * {@code O(batch·n³)}).
 *
 * <p>This is the method the library uses where [CMOSS] App. A uses the explicit norm-preserving
 * modified Euler–Heun method of Calvo et al. (2006): both are explicit, second order and keep
 * {@code ‖x‖}; this one keeps it by construction through the orthogonal Cayley factor rather
 * than by modifying the Runge–Kutta update. References: E. Celledoni, A. Marthinsen, B. Owren,
 * <i>Commutator-free Lie group methods</i>, FGCS 19 (2003), doi:10.1016/S0167-739X(02)00161-9;
 * A. Iserles, H. Munthe-Kaas, S. Nørsett, A. Zanna, <i>Lie-group methods</i>, Acta Numerica 9
 * (2000), doi:10.1017/S0962492900002154.
 */
public final class CayleyHeun implements Integrator<SkewField> {
    @Override
    public Tensor step(SkewField field, Tensor x, Tensor h) {
        Tensor step = Checks.step(name(), x, h);
        Checks.requireRank(name(), "x", x, 2);
        if (field == null) {
            throw new IllegalArgumentException(name() + ": field expected a SkewField but got null");
        }
        Tensor s1 = skew(field, x);
        Tensor predictor = cayley(s1.mul(step), x);
        Tensor s2 = skew(field, predictor);
        return cayley(s1.add(s2).mul(step.mul(0.5)), x);
    }

    /** {@code S(x)}, checked for shape and skew-symmetry. */
    private Tensor skew(SkewField field, Tensor x) {
        long batch = x.size(0);
        long n = x.size(1);
        Tensor s = field.skew(x);
        if (s == null) {
            throw new IllegalArgumentException(name() + ": field skew(x) expected shape [" + batch + ", " + n + ", "
                    + n + "] but got null");
        }
        Checks.requireShape(name(), "field skew(x)", s, batch, n, n);
        double asymmetry = s.value().add(s.value().permute(0, 2, 1)).amaxNumber().doubleValue();
        double size = s.value().amaxNumber().doubleValue();
        if (!(asymmetry <= 1e-6 * Math.max(size, Double.MIN_NORMAL))) {
            throw new IllegalArgumentException(name() + ": field skew(x) expected skew-symmetric matrices "
                    + "(S = −Sᵀ) but max|S + Sᵀ| = " + asymmetry + " with max|S| = " + size);
        }
        return s;
    }

    /** {@code cay(A) x = (I − A/2)⁻¹ (x + A x/2)} per sample. */
    private static Tensor cayley(Tensor a, Tensor x) {
        long batch = x.size(0);
        long n = x.size(1);
        Tensor column = x.reshape(batch, n, 1);
        Tensor half = a.mul(0.5);
        Tensor identity = Tensor.constant(org.nd4j.linalg.factory.Nd4j.eye(n).castTo(x.dtype())).reshape(1, n, n);
        Tensor rhs = column.add(half.matmul(column));
        return LinearSolve.solve(identity.sub(half), rhs).reshape(batch, n);
    }

    @Override
    public int order() {
        return 2;
    }

    @Override
    public Set<Structure> structure() {
        return EnumSet.of(Structure.NORM_PRESERVING);
    }
}
