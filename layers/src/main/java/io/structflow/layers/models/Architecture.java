package io.structflow.layers.models;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The shape of the convolutional networks of [CMOSS] §3.3: stages of {@code channels[s]}
 * channels on images of side {@code 28 / 2^s}, each with {@code 2·pairs} residual layers
 * ({@code pairs} contractive/expansive pairs of S sub-steps each for the dynamical-systems blocks),
 * separated by 2×2 average pooling and {@code αWx} channel lifts.
 *
 * @param channels      channels per stage, each ≥ 1, at most 3 stages (28 → 14 → 7)
 * @param pairs         pairs per stage, ≥ 1: every network has {@code 2·pairs} residual layers per stage
 * @param substeps      S ≥ 1, explicit Euler sub-steps per gradient-flow layer (the paper: 2)
 * @param slope         a of σ = LeakyReLU(a) = max(x, a·x) in the gradient-flow layers (the paper: ½)
 * @param boundedLifts  whether the constrained networks keep |α| ≤ 1 in every lift and in the head
 *                      (the "bounded chain" without which no certificate survives)
 * @param type          FLOAT or DOUBLE
 * @param seed          seed of the initial weights
 */
public record Architecture(int[] channels, int pairs, int substeps, double slope, boolean boundedLifts, DataType type,
                           long seed) implements java.io.Serializable {
    /** Image side of Fashion-MNIST. */
    public static final int IMAGE_SIZE = 28;

    /** Validates the arguments; messages name the component, what was expected and what came. */
    public Architecture {
        if (channels == null || channels.length < 1 || channels.length > 3) {
            throw new IllegalArgumentException("Architecture: channels expected 1 to 3 stage widths (28 → 14 → 7 pixels) but got "
                    + (channels == null ? "null" : Arrays.toString(channels)));
        }
        for (int c : channels) {
            if (c < 1) {
                throw new IllegalArgumentException("Architecture: channels expected widths ≥ 1 but got " + Arrays.toString(channels));
            }
        }
        channels = channels.clone();
        if (pairs < 1) {
            throw new IllegalArgumentException("Architecture: pairs expected ≥ 1 pair per stage but got " + pairs);
        }
        if (substeps < 1) {
            throw new IllegalArgumentException("Architecture: substeps expected S ≥ 1 but got " + substeps);
        }
        if (!(slope > 0 && slope <= 1)) {
            throw new IllegalArgumentException("Architecture: slope expected 0 < a ≤ 1 but got " + slope);
        }
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("Architecture: type expected FLOAT or DOUBLE but got " + type);
        }
    }

    /** The default shape: channels 8-16-32, 2 pairs per stage, S = 2, σ = max(x, x/2), bounded lifts. */
    public static Architecture defaults(DataType type, long seed) {
        return new Architecture(new int[] {8, 16, 32}, 2, 2, 0.5, true, type, seed);
    }

    @Override
    public int[] channels() {
        return channels.clone();
    }

    /** Image side at stage s. */
    public int side(int stage) {
        return IMAGE_SIZE >> stage;
    }

    /** Residual layers per stage, the same for every network. */
    public int layersPerStage() {
        return 2 * pairs;
    }

    /** This architecture with another seed. */
    public Architecture withSeed(long newSeed) {
        return new Architecture(channels, pairs, substeps, slope, boundedLifts, type, newSeed);
    }

    /** The components as snake_case entries, for reports and checkpoint fingerprints. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channels", Arrays.stream(channels).boxed().toList());
        m.put("pairs_per_stage", pairs);
        m.put("residual_layers_per_stage", layersPerStage());
        m.put("substeps", substeps);
        m.put("leaky_relu_slope", slope);
        m.put("bounded_lifts", boundedLifts);
        m.put("dtype", type == DataType.DOUBLE ? "float64" : "float32");
        m.put("seed", seed);
        return m;
    }

    /**
     * The architecture {@link #toMap()} described (as read back from JSON: numbers of any width,
     * lists of numbers); {@code residual_layers_per_stage} is derived and not read.
     *
     * @throws IllegalArgumentException naming the entry that is missing or of the wrong kind
     */
    public static Architecture fromMap(Map<?, ?> m) {
        if (!(m.get("channels") instanceof java.util.List<?> list) || list.stream().anyMatch(c -> !(c instanceof Number))) {
            throw new IllegalArgumentException("Architecture.fromMap: channels expected a list of numbers but got "
                    + m.get("channels"));
        }
        int[] channels = list.stream().mapToInt(c -> ((Number) c).intValue()).toArray();
        String dtype = String.valueOf(m.get("dtype"));
        if (!dtype.equals("float32") && !dtype.equals("float64")) {
            throw new IllegalArgumentException("Architecture.fromMap: dtype expected float32 or float64 but got " + dtype);
        }
        if (!(m.get("bounded_lifts") instanceof Boolean bounded)) {
            throw new IllegalArgumentException("Architecture.fromMap: bounded_lifts expected true or false but got "
                    + m.get("bounded_lifts"));
        }
        return new Architecture(channels, number(m, "pairs_per_stage").intValue(), number(m, "substeps").intValue(),
                number(m, "leaky_relu_slope").doubleValue(), bounded,
                dtype.equals("float64") ? DataType.DOUBLE : DataType.FLOAT, number(m, "seed").longValue());
    }

    private static Number number(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof Number n)) {
            throw new IllegalArgumentException("Architecture.fromMap: " + key + " expected a number but got " + m.get(key));
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Architecture a && Arrays.equals(channels, a.channels) && pairs == a.pairs
                && substeps == a.substeps && slope == a.slope && boundedLifts == a.boundedLifts && type == a.type
                && seed == a.seed;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(channels) * 31 + Long.hashCode(seed);
    }

    @Override
    public String toString() {
        return "channels " + Arrays.toString(channels) + ", " + pairs + " pairs per stage, S = " + substeps
                + ", σ = max(x, " + slope + "x), " + (boundedLifts ? "bounded lifts |α| ≤ 1" : "free lift scales α");
    }
}
