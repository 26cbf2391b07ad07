package io.structflow.integrators;

import io.structflow.core.autodiff.Tensor;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Fields, reference solutions and helpers shared by the integrator tests (float64). */
public final class TestFields {
    public static final DataType D = DataType.DOUBLE;

    private TestFields() {
    }

    public static Tensor randn(long seed, long... shape) {
        return Tensor.randn(D, new SplittableRandom(seed), shape);
    }

    public static Tensor scalar(double v) {
        return Tensor.scalar(v, D);
    }

    public static Tensor of(double[] data, long... shape) {
        return Tensor.of(D, data, shape);
    }

    /** sin as a test-only primitive (the core has no trigonometric ops); derivatives of any order. */
    public static Tensor sin(Tensor x) {
        return Tensor.fromOp("sin", Transforms.sin(x.value(), true), g -> new Tensor[] {g.mul(cos(x))}, x);
    }

    /** cos as a test-only primitive. */
    public static Tensor cos(Tensor x) {
        return Tensor.fromOp("cos", Transforms.cos(x.value(), true), g -> new Tensor[] {g.mul(sin(x)).neg()}, x);
    }

    /** The pendulum H = p²/2 − cos q (d = 1 or more), with closed-form derivatives. */
    public static SeparableHamiltonian pendulum() {
        return new SeparableHamiltonian() {
            @Override
            public Tensor kinetic(Tensor p) {
                return p.square().sum(false, 1).mul(0.5);
            }

            @Override
            public Tensor potential(Tensor q) {
                return cos(q).sum(false, 1).neg();
            }

            @Override
            public Tensor dKdp(Tensor p) {
                return p;
            }

            @Override
            public Tensor dUdq(Tensor q) {
                return sin(q);
            }
        };
    }

    /** The harmonic oscillator H = (p² + q²)/2 with closed-form derivatives. */
    public static SeparableHamiltonian harmonic() {
        return new SeparableHamiltonian() {
            @Override
            public Tensor kinetic(Tensor p) {
                return p.square().sum(false, 1).mul(0.5);
            }

            @Override
            public Tensor potential(Tensor q) {
                return q.square().sum(false, 1).mul(0.5);
            }

            @Override
            public Tensor dKdp(Tensor p) {
                return p;
            }

            @Override
            public Tensor dUdq(Tensor q) {
                return q;
            }
        };
    }

    /** The pendulum split into its drift (p, 0) and kick (0, −sin q). */
    public static SplitField<VectorField, VectorField> splitPendulum() {
        VectorField drift = x -> Tensor.concat(1, x.slice(1, 1, 2), x.slice(1, 1, 2).mul(0.0));
        VectorField kick = x -> Tensor.concat(1, x.slice(1, 0, 1).mul(0.0), sin(x.slice(1, 0, 1)).neg());
        return SplitField.of(drift, kick);
    }

    /** The pendulum's state at time t from (q0, p0), by classical RK4 in plain Java with 20000 steps. */
    public static double[] pendulumReference(double q0, double p0, double t) {
        int steps = 20000;
        double h = t / steps;
        double q = q0;
        double p = p0;
        for (int k = 0; k < steps; k++) {
            double k1q = p;
            double k1p = -Math.sin(q);
            double k2q = p + h / 2 * k1p;
            double k2p = -Math.sin(q + h / 2 * k1q);
            double k3q = p + h / 2 * k2p;
            double k3p = -Math.sin(q + h / 2 * k2q);
            double k4q = p + h * k3p;
            double k4p = -Math.sin(q + h * k3q);
            q += h / 6 * (k1q + 2 * k2q + 2 * k3q + k4q);
            p += h / 6 * (k1p + 2 * k2p + 2 * k3p + k4p);
        }
        return new double[] {q, p};
    }

    /** A small MLP field f(x) = tanh(x W₁ + b₁) W₂ built from the given parameter tensors. */
    public static VectorField mlp(Tensor w1, Tensor b1, Tensor w2) {
        return x -> x.matmul(w1).add(b1).tanh().matmul(w2);
    }

    /** The free rigid body ẋ = x × (I⁻¹x) = S(x)x with S(x) = −hat(I⁻¹x), inertia (1, 2, 3). */
    public static SkewField rigidBody() {
        Tensor inverseInertia = of(new double[] {1.0, 0.5, 1.0 / 3}, 1, 3);
        return x -> hat(x.mul(inverseInertia)).neg();
    }

    /** hat(w) v = w × v, for w [batch, 3]: [batch, 3, 3]. */
    public static Tensor hat(Tensor w) {
        long b = w.size(0);
        Tensor w1 = w.slice(1, 0, 1);
        Tensor w2 = w.slice(1, 1, 2);
        Tensor w3 = w.slice(1, 2, 3);
        Tensor zero = w1.mul(0.0);
        return Tensor.concat(1, zero, w3.neg(), w2, w3, zero, w1.neg(), w2.neg(), w1, zero).reshape(b, 3, 3);
    }

    /** Rigid-body reference by plain-Java RK4 with 20000 steps. */
    public static double[] rigidBodyReference(double[] x0, double t) {
        int steps = 20000;
        double h = t / steps;
        double[] x = x0.clone();
        for (int k = 0; k < steps; k++) {
            double[] k1 = rigid(x);
            double[] k2 = rigid(axpy(x, h / 2, k1));
            double[] k3 = rigid(axpy(x, h / 2, k2));
            double[] k4 = rigid(axpy(x, h, k3));
            for (int i = 0; i < 3; i++) {
                x[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
            }
        }
        return x;
    }

    private static double[] rigid(double[] x) {
        double[] w = {x[0], x[1] / 2, x[2] / 3};
        return new double[] {x[1] * w[2] - x[2] * w[1], x[2] * w[0] - x[0] * w[2], x[0] * w[1] - x[1] * w[0]};
    }

    private static double[] axpy(double[] x, double a, double[] y) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] + a * y[i];
        }
        return out;
    }

    /** Least-squares slope of log(error) against log(h), ignoring errors below the round-off floor. */
    public static double fittedOrder(double[] h, double[] error, double floor) {
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        int m = 0;
        for (int i = 0; i < h.length; i++) {
            if (error[i] > floor) {
                double lx = Math.log(h[i]);
                double ly = Math.log(error[i]);
                sx += lx;
                sy += ly;
                sxx += lx * lx;
                sxy += lx * ly;
                m++;
            }
        }
        if (m < 3) {
            throw new AssertionError("fewer than 3 errors above the round-off floor " + floor);
        }
        return (m * sxy - sx * sy) / (m * sxx - sx * sx);
    }

    public static double maxAbsDiff(Tensor a, double[] b) {
        double[] av = a.toDoubleArray();
        double m = 0;
        for (int i = 0; i < av.length; i++) {
            m = Math.max(m, Math.abs(av[i] - b[i]));
        }
        return m;
    }
}
