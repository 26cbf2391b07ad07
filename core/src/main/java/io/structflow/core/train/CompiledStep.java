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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Forward, loss and backward of a training step, recorded once per batch shape and replayed
 * afterwards ({@link Replay}): a replayed step builds no tensors or graph and allocates no
 * result arrays, which removes most of ND4J's per-call overhead on small networks.
 *
 * <p>The first step of each batch shape runs eagerly and keeps a copy of its batch. The second
 * step first runs that kept batch eagerly again, at the current parameters, as the reference; then
 * it records itself, and the recording is validated by replaying it on the kept batch: the loss
 * and every gradient must agree with the reference (relative 1e-5), after which the second step's
 * own gradients are put back. If they do not agree (a loss that reads data on the host), or if the
 * recording reports a host dependency, steps run eagerly from then on and {@link #isReplaying()}
 * says so. The reference runs before the recording, so its arrays are freed before the recording
 * allocates its own and the native memory of the two is never held at once. Gradients are written
 * into each parameter's {@link Parameter#grad()}, as {@link Autograd#backward} does. A recording
 * reads and writes the parameters' arrays as they were; when a parameter's storage moves (an
 * optimiser created after the first step gathers the parameters into a flat buffer) the step is
 * recorded again (a batch shape once validated is not validated again).
 */
public final class CompiledStep {
    private static final double VALIDATION_TOLERANCE = 1e-5;

    private final Module model;
    private final LossFunction loss;
    private final List<Parameter> parameters;
    private final Map<String, Plan> plans = new HashMap<>();
    private final Map<String, Batch> kept = new HashMap<>();
    private final Set<String> validated = new HashSet<>();
    private boolean eagerOnly;
    private String eagerReason;
    private long recordedStorage = -1;

    private static final class Plan {
        final Replay replay;
        final INDArray x;
        final INDArray y;
        final int[] labels;
        final INDArray lossValue;

        Plan(Replay replay, INDArray x, INDArray y, int[] labels, INDArray lossValue) {
            this.replay = replay;
            this.x = x;
            this.y = y;
            this.labels = labels;
            this.lossValue = lossValue;
        }
    }

    /** An eager step a recording of its batch shape is checked against: its batch, loss and gradients. */
    private record Reference(Batch batch, double loss, INDArray[] gradients) {
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
        if (plan != null) {
            return replay(plan, batch);
        }
        if (validated.contains(key)) {
            return recordReleasingCache(batch, key, null);
        }
        Batch first = kept.remove(key);
        if (first == null) {
            kept.put(key, copy(batch));
            return eager(batch);
        }
        double referenceLoss = eager(first);
        Reference reference = new Reference(first, referenceLoss, gradients());
        model.zeroGrad();
        return recordReleasingCache(batch, key, reference);
    }

    /**
     * {@link #record}, then closes the eager steps' arrays left in the thread's cache
     * ({@link Intermediates}): the recording took what it could use, and replays need none.
     */
    private double recordReleasingCache(Batch batch, String key, Reference reference) {
        try {
            return record(batch, key, reference);
        } finally {
            Intermediates.releaseCache();
        }
    }

    private double replay(Plan plan, Batch batch) {
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

    private double record(Batch batch, String key, Reference reference) {
        Batch owned = copy(batch);
        INDArray x = owned.x().value();
        INDArray y = owned.y() == null ? null : owned.y().value();
        int[] labels = owned.labels();
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
        double value = r.result().value().getDouble(0);
        if (!r.replay().isReplayable()) {
            fallBack(r.replay().whyNotReplayable());
            return value;
        }
        Plan plan = new Plan(r.replay(), x, y, labels, r.result().value());
        plans.put(key, plan);
        if (reference != null) {
            validate(plan, reference);
        }
        validated.add(key);
        return value;
    }

    /**
     * Replays {@code plan} on the reference batch and compares loss and gradients with the eager
     * step's; then restores the gradients of the step just recorded.
     */
    private void validate(Plan plan, Reference reference) {
        INDArray[] own = gradients();
        model.zeroGrad();
        double replayedLoss;
        try {
            replayedLoss = replay(plan, reference.batch());
        } catch (ArithmeticException e) {
            replayedLoss = Double.NaN;
        }
        String mismatch = null;
        if (!(Math.abs(reference.loss() - replayedLoss)
                <= VALIDATION_TOLERANCE * Math.max(1, Math.abs(reference.loss())))) {
            mismatch = "loss " + replayedLoss + " replayed vs " + reference.loss() + " eager";
        }
        for (int i = 0; i < own.length && mismatch == null; i++) {
            INDArray e = reference.gradients()[i];
            INDArray r = parameters.get(i).grad();
            if ((e == null) != (r == null)) {
                mismatch = "gradient presence of parameter " + parameters.get(i).name();
            } else if (e != null) {
                double scale = Math.max(1e-3, e.norm2Number().doubleValue());
                double diff = e.sub(r).norm2Number().doubleValue();
                if (diff > VALIDATION_TOLERANCE * scale) {
                    mismatch = "gradient of parameter " + parameters.get(i).name() + " differs by " + diff;
                }
            }
        }
        for (int i = 0; i < own.length; i++) {
            if (own[i] != null) {
                parameters.get(i).grad().assign(own[i]);
            }
        }
        if (mismatch != null) {
            fallBack("replay disagreed with eager execution (" + mismatch + "); the loss probably reads data on the host");
        }
    }

    /** Copies of the parameters' gradients (null where a parameter has none). */
    private INDArray[] gradients() {
        INDArray[] g = new INDArray[parameters.size()];
        for (int i = 0; i < g.length; i++) {
            INDArray grad = parameters.get(i).grad();
            g[i] = grad == null ? null : grad.dup();
        }
        return g;
    }

    private static Batch copy(Batch b) {
        return new Batch(Tensor.constant(b.x().value().dup('c')),
                b.y() == null ? null : Tensor.constant(b.y().value().dup('c')),
                b.labels() == null ? null : b.labels().clone());
    }

    private void fallBack(String reason) {
        eagerOnly = true;
        eagerReason = reason;
        plans.clear();
        kept.clear();
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
