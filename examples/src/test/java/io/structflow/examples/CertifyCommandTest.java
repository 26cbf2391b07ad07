package io.structflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.Backend;
import io.structflow.examples.support.Results;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertifyCommandTest {
    @BeforeAll
    static void backend() {
        Backend.init();
    }

    @Test
    @SuppressWarnings("unchecked")
    void certify_tinyRun_writesEveryKey_certificatesBelowAttacksAndBoundsAboveLowerBounds(@TempDir Path out)
            throws Exception {
        int code = StructflowCli.commandLine().execute("certify", "--head", "scaled", "--train-images", "256",
                "--test-images", "32",
                "--tightness-images", "8", "--epochs", "1", "--channels", "4,16", "--pairs", "1", "--attack-batch", "32",
                "--out", out.toString());
        assertEquals(0, code);
        Map<String, Object> r = Results.read(out.resolve("results.json"));
        Map<String, Object> nets = (Map<String, Object>) r.get("networks");
        assertEquals(List.of("cpl", "orthogonal_switching"), List.copyOf(nets.keySet()));
        for (Map.Entry<String, Object> e : nets.entrySet()) {
            Map<String, Object> n = (Map<String, Object>) e.getValue();
            for (String key : List.of("clean_accuracy", "certified_accuracy", "robust_accuracy", "lipschitz_bound",
                    "bound_tightness", "epoch_seconds")) {
                assertTrue(n.containsKey(key), e.getKey() + ": " + key);
            }
            Map<String, Double> certified = (Map<String, Double>) n.get("certified_accuracy");
            Map<String, Double> robust = (Map<String, Double>) n.get("robust_accuracy");
            assertEquals(List.of("0", "36/255", "72/255", "108/255", "1.0"), List.copyOf(certified.keySet()));
            for (String eps : certified.keySet()) {
                assertTrue(certified.get(eps) <= robust.get(eps), e.getKey() + " at " + eps + ": certified "
                        + certified.get(eps) + " above the attack's " + robust.get(eps));
            }
            assertTrue(((Map<String, Integer>) n.get("float64_rejections")).values().stream().allMatch(v -> v == 0),
                    e.getKey() + ": " + n.get("float64_rejections"));
            double bound = (Double) n.get("lipschitz_bound");
            assertTrue(bound <= 1 + 1e-6, e.getKey() + ": every layer is 1-Lipschitz, bound " + bound);
            assertTrue((Double) n.get("bound_tightness") >= 1, e.getKey() + ": a lower bound above L: " + n);
            assertTrue((Double) n.get("pair_bound_tightness_min") >= 1, e.getKey() + ": a pair's lower bound above K_ij: "
                    + n);
        }
        assertTrue(Files.exists(out.resolve("orthogonal_switching").resolve("checkpoint.zip")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void certify_rowNormalisedHead_certifiesWithPairwiseConstantsBelowAttacks(@TempDir Path out) throws Exception {
        int code = StructflowCli.commandLine().execute("certify", "--networks", "cpl", "--train-images", "256", "--test-images", "32", "--tightness-images", "8", "--epochs", "1", "--channels",
                "4,16", "--pairs", "1", "--attack-batch", "32", "--out", out.toString());
        assertEquals(0, code);
        Map<String, Object> r = Results.read(out.resolve("results.json"));
        assertEquals("row_normalised", r.get("head"));
        Map<String, Object> n = (Map<String, Object>) ((Map<String, Object>) r.get("networks")).get("cpl");
        Map<String, Double> certified = (Map<String, Double>) n.get("certified_accuracy");
        Map<String, Double> robust = (Map<String, Double>) n.get("robust_accuracy");
        for (String eps : certified.keySet()) {
            assertTrue(certified.get(eps) <= robust.get(eps), "at " + eps + ": " + certified + " vs " + robust);
        }
        double largest = (Double) n.get("largest_pairwise_constant");
        assertTrue(largest <= 2 * (1 + 1e-6) && largest <= Math.sqrt(2) * (Double) n.get("lipschitz_bound") * (1 + 1e-12),
                "‖ŵ_i − ŵ_j‖ ≤ 2 and ≤ √2·L: " + n);
        assertTrue(((Map<String, Integer>) n.get("float64_rejections")).values().stream().allMatch(v -> v == 0), n.toString());
        double pairMin = (Double) n.get("pair_bound_tightness_min");
        assertTrue(pairMin >= 1 && pairMin <= (Double) n.get("pair_bound_tightness_median"), "a pair's lower bound above "
                + "its K_ij, or min above median: " + n);
    }
}
