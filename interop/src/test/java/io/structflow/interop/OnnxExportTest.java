package io.structflow.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Sequential;
import io.structflow.integrators.rungekutta.ImplicitMidpoint;
import io.structflow.interop.ExampleNetworks.Example;
import io.structflow.interop.onnx.OnnxExport;
import io.structflow.layers.FlowLayer;
import io.structflow.layers.fields.ContractiveGradientField;
import io.structflow.layers.models.NetworkKind;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Every example network exported to ONNX and run in ONNX Runtime gives structflow's outputs to
 * 1e-5 (float32), on a random batch; a layer with an implicit solve is refused by name.
 */
class OnnxExportTest {
    private static final double TOLERANCE = 1e-5;

    static Stream<Example> examples() {
        List<Example> all = new ArrayList<>(List.of(ExampleNetworks.planar(DataType.FLOAT, 1),
                ExampleNetworks.cpl(DataType.FLOAT, 2), ExampleNetworks.sympNet(DataType.FLOAT, 3),
                ExampleNetworks.denoiser(DataType.FLOAT, 4), ExampleNetworks.rk4Denoiser(DataType.FLOAT, 6)));
        for (NetworkKind kind : NetworkKind.values()) {
            all.add(ExampleNetworks.robust(kind, DataType.FLOAT, 5));
        }
        return all.stream();
    }

    /** Runs an exported model on {@code x} in ONNX Runtime (one thread), returning the flat output. */
    static float[] runInOnnxRuntime(byte[] model, Tensor x) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            try (OrtSession session = env.createSession(model, options);
                 OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.value().dup('c').data().asFloat()),
                         x.shape());
                 OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
                OnnxTensor out = (OnnxTensor) result.get(OnnxExport.OUTPUT).orElseThrow();
                FloatBuffer buf = out.getFloatBuffer();
                float[] values = new float[buf.remaining()];
                buf.get(values);
                return values;
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void export_runsInOnnxRuntime_withStructflowsOutputs(Example example) throws OrtException {
        long[] shape = new long[example.sampleShape().length + 1];
        shape[0] = 5;
        System.arraycopy(example.sampleShape(), 0, shape, 1, example.sampleShape().length);
        Tensor x = Tensor.randn(DataType.FLOAT, new SplittableRandom(11), shape);
        float[] expected = example.model().forward(x).value().dup('c').data().asFloat();
        float[] actual = runInOnnxRuntime(OnnxExport.toBytes(example.model(), example.sampleShape(), DataType.FLOAT), x);
        assertEquals(expected.length, actual.length, example.name());
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 1e-3, example.name() + ": outputs expected non-trivial but max |y| = " + scale);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOLERANCE * Math.max(1, scale), example.name() + " at " + i);
        }
    }

    @Test
    void export_implicitMidpointLayer_isRefusedNamingTheLayer() {
        SplittableRandom rng = new SplittableRandom(1);
        Sequential model = new Sequential(new io.structflow.core.nn.Linear(2, 4, true, DataType.FLOAT, rng),
                FlowLayer.fixedStep(new ContractiveGradientField(4, 4, Activation.tanh(), false, DataType.FLOAT, rng),
                        new ImplicitMidpoint(), 0.1, 1, DataType.FLOAT));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> OnnxExport.toBytes(model, new long[] {2}, DataType.FLOAT));
        for (String w : new String[] {"layer \"1\"", "FlowLayer", "ImplicitMidpoint", "no exact inference graph"}) {
            assertTrue(e.getMessage().contains(w), () -> "expected \"" + w + "\" in: " + e.getMessage());
        }
    }

    @Test
    void export_moduleWithoutAGraph_isRefusedNamingIt() {
        Sequential model = new Sequential(new io.structflow.core.nn.Lambda("square", t -> t.mul(t)));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> OnnxExport.toBytes(model, new long[] {3}, DataType.FLOAT));
        assertTrue(e.getMessage().contains("layer \"0\" (Lambda)"), e.getMessage());
    }

    @Test
    void export_headerFields_followTheSpec() {
        byte[] bytes = OnnxExport.toBytes(ExampleNetworks.cpl(DataType.FLOAT, 2).model(), new long[] {4},
                DataType.FLOAT);
        // ModelProto field 1 (ir_version, varint): tag 0x08, value 8
        assertArrayEquals(new byte[] {0x08, 0x08}, new byte[] {bytes[0], bytes[1]});
        // field 2 (producer_name, length-delimited): tag 0x12, length 10, "structflow"
        assertEquals(0x12, bytes[2]);
        assertEquals("structflow", new String(bytes, 4, bytes[3], java.nio.charset.StandardCharsets.UTF_8));
    }
}
