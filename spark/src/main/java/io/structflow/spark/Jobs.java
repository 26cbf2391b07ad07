package io.structflow.spark;

import java.util.function.Supplier;
import org.apache.spark.SparkException;

/**
 * Runs a Spark job and turns a failed one into the exception its task threw, so that the user
 * reads our one-line message rather than Spark's stage report.
 */
final class Jobs {
    private Jobs() {
    }

    /** Runs {@code job}; see {@link #call(Supplier)}. */
    static void run(Runnable job) {
        call(() -> {
            job.run();
            return null;
        });
    }

    /**
     * The result of {@code job}.
     *
     * @throws IllegalArgumentException, IllegalStateException or ArithmeticException thrown by a
     *         task (the first one in the failure's cause chain), with its message
     * @throws IllegalStateException with the first line of Spark's message for any other failure
     */
    static <T> T call(Supplier<T> job) {
        try {
            return job.get();
        } catch (Exception e) { // Scala code throws the checked SparkException undeclared
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof IllegalArgumentException || t instanceof IllegalStateException
                        || t instanceof ArithmeticException) {
                    throw (RuntimeException) t;
                }
            }
            if (!(e instanceof SparkException) && e instanceof RuntimeException r) {
                throw r;
            }
            String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new IllegalStateException("Spark job failed: " + first, e);
        }
    }
}
