package io.structflow.core.nn;

import io.structflow.core.autodiff.GradientSink;
import io.structflow.core.autodiff.NativeKernel;
import io.structflow.core.autodiff.Replay;
import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trainable tensor: the one mutable holder of the library. Its storage keeps its identity
 * across optimiser steps and projections (so optimiser state stays valid) and moves only when an
 * optimiser gathers its parameters into one {@link ParameterBuffer}; it accumulates its gradient,
 * and it carries the {@link Constraint}s that keep it where the model's guarantees hold.
 */
public final class Parameter extends Tensor implements GradientSink {
    private final String name;
    private INDArray grad;
    private boolean hasGrad;
    private final List<Constraint> constraints = new ArrayList<>();
    private Parametrization parametrization;
    private ParameterBuffer buffer;
    private int storageVersion;
    private NativeKernel finiteCheck;
    private INDArray finiteCheckSum;

    /**
     * @param name  the parameter's local name (modules prefix it with their path)
     * @param value initial value, owned from now on (float32 or float64)
     */
    public Parameter(String name, INDArray value) {
        super(value, true);
        this.name = name;
    }

    /** A parameter holding a copy of {@code initial}'s value. */
    public static Parameter of(String name, Tensor initial) {
        return new Parameter(name, initial.value().dup('c'));
    }

    /** Local name. */
    public String name() {
        return name;
    }

    /** Accumulated gradient, or {@code null} before the first backward pass or after {@link #zeroGrad()}. */
    public INDArray grad() {
        return hasGrad ? grad : null;
    }

    /**
     * Adds {@code g} to the accumulated gradient. The gradient buffer is allocated once and
     * reused across steps; the accumulation is a {@link Replay}-recorded kernel, so a replayed
     * training step writes this parameter's gradient again.
     */
    @Override
    public void accumulateGrad(INDArray g) {
        if (!java.util.Arrays.equals(g.shape(), shape())) {
            throw new IllegalArgumentException("accumulateGrad: " + name + " expected a gradient of shape "
                    + Shapes.str(shape()) + " but got " + Shapes.str(g.shape()));
        }
        if (grad == null || grad.dataType() != dtype()) {
            grad = Nd4j.createUninitialized(dtype(), shape(), 'c');
        }
        // the first gradient of a step is copied in, later ones added: native kernels of their own,
        // prepared once when replayed (ND4J's assign and addi build an op object per call)
        NativeKernel k = hasGrad ? NativeKernel.of("add") : NativeKernel.of("identity");
        INDArray[] in = hasGrad ? new INDArray[] {grad, g} : new INDArray[] {g};
        Replay.exec((i, o) -> {
            k.run(i, o);
            hasGrad = true;
        }, in, grad);
    }

    /** Forgets the accumulated gradient (the buffer is kept for the next step). */
    public void zeroGrad() {
        hasGrad = false;
    }

    /**
     * Overwrites the value in place with {@code newValue} (same shape), keeping the storage.
     * For optimisers, projections and checkpoint loading.
     */
    public void updateInPlace(INDArray newValue) {
        if (!java.util.Arrays.equals(newValue.shape(), shape())) {
            throw new IllegalArgumentException("updateInPlace: " + name + " expected shape " + Shapes.str(shape())
                    + " but got " + Shapes.str(newValue.shape()));
        }
        value().assign(newValue);
    }

    /**
     * Moves value and gradient into views of {@code owner}'s flat arrays, copying the numbers
     * (the gradient only if one is accumulated).
     */
    void moveTo(ParameterBuffer owner, INDArray valueView, INDArray gradView) {
        valueView.assign(value());
        if (hasGrad) {
            gradView.assign(grad);
        }
        moveStorage(valueView);
        grad = gradView;
        buffer = owner;
        storageVersion++;
    }

    /** The flat buffer this parameter lives in, or null. */
    public ParameterBuffer buffer() {
        return buffer;
    }

    /**
     * How many times the value and gradient arrays were replaced (by moving into a
     * {@link ParameterBuffer}); code that keeps those arrays across calls compares it.
     */
    public int storageVersion() {
        return storageVersion;
    }

    /**
     * Attaches a parametrisation: layers then use {@link #effective()}, {@code p(this)}, in the
     * forward pass, and gradients reach this raw parameter. At most one per parameter.
     *
     * @throws IllegalArgumentException naming this parameter if it is parametrised already
     */
    public Parameter parametrize(Parametrization p) {
        if (p == null || parametrization != null) {
            throw new IllegalArgumentException("Parameter.parametrize: parameter " + name + " expected "
                    + (p == null ? "a parametrisation but got null" : "no parametrisation yet but has "
                    + parametrization.describe()));
        }
        parametrization = p;
        return this;
    }

    /** The attached parametrisation, or null. */
    public Parametrization parametrization() {
        return parametrization;
    }

    /** The weight layers use: {@code p(this)} when parametrised (differentiable), else this parameter. */
    public Tensor effective() {
        return parametrization == null ? this : parametrization.apply(this);
    }

    /**
     * What holds for {@link #effective()}: the parametrisation's guarantees when parametrised (the
     * raw value's constraints say nothing of the result), else {@link #guarantees()}.
     */
    public List<Guarantee> effectiveGuarantees() {
        return parametrization == null ? guarantees() : parametrization.guarantees();
    }

    /** Attaches a constraint (validated now), applied after each optimiser step in attach order. */
    public Parameter constrain(Constraint c) {
        c.validate(this);
        constraints.add(c);
        return this;
    }

    /** Attached constraints in the order they run. */
    public List<Constraint> constraints() {
        return Collections.unmodifiableList(constraints);
    }

    /**
     * What holds for this parameter after {@link #projectInPlace()}: the guarantees of its
     * constraints combined in the order they run. The last constraint's guarantees hold; an
     * earlier guarantee survives only if every later constraint {@link Constraint#preserves
     * preserves} it.
     */
    public List<Guarantee> guarantees() {
        List<Guarantee> known = new ArrayList<>();
        for (Constraint c : constraints) {
            known.removeIf(g -> !c.preserves(g));
            known.addAll(c.guarantees());
        }
        return Collections.unmodifiableList(known);
    }

    /**
     * Whether the current value lies in every attached constraint's set ({@link Constraint#violation}
     * is 0 for each): the condition under which {@link #guarantees()} describe it.
     */
    public boolean insideConstraints() {
        for (Constraint c : constraints) {
            if (c.violation(this) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Applies every attached constraint in order.
     *
     * @throws ArithmeticException if the value holds NaN or ±∞ (a projection cannot repair it)
     */
    public void projectInPlace() {
        if (constraints.isEmpty()) {
            return;
        }
        requireFinite("before projection");
        for (Constraint c : constraints) {
            c.projectInPlace(this);
        }
    }

    /**
     * Throws an {@link ArithmeticException} naming this parameter and the first bad index. One
     * native sum decides the common case: a finite sum means every value is finite (NaN and ±∞
     * propagate through a sum); only a sum that is not finite, which finite values can also give
     * by overflow, is followed by a scan of the values.
     */
    public void requireFinite(String when) {
        INDArray v = value();
        if (finiteCheckSum == null || finiteCheckSum.dataType() != v.dataType()) {
            finiteCheck = NativeKernel.of("reduce_sum");
            finiteCheckSum = Nd4j.scalar(v.dataType(), 0.0);
        }
        finiteCheck.run(new INDArray[] {v}, new INDArray[] {finiteCheckSum});
        if (!Double.isFinite(finiteCheckSum.getDouble(0))) {
            double[] d = v.dup('c').castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble();
            for (int i = 0; i < d.length; i++) {
                if (!Double.isFinite(d[i])) {
                    throw new ArithmeticException("parameter " + name + " holds " + d[i] + " at flat index " + i
                            + " " + when);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "Parameter " + name + Shapes.str(shape()) + " " + dtype();
    }
}
