package io.structflow.spark;

import io.structflow.core.data.Batch;
import io.structflow.core.train.CompiledStep;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The replicas an executor JVM has built, per run and task thread: a task borrows its thread's
 * one (building it from the problem the first time) and gives it back, so concurrent tasks in one
 * JVM never share a model and later tasks neither rebuild it nor re-record its training step. A
 * worker stays on the thread that recorded its step because a recording replays into that
 * thread's scratch arrays, which another thread's eager work would overwrite.
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

    /** This thread's worker of run {@code key}, built from {@code problem} if it has none. */
    static Worker borrow(String key, TrainingProblem problem) {
        Worker w = FREE.computeIfAbsent(threadKey(key), k -> new ConcurrentLinkedQueue<>()).poll();
        return w != null ? w : new Worker(problem.build());
    }

    /** Returns {@code worker} to this thread's pool of run {@code key}. */
    static void giveBack(String key, Worker worker) {
        FREE.computeIfAbsent(threadKey(key), k -> new ConcurrentLinkedQueue<>()).add(worker);
    }

    /** Forgets the workers of run {@code key} in this JVM, on every thread. */
    static void release(String key) {
        FREE.keySet().removeIf(k -> k.startsWith(key + "/"));
    }

    private static String threadKey(String key) {
        return key + "/" + Thread.currentThread().getId();
    }
}
