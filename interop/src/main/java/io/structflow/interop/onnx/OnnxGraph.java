package io.structflow.interop.onnx;

import io.structflow.core.autodiff.ConvGeometry;
import io.structflow.core.nn.Exportable;
import io.structflow.core.nn.InferenceGraph;
import io.structflow.core.nn.Module;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An {@link InferenceGraph} that records ONNX nodes and initializers and encodes them as a
 * {@code GraphProto} of the ONNX specification ({@code onnx/onnx.proto}, IR version 8; the
 * operators' semantics are those of opset {@value OnnxExport#OPSET}). Node and value names are the
 * module's dotted path followed by the operator ({@code dynamics.0.contractive.field/Gemm_3}).
 */
final class OnnxGraph implements InferenceGraph {
    /** {@code TensorProto.DataType} codes. */
    private static final int FLOAT = 1;
    private static final int INT64 = 7;
    private static final int DOUBLE = 11;
    /** {@code AttributeProto.AttributeType} codes. */
    private static final int ATTRIBUTE_FLOAT = 1;
    private static final int ATTRIBUTE_INT = 2;
    private static final int ATTRIBUTE_INTS = 7;

    private record Attribute(String name, int type, float f, long[] ints) {
    }

    private record Node(String op, List<String> inputs, String output, String name, List<Attribute> attributes) {
    }

    private final DataType type;
    private final List<Node> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final Deque<String> scope = new ArrayDeque<>();
    private final Map<String, Integer> used = new HashMap<>();

    OnnxGraph(DataType type) {
        this.type = type;
    }

    /** The graph's element type code. */
    int elementType() {
        return type == DataType.DOUBLE ? DOUBLE : FLOAT;
    }

    private String path() {
        return scope.isEmpty() ? "model" : String.join(".", scope);
    }

    /** A fresh name {@code <path>/<stem>_<n>}. */
    private String fresh(String stem) {
        String base = path() + "/" + stem;
        int n = used.merge(base, 1, Integer::sum);
        return base + "_" + (n - 1);
    }

    @Override
    public Value apply(String child, Module module, Value x) {
        scope.addLast(child);
        try {
            return appendScoped(module, x);
        } finally {
            scope.removeLast();
        }
    }

    /** Appends the whole model to the graph at the root scope. */
    Value applyRoot(Module model, Value x) {
        return appendScoped(model, x);
    }

    /**
     * The module's own graph in the current scope; the innermost module that cannot describe
     * itself is named in the error (outer scopes pass it on unchanged).
     */
    private Value appendScoped(Module module, Value x) {
        if (!(module instanceof Exportable e)) {
            throw new NotExportableException(path(), module, module.getClass().getSimpleName()
                    + " does not implement Exportable (it cannot describe its inference graph)");
        }
        try {
            return e.appendTo(this, x);
        } catch (NotExportableException ex) {
            throw ex;
        } catch (UnsupportedOperationException ex) {
            throw new NotExportableException(path(), module, ex.getMessage());
        }
    }

    /** The error for a module with no exact graph: its dotted path, its class and the reason. */
    static final class NotExportableException extends UnsupportedOperationException {
        NotExportableException(String path, Module module, String reason) {
            super("ONNX export: layer \"" + path + "\" (" + module.getClass().getSimpleName()
                    + ") has no exact inference graph: " + reason);
        }
    }

    private Value node(String op, long[] shape, List<Attribute> attributes, String... inputs) {
        String out = fresh(op);
        nodes.add(new Node(op, List.of(inputs), out, out, attributes));
        return new Value(out, shape);
    }

    private Value node(String op, long[] shape, String... inputs) {
        return node(op, shape, List.of(), inputs);
    }

    private static Attribute ints(String name, long... v) {
        return new Attribute(name, ATTRIBUTE_INTS, 0, v);
    }

    private static Attribute integer(String name, long v) {
        return new Attribute(name, ATTRIBUTE_INT, 0, new long[] {v});
    }

    private static Attribute real(String name, double v) {
        return new Attribute(name, ATTRIBUTE_FLOAT, (float) v, null);
    }

    @Override
    public Value constant(String name, INDArray value) {
        String n = fresh(name);
        INDArray c = value.castTo(type).dup('c');
        ByteBuffer raw = ByteBuffer.allocate(Math.toIntExact(c.length() * (type == DataType.DOUBLE ? 8 : 4)))
                .order(ByteOrder.LITTLE_ENDIAN);
        if (type == DataType.DOUBLE) {
            raw.asDoubleBuffer().put(c.data().asDouble());
        } else {
            raw.asFloatBuffer().put(c.data().asFloat());
        }
        addInitializer(n, c.shape(), elementType(), raw.array());
        return new Value(n, c.shape());
    }

    private String int64Constant(String name, long... values) {
        String n = fresh(name);
        ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        addInitializer(n, new long[] {values.length}, INT64, raw.array());
        return n;
    }

    /** TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9. */
    private void addInitializer(String name, long[] dims, int dataType, byte[] raw) {
        ProtoWriter t = new ProtoWriter();
        for (long d : dims) {
            t.int64(1, d);
        }
        t.int32(2, dataType).string(8, name).bytes(9, raw);
        initializers.add(t);
    }

    private static long[] shape(long... dims) {
        return dims;
    }

    @Override
    public Value linear(Value x, INDArray weight, INDArray bias) {
        Value w = constant("weight", weight);
        long[] out = shape(BATCH, weight.size(0));
        List<Attribute> transposeB = List.of(integer("transB", 1));
        return bias == null ? node("Gemm", out, transposeB, x.name(), w.name())
                : node("Gemm", out, transposeB, x.name(), w.name(), constant("bias", bias).name());
    }

    @Override
    public Value matmul(Value x, INDArray weight) {
        return node("MatMul", shape(BATCH, weight.size(1)), x.name(), constant("weight", weight).name());
    }

    /** Numpy broadcasting of two shapes (the batch dimension wins over a 1). */
    private static long[] broadcast(long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            long db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            out[i] = da == BATCH || db == BATCH ? BATCH : Math.max(da, db);
        }
        return out;
    }

    @Override
    public Value add(Value a, Value b) {
        return node("Add", broadcast(a.shape(), b.shape()), a.name(), b.name());
    }

    @Override
    public Value sub(Value a, Value b) {
        return node("Sub", broadcast(a.shape(), b.shape()), a.name(), b.name());
    }

    @Override
    public Value mul(Value a, Value b) {
        return node("Mul", broadcast(a.shape(), b.shape()), a.name(), b.name());
    }

    @Override
    public Value scale(Value x, double c) {
        return mul(x, constant("scale", Nd4j.scalar(c)));
    }

    @Override
    public Value addConstant(Value x, INDArray c) {
        return add(x, constant("bias", c));
    }

    @Override
    public Value mulConstant(Value x, INDArray c) {
        return mul(x, constant("factor", c));
    }

    @Override
    public Value relu(Value z) {
        return node("Relu", z.shape(), z.name());
    }

    @Override
    public Value leakyRelu(Value z, double slope) {
        return node("LeakyRelu", z.shape(), List.of(real("alpha", slope)), z.name());
    }

    @Override
    public Value tanh(Value z) {
        return node("Tanh", z.shape(), z.name());
    }

    private static List<Attribute> convAttributes(INDArray kernel, ConvGeometry g) {
        return new ArrayList<>(List.of(ints("kernel_shape", kernel.size(2), kernel.size(3)),
                ints("pads", g.padH(), g.padW(), g.padH(), g.padW()), ints("strides", g.strideH(), g.strideW())));
    }

    @Override
    public Value conv(Value x, INDArray kernel, INDArray bias, ConvGeometry geometry) {
        long[] out = shape(BATCH, kernel.size(0), geometry.outSize(x.size(2), kernel.size(2), true),
                geometry.outSize(x.size(3), kernel.size(3), false));
        Value k = constant("kernel", kernel);
        List<Attribute> attributes = convAttributes(kernel, geometry);
        return bias == null ? node("Conv", out, attributes, x.name(), k.name())
                : node("Conv", out, attributes, x.name(), k.name(), constant("bias", bias).name());
    }

    /**
     * ConvTranspose's output size is {@code s(in − 1) + output_padding + k − 2p}; the output padding
     * makes it the requested size, as the adjoint of a strided convolution needs.
     */
    @Override
    public Value convTranspose(Value y, INDArray kernel, ConvGeometry geometry, long outHeight, long outWidth) {
        long padH = outHeight - (geometry.strideH() * (y.size(2) - 1) + kernel.size(2) - 2L * geometry.padH());
        long padW = outWidth - (geometry.strideW() * (y.size(3) - 1) + kernel.size(3) - 2L * geometry.padW());
        List<Attribute> attributes = convAttributes(kernel, geometry);
        attributes.add(ints("output_padding", padH, padW));
        return node("ConvTranspose", shape(BATCH, kernel.size(1), outHeight, outWidth), attributes, y.name(),
                constant("kernel", kernel).name());
    }

    @Override
    public Value averagePool(Value x, int k) {
        return node("AveragePool", shape(BATCH, x.size(1), x.size(2) / k, x.size(3) / k),
                List.of(ints("kernel_shape", k, k), ints("strides", k, k)), x.name());
    }

    @Override
    public Value flatten(Value x) {
        long n = 1;
        for (int i = 1; i < x.rank(); i++) {
            n *= x.size(i);
        }
        return node("Flatten", shape(BATCH, n), List.of(integer("axis", 1)), x.name());
    }

    @Override
    public Value pad(Value x, long[] before, long[] after) {
        long[] pads = new long[2 * x.rank()];
        long[] out = x.shape();
        for (int i = 0; i < x.rank(); i++) {
            pads[i] = before[i];
            pads[x.rank() + i] = after[i];
            if (i > 0) {
                out[i] += before[i] + after[i];
            }
        }
        return node("Pad", out, x.name(), int64Constant("pads", pads));
    }

    @Override
    public Value slice(Value x, int axis, long start, long end) {
        long[] out = x.shape();
        out[axis] = end - start;
        return node("Slice", out, x.name(), int64Constant("starts", start), int64Constant("ends", end),
                int64Constant("axes", axis));
    }

    @Override
    public Value concat(int axis, Value... parts) {
        long[] out = parts[0].shape();
        out[axis] = 0;
        String[] names = new String[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[axis] += parts[i].size(axis);
            names[i] = parts[i].name();
        }
        return node("Concat", out, List.of(integer("axis", axis)), names);
    }

    /** Renames the final value to {@code name} through an Identity node. */
    Value identity(Value x, String name) {
        nodes.add(new Node("Identity", List.of(x.name()), name, name, List.of()));
        return new Value(name, x.shape());
    }

    /**
     * GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12.
     *
     * @param input  the graph input (shape with {@link #BATCH} as the symbolic dimension "batch")
     * @param output the graph output
     */
    ProtoWriter encode(String name, Value input, Value output) {
        ProtoWriter g = new ProtoWriter();
        for (Node n : nodes) {
            g.message(1, encode(n));
        }
        g.string(2, name);
        for (ProtoWriter t : initializers) {
            g.message(5, t);
        }
        g.message(11, valueInfo(input));
        g.message(12, valueInfo(output));
        return g;
    }

    /** NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5. */
    private static ProtoWriter encode(Node n) {
        ProtoWriter w = new ProtoWriter();
        for (String in : n.inputs) {
            w.string(1, in);
        }
        w.string(2, n.output).string(3, n.name).string(4, n.op);
        for (Attribute a : n.attributes) {
            w.message(5, encode(a));
        }
        return w;
    }

    /** AttributeProto: name = 1, f = 2, i = 3, ints = 8, type = 20. */
    private static ProtoWriter encode(Attribute a) {
        ProtoWriter w = new ProtoWriter().string(1, a.name);
        switch (a.type) {
            case ATTRIBUTE_FLOAT -> w.float32(2, a.f);
            case ATTRIBUTE_INT -> w.int64(3, a.ints[0]);
            default -> Arrays.stream(a.ints).forEach(v -> w.int64(8, v));
        }
        return w.int32(20, a.type);
    }

    /**
     * ValueInfoProto (name = 1, type = 2) of a tensor: TypeProto.tensor_type = 1;
     * TypeProto.Tensor elem_type = 1, shape = 2; TensorShapeProto.dim = 1; Dimension dim_value = 1,
     * dim_param = 2.
     */
    private ProtoWriter valueInfo(Value v) {
        ProtoWriter shape = new ProtoWriter();
        for (long d : v.shape()) {
            shape.message(1, d == BATCH ? new ProtoWriter().string(2, "batch") : new ProtoWriter().int64(1, d));
        }
        ProtoWriter tensor = new ProtoWriter().int32(1, elementType()).message(2, shape);
        return new ProtoWriter().string(1, v.name()).message(2, new ProtoWriter().message(1, tensor));
    }
}
