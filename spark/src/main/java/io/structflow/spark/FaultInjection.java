package io.structflow.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;

/**
 * A switch for testing Spark's task retry: with {@value #FAIL_FIRST_ATTEMPT} set to
 * {@code true} in the Spark configuration, every training and evaluation task throws on its
 * first attempt, so that the job's result comes from retried tasks (masters such as
 * {@code local[2,2]} allow one retry).
 */
final class FaultInjection {
    /** Spark configuration key of the switch. */
    static final String FAIL_FIRST_ATTEMPT = "structflow.spark.failFirstAttempt";

    private FaultInjection() {
    }

    /** Whether the switch is on in {@code conf}. */
    static boolean failFirstAttempt(SparkConf conf) {
        return conf.getBoolean(FAIL_FIRST_ATTEMPT, false);
    }

    /** Throws if {@code enabled} and the running task is on its first attempt. */
    static void maybeFail(boolean enabled) {
        TaskContext task = TaskContext.get();
        if (enabled && task != null && task.attemptNumber() == 0) {
            throw new RuntimeException("structflow: injected failure of task " + task.partitionId()
                    + " attempt 0 (" + FAIL_FIRST_ATTEMPT + ")");
        }
    }
}
