package io.structflow.constraints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.constraints.project.EulerStepBound;
import io.structflow.constraints.project.SpectralNormBound;
import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Init;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * End to end: a width-4 classifier of gradient-flow layers x ↦ x − h Aᵀσ(Ax + b) ([CMOSS] (3.5))
 * and a linear head, trained by plain SGD with projection after each step, stays 1-Lipschitz
 * when A and the head carry {@code ‖·‖₂ ≤ 1} and h the Euler bound; without the constraints the
 * same training leaves the 1-Lipschitz class.
 */
class LipschitzTrainingTest {
    private static final DataType D = DataType.DOUBLE;
    private static final int LAYERS = 4;

    static final class Classifier extends Module {
        final Parameter[] a = new Parameter[LAYERS];
        final Parameter[] b = new Parameter[LAYERS];
        final Parameter[] h = new Parameter[LAYERS];
        final Parameter head;

        Classifier(long seed, boolean constrained) {
            SplittableRandom rng = new SplittableRandom(seed);
            for (int i = 0; i < LAYERS; i++) {
                a[i] = register("A" + i, Parameter.of("A", Init.orthogonal(D, rng, 4, 4)));
                b[i] = register("b" + i, Parameter.of("b", Tensor.randn(D, rng, 1, 4).mul(0.1)));
                h[i] = register("h" + i, Parameter.of("h", Tensor.of(D, new double[] {1.0}, 1)));
            }
            head = register("head", Parameter.of("W", Init.orthogonal(D, rng, 2, 4)));
            if (constrained) {
                for (int i = 0; i < LAYERS; i++) {
                    a[i].constrain(SpectralNormBound.dense(1.0));
                    h[i].constrain(new EulerStepBound(a[i]));
                }
                head.constrain(SpectralNormBound.dense(1.0));
            }
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor z = x;
            for (int i = 0; i < LAYERS; i++) {
                z = z.sub(z.matmul(a[i], false, true).add(b[i]).relu().matmul(a[i]).mul(h[i]));
            }
            return z.matmul(head, false, true);
        }
    }

    /** Points of the disc lifted to ℝ⁴ by zero padding; label 1 inside radius 1/√2. */
    static Tensor[] data(long seed, int n, int[] labels) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n * 4];
        for (int i = 0; i < n; i++) {
            double r = Math.sqrt(rng.nextDouble());
            double t = 2 * Math.PI * rng.nextDouble();
            x[i * 4] = r * Math.cos(t);
            x[i * 4 + 1] = r * Math.sin(t);
            labels[i] = r < Math.sqrt(0.5) ? 1 : 0;
        }
        return new Tensor[] {Tensor.of(D, x, n, 4)};
    }

    /** max ‖f(x) − f(y)‖/‖x − y‖ over random far pairs and close pairs. */
    private static double empiricalLipschitz(Module f, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = Tensor.randn(D, rng, 400, 4);
        Tensor far = Tensor.randn(D, rng, 200, 4);
        Tensor near = x.slice(0, 200, 400).add(Tensor.randn(D, rng, 200, 4).mul(1e-4));
        Tensor y = Tensor.concat(0, far, near);
        double[] fx;
        double[] fy;
        try (GradMode.Scope s = GradMode.noGrad()) {
            fx = f.forward(x).toDoubleArray();
            fy = f.forward(y).toDoubleArray();
        }
        double[] xv = x.toDoubleArray();
        double[] yv = y.toDoubleArray();
        double worst = 0;
        for (int i = 0; i < 400; i++) {
            double num = Math.hypot(fx[2 * i] - fy[2 * i], fx[2 * i + 1] - fy[2 * i + 1]);
            double den = 0;
            for (int j = 0; j < 4; j++) {
                den += Math.pow(xv[4 * i + j] - yv[4 * i + j], 2);
            }
            worst = Math.max(worst, num / Math.sqrt(den));
        }
        return worst;
    }

    /** Trains with plain SGD; returns the largest empirical Lipschitz ratio seen at the checks. */
    private static double train(Classifier model, int steps, double lr) {
        int[] labels = new int[256];
        Tensor x = data(11, 256, labels)[0];
        double worst = empiricalLipschitz(model, 0);
        double firstLoss = Double.NaN;
        double lastLoss = Double.NaN;
        for (int step = 1; step <= steps; step++) {
            model.zeroGrad();
            Tensor loss = model.forward(x).logSoftmax(1).gather(labels).mean().neg();
            if (step == 1) {
                firstLoss = loss.item();
            }
            lastLoss = loss.item();
            Autograd.backward(loss);
            for (Parameter p : model.parameters()) {
                if (p.grad() != null) {
                    p.updateInPlace(p.value().sub(p.grad().mul(lr)));
                }
                p.projectInPlace();
            }
            if (step % 50 == 0) {
                worst = Math.max(worst, empiricalLipschitz(model, step));
            }
        }
        assertTrue(lastLoss < firstLoss, "training should lower the loss: " + firstLoss + " → " + lastLoss);
        return worst;
    }

    @Test
    void constrainedTraining_staysOneLipschitz_unconstrainedDoesNot() {
        Classifier constrained = new Classifier(5, true);
        double withConstraints = train(constrained, 300, 0.5);
        assertTrue(withConstraints <= 1 + 1e-5, "constrained Lipschitz ratio " + withConstraints);
        assertEquals(0.0, ConstraintReport.of(constrained).maxViolation(), 0.0);

        double withoutConstraints = train(new Classifier(5, false), 300, 0.5);
        assertTrue(withoutConstraints > 1.05, "unconstrained Lipschitz ratio " + withoutConstraints);
    }
}
