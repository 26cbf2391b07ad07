package io.structflow.examples.planar;

import io.structflow.layers.models.Family;
import io.structflow.layers.models.PlanarClassifier;
import io.structflow.spark.FlatParameters;
import io.structflow.spark.SparkSweep;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The planar protocol's runs as Spark tasks ({@code planar --spark}): each (family, seed) run is
 * one task that trains exactly as {@link PlanarExperiment#run} does on one machine and sends back
 * its figures and flat parameters; the driver rebuilds the trained networks (for the plots) from
 * them, so the report equals the local one except for wall-clock times.
 */
public final class PlanarOnSpark {
    private PlanarOnSpark() {
    }

    /** One run: the experiment's settings and data seed, the family and the run's seed. */
    record Task(Settings settings, long dataSeed, Family family, long seed) implements Serializable {
    }

    /** What a run sends back: its figures and its trained parameters. */
    record Outcome(RunResult result, double[] parameters) implements Serializable {
    }

    /**
     * Trains {@code runs} networks of each family (seeds {@code seed}, {@code seed + 1}, …) on Spark.
     *
     * @return the trained networks by family, in seed order
     */
    public static Map<Family, List<PlanarExperiment.Trained>> run(JavaSparkContext sc, Settings settings,
                                                                  long dataSeed, List<Family> families, int runs,
                                                                  long seed) {
        List<Task> tasks = new ArrayList<>();
        for (Family family : families) {
            for (int r = 0; r < runs; r++) {
                tasks.add(new Task(settings, dataSeed, family, seed + r));
            }
        }
        List<Outcome> outcomes = SparkSweep.run(sc, tasks, PlanarOnSpark::train);
        Map<Family, List<PlanarExperiment.Trained>> out = new EnumMap<>(Family.class);
        for (int i = 0; i < tasks.size(); i++) {
            Task t = tasks.get(i);
            PlanarClassifier model = new PlanarClassifier(t.family(), settings.architecture(), t.seed());
            FlatParameters.setValues(model.parameters(), outcomes.get(i).parameters());
            out.computeIfAbsent(t.family(), f -> new ArrayList<>())
                    .add(new PlanarExperiment.Trained(model, outcomes.get(i).result()));
        }
        return out;
    }

    private static Outcome train(Task t) {
        PlanarExperiment.Trained trained = new PlanarExperiment(t.settings(), t.dataSeed()).run(t.family(), t.seed(), true);
        return new Outcome(trained.result(), FlatParameters.values(trained.model().parameters()));
    }
}
