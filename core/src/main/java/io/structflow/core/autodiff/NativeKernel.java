package io.structflow.core.autodiff;

import io.structflow.core.Backend;
import java.util.Arrays;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.LongPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.nd4j.nativeblas.OpaqueContext;

/**
 * A {@link Kernel} that runs one libnd4j custom operation (by name, with fixed numeric
 * arguments) and becomes cheap when replayed.
 *
 * <p>A run on arrays the kernel has not run on before uses the thread's reusable context of this op
 * form ({@link EagerContexts}); libnd4j validates shapes and types inside the op. When the kernel
 * runs again on the very same arrays — as every kernel of a {@link Replay} does — it prepares a
 * native op context of its own once and from then on only calls the native library, which costs
 * about a microsecond ({@code shared/ND4J-PERF.md}). Arguments
 * that change between runs (a learnable step h, say) must therefore be passed as input arrays,
 * or read from one by the enclosing kernel and set with {@link #setFloatArguments} before each
 * run — never baked in as numbers when recording.
 *
 * <p>oneDNN helpers: a kernel runs in an op context of its own that allows them only if it was
 * made {@link #withHelpers()} (the convolutions). libnd4j uses a helper only when both the
 * context and the process-wide switch of {@link Backend#withHelpers} allow it, so another
 * thread's convolution, which turns the switch on, never changes how this kernel computes.
 */
public final class NativeKernel implements Kernel {
    static {
        Backend.init();   // selects the oneDNN build before the native library loads
    }

    private static final NativeOps NATIVE = NativeOpsHolder.getInstance().getDeviceNativeOps();

    private final String name;
    private double[] tArgs;
    private long[] iArgs;
    private final boolean[] bArgs;
    private final boolean helpers;
    private INDArray[] lastIn;
    private INDArray[] lastOut;
    private OpContext context;
    private long hash;
    private DoublePointer nativeFloatArguments;
    private LongPointer nativeIntArguments;

    private NativeKernel(String name, double[] tArgs, long[] iArgs, boolean[] bArgs, boolean helpers) {
        this.name = name;
        this.tArgs = tArgs;
        this.iArgs = iArgs;
        this.bArgs = bArgs;
        this.helpers = helpers;
    }

    /** The custom op {@code name} with floating-point arguments only. */
    public static NativeKernel of(String name, double... tArgs) {
        return new NativeKernel(name, tArgs, new long[0], new boolean[0], false);
    }

    /** The custom op {@code name} with floating-point, integer and boolean arguments. */
    public static NativeKernel of(String name, double[] tArgs, long[] iArgs, boolean... bArgs) {
        return new NativeKernel(name, tArgs, iArgs, bArgs, false);
    }

    /** libnd4j's {@code cast} into FLOAT or DOUBLE (its data-type codes 5 and 6). */
    static NativeKernel cast(DataType to) {
        if (to != DataType.FLOAT && to != DataType.DOUBLE) {
            throw new IllegalArgumentException("NativeKernel.cast: to expected FLOAT or DOUBLE but got " + to);
        }
        return of("cast", new double[0], new long[] {to == DataType.DOUBLE ? 6 : 5});
    }

    /**
     * A copy of one array into another of the same shape and element type, either possibly a
     * strided view: libnd4j's {@code identity}. Make one per operation, so that a replay runs it on
     * a prepared context.
     */
    static NativeKernel copy() {
        return of("identity");
    }

    /**
     * The same op, allowed to use oneDNN's helper when run inside {@link Backend#withHelpers}
     * (convolutions: about 18× faster there).
     */
    public NativeKernel withHelpers() {
        return new NativeKernel(name, tArgs, iArgs, bArgs, true);
    }

    /**
     * Replaces the floating-point arguments (for one that changes between runs and is read from an
     * array inside a kernel, such as a gemm's alpha = −h); updates the prepared context in place.
     */
    public void setFloatArguments(double... values) {
        if (Arrays.equals(tArgs, values)) {
            return;
        }
        tArgs = values.clone();
        pushArguments();
    }

    /**
     * Replaces the integer arguments (for an argument that changes between runs, such as an
     * optimiser's iteration count); updates the prepared context in place.
     */
    public void setIntArguments(long... values) {
        iArgs = values.clone();
        pushArguments();
    }

    /**
     * Sets the arguments on the prepared context, if any. ND4J's {@code setTArguments} and
     * {@code setIArguments} make a JavaCPP pointer per call (and with it a read of
     * {@code /proc/self/statm} for the {@code maxphysicalbytes} check); libnd4j copies the values,
     * so one kept pointer of each kind serves every call.
     */
    private void pushArguments() {
        if (context == null) {
            return;
        }
        if (nativeFloatArguments == null || nativeFloatArguments.capacity() < tArgs.length) {
            nativeFloatArguments = new DoublePointer(Math.max(tArgs.length, 1));
        }
        if (nativeIntArguments == null || nativeIntArguments.capacity() < iArgs.length) {
            nativeIntArguments = new LongPointer(Math.max(iArgs.length, 1));
        }
        OpaqueContext c = (OpaqueContext) context.contextPointer();
        NATIVE.setGraphContextTArguments(c, nativeFloatArguments.put(tArgs), tArgs.length);
        NATIVE.setGraphContextIArguments(c, nativeIntArguments.put(iArgs), iArgs.length);
    }

    /** Runs this kernel now (recording it if a {@link Replay} is open). */
    public void exec(INDArray[] in, INDArray... out) {
        Replay.exec(this, in, out);
    }

    @Override
    public void run(INDArray[] in, INDArray[] out) {
        if (context != null && same(in, lastIn) && same(out, lastOut)) {
            int status = NATIVE.execCustomOp2(null, hash, context.contextPointer());
            if (status != 0) {
                throw new IllegalStateException("native op " + name + " failed with status " + status);
            }
            return;
        }
        if (lastIn != null && same(in, lastIn) && same(out, lastOut)) {
            prepare(in, out);
            run(in, out);
            return;
        }
        context = null;   // prepared for other arrays: first run on these uses the thread's context of this op form, the next prepares
        hash = EagerContexts.exec(NATIVE, name, tArgs, iArgs, bArgs, helpers, in, out);
        lastIn = in.clone();
        lastOut = out.clone();
    }

    private void prepare(INDArray[] in, INDArray[] out) {
        context = context(in, out);
    }

    /** A native op context for these arrays and this kernel's arguments and helper choice. */
    private OpContext context(INDArray[] in, INDArray[] out) {
        OpContext ctx = EagerContexts.newContext(tArgs, iArgs, bArgs, helpers);
        ctx.setInputArrays(in);
        ctx.setOutputArrays(out);
        return ctx;
    }

    private static boolean same(INDArray[] a, INDArray[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "NativeKernel(" + name + ")";
    }
}
