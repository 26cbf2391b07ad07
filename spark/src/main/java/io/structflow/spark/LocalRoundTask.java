package io.structflow.spark;

import io.structflow.core.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The executor's half of one local-SGD round: from the shared parameters and optimiser state,
 * {@code k} optimiser steps (each followed by the projections) on batches drawn from this shard
 * alone; returns the replica's parameters and optimiser state.
 */
final class LocalRoundTask implements Function<ExampleShard, LocalRoundTask.Result> {
    private static final long serialVersionUID = 1L;

    /**
     * A replica after its round.
     *
     * @param parameters flat parameters
     * @param state      optimiser state by {@code "<parameter>/<slot>"}
     * @param lossSum    sum over the round's steps of the batch loss
     * @param steps      steps taken
     * @param nanos      time the task spent
     */
    record Result(double[] parameters, Map<String, FlatArray> state, double lossSum, int steps, long nanos)
            implements java.io.Serializable {
    }

    private final RunOnExecutor run;
    private final double[] parameters;
    private final Map<String, FlatArray> state;
    private final double learningRate;
    private final long seed;
    private final int round;
    private final int steps;
    private final int localBatch;

    LocalRoundTask(RunOnExecutor run, double[] parameters, Map<String, FlatArray> state, double learningRate,
                   long seed, int round, int steps, int localBatch) {
        this.run = run;
        this.parameters = parameters;
        this.state = state;
        this.learningRate = learningRate;
        this.seed = seed;
        this.round = round;
        this.steps = steps;
        this.localBatch = localBatch;
    }

    @Override
    public Result call(ExampleShard shard) {
        long t0 = System.nanoTime();
        ReplicaPool.Worker worker = run.start();
        Replica replica = worker.replica();
        try {
            List<Parameter> ps = replica.model().parameters();
            FlatParameters.setValues(ps, parameters);
            replica.optimizer().loadState(toNd4j(state));
            replica.optimizer().setLearningRate(learningRate);
            double lossSum = 0;
            for (int s = 0; s < steps; s++) {
                double value;
                try {
                    value = worker.lossAndGradients(
                            shard.batch(shard.localBatch(seed, round, s, Math.min(localBatch, shard.size()))));
                } catch (ArithmeticException e) {
                    throw new ArithmeticException("LocalSgd: " + e.getMessage() + " on partition " + shard.partition()
                            + " at step " + s + " of round " + round);
                }
                replica.optimizer().step();
                lossSum += value;
            }
            return new Result(FlatParameters.values(ps), fromNd4j(replica.optimizer().state()), lossSum, steps,
                    System.nanoTime() - t0);
        } finally {
            run.finish(worker);
        }
    }

    static Map<String, FlatArray> fromNd4j(Map<String, INDArray> arrays) {
        Map<String, FlatArray> out = new LinkedHashMap<>();
        arrays.forEach((k, v) -> out.put(k, FlatArray.of(v)));
        return out;
    }

    static Map<String, INDArray> toNd4j(Map<String, FlatArray> arrays) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        arrays.forEach((k, v) -> out.put(k, v.toNd4j()));
        return out;
    }
}
