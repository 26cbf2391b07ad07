package io.structflow.spark;

import io.structflow.core.data.Batch;
import io.structflow.core.train.CompiledStep;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The replicas an executor JVM has built, per run: a task borrows one (building it from the
 * problem when none is free) and gives it back, so concurrent tasks in one JVM never share a
 * model and later tasks neither rebuild it nor re-record its training step.
 */
final class ReplicaPool {
    private static final Map<String, Queue<Worker>> FREE = new ConcurrentHashMap<>();

    /**
     * A replica with its recorded training step ({@link CompiledStep}: forward, loss and backward
     * recorded once per batch shape and replayed, with the same arithmetic as the eager step).
     */
    static final class Worker {
        private final Replica replica;
        private final CompiledStep step;

        private Worker(Replica replica) {
            this.replica = replica;
            this.step = new CompiledStep(replica.model(), replica.loss());
        }

        Replica replica() {
            return replica;
        }

        /** Zeroes the gradients, then computes the loss of {@code batch} and every parameter's gradient. */
        double lossAndGradients(Batch batch) {
            return step.run(batch);
        }
    }

    private ReplicaPool() {
    }

    /** A worker of run {@code key}, built from {@code problem} if none is free. */
    static Worker borrow(String key, TrainingProblem problem) {
        Worker w = FREE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).poll();
        return w != null ? w : new Worker(problem.build());
    }

    /** Returns {@code worker} to the pool of run {@code key}. */
    static void giveBack(String key, Worker worker) {
        FREE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).add(worker);
    }

    /** Forgets the workers of run {@code key} in this JVM. */
    static void release(String key) {
        FREE.remove(key);
    }
}
