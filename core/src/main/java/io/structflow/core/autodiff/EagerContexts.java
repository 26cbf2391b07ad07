package io.structflow.core.autodiff;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;

/**
 * Native op contexts reused by the eager (not replayed) runs of {@link NativeKernel}s, one per
 * thread and op form (op name, number of floating-point arguments, integer and boolean arguments,
 * helper choice).
 *
 * <p>A kernel that runs on arrays it has not run on before would otherwise build a
 * {@code DynamicCustomOp} and a fresh native context and go through {@code Nd4j.exec}: two thirds
 * of an eager tiny op's dispatch time went into creating and destroying that context
 * ({@code docs/performance.md}, "Eager tiny ops"). Here the context of an op form is created once;
 * each run sets the run's arrays on it, executes, and then purges it. The purge is required: libnd4j
 * keeps a wrapper of every array ever set on a context until the context is purged or closed
 * (without it, memory grows by about 400 bytes per run). Floating-point arguments are compared
 * and set again only when they differ from the context's (a gemm's alpha = −h changes every step).
 *
 * <p>libnd4j validates shapes and types inside the op either way; a failure throws with the op's
 * name and libnd4j's message. The cache holds at most {@value #MAX_FORMS} forms per thread and is
 * emptied (its contexts closed) when a new form would exceed that, so integer arguments that change
 * with every run (an optimiser's iteration count) cannot make it grow without bound. The contexts
 * of a thread live as long as the thread.
 */
final class EagerContexts {
    static final int MAX_FORMS = 256;

    private static final ThreadLocal<Map<Form, Prepared>> CONTEXTS = ThreadLocal.withInitial(HashMap::new);

    private EagerContexts() {
    }

    /**
     * An op form: what a context is prepared with once — all but the values of the floating-point
     * arguments (their number is part of the form: a context's arguments can be replaced, not removed)
     * and the arrays.
     */
    private record Form(String name, int tCount, long[] iArgs, boolean[] bArgs, boolean helpers) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Form f && f.helpers == helpers && f.tCount == tCount && f.name.equals(name)
                    && Arrays.equals(f.iArgs, iArgs) && Arrays.equals(f.bArgs, bArgs);
        }

        @Override
        public int hashCode() {
            return ((name.hashCode() * 31 + tCount) * 31 + Arrays.hashCode(iArgs)) * 31 + Arrays.hashCode(bArgs)
                    + (helpers ? 1 : 0);
        }
    }

    /** A context prepared for one form, the op's hash and the floating-point arguments it holds now. */
    private static final class Prepared {
        final OpContext context;
        final long hash;
        double[] tArgs = new double[0];

        Prepared(OpContext context, long hash) {
            this.context = context;
            this.hash = hash;
        }
    }

    /**
     * Runs the custom op {@code name} with these arguments on {@code in}, writing {@code out}.
     *
     * @return the op's hash (what a prepared context is executed with)
     */
    static long exec(NativeOps nativeOps, String name, double[] tArgs, long[] iArgs, boolean[] bArgs, boolean helpers,
                     INDArray[] in, INDArray[] out) {
        Prepared p = prepared(name, tArgs.length, iArgs, bArgs, helpers);
        if (!Arrays.equals(p.tArgs, tArgs)) {
            p.context.setTArguments(tArgs);
            p.tArgs = tArgs.clone();
        }
        OpContext ctx = p.context;
        try {
            for (int i = 0; i < in.length; i++) {
                ctx.setInputArray(i, in[i]);
            }
            for (int i = 0; i < out.length; i++) {
                ctx.setOutputArray(i, out[i]);
            }
            int status = nativeOps.execCustomOp2(null, p.hash, ctx.contextPointer());
            if (nativeOps.lastErrorCode() != 0) {
                throw new IllegalStateException("native op " + name + " failed: " + nativeOps.lastErrorMessage());
            }
            if (status != 0) {
                throw new IllegalStateException("native op " + name + " failed with status " + status);
            }
        } finally {
            ctx.purge();
        }
        return p.hash;
    }

    private static Prepared prepared(String name, int tCount, long[] iArgs, boolean[] bArgs, boolean helpers) {
        Map<Form, Prepared> forms = CONTEXTS.get();
        Form form = new Form(name, tCount, iArgs, bArgs, helpers);
        Prepared p = forms.get(form);
        if (p != null) {
            return p;
        }
        if (forms.size() >= MAX_FORMS) {
            for (Prepared old : forms.values()) {
                close(old.context);
            }
            forms.clear();
        }
        var descriptor = Nd4j.getExecutioner().getCustomOperations().get(name);
        if (descriptor == null) {
            throw new IllegalArgumentException("NativeKernel: no libnd4j custom op named '" + name + "'");
        }
        p = new Prepared(newContext(new double[0], iArgs, bArgs, helpers), descriptor.getHash());
        forms.put(new Form(name, tCount, iArgs.clone(), bArgs.clone(), helpers), p);
        return p;
    }

    /** A new native op context holding these arguments and this helper choice (no arrays yet). */
    static OpContext newContext(double[] tArgs, long[] iArgs, boolean[] bArgs, boolean helpers) {
        OpContext ctx = Nd4j.getExecutioner().buildContext();
        if (tArgs.length > 0) {
            ctx.setTArguments(tArgs);
        }
        if (iArgs.length > 0) {
            ctx.setIArguments(iArgs);
        }
        if (bArgs.length > 0) {
            ctx.setBArguments(bArgs);
        }
        ctx.allowHelpers(helpers);
        return ctx;
    }

    private static void close(OpContext context) {
        try {
            context.close();
        } catch (Exception e) {
            throw new IllegalStateException("EagerContexts: closing a native op context failed: " + e, e);
        }
    }
}
