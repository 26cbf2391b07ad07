package io.structflow.layers.blocks;

import io.structflow.core.nn.Module;
import io.structflow.core.nn.Sequential;
import io.structflow.layers.LipschitzBounded;
import java.util.List;

/**
 * The Lipschitz upper bound of a whole model from its layers: for a composition
 * {@code Φ = Φ_L ∘ … ∘ Φ_1},
 * <pre>
 *   Lip(Φ) ≤ Π_i Lip(Φ_i)
 * </pre>
 * the quantity the margin certificate {@code margin > √2·ε·Lip} of [CMOSS] (3.1) needs. Every layer
 * must be {@link LipschitzBounded} (nested {@link Sequential}s are multiplied through); a layer that
 * is neither makes the whole bound unknown, and the call fails naming it.
 */
public final class Lipschitz {
    private Lipschitz() {
    }

    /**
     * The product of the layers' bounds.
     *
     * @param model a {@link LipschitzBounded} module, or a {@link Sequential} of such modules (nested)
     * @return an upper bound of the model's Lipschitz constant (Euclidean norm, per sample)
     * @throws IllegalArgumentException naming the first layer (by its dotted path and class) that
     *                                  cannot be bounded
     */
    public static double bound(Module model) {
        Checks.notNull("Lipschitz.bound", "model", model);
        return bound(model, "model");
    }

    private static double bound(Module m, String path) {
        if (m instanceof LipschitzBounded lb) {
            double l = lb.lipschitzBound();
            if (Double.isNaN(l) || l < 0) {
                throw new ArithmeticException("Lipschitz.bound: layer " + path + " (" + m.getClass().getSimpleName()
                        + ") reported the bound " + l);
            }
            return l;
        }
        if (m instanceof Sequential s) {
            double product = 1;
            List<Module> layers = s.layers();
            for (int i = 0; i < layers.size(); i++) {
                product *= bound(layers.get(i), path + "." + i);
            }
            return product;
        }
        throw Checks.bad("Lipschitz.bound", "layer " + path,
                "a LipschitzBounded module or a Sequential of them", m.getClass().getSimpleName()
                        + " (" + m + "), which has no Lipschitz bound");
    }
}
