package io.structflow.core.data;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded two-dimensional binary classification problems, the planar experiments of [CMOSS]
 * §1.1 (Fig. 1, Table 1). Every generator returns {@code n} points as features {@code [n, 2]}
 * with labels in {0, 1}, alternating 0, 1, 0, … by example index, and adds isotropic Gaussian
 * noise of standard deviation {@code noise} to the coordinates (after labelling).
 */
public final class PlanarData {
    /** Radius of the inner disc of {@link #disc}: 1/√2, so that both classes have half the area. */
    public static final double DISC_RADIUS = 1 / Math.sqrt(2);

    private PlanarData() {
    }

    /**
     * Two interleaving half circles (as scikit-learn's {@code make_moons}, with random rather
     * than evenly spaced angles): for t uniform in [0, π],
     * <pre>
     *   label 0: (cos t, sin t),     label 1: (1 − cos t, 1/2 − sin t)
     * </pre>
     *
     * @param n     number of points, ≥ 1
     * @param noise standard deviation of the added noise, ≥ 0
     * @param seed  seed of angles and noise (use different seeds for train and test sets)
     * @param type  float32 or float64
     */
    public static Dataset twoMoons(int n, double noise, long seed, DataType type) {
        check("twoMoons", n, noise);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] xy = new double[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double t = Math.PI * rng.nextDouble();
            labels[i] = i % 2;
            xy[2 * i] = labels[i] == 0 ? Math.cos(t) : 1 - Math.cos(t);
            xy[2 * i + 1] = labels[i] == 0 ? Math.sin(t) : 0.5 - Math.sin(t);
        }
        return build("twoMoons(n=" + n + ", noise=" + noise + ", seed=" + seed + ")", xy, labels, noise, rng, type);
    }

    /**
     * Two interleaved Archimedean spirals, one and a half turns each: for u uniform in [0, 1]
     * and t = 3π(0.1 + 0.9√u),
     * <pre>
     *   point = (t / 3π) · (cos(t + π·label), sin(t + π·label))
     * </pre>
     * so the points lie in the unit disc with roughly uniform density along the arms.
     *
     * @param n     number of points, ≥ 1
     * @param noise standard deviation of the added noise, ≥ 0
     * @param seed  seed of positions and noise
     * @param type  float32 or float64
     */
    public static Dataset twoSpirals(int n, double noise, long seed, DataType type) {
        check("twoSpirals", n, noise);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] xy = new double[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double t = 3 * Math.PI * (0.1 + 0.9 * Math.sqrt(rng.nextDouble()));
            labels[i] = i % 2;
            double r = t / (3 * Math.PI);
            double angle = t + Math.PI * labels[i];
            xy[2 * i] = r * Math.cos(angle);
            xy[2 * i + 1] = r * Math.sin(angle);
        }
        return build("twoSpirals(n=" + n + ", noise=" + noise + ", seed=" + seed + ")", xy, labels, noise, rng, type);
    }

    /**
     * A disc inside a ring, the substitute for the data set of [CMOSS] Fig. 1b (which the paper
     * does not give): points of the unit disc from the two-dimensional Halton sequence (bases 2
     * and 3) mapped area-preservingly by {@code (u, v) ↦ √u (cos 2πv, sin 2πv)}, label 1 when the
     * radius is below {@link #DISC_RADIUS} = 1/√2 (i.e. {@code u < 1/2}), 0 in the outer ring.
     * Both classes cover half the area.
     *
     * <p>Point {@code i} uses Halton index {@code offset + i + 1}, so disjoint ranges give
     * disjoint, equally well spread sets: e.g. train {@code disc(1000, 0, …)}, test
     * {@code disc(1000, 1000, …)}. Labels are taken from the radius, not alternated.
     *
     * @param n      number of points, ≥ 1
     * @param offset first Halton index minus one, ≥ 0
     * @param noise  standard deviation of the added noise, ≥ 0 (0 for the exact set)
     * @param seed   seed of the noise
     * @param type   float32 or float64
     */
    public static Dataset disc(int n, int offset, double noise, long seed, DataType type) {
        check("disc", n, noise);
        if (offset < 0) {
            throw new IllegalArgumentException("PlanarData.disc: offset expected ≥ 0 but got " + offset);
        }
        double[] xy = new double[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            long k = offset + i + 1L;
            double u = radicalInverse(k, 2);
            double v = radicalInverse(k, 3);
            double r = Math.sqrt(u);
            xy[2 * i] = r * Math.cos(2 * Math.PI * v);
            xy[2 * i + 1] = r * Math.sin(2 * Math.PI * v);
            labels[i] = u < 0.5 ? 1 : 0;
        }
        return build("disc(n=" + n + ", offset=" + offset + ", noise=" + noise + ", seed=" + seed + ")",
                xy, labels, noise, new SplittableRandom(seed), type);
    }

    /** Van der Corput radical inverse of {@code k} in {@code base}: the digits of k mirrored after the point. */
    static double radicalInverse(long k, int base) {
        double result = 0;
        double scale = 1.0 / base;
        for (long m = k; m > 0; m /= base) {
            result += (m % base) * scale;
            scale /= base;
        }
        return result;
    }

    private static void check(String where, int n, double noise) {
        if (n < 1) {
            throw new IllegalArgumentException("PlanarData." + where + ": n expected ≥ 1 but got " + n);
        }
        if (!Double.isFinite(noise) || noise < 0) {
            throw new IllegalArgumentException("PlanarData." + where + ": noise expected a finite value ≥ 0 but got " + noise);
        }
    }

    private static Dataset build(String name, double[] xy, int[] labels, double noise, SplittableRandom rng, DataType type) {
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("PlanarData: type expected FLOAT or DOUBLE but got " + type);
        }
        if (noise > 0) {
            for (int i = 0; i < xy.length; i += 2) {
                double r = Math.sqrt(-2 * Math.log(1 - rng.nextDouble()));
                double a = 2 * Math.PI * rng.nextDouble();
                xy[i] += noise * r * Math.cos(a);
                xy[i + 1] += noise * r * Math.sin(a);
            }
        }
        return Dataset.classification(name, Nd4j.create(xy, new long[] {labels.length, 2}, 'c').castTo(type), labels);
    }
}
