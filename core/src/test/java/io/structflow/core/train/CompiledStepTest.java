package io.structflow.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.FusedGradientFlow;
import io.structflow.core.autodiff.Replay;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.Batch;
import io.structflow.core.loss.Losses;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Init;
import io.structflow.core.nn.Linear;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.core.optim.Adam;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class CompiledStepTest {
    /** Lift, three gradient-flow steps with A = expm(W − Wᵀ), linear head: the planar network's shape. */
    static final class FlowNet extends Module {
        final Linear lift;
        final Parameter[] w = new Parameter[3];
        final Parameter[] b = new Parameter[3];
        final Parameter[] h = new Parameter[3];
        final Linear head;

        FlowNet(long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            lift = register("lift", new Linear(2, 4, r));
            for (int i = 0; i < 3; i++) {
                w[i] = register("w" + i, Parameter.of("w" + i, Init.orthogonal(DataType.FLOAT, r, 4, 4).mul(0.3)));
                b[i] = register("b" + i, Parameter.of("b" + i, Tensor.zeros(DataType.FLOAT, 4)));
                h[i] = register("h" + i, Parameter.of("h" + i, Tensor.scalar(0.5, DataType.FLOAT)));
            }
            head = register("head", new Linear(4, 2, r));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor z = lift.forward(x);
            for (int i = 0; i < 3; i++) {
                Tensor a = w[i].sub(w[i].transpose()).expm();
                z = FusedGradientFlow.dense(z, a, b[i], h[i], i % 2 == 0 ? -1 : 1, Activation.leakyRelu(0.5));
            }
            return head.forward(z.tanh());
        }
    }

    private static Batch batch(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = Tensor.randn(DataType.FLOAT, r, 64, 2);
        double[] xs = x.toDoubleArray();
        int[] labels = new int[64];
        for (int i = 0; i < 64; i++) {
            labels[i] = xs[2 * i] * xs[2 * i + 1] > 0 ? 1 : 0;
        }
        return new Batch(x, null, labels);
    }

    private static final LossFunction CROSS_ENTROPY = (m, b) -> Losses.crossEntropy(m.forward(b.x()), b.labels());

    @Test
    void replayedTraining_equalsEagerTraining() {
        trainBoth(CROSS_ENTROPY);
    }

    /** The hinge loss builds its mask from labels that change every batch: replay must follow them. */
    @Test
    void replayedTraining_withHingeLoss_equalsEagerTraining() {
        trainBoth((m, b) -> Losses.multiClassHinge(m.forward(b.x()), b.labels(), 0.15));
    }

    private static void trainBoth(LossFunction loss) {
        FlowNet eagerNet = new FlowNet(1);
        FlowNet replayNet = new FlowNet(1);
        Adam eagerOpt = new Adam(eagerNet, Adam.Config.defaults(1e-2));
        Adam replayOpt = new Adam(replayNet, Adam.Config.defaults(1e-2));
        CompiledStep step = new CompiledStep(replayNet, loss);
        double firstLoss = 0;
        double lastLoss = 0;
        for (int i = 0; i < 30; i++) {
            Batch b = batch(100 + i);
            eagerNet.zeroGrad();
            Tensor l = loss.loss(eagerNet, b);
            io.structflow.core.autodiff.Autograd.backward(l);
            eagerOpt.step();
            double replayed = step.run(b);
            replayOpt.step();
            assertEquals(l.item(), replayed, 1e-5, "loss at step " + i);
            if (i == 0) {
                firstLoss = replayed;
            }
            lastLoss = replayed;
        }
        assertTrue(step.isReplaying(), String.valueOf(step.eagerReason()));
        assertTrue(lastLoss < firstLoss, "loss should fall: " + firstLoss + " -> " + lastLoss);
        List<Parameter> pe = eagerNet.parameters();
        List<Parameter> pr = replayNet.parameters();
        for (int i = 0; i < pe.size(); i++) {
            assertArrayEquals(pe.get(i).toDoubleArray(), pr.get(i).toDoubleArray(), 1e-4, pe.get(i).name());
        }
    }

    /**
     * An optimiser created after the first step moves the parameters into its flat buffer; the
     * step recorded before must not keep writing the old gradient arrays (the optimiser would
     * then see stale gradients and training would stall).
     */
    @Test
    void optimiserCreatedAfterRecording_stepIsRecordedAgainOnTheMovedParameters() {
        FlowNet replayNet = new FlowNet(4);
        FlowNet eagerNet = new FlowNet(4);
        CompiledStep step = new CompiledStep(replayNet, CROSS_ENTROPY);
        step.run(batch(7));   // eager: the reference
        step.run(batch(8));   // recorded, validated on batch 7
        Adam replayOpt = new Adam(replayNet, Adam.Config.defaults(1e-2));
        Adam eagerOpt = new Adam(eagerNet, Adam.Config.defaults(1e-2));
        for (int i = 0; i < 5; i++) {
            Batch b = batch(200 + i);
            double replayed = step.run(b);
            eagerNet.zeroGrad();
            Tensor l = CROSS_ENTROPY.loss(eagerNet, b);
            io.structflow.core.autodiff.Autograd.backward(l);
            assertEquals(l.item(), replayed, 1e-5, "loss at step " + i);
            List<Parameter> pe = eagerNet.parameters();
            List<Parameter> pr = replayNet.parameters();
            for (int k = 0; k < pe.size(); k++) {
                assertArrayEquals(pe.get(k).grad().dup().castTo(DataType.DOUBLE).data().asDouble(),
                        pr.get(k).grad().dup().castTo(DataType.DOUBLE).data().asDouble(), 1e-5,
                        pe.get(k).name() + " gradient at step " + i);
            }
            replayOpt.step();
            eagerOpt.step();
        }
        assertTrue(step.isReplaying(), String.valueOf(step.eagerReason()));
    }

    @Test
    void lossThatReadsTheHost_fallsBackToEager() {
        FlowNet net = new FlowNet(2);
        // a loss whose value depends on a host read of an intermediate: not replayable
        LossFunction hostRead = (m, b) -> {
            Tensor out = m.forward(b.x());
            double scale = out.abs().mean().item();
            return Losses.crossEntropy(out.div(scale), b.labels());
        };
        CompiledStep step = new CompiledStep(net, hostRead);
        step.run(batch(1));
        step.run(batch(2));
        assertFalse(step.isReplaying());
        assertTrue(step.eagerReason().contains("item"), step.eagerReason());
    }

    /**
     * A target built on the host from the labels is a constant of the recording: replays would
     * train on the first recorded batch's targets. Nothing in the recording reads the host, so
     * only the validation against the eager reference step can catch it.
     */
    @Test
    void lossWithHostBuiltTargets_isCaughtByValidation() {
        FlowNet net = new FlowNet(3);
        LossFunction hostTargets = (m, b) -> {
            double[] t = new double[2 * b.labels().length];
            for (int i = 0; i < b.labels().length; i++) {
                t[2 * i + b.labels()[i]] = 1;
            }
            return Losses.mse(m.forward(b.x()), Tensor.of(DataType.FLOAT, t, b.labels().length, 2));
        };
        CompiledStep step = new CompiledStep(net, hostTargets);
        step.run(batch(1));
        assertTrue(step.isReplaying(), "the first step is eager and only kept as the reference");
        double second = step.run(batch(2));
        assertFalse(step.isReplaying());
        assertTrue(step.eagerReason().contains("disagreed"), step.eagerReason());
        FlowNet eager = new FlowNet(3);
        Tensor l = hostTargets.loss(eager, batch(2));
        io.structflow.core.autodiff.Autograd.backward(l);
        assertEquals(l.item(), second, 1e-6, "the recorded step's own loss is returned");
        for (int k = 0; k < net.parameters().size(); k++) {
            assertArrayEquals(eager.parameters().get(k).grad().dup().castTo(DataType.DOUBLE).data().asDouble(),
                    net.parameters().get(k).grad().dup().castTo(DataType.DOUBLE).data().asDouble(), 1e-6,
                    "the recorded step's own gradient of " + net.parameters().get(k).name() + " is put back");
        }
    }

    @Test
    void replay_ofHostRead_isRefused() {
        Tensor x = Tensor.variable(Tensor.ones(DataType.FLOAT, 3).value());
        Replay.Recorded<Double> r = Replay.record(() -> x.mul(2).sum().item());
        assertFalse(r.replay().isReplayable());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.replay().run());
        assertTrue(e.getMessage().contains("not replayable"), e.getMessage());
    }
}
