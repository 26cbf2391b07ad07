package io.structflow.core.train;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.Intermediates;
import io.structflow.core.autodiff.Replay;
import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.Batch;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Forward, loss and backward of a training step, recorded once per batch shape and replayed
 * afterwards ({@link Replay}): a replayed step builds no tensors or graph and allocates no
 * result arrays, which removes most of ND4J's per-call overhead on small networks.
 *
 * <p>The first step of each batch shape runs eagerly and is recorded. The first replay of each
 * recording is validated: the step is also run eagerly and the loss and every gradient must
 * agree (relative 1e-5); if they do not (a loss that reads data on the host), or if the
 * recording reports a host dependency, this step runs eagerly from then on and
 * {@link #isReplaying()} says so. Gradients are written into each parameter's
 * {@link Parameter#grad()}, as {@link Autograd#backward} does. A recording reads and writes the
 * parameters' arrays as they were; when a parameter's storage moves (an optimiser created after
 * the first step gathers the parameters into a flat buffer) the step is recorded again.
 */
public final class CompiledStep {
    private static final double VALIDATION_TOLERANCE = 1e-5;

    private final Module model;
    private final LossFunction loss;
    private final List<Parameter> parameters;
    private final Map<String, Plan> plans = new HashMap<>();
    private boolean eagerOnly;
    private String eagerReason;
    private long recordedStorage = -1;

    private static final class Plan {
        final Replay replay;
        final INDArray x;
        final INDArray y;
        final int[] labels;
        final INDArray lossValue;
        boolean validated;

        Plan(Replay replay, INDArray x, INDArray y, int[] labels, INDArray lossValue) {
            this.replay = replay;
            this.x = x;
            this.y = y;
            this.labels = labels;
            this.lossValue = lossValue;
        }
    }

    /** @param model the trained model; {@code loss} its loss on a batch */
    public CompiledStep(Module model, LossFunction loss) {
        this.model = model;
        this.loss = loss;
        this.parameters = model.parameters();
    }

    /**
     * Zeroes the gradients, then computes the loss of {@code batch} and the gradient of every
     * parameter.
     *
     * @return the loss
     * @throws ArithmeticException if the loss is NaN or infinite (no parameter is changed)
     */
    public double run(Batch batch) {
        model.zeroGrad();
        if (eagerOnly) {
            return eager(batch);
        }
        long storage = storageStamp();
        if (storage != recordedStorage) {
            // a parameter moved (into an optimiser's flat buffer): the recordings read the old arrays
            plans.clear();
            recordedStorage = storage;
        }
        String key = key(batch);
        Plan plan = plans.get(key);
        if (plan == null) {
            return record(batch, key);
        }
        plan.x.assign(batch.x().value());
        if (plan.y != null) {
            plan.y.assign(batch.y().value());
        }
        if (plan.labels != null) {
            System.arraycopy(batch.labels(), 0, plan.labels, 0, plan.labels.length);
        }
        plan.replay.run();
        double value = plan.lossValue.getDouble(0);
        if (!Double.isFinite(value)) {
            throw new ArithmeticException("CompiledStep: loss is " + value + "; stopping before it reaches the parameters");
        }
        if (!plan.validated) {
            validate(batch, value);
            plan.validated = true;
        }
        return value;
    }

    /** True while steps are replayed; false after a recording proved unreplayable. */
    public boolean isReplaying() {
        return !eagerOnly;
    }

    /** Why steps run eagerly, or null. */
    public String eagerReason() {
        return eagerReason;
    }

    private double record(Batch batch, String key) {
        INDArray x = batch.x().value().dup('c');
        INDArray y = batch.y() == null ? null : batch.y().value().dup('c');
        int[] labels = batch.labels() == null ? null : batch.labels().clone();
        Batch owned = new Batch(Tensor.constant(x), y == null ? null : Tensor.constant(y), labels);
        Replay.Recorded<Tensor> r = Replay.record(() -> {
            // arrays freed inside the recorded step (a reversible chain's per-layer work) are reused by
            // later operations of the step, so the recording holds what was live at once (Intermediates)
            try (Intermediates scope = Intermediates.open()) {
                Tensor l = loss.loss(model, owned);
                Autograd.backward(l);
                scope.keep(l);
                return l;
            }
        });
        if (r.replay().isReplayable()) {
            plans.put(key, new Plan(r.replay(), x, y, labels, r.result().value()));
        } else {
            fallBack(r.replay().whyNotReplayable());
        }
        return r.result().value().getDouble(0);
    }

    private void validate(Batch batch, double replayedLoss) {
        INDArray[] replayed = new INDArray[parameters.size()];
        for (int i = 0; i < replayed.length; i++) {
            INDArray g = parameters.get(i).grad();
            replayed[i] = g == null ? null : g.dup();
        }
        model.zeroGrad();
        double eagerLoss = eager(batch);
        String mismatch = null;
        if (Math.abs(eagerLoss - replayedLoss) > VALIDATION_TOLERANCE * Math.max(1, Math.abs(eagerLoss))) {
            mismatch = "loss " + replayedLoss + " replayed vs " + eagerLoss + " eager";
        }
        for (int i = 0; i < replayed.length && mismatch == null; i++) {
            INDArray e = parameters.get(i).grad();
            if ((e == null) != (replayed[i] == null)) {
                mismatch = "gradient presence of parameter " + parameters.get(i).name();
            } else if (e != null) {
                double scale = Math.max(1e-3, e.norm2Number().doubleValue());
                double diff = e.sub(replayed[i]).norm2Number().doubleValue();
                if (diff > VALIDATION_TOLERANCE * scale) {
                    mismatch = "gradient of parameter " + parameters.get(i).name() + " differs by " + diff;
                }
            }
        }
        if (mismatch != null) {
            fallBack("replay disagreed with eager execution (" + mismatch + "); the loss probably reads data on the host");
        }
    }

    private void fallBack(String reason) {
        eagerOnly = true;
        eagerReason = reason;
        plans.clear();
        System.err.println("structflow: CompiledStep runs eagerly: " + reason);
    }

    private double eager(Batch batch) {
        try (Intermediates scope = Intermediates.open()) {
            Tensor l = loss.loss(model, batch);
            Autograd.backward(l);
            return l.value().getDouble(0);
        }
    }

    /** Sum of the parameters' storage versions: changes whenever one of them moves. */
    private long storageStamp() {
        long sum = 0;
        for (Parameter p : parameters) {
            sum += p.storageVersion();
        }
        return sum;
    }

    private static String key(Batch b) {
        return Shapes.str(b.x().shape()) + b.x().dtype()
                + (b.y() == null ? "" : Shapes.str(b.y().shape()) + b.y().dtype())
                + (b.labels() == null ? "" : "labels" + b.labels().length);
    }

    @Override
    public String toString() {
        return "CompiledStep(" + plans.size() + " plans" + (eagerOnly ? ", eager: " + eagerReason : "") + ")"
                + Arrays.toString(plans.keySet().toArray());
    }
}
