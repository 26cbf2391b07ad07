package io.structflow.constraints.project;

import io.structflow.constraints.internal.Messages;
import io.structflow.constraints.internal.StoredValues;
import io.structflow.core.nn.Parameter;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The layout shared by the two-step constraints: a parameter of shape {@code [2]} or
 * {@code [pairs, 2]} whose last axis holds (h₁, h₂), the contractive and the expansive step of
 * one layer pair; each pair is checked and projected on its own.
 */
final class StepPairs {
    private StepPairs() {
    }

    /** Membership of one pair. */
    @FunctionalInterface
    interface PairTest {
        boolean test(double h1, double h2);
    }

    /** A closed set of pairs with a projection whose stored result it contains. */
    interface PairSet {
        boolean contains(double h1, double h2);

        /** A nearest point of the set, rounded into {@code type} and inside the set. */
        double[] storedProjection(double h1, double h2, DataType type);
    }

    static void validate(String where, Parameter p) {
        if (p.rank() < 1 || p.rank() > 2 || p.size(-1) != 2) {
            throw Messages.badShape(where, p, "shape [2] or [pairs, 2] holding (h₁, h₂) along the last axis");
        }
    }

    /** Largest distance from a pair to its projection (0 when every pair is inside). */
    static double violation(PairSet set, Parameter p) {
        double[] h = StoredValues.read(p);
        double worst = 0;
        for (int i = 0; i < h.length; i += 2) {
            if (!set.contains(h[i], h[i + 1])) {
                double[] q = set.storedProjection(h[i], h[i + 1], p.dtype());
                worst = Math.max(worst, Math.hypot(q[0] - h[i], q[1] - h[i + 1]));
            }
        }
        return worst;
    }

    /** Replaces every pair outside the set by its projection; writes only if something moved. */
    static void projectInPlace(PairSet set, Parameter p) {
        double[] h = StoredValues.read(p);
        boolean moved = false;
        for (int i = 0; i < h.length; i += 2) {
            if (!set.contains(h[i], h[i + 1])) {
                double[] q = set.storedProjection(h[i], h[i + 1], p.dtype());
                h[i] = q[0];
                h[i + 1] = q[1];
                moved = true;
            }
        }
        if (moved) {
            StoredValues.write(p, h);
        }
    }
}
