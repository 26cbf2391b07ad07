package io.structflow.core.autodiff;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The native memory held by the result arrays of tensor operations (every array {@link Tensor}'s
 * operations allocate, on any thread): bytes in use now, and the high-water mark of a measurement
 * window. An array counts
 * from its allocation until it is freed, either by an {@link Intermediates} scope or, when nothing
 * frees it, by the garbage collector collecting its buffer (the only other way ND4J frees native
 * memory). Arrays that ND4J or our code allocate outside tensor operations (parameters, optimiser
 * state, work arrays) are not counted.
 *
 * <p>The high-water mark is exact (updated on every allocation), not sampled; it is what a
 * measurement of a step's peak memory should read, with no forced garbage collection. It counts
 * only arrays allocated since {@link #resetPeak()}: the collection of older arrays, which happens
 * whenever the garbage collector runs, cannot hide the window's own allocations.
 */
public final class ArrayMemory {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicLong IN_USE = new AtomicLong();
    private static final AtomicLong WINDOW = new AtomicLong();
    private static final AtomicLong IN_WINDOW = new AtomicLong();
    private static final AtomicLong PEAK = new AtomicLong();

    private ArrayMemory() {
    }

    /** Bytes of tensor-operation results allocated and not yet freed. */
    public static long bytesInUse() {
        return IN_USE.get();
    }

    /**
     * The largest number of bytes held at once by arrays allocated since the last
     * {@link #resetPeak()} (or since start): the peak memory of the work done since then.
     */
    public static long peakBytes() {
        return PEAK.get();
    }

    /** Bytes held now by arrays allocated since the last {@link #resetPeak()}: what the work since then kept. */
    public static long heldSinceReset() {
        return IN_WINDOW.get();
    }

    /** Opens a new measurement window: arrays allocated from now on are the ones {@link #peakBytes()} counts. */
    public static void resetPeak() {
        WINDOW.incrementAndGet();
        IN_WINDOW.set(0);
        PEAK.set(0);
    }

    /**
     * Counts a freshly allocated array until it is freed: the returned handle's {@code clean()}
     * uncounts it (call it when freeing the array), and so does the collection of its buffer.
     */
    static Cleaner.Cleanable count(INDArray array) {
        long bytes = array.length() * array.dataType().width();
        long window = WINDOW.get();
        IN_USE.addAndGet(bytes);
        PEAK.accumulateAndGet(IN_WINDOW.addAndGet(bytes), Math::max);
        return CLEANER.register(array.data(), () -> {
            IN_USE.addAndGet(-bytes);
            if (WINDOW.get() == window) {
                IN_WINDOW.addAndGet(-bytes);
            }
        });
    }
}
