package io.structflow.core.autodiff;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Record once, replay: the array work of a static-shape computation (typically forward, loss
 * and backward of one training step), captured while it runs eagerly and re-executed later on
 * the same arrays without building tensors, graphs or new result arrays.
 *
 * <p>Every tensor operation does its array work through {@link #exec}, which runs the
 * {@link Kernel} and, while a recording is open on this thread, appends it to the recording.
 * Replaying runs the kernels in order; the caller first copies new data into the arrays the
 * recorded computation read as inputs (for example a batch). Parameters are read from their own
 * storage, which optimisers update in place, so a replayed step sees the current weights.
 *
 * <p>A computation is replayable only if its values flow through kernels. Reading a tensor's
 * value on the host ({@link Tensor#item()}, {@link Tensor#toDoubleArray()}) during recording, or
 * an operation that builds a constant from host data (such as {@code gather(int[])}), makes the
 * recording unreplayable: {@link #isReplayable()} turns false with the reason, and the caller
 * must run eagerly instead.
 */
public final class Replay {
    private static final ThreadLocal<Replay> RECORDING = new ThreadLocal<>();

    private final List<Kernel> kernels = new ArrayList<>();
    private final List<INDArray[]> inputs = new ArrayList<>();
    private final List<INDArray[]> outputs = new ArrayList<>();
    private String notReplayable;

    private Replay() {
    }

    /**
     * Runs {@code body} eagerly while recording its kernels.
     *
     * @return the recording and the body's result
     */
    public static <T> Recorded<T> record(Supplier<T> body) {
        if (RECORDING.get() != null) {
            throw new IllegalStateException("Replay.record: a recording is already open on this thread");
        }
        Replay r = new Replay();
        RECORDING.set(r);
        try {
            return new Recorded<>(r, body.get());
        } finally {
            RECORDING.remove();
        }
    }

    /** A recording and the value its body returned. */
    public record Recorded<T>(Replay replay, T result) {
    }

    /** Runs a kernel now and records it if a recording is open on this thread. */
    public static void exec(Kernel kernel, INDArray[] in, INDArray... out) {
        kernel.run(in, out);
        Replay r = RECORDING.get();
        if (r != null) {
            r.kernels.add(kernel);
            r.inputs.add(in);
            r.outputs.add(out);
        }
    }

    /** True while a recording is open on this thread. */
    public static boolean isRecording() {
        return RECORDING.get() != null;
    }

    /** Marks the open recording (if any) unreplayable, with the reason. */
    public static void hostDependency(String reason) {
        Replay r = RECORDING.get();
        if (r != null && r.notReplayable == null) {
            r.notReplayable = reason;
        }
    }

    /** Whether {@link #run()} reproduces the recorded computation. */
    public boolean isReplayable() {
        return notReplayable == null;
    }

    /** Why the recording cannot be replayed, or null. */
    public String whyNotReplayable() {
        return notReplayable;
    }

    /** Number of recorded kernels. */
    public int kernelCount() {
        return kernels.size();
    }

    /** Re-executes the recorded kernels in order. */
    public void run() {
        if (notReplayable != null) {
            throw new IllegalStateException("Replay.run: the recording is not replayable: " + notReplayable);
        }
        for (int i = 0; i < kernels.size(); i++) {
            kernels.get(i).run(inputs.get(i), outputs.get(i));
        }
    }
}
