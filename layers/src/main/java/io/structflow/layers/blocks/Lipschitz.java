package io.structflow.layers.blocks;

import io.structflow.core.nn.Module;
import io.structflow.core.nn.Sequential;
import io.structflow.layers.LipschitzBounded;
import io.structflow.layers.PairwiseLipschitzBounded;
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
 *
 * <p>For a classifier's logits {@code f}, the certificate needs only the constants of the pairwise
 * differences {@code f_i − f_j} ({@link #pairwiseBounds}).
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

    /**
     * Upper bounds {@code K_ij ≥ Lip(f_i − f_j)} of the pairwise differences of a classifier's
     * outputs. For {@code f = h ∘ g}, h the last layer of a {@link Sequential} (or the model itself),
     * {@code Lip(f_i − f_j) ≤ Lip(h_i − h_j)·Lip(g)}, with {@code Lip(h_i − h_j)} the layer's own
     * constants when it is {@link PairwiseLipschitzBounded}; and always
     * {@code Lip(f_i − f_j) ≤ ‖e_i − e_j‖·Lip(f) = √2·Lip(f)}. Each entry is the smaller of the two
     * (the second alone for any other last layer), the diagonal 0.
     *
     * @param model   a model {@link #bound} accepts, with {@code classes} outputs
     * @param classes number of outputs ≥ 2
     * @return {@code K [classes][classes]}, symmetric when the layer's constants are
     * @throws IllegalArgumentException naming the layer that cannot be bounded, or when the last layer's
     *                                  constants are not {@code classes × classes}
     */
    public static double[][] pairwiseBounds(Module model, int classes) {
        Checks.notNull("Lipschitz.pairwiseBounds", "model", model);
        Checks.atLeast("Lipschitz.pairwiseBounds", "classes", 2, classes);
        double uniform = Math.sqrt(2) * bound(model, "model");
        Module last = model;
        double body = 1;
        if (model instanceof Sequential s && !s.layers().isEmpty()) {
            List<Module> layers = s.layers();
            last = layers.get(layers.size() - 1);
            for (int i = 0; i < layers.size() - 1; i++) {
                body *= bound(layers.get(i), "model." + i);
            }
        }
        double[][] head = last instanceof PairwiseLipschitzBounded p ? p.pairwiseLipschitzBounds() : null;
        if (head != null && (head.length != classes || head[0].length != classes)) {
            throw Checks.bad("Lipschitz.pairwiseBounds", "classes", "the last layer's " + head.length + " outputs",
                    classes);
        }
        double[][] k = new double[classes][classes];
        for (int i = 0; i < classes; i++) {
            for (int j = 0; j < classes; j++) {
                k[i][j] = i == j ? 0 : head == null ? uniform : Math.min(uniform, head[i][j] * body);
            }
        }
        return k;
    }
}
