package io.structflow.constraints.project;

import io.structflow.constraints.internal.StoredValues;
import java.util.function.DoubleUnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The planar set {@code {(t, s) : tLo ≤ t ≤ tHi, 0 ≤ s ≤ ψ(t)}} under a continuous curve ψ ≥ 0,
 * and the Euclidean nearest point of it to a point outside. The boundary is the bottom segment
 * s = 0, the two vertical sides and the curve; the nearest point is the closest of the
 * projections onto each piece, the curve's found by sampling {@value #SAMPLES} points and refining
 * the best one by golden-section search (so it is a global minimiser even when the set is not
 * convex, to the sampling's resolution of the curve's local minima).
 */
final class Hypograph {
    static final int SAMPLES = 2048;
    private static final int GOLDEN_STEPS = 120;
    private static final int MAX_NUDGES = 4096;

    private final double tLo;
    private final double tHi;
    private final DoubleUnaryOperator psi;

    Hypograph(double tLo, double tHi, DoubleUnaryOperator psi) {
        this.tLo = tLo;
        this.tHi = tHi;
        this.psi = psi;
    }

    /** The nearest point of the set to (x, y), in double precision. */
    double[] nearest(double x, double y) {
        double[] best = {Math.min(Math.max(x, tLo), tHi), 0};
        best = closer(x, y, best, new double[] {tLo, Math.min(Math.max(y, 0), psi.applyAsDouble(tLo))});
        best = closer(x, y, best, new double[] {tHi, Math.min(Math.max(y, 0), psi.applyAsDouble(tHi))});
        double dt = (tHi - tLo) / (SAMPLES - 1);
        int bestIndex = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int i = 0; i < SAMPLES; i++) {
            double d = curveDistance(tLo + i * dt, x, y);
            if (d < bestDistance) {
                bestDistance = d;
                bestIndex = i;
            }
        }
        double lo = Math.max(tLo, tLo + (bestIndex - 1) * dt);
        double hi = Math.min(tHi, tLo + (bestIndex + 1) * dt);
        double g = (Math.sqrt(5) - 1) / 2;
        double c = hi - g * (hi - lo);
        double d = lo + g * (hi - lo);
        double fc = curveDistance(c, x, y);
        double fd = curveDistance(d, x, y);
        for (int k = 0; k < GOLDEN_STEPS && hi - lo > 0; k++) {
            if (fc <= fd) {
                hi = d;
                d = c;
                fd = fc;
                c = hi - g * (hi - lo);
                fc = curveDistance(c, x, y);
            } else {
                lo = c;
                c = d;
                fc = fd;
                d = lo + g * (hi - lo);
                fd = curveDistance(d, x, y);
            }
        }
        double t = fc <= fd ? c : d;
        double sampled = tLo + bestIndex * dt;
        if (curveDistance(sampled, x, y) < curveDistance(t, x, y)) {
            t = sampled;
        }
        return closer(x, y, best, new double[] {t, psi.applyAsDouble(t)});
    }

    /**
     * {@link #nearest} rounded into {@code type} and moved inward by units in the last place until
     * {@code contains} accepts the stored values: first s down towards 0, then t towards the
     * middle of [tLo, tHi], by steps that double from one unit in the last place (so the move
     * stays at the scale of the round-off it repairs).
     */
    double[] storedNearest(double x, double y, DataType type, StepPairs.PairTest contains) {
        double[] p = nearest(x, y);
        double t = Math.min(Math.max(StoredValues.round(p[0], type), StoredValues.atLeast(tLo, type)),
                StoredValues.atMost(tHi, type));
        double s = Math.max(StoredValues.round(p[1], type), 0);
        double middle = (tLo + tHi) / 2;
        double ds = 0;
        double dt = 0;
        for (int k = 0; k < MAX_NUDGES; k++) {
            if (contains.test(t, s)) {
                return new double[] {t, s};
            }
            if (s > 0) {
                ds = Math.max(2 * ds, s - StoredValues.nextDown(s, type));
                s = Math.max(0, StoredValues.round(s - ds, type));
            } else {
                dt = Math.max(2 * dt, Math.abs(t - StoredValues.nextDown(t, type)));
                t = StoredValues.round(t > middle ? Math.max(middle, t - dt) : Math.min(middle, t + dt), type);
            }
        }
        throw new IllegalStateException("step region: could not round the projection (" + p[0] + ", " + p[1]
                + ") of (" + x + ", " + y + ") into " + type + " inside the set");
    }

    private double curveDistance(double t, double x, double y) {
        double dy = psi.applyAsDouble(t) - y;
        return (t - x) * (t - x) + dy * dy;
    }

    private static double[] closer(double x, double y, double[] a, double[] b) {
        double da = (a[0] - x) * (a[0] - x) + (a[1] - y) * (a[1] - y);
        double db = (b[0] - x) * (b[0] - x) + (b[1] - y) * (b[1] - y);
        return db < da ? b : a;
    }
}
