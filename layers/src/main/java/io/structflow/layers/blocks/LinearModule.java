package io.structflow.layers.blocks;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.GivenWeights;
import io.structflow.core.nn.InferenceGraph;
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
        this(half, Tensor.randn(type, new SplittableRandom(seed),
                        Checks.atLeast("LinearModule", "dimension", 1, dimension), dimension)
                        .mul(0.1 / Math.sqrt(dimension)), Tensor.zeros(type, dimension));
    }

    /** Copies the tensors, already checked, into parameters. */
    private LinearModule(Half half, Tensor A, Tensor c) {
        super((int) A.size(0), half);
        a = register("A", Parameter.of("A", A));
        this.c = register("c", Parameter.of("c", c));
    }

    /**
     * The module with the given weights, copied into the parameters of the same names.
     *
     * @param half the half moved
     * @param A    {@code [d, d]} (S = A + Aᵀ)
     * @param c    {@code [d]}
     * @throws IllegalArgumentException naming the argument whose shape or element type is wrong
     */
    public static LinearModule fromWeights(Half half, Tensor A, Tensor c) {
        GivenWeights given = new GivenWeights("LinearModule.fromWeights");
        given.require("A", A, "d", "d");
        given.require("c", c, "d");
        return new LinearModule(half, A, c);
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

    /** {@code u(A + Aᵀ) + c} as MatMul and Add, with the symmetric matrix as a constant. */
    @Override
    protected InferenceGraph.Value appendShift(InferenceGraph graph, InferenceGraph.Value u) {
        var s = a.value().add(a.value().transpose());
        return graph.addConstant(graph.matmul(u, s), c.value());
    }
}
