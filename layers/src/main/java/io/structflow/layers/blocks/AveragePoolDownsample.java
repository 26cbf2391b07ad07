package io.structflow.layers.blocks;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Exportable;
import io.structflow.core.nn.InferenceGraph;
import io.structflow.core.nn.Module;
import io.structflow.layers.LipschitzBounded;

/**
 * Average-pool downsampling between the stages of the convolutional network of [CMOSS] §3.3:
 * <pre>
 *   y[b, c, i, j] = (1/k²) Σ_{0≤u,v<k} x[b, c, ki + u, kj + v]
 * </pre>
 * over non-overlapping {@code k×k} windows. Linear with {@code PPᵀ = I/k²}, so its Lipschitz
 * constant is exactly {@code 1/k}. No parameters; cost: one reshape and one mean.
 */
public final class AveragePoolDownsample extends Module implements LipschitzBounded, Exportable {
    private final int window;

    /** @param window k ≥ 1; height and width of the input must be divisible by k */
    public AveragePoolDownsample(int window) {
        this.window = Checks.atLeast("AveragePoolDownsample", "window", 1, window);
    }

    /** k. */
    public int window() {
        return window;
    }

    /**
     * @param x {@code [batch, C, H, W]} with H and W divisible by k; not mutated
     * @return {@code [batch, C, H/k, W/k]}
     */
    @Override
    public Tensor forward(Tensor x) {
        return x.avgPool2d(window);
    }

    /** {@code 1/k}. */
    @Override
    public double lipschitzBound() {
        return 1.0 / window;
    }

    /** ONNX AveragePool of window and stride {@code k}. */
    @Override
    public InferenceGraph.Value appendTo(InferenceGraph graph, InferenceGraph.Value x) {
        return graph.averagePool(x, window);
    }
}
