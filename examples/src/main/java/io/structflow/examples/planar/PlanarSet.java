package io.structflow.examples.planar;

import io.structflow.core.data.Dataset;
import io.structflow.core.data.PlanarData;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The seeded planar data sets of the experiment, two classes each. {@link #DISC} is the default
 * for Table 1 ([CMOSS] does not publish the data of Fig. 1b): the unit disc from a Halton
 * sequence, label 1 inside radius 1/√2 ({@link PlanarData#disc}); train points use Halton indices
 * 1…n, test points the next n, so the two sets are disjoint and noise-free.
 */
public enum PlanarSet {
    /** Disc inside a ring, Halton points, no noise ({@link PlanarData#disc}). */
    DISC("disc"),
    /** Two noisy concentric rings of radii 0.45 and 0.9 (noise 0.08). */
    RINGS("rings"),
    /** Two interleaved spirals ({@link PlanarData#twoSpirals}, noise 0.02). */
    SPIRALS("spirals"),
    /** Two moons ({@link PlanarData#twoMoons}, noise 0.1). */
    MOONS("moons");

    /** Radii of {@link #RINGS}: label 1 on the inner ring, 0 on the outer. */
    static final double INNER_RADIUS = 0.45;
    static final double OUTER_RADIUS = 0.9;
    static final double RING_NOISE = 0.08;

    private final String key;

    PlanarSet(String key) {
        this.key = key;
    }

    /** The name used on the command line. */
    public String key() {
        return key;
    }

    /**
     * The set named {@code key}.
     *
     * @throws IllegalArgumentException naming the accepted keys
     */
    public static PlanarSet of(String key) {
        for (PlanarSet s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("--dataset: expected disc, rings, spirals or moons but got '" + key + "'");
    }

    /**
     * The training set: {@code n} points, seeded by {@code seed} (ignored by the noise-free disc).
     *
     * @param type FLOAT or DOUBLE
     */
    public Dataset train(int n, long seed, DataType type) {
        return make(n, 0, seed, type);
    }

    /** The test set: {@code n} further points, disjoint from (or independent of) the training set. */
    public Dataset test(int n, long seed, DataType type) {
        return make(n, n, seed + 7919, type);
    }

    private Dataset make(int n, int offset, long seed, DataType type) {
        return switch (this) {
            case DISC -> PlanarData.disc(n, offset, 0.0, seed, type);
            case RINGS -> rings(n, seed, type);
            case SPIRALS -> PlanarData.twoSpirals(n, 0.02, seed, type);
            case MOONS -> PlanarData.twoMoons(n, 0.1, seed, type);
        };
    }

    /** Points at uniform angles on the inner (label 1) and outer (label 0) ring, alternating, plus Gaussian noise. */
    static Dataset rings(int n, long seed, DataType type) {
        if (n < 1) {
            throw new IllegalArgumentException("PlanarSet.rings: n expected ≥ 1 but got " + n);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] xy = new double[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (i + 1) % 2;
            double r = labels[i] == 1 ? INNER_RADIUS : OUTER_RADIUS;
            double angle = 2 * Math.PI * rng.nextDouble();
            double g = Math.sqrt(-2 * Math.log(1 - rng.nextDouble()));
            double phi = 2 * Math.PI * rng.nextDouble();
            xy[2 * i] = r * Math.cos(angle) + RING_NOISE * g * Math.cos(phi);
            xy[2 * i + 1] = r * Math.sin(angle) + RING_NOISE * g * Math.sin(phi);
        }
        return Dataset.classification("rings(n=" + n + ", seed=" + seed + ")",
                Nd4j.create(xy, new long[] {n, 2}, 'c').castTo(type), labels);
    }
}
