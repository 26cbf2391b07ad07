package io.structflow.layers.blocks;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Parameter;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The SympNet linear module (Jin et al. 2020; [CMOSS] §4.1), one symmetric shear plus a shift:
 * <pre>
 *   UP:   p ← p + S q + c        LOW:   q ← q + S p + c,        S = A + Aᵀ
 * </pre>
 * with {@code A [d, d]}, {@code c [d]}. S is symmetric by construction (the shift is the gradient
 * of {@code ½uᵀSu + cᵀu}), so the module is exactly symplectic for every A; alternating UP and LOW
 * linear modules give the LA-SympNets' linear layers. Cost: one {@code [batch, d]×[d, d]}
 * product. Initialisation: A ~ N(0, 0.01/d), c = 0.
 */
public final class LinearModule extends SympNetModule {
    private final Parameter a;
    private final Parameter c;

    /**
     * @param dimension d ≥ 1
     * @param half      the half moved
     */
    public LinearModule(int dimension, Half half, long seed, DataType type) {
        super(dimension, half);
        SplittableRandom rng = new SplittableRandom(seed);
        a = register("A", Parameter.of("A", Tensor.randn(type, rng, dimension, dimension).mul(0.1 / Math.sqrt(dimension))));
        c = register("c", Parameter.of("c", Tensor.zeros(type, dimension)));
    }

    /** A, {@code [d, d]} (S = A + Aᵀ). */
    public Parameter a() {
        return a;
    }

    /** c, {@code [d]}. */
    public Parameter c() {
        return c;
    }

    @Override
    protected Tensor shift(Tensor u) {
        return u.matmul(a.add(a.transpose()), false, false).add(c);
    }
}
