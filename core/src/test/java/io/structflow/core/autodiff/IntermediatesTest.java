package io.structflow.core.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.check.Agreement;
import io.structflow.core.data.Batch;
import io.structflow.core.nn.Parameter;
import io.structflow.core.train.CompiledStep;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class IntermediatesTest {
    private static final DataType D = DataType.DOUBLE;

    @Test
    void releaseExcept_freesOnlyArraysNoSurvivorShares_andReusesThem() {
        Tensor x = Tensor.randn(D, new SplittableRandom(1), 4, 6);
        double[] xs = x.toDoubleArray();
        Tensor a;
        Tensor view;
        try (Intermediates scope = Intermediates.open()) {
            a = x.add(1.0);
            view = a.reshape(6, 4);
            Tensor c = a.mul(2.0);
            scope.releaseExcept(view);
            Tensor d = x.sub(1.0);
            assertSame(c.value(), d.value(), "the freed array of c is reused for the next array of its shape");
            assertFalse(a.value().wasClosed(), "a is shared by the surviving view");
            double[] v = view.toDoubleArray();
            double[] ds = d.toDoubleArray();
            for (int i = 0; i < xs.length; i++) {
                assertEquals(xs[i] + 1, v[i], 0.0);
                assertEquals(xs[i] - 1, ds[i], 0.0);
            }
        }
        assertFalse(a.value().wasClosed(), "the outermost scope leaves what nothing kept to the thread's cache");
        Intermediates.releaseCache();
        assertTrue(a.value().wasClosed(), "releaseCache closes the cached arrays");
        assertFalse(x.value().wasClosed(), "an array allocated before the scope is never freed");
        assertArrayEquals(xs, x.toDoubleArray(), 0.0);
    }

    /**
     * The arrays an outermost scope freed serve the next scope on the thread (not counted as in use
     * meanwhile); survivors and arrays allocated outside scopes never enter the cache.
     */
    @Test
    void cache_arraysFreedByOneScope_areTakenByTheNext_andSurvivorsNeverAre() {
        Intermediates.releaseCache();
        Tensor x = Tensor.randn(D, new SplittableRandom(5), 7, 3);
        double[] xs = x.toDoubleArray();
        ArrayMemory.resetPeak();
        Tensor freed;
        Tensor kept;
        try (Intermediates scope = Intermediates.open()) {
            freed = x.mul(2.0);
            kept = x.add(5.0);
            scope.keep(kept);
        }
        assertEquals(kept.length() * 8L, ArrayMemory.heldSinceReset(), "a cached array is not in use");
        Tensor outside = x.mul(3.0);
        assertFalse(outside.value() == freed.value(), "an allocation outside scopes never takes a cached array");
        Tensor again;
        Tensor fresh;
        try (Intermediates scope = Intermediates.open()) {
            again = x.sub(1.0);
            fresh = x.sub(2.0);
            assertSame(freed.value(), again.value(), "the next scope takes the freed array");
            assertFalse(fresh.value() == kept.value(), "a survivor is never reused");
            assertEquals(kept.length() * 8L * 4, ArrayMemory.heldSinceReset(),
                    "kept, outside, and again (taken from the cache) and fresh in use");
            double[] a = again.toDoubleArray();
            double[] k = kept.toDoubleArray();
            for (int i = 0; i < xs.length; i++) {
                assertEquals(xs[i] - 1, a[i], 0.0);
                assertEquals(xs[i] + 5, k[i], 0.0);
            }
        }
        Intermediates.releaseCache();
        assertTrue(again.value().wasClosed() && fresh.value().wasClosed());
        assertFalse(kept.value().wasClosed() || outside.value().wasClosed());
    }

    @Test
    void close_nestedScope_passesSurvivorsToTheEnclosingScope_andFreesEverythingAtTheOutermost() {
        Tensor x = Tensor.randn(D, new SplittableRandom(2), 3, 5);
        ArrayMemory.resetPeak();
        Tensor kept;
        Tensor y;
        try (Intermediates outer = Intermediates.open()) {
            Tensor t;
            try (Intermediates inner = Intermediates.open()) {
                t = x.mul(3.0);
                y = t.tanh();
                inner.keep(y);
            }
            assertFalse(y.value().wasClosed());
            assertEquals(Math.tanh(3 * x.toDoubleArray()[4]), y.toDoubleArray()[4], 1e-15);
            kept = y.exp();
            outer.keep(kept);
            assertTrue(ArrayMemory.heldSinceReset() > 0);
        }
        Intermediates.releaseCache();
        assertTrue(y.value().wasClosed(), "the inner survivor is freed by the outer scope, which did not keep it");
        assertFalse(kept.value().wasClosed());
        assertEquals(Math.exp(Math.tanh(3 * x.toDoubleArray()[7])), kept.toDoubleArray()[7], 1e-15);
        // every array the scopes allocated is freed except the kept one
        assertEquals(kept.length() * 8L, ArrayMemory.heldSinceReset(), "bytes held after the scopes");
    }

    @Test
    void close_outOfOrder_isRefusedNamingTheRule() {
        Intermediates outer = Intermediates.open();
        Intermediates inner = Intermediates.open();
        IllegalStateException e = assertThrows(IllegalStateException.class, outer::close);
        assertTrue(e.getMessage().contains("close scopes in the reverse order of opening"), e.getMessage());
        inner.close();
        outer.close();
        e = assertThrows(IllegalStateException.class, () -> outer.keep(List.of()));
        assertTrue(e.getMessage().contains("already closed"), e.getMessage());
    }

    /** One eager training step of a reversible shear chain (lift → L shears → head), in a scope as Trainer runs it. */
    private static void reversibleStep(RecomputeTest.Net net, Tensor x) {
        net.zeroGrad();
        try (Intermediates scope = Intermediates.open()) {
            Autograd.backward(net.forward(x).square().mean());
        }
    }

    /** The high-water mark of the tensor-operation memory one step allocates. */
    private static long stepPeak(RecomputeTest.Net net, Tensor x) {
        reversibleStep(net, x);
        ArrayMemory.resetPeak();
        reversibleStep(net, x);
        return ArrayMemory.peakBytes();
    }

    @Test
    void reversibleStep_peakMemory_doesNotGrowWithDepth_andReturnsToItsValueBefore() {
        Tensor x = Tensor.randn(D, new SplittableRandom(3), 512, 3);
        RecomputeTest.Net shallow = new RecomputeTest.Net(10, 4);
        RecomputeTest.Net deep = new RecomputeTest.Net(300, 4);
        shallow.reversible = true;
        deep.reversible = true;
        long shallowPeak = stepPeak(shallow, x);
        long before = ArrayMemory.bytesInUse();
        long deepPeak = stepPeak(deep, x);
        long after = ArrayMemory.bytesInUse();
        // one activation [512, 4] is 16 kB; without release the deep step's forward alone leaves 300 of them
        assertTrue(shallowPeak >= 16 * 1024, "a step holds at least one activation, peak " + shallowPeak + " B");
        assertTrue(deepPeak <= 1.2 * shallowPeak, "peak " + deepPeak + " B at depth 300 vs " + shallowPeak
                + " B at depth 10");
        assertTrue(after - before <= 0, "memory in use after the step grew by " + (after - before) + " B");
    }

    @Test
    void reversibleStep_runTwice_givesBitIdenticalGradients_andLeavesParametersReadable() {
        Tensor x = Tensor.randn(D, new SplittableRandom(5), 64, 3);
        RecomputeTest.Net net = new RecomputeTest.Net(40, 6);
        List<Parameter> params = net.parameters();
        double[][] values = new double[params.size()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = params.get(i).toDoubleArray();
        }
        double[][][] grads = new double[3][params.size()][];
        for (int run = 0; run < 3; run++) {
            net.reversible = run < 2;
            reversibleStep(net, x);
            for (int i = 0; i < values.length; i++) {
                grads[run][i] = params.get(i).grad().dup().data().asDouble();
                assertArrayEquals(values[i], params.get(i).toDoubleArray(), 0.0, "parameter " + params.get(i).name());
            }
        }
        for (int i = 0; i < values.length; i++) {
            assertArrayEquals(grads[0][i], grads[1][i], 0.0, "run twice, parameter " + params.get(i).name());
            double diff = 0;
            double scale = 0;
            for (int k = 0; k < grads[0][i].length; k++) {
                diff = Math.max(diff, Math.abs(grads[0][i][k] - grads[2][i][k]));
                scale = Math.max(scale, Math.abs(grads[2][i][k]));
            }
            assertTrue(diff <= 1e-10 * Math.max(1, scale), "reversible vs ordinary, parameter " + params.get(i).name());
        }
    }

    /** Memory a compiled (recorded, replayed) reversible step keeps, and its gradients against the eager step. */
    private static long compiledHold(int depth, Tensor x, Tensor y) {
        RecomputeTest.Net net = new RecomputeTest.Net(depth, 8);
        net.reversible = true;
        List<Parameter> params = net.parameters();
        Batch batch = new Batch(x, y, null);
        ArrayMemory.resetPeak();
        CompiledStep step = new CompiledStep(net, (m, b) -> m.forward(b.x()).sub(b.y()).square().mean());
        step.run(batch);
        long held = ArrayMemory.heldSinceReset();
        step.run(batch);
        assertTrue(step.isReplaying(), step.eagerReason());
        Tensor[] replayed = params.stream().map(p -> Tensor.constant(p.grad().dup())).toArray(Tensor[]::new);
        net.zeroGrad();
        Autograd.backward(net.forward(x).sub(y).square().mean());
        Tensor[] eager = params.stream().map(p -> Tensor.constant(p.grad().dup())).toArray(Tensor[]::new);
        assertTrue(Agreement.relativeDifference(replayed, eager) < 1e-12, "depth " + depth);
        return held;
    }

    @Test
    void compiledReversibleStep_replaysTheEagerGradients_andHoldsMemoryIndependentOfDepth() {
        SplittableRandom rng = new SplittableRandom(9);
        Tensor x = Tensor.randn(D, rng, 256, 3);
        Tensor y = Tensor.randn(D, rng, 256, 2);
        long shallow = compiledHold(10, x, y);
        long deep = compiledHold(200, x, y);
        assertTrue(deep <= 1.2 * shallow, "a recording of depth 200 holds " + deep + " B vs " + shallow
                + " B at depth 10");
    }

    /**
     * One eager forward and backward pass through the convolution paths in a scope: a gradient-flow
     * layer y = x − 0.1·Kᵀσ(Kx) (stride 1; each convolution's two gradients from one backward op)
     * and a strided convolution of y and its transpose back to 12×12, which leaves a row unread
     * (the padded-transpose path; the weight gradient alone where the image wants none). Returns
     * every tensor the pass made.
     */
    private static List<Tensor> convolutionPass(Tensor x, Tensor k, Tensor lift) {
        ConvGeometry same = new ConvGeometry(1, 1, 1, 1);
        ConvGeometry strided = new ConvGeometry(2, 2, 1, 1);
        List<Tensor> made = new ArrayList<>();
        try (Intermediates scope = Intermediates.open()) {
            Tensor z = x.conv2d(k, same);
            Tensor y = x.sub(z.leakyRelu(0.5).convTranspose2d(k, same, 12, 12).mul(0.1));
            Tensor down = x.conv2d(lift, strided);
            Tensor back = down.convTranspose2d(lift, strided, 12, 12);
            Tensor loss = y.square().mean().add(back.square().mean());
            made.addAll(List.of(z, y, down, back, loss));
            made.addAll(List.of(Autograd.grad(loss, false, k, lift)));
        }
        return made;
    }

    @Test
    void eagerConvolutionPass_inAScope_freesEveryArrayItAllocated_andItsPeakDoesNotGrow() {
        SplittableRandom rng = new SplittableRandom(11);
        Tensor x = Tensor.randn(D, rng, 4, 3, 12, 12);
        Tensor k = Tensor.variable(Tensor.randn(D, rng, 3, 3, 3, 3).value());
        Tensor lift = Tensor.variable(Tensor.randn(D, rng, 5, 3, 3, 3).value());
        ArrayMemory.resetPeak();
        List<Tensor> made = convolutionPass(x, k, lift);
        long firstPeak = ArrayMemory.peakBytes();
        Intermediates.releaseCache();
        for (Tensor t : made) {
            assertTrue(t.value().wasClosed(), "an array of shape " + Shapes.str(t.shape()) + " survived the scope");
        }
        assertEquals(0, ArrayMemory.heldSinceReset(), "bytes held after the scope");
        // the forward's two [4, 3, 12, 12] conv results alone are 2 × 13.8 kB
        assertTrue(firstPeak >= 2 * 4 * 3 * 12 * 12 * 8, "peak " + firstPeak + " B: the conv results are not counted");
        for (int i = 0; i < 4; i++) {
            convolutionPass(x, k, lift);
        }
        assertEquals(0, ArrayMemory.heldSinceReset(), "bytes held after five passes");
        assertEquals(firstPeak, ArrayMemory.peakBytes(), "peak after five passes vs after one");
        assertFalse(x.value().wasClosed() || k.value().wasClosed() || lift.value().wasClosed(), "an input was freed");
    }
}
