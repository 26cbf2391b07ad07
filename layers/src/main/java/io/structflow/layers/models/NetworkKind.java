package io.structflow.layers.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The five networks compared in [CMOSS] §3.3 (Fig. 4), all with the same number of residual
 * layers per stage.
 */
public enum NetworkKind {
    /** Pairs of contractive/expansive conv gradient-flow layers, steps in the region R of (3.10): (3.11). */
    PRESCRIBED("prescribed", "prescribed switching (3.11)", true),
    /** As {@link #PRESCRIBED} with the flexible switching (3.12) and App. C's step constraints. */
    FLEXIBLE("flexible", "flexible switching (3.12)", true),
    /** Contractive conv gradient-flow layers only, each step in [0, 2/‖K‖²]: (3.5). */
    NON_EXPANSIVE("non_expansive", "non-expansive only (3.5)", true),
    /** The naive constrained block ½(x + AᵀReLU(Bx + b)), ‖A‖, ‖B‖ ≤ 1. */
    NAIVE("naive", "naive constrained ResNet", true),
    /** The plain ResNet block x + AᵀReLU(Bx + b), nothing constrained. */
    RESNET("resnet", "unconstrained ResNet", false);

    private final String key;
    private final String label;
    private final boolean constrained;

    NetworkKind(String key, String label, boolean constrained) {
        this.key = key;
        this.label = label;
        this.constrained = constrained;
    }

    /** The snake_case name, as in a list parsed by {@link #parseList}. */
    public String key() {
        return key;
    }

    /** A human-readable name for tables and legends. */
    public String label() {
        return label;
    }

    /** Whether the network is built to be 1-Lipschitz (or close to it) layer by layer. */
    public boolean constrained() {
        return constrained;
    }

    /**
     * Parses a comma-separated list of keys ({@code prescribed,flexible,non_expansive,naive,resnet})
     * or {@code all}; order kept, duplicates refused.
     *
     * @throws IllegalArgumentException naming the unknown or repeated entry and the valid keys
     */
    public static List<NetworkKind> parseList(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("NetworkKind.parseList: networks expected a comma-separated list of "
                    + keys() + " or 'all' but got an empty value");
        }
        if (text.trim().equalsIgnoreCase("all")) {
            return List.of(values());
        }
        List<NetworkKind> out = new ArrayList<>();
        for (String part : text.split(",")) {
            NetworkKind k = byKey(part.trim().toLowerCase(Locale.ROOT));
            if (out.contains(k)) {
                throw new IllegalArgumentException("NetworkKind.parseList: networks expected each network once but '"
                        + part.trim() + "' appears twice in '" + text + "'");
            }
            out.add(k);
        }
        return out;
    }

    private static NetworkKind byKey(String key) {
        for (NetworkKind k : values()) {
            if (k.key.equals(key)) {
                return k;
            }
        }
        throw new IllegalArgumentException("NetworkKind.parseList: networks expected one of " + keys() + " or 'all' but got '"
                + key + "'");
    }

    private static String keys() {
        List<String> k = new ArrayList<>();
        for (NetworkKind n : values()) {
            k.add(n.key);
        }
        return String.join(", ", k);
    }
}
