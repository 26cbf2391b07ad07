package io.structflow.robustness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Lambda;
import io.structflow.core.nn.Linear;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Sequential;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Replayed logits and input gradients against a fresh eager evaluation at every point and labelling. */
class InputGradientTest {
    private static final DataType D = DataType.DOUBLE;
    private static final int[] LABELS = {0, 2, 1, 2};

    private static double[] randomPoint(SplittableRandom rng) {
        double[] p = new double[4 * 5];
        for (int i = 0; i < p.length; i++) {
            p[i] = rng.nextGaussian();
        }
        return p;
    }

    private static InputGradient.Values eager(Module model, AttackLoss loss, double[] point, int[] labels) {
        Tensor x = Tensor.variable(Nd4j.create(point, new long[] {4, 5}, 'c').castTo(D));
        try (GradMode.Scope s = GradMode.enableGrad()) {
            Tensor logits = model.forward(x);
            return new InputGradient.Values(logits.toDoubleArray(),
                    Autograd.grad(loss.objective(logits, labels), false, x)[0].toDoubleArray());
        }
    }

    @Test
    void replayedValues_equalEagerOnes_atEveryVisitedPoint() {
        SplittableRandom rng = new SplittableRandom(3);
        Module model = new Sequential(new Linear(5, 7, true, D, rng), new Lambda("tanh", Tensor::tanh),
                new Linear(7, 3, true, D, rng));
        for (AttackLoss loss : AttackLoss.values()) {
            InputGradient objective = new InputGradient(model, loss, new long[] {4, 5}, D);
            for (int k = 0; k < 5; k++) {
                double[] point = randomPoint(rng);
                int[] y = {rng.nextInt(3), rng.nextInt(3), rng.nextInt(3), rng.nextInt(3)};
                InputGradient.Values got = objective.at(point, y);
                InputGradient.Values want = eager(model, loss, point, y);
                assertArrayEquals(want.logits(), got.logits(), 1e-12, loss + " logits at point " + k);
                assertArrayEquals(want.gradient(), got.gradient(), 1e-12, loss + " gradient at point " + k);
            }
            assertFalse(objective.isEager(), loss + ": a plain network replays");
        }
    }

    @Test
    void modelThatReadsOnTheHost_isEvaluatedEagerly_withCorrectValues() {
        SplittableRandom rng = new SplittableRandom(4);
        Linear linear = new Linear(5, 3, true, D, rng);
        // scales by a value read on the host: a replay would keep the first point's scale
        Module model = new Sequential(linear, new Lambda("host scale", t -> t.mul(1 + Math.abs(t.sum().item()))));
        InputGradient objective = new InputGradient(model, AttackLoss.CROSS_ENTROPY, new long[] {4, 5}, D);
        for (int k = 0; k < 3; k++) {
            double[] point = randomPoint(rng);
            InputGradient.Values got = objective.at(point, LABELS);
            InputGradient.Values want = eager(model, AttackLoss.CROSS_ENTROPY, point, LABELS);
            assertArrayEquals(want.logits(), got.logits(), 1e-12, "logits at point " + k);
            assertArrayEquals(want.gradient(), got.gradient(), 1e-12, "gradient at point " + k);
        }
        assertTrue(objective.isEager(), "a host read makes the recording unreplayable");
    }
}
