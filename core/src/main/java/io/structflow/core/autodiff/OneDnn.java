package io.structflow.core.autodiff;

import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_tag;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;

import io.structflow.core.Backend;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What every direct oneDNN kernel ({@link OneDnnConvolution}, {@link OneDnnEltwise}) shares: the CPU
 * engine, one stream per thread, status checks, float32 memory descriptors, and reading an ND4J
 * array's address. oneDNN reads and writes arrays in place through these addresses, so an array
 * handed to it must be one contiguous C-order block ({@link #contiguous}).
 */
final class OneDnn {
    static {
        Backend.init();   // libnd4j's own oneDNN loads first, as in every kernel
    }

    /** The CPU engine of the process. */
    static final dnnl_engine ENGINE = new dnnl_engine();
    private static final ThreadLocal<dnnl_stream> STREAM = ThreadLocal.withInitial(() -> {
        dnnl_stream s = new dnnl_stream();
        check(dnnl_stream_create(s, ENGINE, dnnl_stream_default_flags), "stream");
        return s;
    });

    static {
        check(dnnl_engine_create(ENGINE, dnnl_cpu, 0), "engine");
    }

    private OneDnn() {
    }

    /** This thread's stream (primitives run in order on it; {@code dnnl_stream_wait} ends a run). */
    static dnnl_stream stream() {
        return STREAM.get();
    }

    /** Throws naming {@code what} unless {@code status} is {@code dnnl_success}. */
    static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN " + what + " failed with status " + status);
        }
    }

    /** A float32 memory descriptor of these dimensions in the layout {@code tag}. */
    static dnnl_memory_desc_t desc(long[] dims, int tag) {
        dnnl_memory_desc_t d = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(d, dims.length, dims, dnnl_f32, tag), "memory descriptor");
        return d;
    }

    /** A primitive of {@code pd} with its argument list ({@code keys[i]} bound to {@code memories[i]}). */
    static Step step(dnnl_primitive_desc pd, int[] keys, dnnl_memory... memories) {
        dnnl_primitive p = new dnnl_primitive();
        check(dnnl_primitive_create(p, pd), "primitive");
        dnnl_exec_arg_t a = new dnnl_exec_arg_t(keys.length);
        for (int i = 0; i < keys.length; i++) {
            a.position(i).arg(keys[i]).memory(memories[i]);
        }
        return new Step(p, a.position(0), keys.length);
    }

    /** One primitive and the arguments it runs with. */
    record Step(dnnl_primitive primitive, dnnl_exec_arg_t arguments, int count) {
    }

    /** C-order strides (size-1 axes aside), so the array is one block from its buffer's address. */
    static boolean contiguous(INDArray a) {
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** The address of the array's first element (a view's buffer starts at the view). */
    static long address(INDArray a) {
        return a.data().addressPointer().address();
    }

    /**
     * oneDNN memories bound to ND4J arrays by address: a memory's data handle is set only when the
     * array in its slot has another address than in the previous run. The address is read only
     * when the slot's data buffer is another object than last time (a buffer's address is fixed;
     * reading it makes pointer objects), so a replay binds without allocating.
     */
    static final class Bindings {
        private final dnnl_memory[] memories;
        private final long[] bound;
        private final WeakReference<?>[] buffers;
        private final Address handle = new Address();

        Bindings(dnnl_memory... memories) {
            this.memories = memories;
            this.bound = new long[memories.length];
            this.buffers = new WeakReference<?>[memories.length];
            Arrays.fill(bound, -1);
        }

        /** Points the memory of {@code slot} at {@code array}'s data. */
        void bind(int slot, INDArray array) {
            DataBuffer data = array.data();
            if (buffers[slot] != null && buffers[slot].get() == data) {
                return;
            }
            buffers[slot] = new WeakReference<>(data);
            long at = address(array);
            if (bound[slot] != at) {
                check(dnnl_memory_set_data_handle(memories[slot], handle.at(at)), "set data handle");
                bound[slot] = at;
            }
        }
    }

    /** A JavaCPP pointer whose address is set in place (no object per call). */
    static final class Address extends FloatPointer {
        Address() {
            super((Pointer) null);
        }

        Address at(long address) {
            this.address = address;
            return this;
        }
    }
}
