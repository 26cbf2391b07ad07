package io.structflow.spark;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The replicas an executor JVM has built, per training run: a task borrows one (building it
 * from the problem when none is free) and gives it back, so concurrent tasks in one JVM never
 * share a model and later tasks do not rebuild it.
 */
final class ReplicaPool {
    private static final Map<String, Queue<Replica>> FREE = new ConcurrentHashMap<>();

    private ReplicaPool() {
    }

    /** A replica of run {@code key}, built from {@code problem} if none is free. */
    static Replica borrow(String key, TrainingProblem problem) {
        Replica r = FREE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).poll();
        return r != null ? r : problem.build();
    }

    /** Returns {@code replica} to the pool of run {@code key}. */
    static void giveBack(String key, Replica replica) {
        FREE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).add(replica);
    }

    /** Forgets the replicas of run {@code key} in this JVM. */
    static void release(String key) {
        FREE.remove(key);
    }
}
