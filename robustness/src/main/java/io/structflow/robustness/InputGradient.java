package io.structflow.robustness;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Replay;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The logits {@code f(x)} and the input gradient {@code ∇ₓ ℓ(f(x), y)} of batches of one shape,
 * for the many points x an attack visits. The first call runs eagerly while recording its
 * kernels ({@link Replay}); later calls copy x (and the labels y) into the recorded buffers and
 * replay the kernels, reading logits and gradient from the recorded buffers — no graph is built
 * and no intermediate is allocated (only the copies in and out). The second call is also computed eagerly and compared; a model whose
 * forward pass reads values on the host (so cannot be replayed) or whose replay disagrees is
 * evaluated eagerly from then on. The replay reads the parameters' arrays as they are when it
 * runs, so parameters may be updated in place between calls (and it is recorded again when one's
 * storage moves); the model must stay the same.
 */
final class InputGradient {
    /** Largest relative difference between replayed and eager values that counts as equal. */
    private static final double REPLAY_TOLERANCE = 1e-5;

    private final Module model;
    private final AttackLoss loss;
    private final int[] labels;
    private final long[] shape;
    private final DataType type;
    private INDArray input;
    private Replay replay;
    private Tensor logits;
    private Tensor gradient;
    private boolean eager;
    private int calls;
    private long recordedStorage;

    /** Logits {@code [batch, classes]} and gradient (the input's shape), row-major. */
    record Values(double[] logits, double[] gradient) {
    }

    InputGradient(Module model, AttackLoss loss, long[] shape, DataType type) {
        this.model = model;
        this.loss = loss;
        this.labels = new int[Math.toIntExact(shape[0])];
        this.shape = shape.clone();
        this.type = type;
    }

    /** Whether this serves {@code model} and {@code loss} for inputs of this shape and type. */
    boolean serves(Module m, AttackLoss l, long[] s, DataType t) {
        return m == model && l == loss && t == type && java.util.Arrays.equals(s, shape);
    }

    /**
     * Logits and gradient at {@code point} (row-major, the input's shape) for {@code y}
     * ({@code int[batch]}, copied).
     */
    Values at(double[] point, int[] y) {
        System.arraycopy(y, 0, labels, 0, labels.length);
        calls++;
        if (eager || Replay.isRecording()) {
            return eagerly(point);
        }
        if (replay != null && storageStamp() != recordedStorage) {
            replay = null;   // a parameter moved into a flat buffer: the recording reads its old array
            calls = 1;
        }
        if (replay == null) {
            recordedStorage = storageStamp();
            input = Nd4j.create(point, shape, 'c').castTo(type);
            Replay.Recorded<Tensor[]> recorded = Replay.record(() -> evaluate(Tensor.variable(input)));
            logits = recorded.result()[0];
            gradient = recorded.result()[1];
            replay = recorded.replay();
            eager = !replay.isReplayable();
            return new Values(logits.toDoubleArray(), gradient.toDoubleArray());
        }
        input.assign(Nd4j.create(point, shape, 'c').castTo(type));
        replay.run();
        Values replayed = new Values(logits.value().dup().castTo(DataType.DOUBLE).data().asDouble(),
                gradient.value().dup().castTo(DataType.DOUBLE).data().asDouble());
        if (calls == 2) {
            Values check = eagerly(point);
            if (!close(replayed.gradient(), check.gradient()) || !close(replayed.logits(), check.logits())) {
                eager = true;
                return check;
            }
        }
        return replayed;
    }

    /** Sum of the model's parameters' storage versions: changes whenever one of them moves. */
    private long storageStamp() {
        long sum = 0;
        for (Parameter p : model.parameters()) {
            sum += p.storageVersion();
        }
        return sum;
    }

    /** Whether the values now come from eager evaluation (the recording could not be replayed or disagreed). */
    boolean isEager() {
        return eager;
    }

    private Values eagerly(double[] point) {
        Tensor[] r = evaluate(Tensor.variable(Nd4j.create(point, shape, 'c').castTo(type)));
        return new Values(r[0].toDoubleArray(), r[1].toDoubleArray());
    }

    private Tensor[] evaluate(Tensor x) {
        try (GradMode.Scope scope = GradMode.enableGrad()) {
            Tensor out = model.forward(x);
            Messages.classes("PgdL2.attack", "model output", out, labels.length);
            return new Tensor[] {out, Autograd.grad(loss.objective(out, labels), false, x)[0]};
        }
    }

    private static boolean close(double[] a, double[] b) {
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.abs(b[i]));
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst <= REPLAY_TOLERANCE * Math.max(scale, Double.MIN_NORMAL);
    }
}
