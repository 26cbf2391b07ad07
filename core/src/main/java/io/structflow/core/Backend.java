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
    /** {@code structflow.threads}, read by the first {@link #init()}. */
    private static volatile int threads;
    /** Whether {@link #init()} has set the calling thread's OpenMP team size. */
    private static final ThreadLocal<Boolean> THREAD_CONFIGURED = ThreadLocal.withInitial(() -> false);
    /** Guards {@link #helperUsers}. */
    private static final Object HELPER_LOCK = new Object();
    /** How many threads are inside {@link #withHelpers}; oneDNN helpers are on while it is positive. */
    private static int helperUsers;

    private Backend() {
    }

    /**
     * Configures ND4J once, and the calling thread's OpenMP team size once per thread; later calls
     * return at once. Safe to call from any thread; a thread that runs ND4J ops and did not load
     * structflow (a Spark executor's task thread, a pool's worker) must call it before its first op.
     */
    public static void init() {
        if (!initialised) {
            initProcess();
        }
        if (!THREAD_CONFIGURED.get()) {
            // OpenMP's team size (nthreads-var) is a per-thread setting: a thread that never set it
            // uses OMP_NUM_THREADS or, without it, one OpenMP thread per core. Two such threads in
            // one JVM on two cores run four spinning OpenMP threads and each goes at half speed.
            org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
            THREAD_CONFIGURED.set(true);
        }
    }

    private static void initProcess() {
        synchronized (Backend.class) {
            if (initialised) {
                return;
            }
            if (Boolean.parseBoolean(System.getProperty("structflow.onednn", "true"))
                    && System.getProperty("org.bytedeco.javacpp.platform.extension") == null) {
                System.setProperty("org.bytedeco.javacpp.platform.extension", "-onednn");
            }
            threads = Integer.getInteger("structflow.threads", 1);
            if (threads < 1) {
                throw new IllegalArgumentException(
                        "structflow.threads: expected a positive thread count but got " + threads);
            }
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
            Nd4j.getEnvironment().setMaxThreads(threads);
            Nd4j.getEnvironment().setMaxMasterThreads(threads);
            Nd4j.factory().blas().setMaxThreads(threads);
            // oneDNN helpers slow small non-conv ops ~2.8x; convolutions switch them on locally.
            Nd4j.getEnvironment().allowHelpers(false);
            initialised = true;
        }
    }

    /**
     * Runs {@code body} with oneDNN helpers enabled (they speed up conv ~18×); helpers stay off
     * elsewhere because they slow small elementwise ops.
     *
     * <p>libnd4j's switch is one flag for the whole process, read by each op as it starts. Threads
     * of one JVM (Spark executors) enter and leave this method independently, so the flag is on
     * while at least one thread is inside: a thread leaving never turns it off under another
     * thread's convolution. Ops that must not use helpers refuse them in their own op context
     * ({@code NativeKernel}), whatever the flag.
     */
    public static <T> T withHelpers(java.util.function.Supplier<T> body) {
        synchronized (HELPER_LOCK) {
            if (helperUsers++ == 0) {
                Nd4j.getEnvironment().allowHelpers(true);
            }
        }
        try {
            return body.get();
        } finally {
            synchronized (HELPER_LOCK) {
                if (--helperUsers == 0) {
                    Nd4j.getEnvironment().allowHelpers(false);
                }
            }
        }
    }
}
