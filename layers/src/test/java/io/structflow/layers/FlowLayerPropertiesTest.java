package io.structflow.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.constraints.parametrize.CayleyOrthogonal;
import io.structflow.constraints.parametrize.ExponentialOrthogonal;
import io.structflow.constraints.project.EulerStepBound;
import io.structflow.constraints.project.StepBox;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Parameter;
import io.structflow.integrators.VectorField;
import io.structflow.integrators.lie.CayleyHeun;
import io.structflow.integrators.rungekutta.ExplicitEuler;
import io.structflow.integrators.rungekutta.ExplicitRungeKutta;
import io.structflow.integrators.rungekutta.ImplicitMidpoint;
import io.structflow.integrators.splitting.Splitting;
import io.structflow.integrators.symplectic.StormerVerlet;
import io.structflow.integrators.symplectic.SymplecticEuler;
import io.structflow.layers.fields.ContractiveGradientField;
import io.structflow.layers.fields.ConvContractiveGradientField;
import io.structflow.layers.fields.DivergenceFreeField;
import io.structflow.layers.fields.ExpansiveGradientField;
import io.structflow.layers.fields.MassPreservingField;
import io.structflow.layers.fields.MlpField;
import io.structflow.layers.fields.NetworkHamiltonianField;
import io.structflow.layers.fields.ProjectedSphereField;
import io.structflow.layers.fields.SeparableHamiltonianField;
import io.structflow.layers.fields.TriangularSkewField;
import io.structflow.layers.verify.Check;
import io.structflow.layers.verify.PropertyChecks;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Every claimed property holds numerically on random inputs (float64 residual &lt; 1e-10, float32
 * &lt; 1e-5), and a deliberately broken configuration is both refused by the derivation and caught
 * by the numerical check.
 */
class FlowLayerPropertiesTest {
    private static final DataType D = DataType.DOUBLE;
    private static final DataType F = DataType.FLOAT;
    private static final Activation RELU = Activation.relu();
    private static final Activation TANH = Activation.tanh();

    private static Tensor inputs(DataType type, long seed, long... shape) {
        return Tensor.randn(type, new SplittableRandom(seed), shape).mul(1.5);
    }

    private static SplittableRandom rng(long seed) {
        return new SplittableRandom(seed);
    }

    private static void project(FlowLayer<?> layer) {
        for (Parameter p : layer.parameters()) {
            p.projectInPlace();
        }
    }

    private static void assertHolds(FlowLayer<?> layer, Property p, Tensor x) {
        assertTrue(layer.properties().contains(p), layer.describe() + " should claim " + p + ": " + layer.explain().get(p));
        layer.require(p);
        Check c = PropertyChecks.check(layer, p, x, 7);
        assertTrue(c.passed(), c.toString());
        assertTrue(c.value() <= PropertyChecks.defaultTolerance(x.dtype()) + (p == Property.LIPSCHITZ_1 ? 1 : 0),
                c.toString());
    }

    private static void assertBroken(FlowLayer<?> layer, Property p, Tensor x, String reasonFragment) {
        assertFalse(layer.properties().contains(p), layer.describe() + " must not claim " + p);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> layer.require(p));
        assertTrue(e.getMessage().contains(reasonFragment), e.getMessage());
        Check c = PropertyChecks.check(layer, p, x, 7);
        assertFalse(c.passed(), "the check must catch the broken layer: " + c);
    }

    @Test
    void contractiveEuler_orthogonalFixedStepInRange_isOneLipschitz_float64AndFloat32() {
        FlowLayer<ContractiveGradientField> layer = FlowLayer.fixedStep(
                ContractiveGradientField.orthogonal(4, 6, Activation.leakyRelu(0.5), D, 1), new ExplicitEuler(), 3.8, 2);
        assertHolds(layer, Property.LIPSCHITZ_1, inputs(D, 2, 16, 4));
        // orthonormal columns and σ' ∈ [0.5, 1]: each sub-step τ = 1.9 is max(|1 − 0.5τ|, |1 − τ|) = 0.9-Lipschitz
        assertEquals(0.81, layer.lipschitzBound(), 1e-12);
        FlowLayer<ContractiveGradientField> single = FlowLayer.fixedStep(
                ContractiveGradientField.orthogonal(4, 6, RELU, F, 3), new ExplicitEuler(), 1.9, 1);
        assertHolds(single, Property.LIPSCHITZ_1, inputs(F, 4, 16, 4));
    }

    @Test
    void anyParametrisation_attachedToTheWeight_isWhatTheRulesRead() {
        ContractiveGradientField field = ContractiveGradientField.of(4, 4, RELU, D, 41);
        field.weightParameter().updateInPlace(field.weightParameter().value().mul(3));
        FlowLayer<ContractiveGradientField> layer = FlowLayer.fixedStep(field, new ExplicitEuler(), 2.0, 1);
        assertFalse(layer.properties().contains(Property.LIPSCHITZ_1), "‖A‖ = 3 without a parametrisation");
        field.weightParameter().parametrize(new CayleyOrthogonal());
        assertArrayEquals(new CayleyOrthogonal().apply(field.weightParameter()).toDoubleArray(),
                field.weight().toDoubleArray(), 0.0, "the field steps with the parametrised weight");
        assertHolds(layer, Property.LIPSCHITZ_1, inputs(D, 42, 16, 4));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> field.weightParameter().parametrize(new ExponentialOrthogonal()));
        assertTrue(twice.getMessage().contains("parameter A expected no parametrisation yet"), twice.getMessage());
        IllegalArgumentException norm = assertThrows(IllegalArgumentException.class, () -> field.constrainNorm(1));
        assertTrue(norm.getMessage().contains("parametrised as"), norm.getMessage());
    }

    @Test
    void contractiveEuler_stepOutsideRegion_isRefusedAndCaught() {
        FlowLayer<ContractiveGradientField> layer = FlowLayer.fixedStep(
                ContractiveGradientField.orthogonal(4, 4, RELU, D, 5), new ExplicitEuler(), 3.0, 1);
        assertBroken(layer, Property.LIPSCHITZ_1, inputs(D, 6, 16, 4), "needs every sub-step non-expansive");
        assertEquals(2.0, layer.lipschitzBound(), 1e-12);
        Check own = PropertyChecks.lipschitzBound(layer, inputs(D, 6, 16, 4), 3);
        assertTrue(own.passed() && own.value() > 1.5, own.toString());
    }

    @Test
    void contractiveEuler_learnableStep_needsAConstraint() {
        ContractiveGradientField field = ContractiveGradientField.of(4, 5, TANH, D, 8);
        Parameter h = FlowLayer.stepParameter(10.0, D);
        FlowLayer<ContractiveGradientField> layer = new FlowLayer<>(field, new ExplicitEuler(), h, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> layer.require(Property.LIPSCHITZ_1));
        assertTrue(e.getMessage().contains("LIPSCHITZ_1 needs the step of ContractiveGradientField fixed or guaranteed "
                + "in a bounded interval (StepBox) or by an EulerStepBound on its weight"), e.getMessage());
        // at the current parameters: orthonormal initial A [5, 4], τ = 10, σ' ∈ [0, 1]: max(1, |1 − 10|) = 9
        assertEquals(9.0, layer.lipschitzBound(), 1e-4);
        h.constrain(new EulerStepBound(field.weightParameter()));
        project(layer);
        assertHolds(layer, Property.LIPSCHITZ_1, inputs(D, 9, 16, 4));
    }

    @Test
    void contractiveEuler_stepBoxWithNormBound_derivesFromC() {
        ContractiveGradientField field = ContractiveGradientField.of(4, 5, RELU, D, 10).constrainNorm(1.5);
        Parameter h = FlowLayer.stepParameter(5.0, D);
        h.constrain(new StepBox(0, 2 / 2.25));
        FlowLayer<ContractiveGradientField> layer = new FlowLayer<>(field, new ExplicitEuler(), h, 1);
        project(layer);
        assertEquals(2 / 2.25, h.item(), 1e-15);
        assertHolds(layer, Property.LIPSCHITZ_1, inputs(D, 11, 16, 4));
        Parameter wide = FlowLayer.stepParameter(1.0, D).constrain(new StepBox(0, 2));
        FlowLayer<ContractiveGradientField> tooWide = new FlowLayer<>(
                ContractiveGradientField.of(4, 5, RELU, D, 10).constrainNorm(1.5), new ExplicitEuler(), wide, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tooWide.require(Property.LIPSCHITZ_1));
        assertTrue(e.getMessage().contains("0.0 ≤ h ≤ 2.0") && e.getMessage().contains("‖A‖ ≤ 1.5"), e.getMessage());
    }

    @Test
    void contractive_withRk4_isRefused() {
        FlowLayer<ContractiveGradientField> layer = FlowLayer.fixedStep(
                ContractiveGradientField.orthogonal(3, 3, RELU, D, 12), ExplicitRungeKutta.rk4(), 0.5, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> layer.require(Property.LIPSCHITZ_1));
        assertTrue(e.getMessage().contains("explicit Euler only"), e.getMessage());
    }

    @Test
    void expansiveEuler_boundIsOnePlusHTimesNormSquared() {
        FlowLayer<ExpansiveGradientField> layer = FlowLayer.fixedStep(
                ExpansiveGradientField.orthogonal(4, 4, RELU, D, 13), new ExplicitEuler(), 0.6, 3);
        assertEquals(Math.pow(1.2, 3), layer.lipschitzBound(), 1e-12);
        Check c = PropertyChecks.lipschitzBound(layer, inputs(D, 14, 16, 4), 5);
        assertTrue(c.passed() && c.value() > 1.1, c.toString());
        assertFalse(layer.properties().contains(Property.LIPSCHITZ_1));
    }

    @Test
    void convContractiveEuler_isOneLipschitz() {
        ConvContractiveGradientField field = new ConvContractiveGradientField(2, 3, 3, 5, 5, RELU, D, rng(15));
        field.constrainNorm(1.0);
        Parameter h = FlowLayer.stepParameter(2.5, D).constrain(new StepBox(0, 2));
        FlowLayer<ConvContractiveGradientField> layer = new FlowLayer<>(field, new ExplicitEuler(), h, 1);
        project(layer);
        assertHolds(layer, Property.LIPSCHITZ_1, inputs(D, 16, 4, 2, 5, 5));
    }

    @Test
    void hamiltonianFields_symplecticIntegrators_areSymplecticVolumePreservingInvertible() {
        Tensor x = inputs(D, 17, 8, 4);
        FlowLayer<SeparableHamiltonianField> euler = new FlowLayer<>(new SeparableHamiltonianField(4, 6, TANH, D, rng(18)),
                new SymplecticEuler(), FlowLayer.stepParameter(0.3, D), 2);
        FlowLayer<SeparableHamiltonianField> verlet = FlowLayer.fixedStep(
                new SeparableHamiltonianField(4, 6, Activation.leakyRelu(0.5), D, rng(19)), new StormerVerlet(), 0.5, 1);
        for (FlowLayer<SeparableHamiltonianField> layer : java.util.List.of(euler, verlet)) {
            assertHolds(layer, Property.SYMPLECTIC, x);
            assertHolds(layer, Property.VOLUME_PRESERVING, x);
            assertHolds(layer, Property.INVERTIBLE, x);
        }
        FlowLayer<NetworkHamiltonianField> midpoint = FlowLayer.fixedStep(new NetworkHamiltonianField(4, 8, D, rng(20)),
                new ImplicitMidpoint(), 0.2, 1);
        assertHolds(midpoint, Property.SYMPLECTIC, x);
        assertHolds(midpoint, Property.VOLUME_PRESERVING, x);
        FlowLayer<SeparableHamiltonianField> single = FlowLayer.fixedStep(
                new SeparableHamiltonianField(4, 6, TANH, F, rng(21)), new SymplecticEuler(), 0.3, 1);
        assertHolds(single, Property.SYMPLECTIC, inputs(F, 22, 8, 4));
    }

    @Test
    void hamiltonianField_explicitEuler_isRefusedAndCaught() {
        FlowLayer<NetworkHamiltonianField> layer = FlowLayer.fixedStep(new NetworkHamiltonianField(4, 8, D, rng(23)),
                new ExplicitEuler(), 0.5, 1);
        Tensor x = inputs(D, 24, 8, 4);
        assertBroken(layer, Property.SYMPLECTIC, x, "needs a symplectic integrator");
        assertBroken(layer, Property.VOLUME_PRESERVING, x, "VOLUME_PRESERVING needs");
    }

    @Test
    void divergenceFreeField_shearSplitting_preservesVolumeAndInverts_eulerDoesNot() {
        Tensor x = inputs(D, 25, 8, 4);
        FlowLayer<DivergenceFreeField> shears = new FlowLayer<>(new DivergenceFreeField(4, 5, TANH, D, rng(26)),
                Splitting.strang(new ExplicitEuler(), ExplicitRungeKutta.rk4()), FlowLayer.stepParameter(0.7, D), 2);
        assertHolds(shears, Property.VOLUME_PRESERVING, x);
        assertHolds(shears, Property.INVERTIBLE, x);
        FlowLayer<DivergenceFreeField> euler = FlowLayer.fixedStep(new DivergenceFreeField(4, 5, TANH, D, rng(26)),
                new ExplicitEuler(), 0.7, 1);
        assertBroken(euler, Property.VOLUME_PRESERVING, x, "splitting of the two shear pieces");
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> euler.inverse(x));
        assertTrue(e.getMessage().contains("INVERTIBLE"), e.getMessage());
    }

    @Test
    void massPreservingField_rungeKutta_conservesSum_mlpDoesNot() {
        FlowLayer<MassPreservingField> rk4 = FlowLayer.fixedStep(new MassPreservingField(5, 6, TANH, D, rng(27)),
                ExplicitRungeKutta.rk4(), 0.5, 2);
        assertHolds(rk4, Property.MASS_PRESERVING, inputs(D, 28, 8, 5));
        FlowLayer<MassPreservingField> midpoint = new FlowLayer<>(new MassPreservingField(5, 6, TANH, F, rng(29)),
                new ImplicitMidpoint(), FlowLayer.stepParameter(0.3, F), 1);
        assertHolds(midpoint, Property.MASS_PRESERVING, inputs(F, 30, 8, 5));
        FlowLayer<MlpField> mlp = FlowLayer.fixedStep(new MlpField(5, 6, TANH, D, rng(31)), new ExplicitEuler(), 0.5, 1);
        assertBroken(mlp, Property.MASS_PRESERVING, inputs(D, 28, 8, 5), "Σᵢfᵢ = 0");
    }

    @Test
    void sphereFields_normPreservingMethods_keepNorm_explicitEulerDoesNot() {
        Tensor x = inputs(D, 32, 8, 4);
        FlowLayer<TriangularSkewField> cayley = new FlowLayer<>(new TriangularSkewField(4, 5, TANH, D, rng(33)),
                new CayleyHeun(), FlowLayer.stepParameter(0.8, D), 2);
        assertHolds(cayley, Property.NORM_PRESERVING, x);
        FlowLayer<ProjectedSphereField> midpoint = FlowLayer.fixedStep(new ProjectedSphereField(4, 5, TANH, D, rng(34)),
                new ImplicitMidpoint(), 0.4, 1);
        assertHolds(midpoint, Property.NORM_PRESERVING, x);
        FlowLayer<ProjectedSphereField> cayley32 = FlowLayer.fixedStep(new ProjectedSphereField(4, 5, TANH, F, rng(35)),
                new CayleyHeun(), 0.4, 1);
        assertHolds(cayley32, Property.NORM_PRESERVING, inputs(F, 36, 8, 4));
        FlowLayer<TriangularSkewField> euler = FlowLayer.fixedStep(new TriangularSkewField(4, 5, TANH, D, rng(33)),
                new ExplicitEuler(), 0.8, 1);
        assertBroken(euler, Property.NORM_PRESERVING, x, "needs a norm-preserving integrator");
    }

    @Test
    void badInput_wrongWidth_wrongType_oddDimension_wideStep_nonModuleField() {
        FlowLayer<ContractiveGradientField> layer = FlowLayer.fixedStep(
                ContractiveGradientField.of(4, 4, RELU, D, 37), new ExplicitEuler(), 0.5, 1);
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(inputs(D, 1, 3, 5)));
        assertEquals("FlowLayer.forward: x expected shape [batch, 4] but got [3, 5] (field dimension is 4)",
                width.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(inputs(F, 1, 3, 4)));
        assertTrue(type.getMessage().contains("expected element type DOUBLE"), type.getMessage());
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
                () -> new NetworkHamiltonianField(3, 4, D, rng(1)));
        assertTrue(odd.getMessage().contains("dimension expected an even number ≥ 2 (a state [q, p]) but got 3"),
                odd.getMessage());
        Parameter wide = new Parameter("h", org.nd4j.linalg.factory.Nd4j.zeros(D, 2));
        IllegalArgumentException step = assertThrows(IllegalArgumentException.class,
                () -> new FlowLayer<>(ContractiveGradientField.of(4, 4, RELU, D, 1), new ExplicitEuler(), wide, 1));
        assertTrue(step.getMessage().contains("step expected one element but got shape [2]"), step.getMessage());
        FlowLayer<VectorField> lambda = FlowLayer.fixedStep(z -> z.neg(), new ExplicitEuler(), 0.1, 1, D);
        Tensor in = inputs(D, 2, 3, 4);
        assertArrayEquals(in.mul(0.9).toDoubleArray(), lambda.forward(in).toDoubleArray(), 1e-15,
                "a field that is not a Module (a lambda) is stepped like any other");
        IllegalArgumentException norm = assertThrows(IllegalArgumentException.class,
                () -> ContractiveGradientField.orthogonal(4, 4, RELU, D, 1).constrainNorm(1));
        assertTrue(norm.getMessage().contains("parametrised as") && norm.getMessage().contains("expm(W − Wᵀ)"),
                norm.getMessage());
        IllegalArgumentException inverse = assertThrows(IllegalArgumentException.class,
                () -> layer.require(Property.INVERTIBLE, Property.SYMPLECTIC));
        assertTrue(inverse.getMessage().contains("INVERTIBLE: ") && inverse.getMessage().contains("SYMPLECTIC: "),
                inverse.getMessage());
    }

    @Test
    void parameterNames_areStable() {
        FlowLayer<ContractiveGradientField> layer = new FlowLayer<>(ContractiveGradientField.of(3, 3, RELU, D, 1),
                new ExplicitEuler(), FlowLayer.stepParameter(0.5, D), 1);
        assertEquals(java.util.List.of("h", "field.A", "field.b"), java.util.List.copyOf(layer.namedParameters().keySet()));
        FlowLayer<ContractiveGradientField> fixed = FlowLayer.fixedStep(ContractiveGradientField.orthogonal(3, 3, RELU, D, 1),
                new ExplicitEuler(), 0.5, 1);
        assertEquals(java.util.List.of("field.W", "field.b"), java.util.List.copyOf(fixed.namedParameters().keySet()));
    }
}
