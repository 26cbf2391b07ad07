package io.structflow.core;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Selects and configures the ND4J native backend before its first use.
 *
 * <p>structflow ships the oneDNN build of nd4j-native (classifier {@code linux-x86_64-onednn}),
 * which makes convolutions about 18× faster than the default build on our machines
 * ({@code shared/ND4J-PERF.md}). That build is chosen by the system property
 * {@code org.bytedeco.javacpp.platform.extension=-onednn}, which must be set before ND4J loads;
 * {@link #init()} does so and every entry point of structflow calls it, so a user who depends on
 * {@code structflow-core} needs no extra step.
 *
 * <p>Settings, each a system property read once by {@link #init()}:
 * <ul>
 *   <li>{@code structflow.threads} (default 1): native threads for ND4J and OpenBLAS. One thread
 *       is fastest for the small networks of this library; two only pay for large gemm or conv
 *       on a quiet machine.</li>
 *   <li>{@code structflow.onednn} (default true): use the oneDNN build.</li>
 * </ul>
 * Cap off-heap memory with {@code -Dorg.bytedeco.javacpp.maxphysicalbytes=...} on the JVM command
 * line; without it ND4J lets the process grow to four times the heap.
 */
public final class Backend {
    private static volatile boolean initialised;

    private Backend() {
    }

    /** Configures ND4J once; later calls return at once. Safe to call from any thread. */
    public static void init() {
        if (initialised) {
            return;
        }
        synchronized (Backend.class) {
            if (initialised) {
                return;
            }
            if (Boolean.parseBoolean(System.getProperty("structflow.onednn", "true"))
                    && System.getProperty("org.bytedeco.javacpp.platform.extension") == null) {
                System.setProperty("org.bytedeco.javacpp.platform.extension", "-onednn");
            }
            int threads = Integer.getInteger("structflow.threads", 1);
            if (threads < 1) {
                throw new IllegalArgumentException(
                        "structflow.threads: expected a positive thread count but got " + threads);
            }
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
            Nd4j.getEnvironment().setMaxThreads(threads);
            Nd4j.getEnvironment().setMaxMasterThreads(threads);
            Nd4j.factory().blas().setMaxThreads(threads);
            // OpenMP's team size is read from OMP_NUM_THREADS when the native library loads;
            // set it explicitly so that a JVM started without that variable still uses `threads`.
            org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
            // oneDNN helpers slow small non-conv ops ~2.8x; convolutions switch them on locally.
            Nd4j.getEnvironment().allowHelpers(false);
            initialised = true;
        }
    }

    /**
     * Runs {@code body} with oneDNN helpers enabled (they speed up conv ~18×); helpers stay off
     * elsewhere because they slow small elementwise ops.
     */
    public static <T> T withHelpers(java.util.function.Supplier<T> body) {
        var env = Nd4j.getEnvironment();
        env.allowHelpers(true);
        try {
            return body.get();
        } finally {
            env.allowHelpers(false);
        }
    }
}
