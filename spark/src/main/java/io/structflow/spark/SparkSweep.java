package io.structflow.spark;

import io.structflow.core.Backend;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Independent runs — seeds of a protocol, configurations of an experiment — as Spark tasks, one
 * per run, results in the order of the runs. A run must depend only on its configuration (its
 * own seeds), so its result is the one it gives on one machine.
 */
public final class SparkSweep {
    private SparkSweep() {
    }

    /** One run: a configuration in, a result out; serialisable, as it travels to the executors. */
    @FunctionalInterface
    public interface Run<C, R> extends Serializable {
        /** The result of {@code configuration}. */
        R apply(C configuration) throws Exception;
    }

    /** One run that also reads a value shared by all runs (training images, a data set). */
    @FunctionalInterface
    public interface SharedRun<S, C, R> extends Serializable {
        /** The result of {@code configuration}, given the shared value. */
        R apply(S shared, C configuration) throws Exception;
    }

    /**
     * Runs {@code run} on every configuration, each as its own task.
     *
     * @return the results, in the order of {@code configurations}
     * @throws IllegalArgumentException naming the run or a configuration that cannot be
     *         serialised, or if there is no configuration
     * @throws IllegalStateException naming both versions if an executor runs another structflow,
     *         or with the first line of a run's failure
     */
    public static <C extends Serializable, R extends Serializable> List<R> run(JavaSparkContext sc,
                                                                              List<C> configurations, Run<C, R> run) {
        requireSome(configurations);
        SerializationCheck.require("run", run);
        return runTasks(sc, configurations, run);
    }

    /**
     * Runs {@code run} on every configuration, each as its own task, with {@code shared} sent to
     * each executor once (a Spark broadcast) instead of with every task.
     *
     * @return the results, in the order of {@code configurations}
     * @throws IllegalArgumentException naming the shared value, the run or a configuration that
     *         cannot be serialised, or if there is no configuration
     * @throws IllegalStateException naming both versions if an executor runs another structflow,
     *         or with the first line of a run's failure
     */
    public static <S extends Serializable, C extends Serializable, R extends Serializable> List<R> run(
            JavaSparkContext sc, S shared, List<C> configurations, SharedRun<S, C, R> run) {
        requireSome(configurations);
        SerializationCheck.require("shared", shared);
        SerializationCheck.require("run", run);
        Broadcast<S> broadcast = sc.broadcast(shared);
        try {
            return runTasks(sc, configurations, c -> run.apply(broadcast.value(), c));
        } finally {
            broadcast.destroy();
        }
    }

    private static <C extends Serializable> void requireSome(List<C> configurations) {
        if (configurations == null || configurations.isEmpty()) {
            throw new IllegalArgumentException("SparkSweep.run: configurations expected at least one but got "
                    + (configurations == null ? "null" : "none"));
        }
    }

    private static <C extends Serializable, R extends Serializable> List<R> runTasks(JavaSparkContext sc,
                                                                                    List<C> configurations, Run<C, R> run) {
        SerializationCheck.require("configurations", new java.util.ArrayList<>(configurations));
        String version = StructflowVersion.current();
        StructflowVersion.requireOnExecutors(sc, version);
        boolean fail = FaultInjection.failFirstAttempt(sc.getConf());
        return Jobs.call(() -> sc.parallelize(configurations, configurations.size()).map(c -> {
            StructflowVersion.require(version);
            FaultInjection.maybeFail(fail);
            Backend.init();
            return run.apply(c);
        }).collect());
    }
}
