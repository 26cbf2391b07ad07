package io.structflow.core.autodiff;

import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Deterministic release of intermediate arrays: a scope, open on one thread, owns every result
 * array that tensor operations allocate while it is the innermost open scope, and frees those that
 * no surviving tensor shares as soon as its owner says which tensors survive — instead of leaving
 * them to the garbage collector, the only other thing that frees an ND4J array's native memory.
 *
 * <pre>{@code
 * try (Intermediates scope = Intermediates.open()) {
 *     Tensor y = f(x);            // the arrays f allocates belong to the scope
 *     scope.keep(y);              // y survives the scope; every other array f allocated is freed
 *     return y;
 * }
 * }</pre>
 *
 * <p><b>Contract.</b> After {@link #releaseExcept} or {@link #close()}, a tensor made inside the
 * scope stays valid only if its storage lies in an array that one of the named survivors also lies
 * in (views and reshapes count as sharing). Reading any other tensor made inside the scope is a
 * programming error with undefined values. Arrays the scope did not allocate — inputs, parameters
 * and their gradients, arrays allocated before the scope opened or outside tensor operations — are
 * never touched. Survivors of a nested scope pass to the enclosing scope, which may free them later.
 *
 * <p><b>Reuse.</b> A freed array goes to a free list of its element type and shape, from which
 * later allocations in the same outermost scope take; the outermost scope closes the arrays left on
 * the list. While a {@link Replay} is being recorded the recorded kernels keep their arrays, so a
 * scope opened inside a recording never closes an array, it only reuses it: a replayed computation
 * then holds the arrays that were live at once, not every array it ever allocated. Arrays allocated
 * inside a recording never pass to a scope opened outside it, nor the other way round.
 *
 * <p>The memory freed is counted by {@link ArrayMemory}.
 */
public final class Intermediates implements AutoCloseable {
    private static final ThreadLocal<Intermediates> INNERMOST = new ThreadLocal<>();

    private final Intermediates parent;
    private final boolean recording;
    private final Map<ResultArrays.Key, ArrayDeque<Owned>> free;
    private final List<Owned> owned = new ArrayList<>();
    private final List<Tensor> kept = new ArrayList<>();
    private boolean closed;

    /** An array this scope allocated: its storage range and its count in {@link ArrayMemory}. */
    private record Owned(INDArray array, long address, long bytes, Cleaner.Cleanable counted) {
        ResultArrays.Key key() {
            return ResultArrays.Key.of(array);
        }
    }

    private Intermediates(Intermediates parent, boolean recording) {
        this.parent = parent;
        this.recording = recording;
        this.free = parent != null && parent.recording == recording ? parent.free : new HashMap<>();
    }

    /** Opens a scope on this thread, nested in the scope open before it (if any). */
    public static Intermediates open() {
        Intermediates s = new Intermediates(INNERMOST.get(), Replay.isRecording());
        INNERMOST.set(s);
        return s;
    }

    /**
     * The one allocation path of tensor operations: a new uninitialised row-major array, taken
     * from the free list when the innermost open scope has one of this type and shape, and owned
     * by that scope.
     */
    static INDArray allocate(DataType type, long[] shape) {
        Intermediates s = INNERMOST.get();
        boolean owns = s != null && s.recording == Replay.isRecording();
        if (owns) {
            ArrayDeque<Owned> list = s.free.isEmpty() ? null : s.free.get(new ResultArrays.Key(type, shape));
            Owned reused = list == null ? null : list.pollLast();
            if (reused != null) {
                s.owned.add(reused);
                return reused.array;
            }
        }
        INDArray a = ResultArrays.create(type, shape);
        if (a.isEmpty()) {
            return a;
        }
        Cleaner.Cleanable counted = ArrayMemory.count(a);
        if (owns) {
            s.owned.add(new Owned(a, a.data().address(), a.length() * type.width(), counted));
        }
        return a;
    }

    /** Marks tensors that survive {@link #close()} (and every later {@link #releaseExcept}). */
    public void keep(Tensor... survivors) {
        keep(Arrays.asList(survivors));
    }

    /** Marks tensors that survive {@link #close()} (and every later {@link #releaseExcept}); nulls are ignored. */
    public void keep(Collection<? extends Tensor> survivors) {
        requireOpen("keep");
        for (Tensor t : survivors) {
            if (t != null) {
                kept.add(t);
            }
        }
    }

    /**
     * Frees now every array this scope allocated that neither {@code live} nor a kept tensor
     * shares; the scope stays open and owns the rest.
     */
    public void releaseExcept(Collection<? extends Tensor> live) {
        requireOpen("releaseExcept");
        long[] starts = survivorAddresses(live);
        List<Owned> stay = new ArrayList<>();
        for (Owned o : owned) {
            if (shared(o, starts)) {
                stay.add(o);
            } else {
                recycle(o);
            }
        }
        owned.clear();
        owned.addAll(stay);
    }

    /** {@link #releaseExcept(Collection)} of the given tensors. */
    public void releaseExcept(Tensor... live) {
        releaseExcept(Arrays.asList(live));
    }

    /**
     * Frees every array this scope allocated that no kept tensor shares and passes the rest to the
     * enclosing scope; the outermost scope also frees the arrays left for reuse.
     */
    @Override
    public void close() {
        requireOpen("close");
        if (INNERMOST.get() != this) {
            throw new IllegalStateException("Intermediates.close: a scope opened inside this one is still open; "
                    + "close scopes in the reverse order of opening");
        }
        releaseExcept(List.of());
        closed = true;
        INNERMOST.set(parent);
        boolean passesUp = parent != null && parent.recording == recording;
        if (passesUp) {
            parent.owned.addAll(owned);
        } else {
            for (ArrayDeque<Owned> list : free.values()) {
                for (Owned o : list) {
                    free(o);
                }
            }
            free.clear();
        }
    }

    private void recycle(Owned o) {
        free.computeIfAbsent(o.key(), k -> new ArrayDeque<>()).addLast(o);
    }

    /** Closes an array for good, unless a recording's kernels may still use it. */
    private void free(Owned o) {
        if (!recording && o.array.closeable()) {
            o.array.close();
            o.counted.clean();
        }
    }

    private long[] survivorAddresses(Collection<? extends Tensor> live) {
        long[] starts = new long[live.size() + kept.size()];
        int n = 0;
        for (Collection<? extends Tensor> c : List.of(live, kept)) {
            for (Tensor t : c) {
                INDArray v = t == null ? null : t.value();
                if (v != null && !v.isEmpty()) {
                    starts[n++] = v.data().address();
                }
            }
        }
        starts = Arrays.copyOf(starts, n);
        Arrays.sort(starts);
        return starts;
    }

    /** Whether some survivor's storage starts inside o's array. */
    private static boolean shared(Owned o, long[] sortedStarts) {
        int i = Arrays.binarySearch(sortedStarts, o.address);
        if (i >= 0) {
            return true;
        }
        int next = -i - 1;
        return next < sortedStarts.length && sortedStarts[next] < o.address + o.bytes;
    }

    private void requireOpen(String what) {
        if (closed) {
            throw new IllegalStateException("Intermediates." + what + ": the scope is already closed");
        }
    }
}
