package io.structflow.constraints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.constraints.project.NonExpansiveStepRegion;
import io.structflow.constraints.project.SpectralNormBound;
import io.structflow.constraints.project.StepBox;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class ConstraintReportTest {
    static final class Block extends Module {
        final Parameter a = register("A", new Parameter("A", Tensor.of(DataType.DOUBLE, new double[] {3, 0, 0, 1}, 2, 2).value()));
        final Parameter steps = register("steps", new Parameter("steps", Tensor.of(DataType.DOUBLE, new double[] {2.0, 1.0}, 1, 2).value()));
        final Parameter free = register("b", new Parameter("b", Tensor.zeros(DataType.DOUBLE, 2).value()));

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    static final class Net extends Module {
        final Block block = register("block", new Block());

        @Override
        public Tensor forward(Tensor x) {
            return block.forward(x);
        }
    }

    @Test
    void report_listsDottedNamesDescriptionsAndViolations() {
        Net net = new Net();
        net.block.a.constrain(SpectralNormBound.dense(1.0));
        net.block.steps.constrain(new StepBox(0, 1.5)).constrain(new NonExpansiveStepRegion(0.5, 2));
        ConstraintReport before = ConstraintReport.of(net);
        assertEquals(3, before.rows().size());
        assertEquals("block.A", before.rows().get(0).parameter());
        assertEquals("block.steps", before.rows().get(2).parameter());
        assertEquals(2.0, before.rows().get(0).violation(), 3e-8);   // certified bound minus c, slack included
        assertEquals(0.5, before.rows().get(1).violation(), 0);
        assertTrue(before.rows().get(2).violation() > 0);
        String table = before.toString();
        assertTrue(table.startsWith("parameter"), table);
        assertTrue(table.contains("block.A") && table.contains("‖W‖₂ ≤ 1.0") && table.contains("2.000e+00"), table);
        assertTrue(!table.contains("block.b"), "unconstrained parameters are not listed");

        for (Parameter p : net.parameters()) {
            p.projectInPlace();
        }
        ConstraintReport after = ConstraintReport.of(net);
        assertEquals(0.0, after.maxViolation(), 0);
    }
}
