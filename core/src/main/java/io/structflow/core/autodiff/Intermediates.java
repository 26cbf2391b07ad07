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
 * later allocations in the same outermost scope take. The outermost scope leaves the arrays left on
 * the list to its thread's cache, which later scopes on the thread take from first (so an eager
 * training step, one scope per step, allocates nothing once the first step has run, as PyTorch's
 * caching allocator keeps freed blocks); the cache holds at most {@link #CACHE_BYTES} and closes
 * what exceeds it, and {@link #releaseCache()} empties it. While a {@link Replay} is being recorded
 * the recorded kernels keep their arrays, so a scope opened inside a recording never closes an
 * array, it only reuses it: a replayed computation then holds the arrays that were live at once, not
 * every array it ever allocated. A recording may take arrays from the cache, for good; arrays
 * allocated inside a recording never pass to a scope opened outside it.
 *
 * <p>{@link ArrayMemory} counts an array as in use from its allocation until a scope frees it; an
 * array in the cache is not in use (PyTorch's memory allocated, not reserved), and counts again
 * once a scope takes it.
 */
public final class Intermediates implements AutoCloseable {
    /** The most bytes a thread's cache of freed arrays holds. */
    public static final long CACHE_BYTES = 256L << 20;

    private static final ThreadLocal<Intermediates> INNERMOST = new ThreadLocal<>();
    private static final ThreadLocal<FreeLists> CACHE = ThreadLocal.withInitial(FreeLists::new);

    private final Intermediates parent;
    private final boolean recording;
    private final FreeLists free;
    private final List<Owned> owned = new ArrayList<>();
    private final List<Tensor> kept = new ArrayList<>();
    private boolean closed;

    /** An array this scope allocated: its storage range and its count in {@link ArrayMemory}. */
    private record Owned(INDArray array, long address, long bytes, Cleaner.Cleanable counted) {
        ResultArrays.Key key() {
            return ResultArrays.Key.of(array);
        }

        /** The same array counted again in {@link ArrayMemory} (after the cache uncounted it). */
        Owned recounted() {
            return new Owned(array, address, bytes, ArrayMemory.count(array));
        }
    }

    /** Free arrays by element type and shape, and their total size. */
    private static final class FreeLists {
        private final Map<ResultArrays.Key, ArrayDeque<Owned>> lists = new HashMap<>();
        private long bytes;

        void add(Owned o) {
            lists.computeIfAbsent(o.key(), k -> new ArrayDeque<>()).addLast(o);
            bytes += o.bytes;
        }

        Owned take(DataType type, long[] shape) {
            ArrayDeque<Owned> list = lists.isEmpty() ? null : lists.get(new ResultArrays.Key(type, shape));
            Owned o = list == null ? null : list.pollLast();
            if (o != null) {
                bytes -= o.bytes;
            }
            return o;
        }
    }

    private Intermediates(Intermediates parent, boolean recording) {
        this.parent = parent;
        this.recording = recording;
        this.free = parent != null && parent.recording == recording ? parent.free : new FreeLists();
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
            Owned reused = s.free.take(type, shape);
            if (reused == null) {
                Owned cached = CACHE.get().take(type, shape);
                reused = cached == null ? null : cached.recounted();
            }
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
        } else if (!recording) {
            // a recording's kernels keep their arrays; the arrays of an eager computation are dead
            FreeLists cache = CACHE.get();
            for (ArrayDeque<Owned> list : free.lists.values()) {
                for (Owned o : list) {
                    if (o.array.closeable()) {
                        o.counted.clean();
                        cache.add(o);
                    }
                }
            }
            trim(cache, CACHE_BYTES);
        }
    }

    /** Closes every array in this thread's cache of freed arrays (what {@link #CACHE_BYTES} bounds). */
    public static void releaseCache() {
        trim(CACHE.get(), 0);
    }

    /** Closes cached arrays until the cache holds at most {@code limit} bytes. */
    private static void trim(FreeLists cache, long limit) {
        for (ArrayDeque<Owned> list : cache.lists.values()) {
            while (cache.bytes > limit && !list.isEmpty()) {
                Owned o = list.pollFirst();
                cache.bytes -= o.bytes;
                o.array.close();
            }
        }
        cache.lists.values().removeIf(ArrayDeque::isEmpty);
    }

    private void recycle(Owned o) {
        free.add(o);
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
