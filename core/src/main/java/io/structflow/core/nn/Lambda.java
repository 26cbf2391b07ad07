package io.structflow.core.nn;

import io.structflow.core.autodiff.Tensor;
import java.util.function.UnaryOperator;

/** A parameter-free module from a function, e.g. {@code new Lambda("tanh", Tensor::tanh)}. */
public final class Lambda extends Module {
    private final String name;
    private final UnaryOperator<Tensor> f;

    /** @param name shown by {@link #toString()}; {@code f} the map applied to each batch */
    public Lambda(String name, UnaryOperator<Tensor> f) {
        this.name = name;
        this.f = f;
    }

    @Override
    public Tensor forward(Tensor x) {
        return f.apply(x);
    }

    @Override
    public String toString() {
        return name;
    }
}
