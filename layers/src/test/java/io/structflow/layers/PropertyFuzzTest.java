package io.structflow.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.constraints.linalg.ConvOperatorNorm;
import io.structflow.constraints.linalg.DenseSpectralNorm;
import io.structflow.constraints.linalg.NormEstimateSettings;
import io.structflow.constraints.project.BjorckOrthonormalization;
import io.structflow.constraints.project.EulerStepBound;
import io.structflow.constraints.project.SpectralNormBound;
import io.structflow.constraints.project.StepBox;
import io.structflow.core.autodiff.ConvGeometry;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Constraint;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.integrators.ButcherTableau;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.SeparableHamiltonian;
import io.structflow.integrators.SkewField;
import io.structflow.integrators.VectorField;
import io.structflow.integrators.lie.CayleyHeun;
import io.structflow.integrators.rungekutta.ExplicitEuler;
import io.structflow.integrators.rungekutta.ExplicitRungeKutta;
import io.structflow.integrators.rungekutta.ImplicitMidpoint;
import io.structflow.integrators.splitting.Splitting;
import io.structflow.integrators.symplectic.StormerVerlet;
import io.structflow.integrators.symplectic.SymplecticEuler;
import io.structflow.layers.fields.CircularConvGradientField;
import io.structflow.layers.fields.ContractiveGradientField;
import io.structflow.layers.fields.ConvContractiveGradientField;
import io.structflow.layers.fields.ConvExpansiveGradientField;
import io.structflow.layers.fields.ConvGradientField;
import io.structflow.layers.fields.DenseGradientField;
import io.structflow.layers.fields.DivergenceFreeField;
import io.structflow.layers.fields.ExpansiveGradientField;
import io.structflow.layers.fields.GeneralGradientField;
import io.structflow.layers.fields.MassPreservingField;
import io.structflow.layers.fields.NetworkHamiltonianField;
import io.structflow.layers.fields.ProjectedSphereField;
import io.structflow.layers.fields.SeparableHamiltonianField;
import io.structflow.layers.fields.TriangularSkewField;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The property fuzz test of issue 18: random layers of every field family × every integrator it
 * accepts (dense and convolutional, weights scaled 0.1–10, steps inside, on and outside their
 * regions, constraints in both orders, tolerances and cheap estimator settings), projected as an
 * optimiser step would, and every claimed property and the reported Lipschitz bound checked in
 * float64 by the definitions — Lipschitz quotients of input pairs (random, along the top singular
 * direction of a finite-difference Jacobian, and worst-case pairs where every pre-activation is
 * positive), JᵀΩJ = Ω and det J = 1 from finite differences, Σ out = Σ in, ‖out‖ = ‖in‖ and
 * Φ⁻¹(Φ(x)) = x — never by {@code PropertyChecks}. {@code -Dstructflow.fuzz.configs=5000} runs
 * the long version.
 */
class PropertyFuzzTest {
    private static final DataType D = DataType.DOUBLE;
    private static final int CONFIGS = Integer.getInteger("structflow.fuzz.configs", 200);
    private static final long SEED = Long.getLong("structflow.fuzz.seed", 2026);

    /** One random layer and what it was built from. */
    record Case(Module layer, Set<Property> claims, long dimension, long[] shape, String description) {
    }

    @Test
    void everyClaimAndBound_holdsByDefinition_onRandomConfigurations() {
        SplittableRandom master = new SplittableRandom(SEED);
        List<String> violations = new ArrayList<>();
        Map<Property, Integer> checked = new EnumMap<>(Property.class);
        int bounds = 0;
        for (int i = 0; i < CONFIGS; i++) {
            long seed = master.nextLong();
            Case c = build(i, new SplittableRandom(seed));
            String where = "config " + i + " (seed " + seed + ": " + c.description() + ")";
            Measured m = measure(c, new SplittableRandom(seed ^ 0x5DEECE66DL));
            for (Property p : c.claims()) {
                checked.merge(p, 1, Integer::sum);
                String broken = m.breaks(p);
                if (broken != null) {
                    violations.add(where + " claims " + p + " but " + broken);
                }
            }
            double bound = ((LipschitzBounded) c.layer()).lipschitzBound();
            if (Double.isFinite(bound)) {
                bounds++;
                if (m.lipschitz > bound * (1 + 1e-6) + 1e-9) {
                    violations.add(where + " reports the bound " + bound + " below the measured constant " + m.lipschitz);
                }
            }
        }
        assertEquals(List.of(), violations);
        for (Property p : Property.values()) {
            assertTrue(checked.getOrDefault(p, 0) >= 3, "too few claims of " + p + " were checked: " + checked);
        }
        assertTrue(bounds >= CONFIGS / 3, "too few finite bounds were checked: " + bounds);
    }

    private static Case build(int i, SplittableRandom rng) {
        return switch (i % 10) {
            case 0, 1, 2, 3 -> denseGradient(rng);
            case 4 -> i % 20 == 4 ? convGradient(rng) : circularConvGradient(rng);
            case 5 -> separable(rng);
            case 6 -> divergenceFree(rng);
            case 7 -> massPreserving(rng);
            case 8 -> skew(rng);
            default -> i % 20 == 9 ? general(rng) : networkHamiltonian(rng);
        };
    }

    private static Activation activation(SplittableRandom rng) {
        return switch (rng.nextInt(4)) {
            case 0 -> Activation.relu();
            case 1 -> Activation.leakyRelu(0.1 + 0.8 * rng.nextDouble());
            case 2 -> Activation.tanh();
            default -> Activation.leakyRelu(-0.3);
        };
    }

    private static double scale(SplittableRandom rng) {
        return Math.pow(10, -1 + 2 * rng.nextDouble());
    }

    private static void multiply(Parameter p, double factor) {
        p.updateInPlace(p.value().mul(factor));
    }

    private static Integrator<VectorField> rungeKutta(SplittableRandom rng) {
        return switch (rng.nextInt(5)) {
            case 0, 1 -> new ExplicitEuler();
            case 2 -> new ExplicitRungeKutta(new ButcherTableau("RenamedEuler", 1, new double[][] {{0}}, new double[] {1}));
            case 3 -> ExplicitRungeKutta.heun();
            default -> ExplicitRungeKutta.rk4();
        };
    }

    /** Step h: fixed, or learnable with a StepBox / EulerStepBound (in either order, with or without slack). */
    private static Parameter step(SplittableRandom rng, double norm, Parameter weight, boolean operatorIsWeight,
                                  List<String> what) {
        double edge = 2 / (norm * norm);
        double h = switch (rng.nextInt(4)) {
            case 0 -> edge * rng.nextDouble();
            case 1 -> edge;
            case 2 -> edge * (1 + 0.1 * rng.nextDouble());
            default -> edge * (1 + 3 * rng.nextDouble());
        };
        Parameter p = FlowLayer.stepParameter(h, D);
        int kind = rng.nextInt(5);
        if (kind >= 1) {
            double hi = switch (rng.nextInt(3)) {
                case 0 -> edge;
                case 1 -> edge * (1 + 0.1 * rng.nextDouble());
                default -> edge * (1 + rng.nextDouble());
            };
            Constraint box = new StepBox(rng.nextInt(4) == 0 ? -0.5 * hi : 0, hi);
            Constraint euler = operatorIsWeight ? new EulerStepBound(weight, new DenseSpectralNorm(),
                    rng.nextBoolean() ? 0 : 0.3 * rng.nextDouble()) : null;
            if (kind == 1 || euler == null) {
                p.constrain(box);
                what.add("h " + box.describe());
            } else if (kind == 2) {
                p.constrain(euler);
                what.add("h " + euler.describe());
            } else if (kind == 3) {
                p.constrain(euler).constrain(box);
                what.add("h Euler then box " + box.describe());
            } else {
                p.constrain(box).constrain(euler);
                what.add("h box " + box.describe() + " then Euler");
            }
        } else {
            what.add("h = " + h + " unconstrained");
        }
        return p;
    }

    private static Case denseGradient(SplittableRandom rng) {
        int n = 2 + rng.nextInt(4);
        int m = n - 1 + rng.nextInt(3);
        Activation sigma = activation(rng);
        boolean contractive = rng.nextInt(3) > 0;
        boolean orthogonal = rng.nextInt(4) == 0;
        long seed = rng.nextLong();
        DenseGradientField field = contractive
                ? (orthogonal ? ContractiveGradientField.orthogonal(n, m, sigma, D, seed) : ContractiveGradientField.of(n, m, sigma, D, seed))
                : (orthogonal ? ExpansiveGradientField.orthogonal(n, m, sigma, D, seed) : ExpansiveGradientField.of(n, m, sigma, D, seed));
        List<String> what = new ArrayList<>();
        what.add((contractive ? "contractive " : "expansive ") + (orthogonal ? "orthogonal " : "") + n + "→" + m + " " + sigma);
        double c = 1;
        if (!orthogonal) {
            multiply(field.weightParameter(), scale(rng));
            c = 0.3 + 1.5 * rng.nextDouble();
            switch (rng.nextInt(6)) {
                case 0 -> what.add("A free");
                case 1 -> {
                    field.constrainNorm(c);
                    what.add("‖A‖ ≤ " + c);
                }
                case 2 -> {
                    field.constrainNorm(c);
                    field.weightParameter().constrain(new BjorckOrthonormalization());
                    what.add("‖A‖ ≤ " + c + " then Björck");
                }
                case 3 -> {
                    field.weightParameter().constrain(new BjorckOrthonormalization());
                    field.constrainNorm(c);
                    what.add("Björck then ‖A‖ ≤ " + c);
                }
                case 4 -> {
                    field.weightParameter().constrain(new SpectralNormBound(c, new DenseSpectralNorm(), 0.05 * rng.nextDouble()));
                    what.add("‖A‖ ≤ " + c + "(1 + slack)");
                }
                default -> {
                    field.weightParameter().constrain(SpectralNormBound.estimated(c,
                            new DenseSpectralNorm(new NormEstimateSettings(2, 2, 1e-6, 0)), 1e-3));
                    what.add("‖A‖ ≤ " + c + " estimated cheaply");
                }
            }
        }
        Integrator<VectorField> integrator = rungeKutta(rng);
        int substeps = 1 + rng.nextInt(2);
        field.weightParameter().projectInPlace();
        double guaranteed = field.guaranteedWeightBounds().normUpper();
        double edgeNorm = Double.isFinite(guaranteed) ? guaranteed : field.currentWeightBounds().normUpper();
        Parameter h = step(rng, edgeNorm * Math.sqrt(Math.max(sigma.maxSlope(), 1e-3) / substeps), field.weightParameter(),
                !orthogonal, what);
        FlowLayer<DenseGradientField> layer = new FlowLayer<>(field, integrator, h, substeps);
        return finish(layer, n, new long[] {n}, what, integrator.name() + " S=" + substeps);
    }

    private static Case convGradient(SplittableRandom rng) {
        int channels = 1 + rng.nextInt(2);
        int side = 4 + rng.nextInt(2);
        Activation sigma = activation(rng);
        boolean contractive = rng.nextInt(3) > 0;
        ConvGradientField field = contractive
                ? new ConvContractiveGradientField(channels, 1 + rng.nextInt(2), 3, side, side, sigma, D, rng.split())
                : new ConvExpansiveGradientField(channels, 1 + rng.nextInt(2), 3, side, side, sigma, D, rng.split());
        multiply(field.kernel(), scale(rng));
        double c = 0.5 + rng.nextDouble();
        List<String> what = new ArrayList<>();
        what.add((contractive ? "conv contractive " : "conv expansive ") + channels + "×" + side + "² " + sigma);
        switch (rng.nextInt(4)) {
            case 0 -> what.add("K free");
            case 1 -> {
                field.constrainNorm(c);
                what.add("‖K‖ ≤ " + c);
            }
            case 2 -> {
                field.constrainNorm(c, new NormEstimateSettings(2, 2, 1e-6, 0), 0.05);
                what.add("‖K‖ ≤ " + c + " estimated, slack 0.05");
            }
            default -> {
                field.clipNorm(c, new NormEstimateSettings(2, 2, 1e-6, 0), 1e-3);
                what.add("‖K‖ ≤ " + c + " clipped, cheap estimate");
            }
        }
        Integrator<VectorField> integrator = rng.nextInt(4) == 0 ? ExplicitRungeKutta.heun() : new ExplicitEuler();
        Parameter h = step(rng, c, field.kernel(), false, what);
        FlowLayer<ConvGradientField> layer = new FlowLayer<>(field, integrator, h, 1);
        long dim = (long) channels * side * side;
        return finish(layer, dim, new long[] {channels, side, side}, what, integrator.name());
    }

    /** Orthogonal circular convolutions (Fourier–Cayley): ‖𝒬‖ = 1 for every raw kernel, so only the step decides. */
    private static Case circularConvGradient(SplittableRandom rng) {
        int channels = 1 + rng.nextInt(2);
        int side = 3 + rng.nextInt(2);
        Activation sigma = activation(rng);
        boolean contractive = rng.nextInt(3) > 0;
        CircularConvGradientField field = contractive
                ? CircularConvGradientField.contractive(channels, 3, side, side, sigma, D, rng.split())
                : CircularConvGradientField.expansive(channels, 3, side, side, sigma, D, rng.split());
        multiply(field.weightParameter(), scale(rng));
        List<String> what = new ArrayList<>();
        what.add((contractive ? "orthogonal circular conv contractive " : "orthogonal circular conv expansive ")
                + channels + "×" + side + "² " + sigma);
        Integrator<VectorField> integrator = rng.nextInt(4) == 0 ? ExplicitRungeKutta.heun() : new ExplicitEuler();
        Parameter h = step(rng, 1.0, field.weightParameter(), false, what);
        FlowLayer<CircularConvGradientField> layer = new FlowLayer<>(field, integrator, h, 1);
        return finish(layer, (long) channels * side * side, new long[] {channels, side, side}, what, integrator.name());
    }

    private static Case general(SplittableRandom rng) {
        int n = 2 + rng.nextInt(3);
        GeneralGradientField field = new GeneralGradientField(n, n + 1, activation(rng), D, rng.split());
        multiply(field.weight(), scale(rng));
        List<String> what = new ArrayList<>(List.of("general gradient " + n));
        if (rng.nextBoolean()) {
            field.constrainNorm(0.5);
            field.weight().constrain(new BjorckOrthonormalization());
            what.add("‖A‖ ≤ 0.5 then Björck");
        }
        Integrator<VectorField> integrator = rungeKutta(rng);
        FlowLayer<GeneralGradientField> layer = FlowLayer.fixedStep(field, integrator, 0.2 + rng.nextDouble(), 1, D);
        return finish(layer, n, new long[] {n}, what, integrator.name());
    }

    private static Case separable(SplittableRandom rng) {
        int n = 2 * (1 + rng.nextInt(2));
        SeparableHamiltonianField field = new SeparableHamiltonianField(n, 3 + rng.nextInt(3), Activation.tanh(), D, rng.split());
        Integrator<? super SeparableHamiltonianField> integrator = switch (rng.nextInt(4)) {
            case 0 -> new SymplecticEuler(SymplecticEuler.Variant.P_FIRST);
            case 1 -> new SymplecticEuler(SymplecticEuler.Variant.Q_FIRST);
            case 2 -> new StormerVerlet();
            default -> new ExplicitEuler();
        };
        Integrator<SeparableHamiltonian> typed = cast(integrator);
        FlowLayer<SeparableHamiltonianField> layer = FlowLayer.fixedStep(field, typed, 0.1 + 0.5 * rng.nextDouble(),
                1 + rng.nextInt(2), D);
        return finish(layer, n, new long[] {n}, new ArrayList<>(List.of("separable Hamiltonian " + n)), typed.name());
    }

    @SuppressWarnings("unchecked")
    private static <F extends VectorField> Integrator<F> cast(Integrator<?> integrator) {
        return (Integrator<F>) integrator;
    }

    private static Case divergenceFree(SplittableRandom rng) {
        int n = 2 * (1 + rng.nextInt(2));
        DivergenceFreeField field = new DivergenceFreeField(n, 3, Activation.tanh(), D, rng.split());
        Integrator<? super DivergenceFreeField> integrator = switch (rng.nextInt(3)) {
            case 0 -> Splitting.strang(new ExplicitEuler(), ExplicitRungeKutta.rk4());
            case 1 -> Splitting.lieTrotter(ExplicitRungeKutta.heun(), new ExplicitEuler());
            default -> new ExplicitEuler();
        };
        Integrator<DivergenceFreeField> typed = cast(integrator);
        FlowLayer<DivergenceFreeField> layer = FlowLayer.fixedStep(field, typed, 0.2 + 0.6 * rng.nextDouble(), 2, D);
        return finish(layer, n, new long[] {n}, new ArrayList<>(List.of("divergence-free " + n)), typed.name());
    }

    private static Case massPreserving(SplittableRandom rng) {
        int n = 3 + rng.nextInt(2);
        MassPreservingField field = new MassPreservingField(n, 4, Activation.tanh(), D, rng.split());
        Integrator<VectorField> integrator = rng.nextInt(4) == 0 ? new ImplicitMidpoint() : rungeKutta(rng);
        FlowLayer<MassPreservingField> layer = FlowLayer.fixedStep(field, integrator, 0.3, 1 + rng.nextInt(2), D);
        return finish(layer, n, new long[] {n}, new ArrayList<>(List.of("mass " + n)), integrator.name());
    }

    private static Case skew(SplittableRandom rng) {
        int n = 3 + rng.nextInt(2);
        SkewField field = rng.nextBoolean() ? new TriangularSkewField(n, 4, Activation.tanh(), D, rng.split())
                : new ProjectedSphereField(n, 4, Activation.tanh(), D, rng.split());
        Integrator<SkewField> integrator = switch (rng.nextInt(3)) {
            case 0 -> new CayleyHeun();
            case 1 -> cast(new ImplicitMidpoint());
            default -> cast(new ExplicitEuler());
        };
        FlowLayer<SkewField> layer = FlowLayer.fixedStep(field, integrator, 0.2 + 0.6 * rng.nextDouble(), 1, D);
        return finish(layer, n, new long[] {n}, new ArrayList<>(List.of("skew " + field.getClass().getSimpleName())),
                integrator.name());
    }

    private static Case networkHamiltonian(SplittableRandom rng) {
        NetworkHamiltonianField field = new NetworkHamiltonianField(2, 4, D, rng.split());
        Integrator<VectorField> integrator = rng.nextBoolean() ? new ImplicitMidpoint() : new ExplicitEuler();
        FlowLayer<NetworkHamiltonianField> layer = FlowLayer.fixedStep(field, integrator, 0.2, 1, D);
        return finish(layer, 2, new long[] {2}, new ArrayList<>(List.of("network Hamiltonian")), integrator.name());
    }

    /** Projects every parameter as an optimiser step would, then reads the claims. */
    static Case finish(FlowLayer<?> layer, long dimension, long[] shape, List<String> what, String method) {
        for (Parameter p : layer.parameters()) {
            p.projectInPlace();
        }
        layer.step().projectInPlace();
        what.add(method);
        return new Case(layer, layer.properties(), dimension, shape, String.join(", ", what));
    }

    /** What the definitions give on sample inputs. */
    static final class Measured {
        double lipschitz;
        double symplectic;
        double volume;
        double mass;
        double norm;
        double inverse = Double.NaN;

        String breaks(Property p) {
            return switch (p) {
                case LIPSCHITZ_1 -> lipschitz > 1 + 1e-6 ? "the measured Lipschitz constant is " + lipschitz : null;
                case SYMPLECTIC -> symplectic > 1e-6 ? "max |JᵀΩJ − Ω| = " + symplectic : null;
                case VOLUME_PRESERVING -> volume > 1e-6 ? "max |det J − 1| = " + volume : null;
                case MASS_PRESERVING -> mass > 1e-9 ? "max |Σ out − Σ in| = " + mass : null;
                case NORM_PRESERVING -> norm > 1e-8 ? "max |‖out‖ − ‖in‖| = " + norm : null;
                case INVERTIBLE -> !(inverse <= 1e-8) ? "max |Φ⁻¹(Φ(x)) − x| = " + inverse : null;
            };
        }
    }

    static Measured measure(Case c, SplittableRandom rng) {
        Module layer = c.layer();
        int n = (int) c.dimension();
        Measured m = new Measured();
        List<double[]> points = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            double spread = k < 3 ? 1 : 4;
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = spread * (rng.nextDouble() * 2 - 1);
            }
            points.add(x);
        }
        points.addAll(allPositivePreActivations(layer, n));
        for (double[] x : points) {
            double[] fx = apply(layer, c.shape(), x);
            double[][] jac = jacobian(layer, c.shape(), x);
            double[] v = topRightSingularVector(jac, rng);
            for (double delta : new double[] {1e-5, 1e-2}) {
                m.lipschitz = Math.max(m.lipschitz, quotient(layer, c.shape(), x, fx, v, delta));
            }
            double[] u = new double[n];
            for (int i = 0; i < n; i++) {
                u[i] = rng.nextDouble() * 2 - 1;
            }
            m.lipschitz = Math.max(m.lipschitz, quotient(layer, c.shape(), x, fx, u, 0.5));
            if (n % 2 == 0) {
                m.symplectic = Math.max(m.symplectic, symplecticResidual(jac));
            }
            m.volume = Math.max(m.volume, Math.abs(determinant(jac) - 1));
            double sumIn = 0;
            double sumOut = 0;
            double normIn = 0;
            double normOut = 0;
            for (int i = 0; i < n; i++) {
                sumIn += x[i];
                sumOut += fx[i];
                normIn += x[i] * x[i];
                normOut += fx[i] * fx[i];
            }
            m.mass = Math.max(m.mass, Math.abs(sumOut - sumIn));
            m.norm = Math.max(m.norm, Math.abs(Math.sqrt(normOut) - Math.sqrt(normIn)));
            if (c.claims().contains(Property.INVERTIBLE)) {
                double[] back = ((Invertible) layer).inverse(tensor(c.shape(), fx)).toDoubleArray();
                double worst = 0;
                for (int i = 0; i < n; i++) {
                    worst = Math.max(worst, Math.abs(back[i] - x[i]));
                }
                m.inverse = Double.isNaN(m.inverse) ? worst : Math.max(m.inverse, worst);
            }
        }
        return m;
    }

    /**
     * Worst-case inputs of a dense gradient layer: {@code x = t·Aᵀ𝟏 + …} puts every pre-activation
     * on the positive side for large t, where σ' is largest for ReLU-like activations.
     */
    private static List<double[]> allPositivePreActivations(Module layer, int n) {
        List<double[]> out = new ArrayList<>();
        if (layer instanceof FlowLayer<?> f && f.field() instanceof DenseGradientField g) {
            double[] a = g.weight().toDoubleArray();
            int m = (int) (a.length / n);
            for (double t : new double[] {3, 30}) {
                double[] x = new double[n];
                for (int r = 0; r < m; r++) {
                    for (int j = 0; j < n; j++) {
                        x[j] += t * a[r * n + j];
                    }
                }
                out.add(x);
                double[] y = x.clone();
                for (int j = 0; j < n; j++) {
                    y[j] = -y[j];
                }
                out.add(y);
            }
        }
        return out;
    }

    private static Tensor tensor(long[] shape, double[] x) {
        long[] full = new long[shape.length + 1];
        full[0] = 1;
        System.arraycopy(shape, 0, full, 1, shape.length);
        return Tensor.of(D, x, full);
    }

    private static double[] apply(Module layer, long[] shape, double[] x) {
        return layer.forward(tensor(shape, x)).toDoubleArray();
    }

    private static double quotient(Module layer, long[] shape, double[] x, double[] fx, double[] direction, double delta) {
        double length = 0;
        for (double d : direction) {
            length += d * d;
        }
        length = Math.sqrt(length);
        if (length == 0) {
            return 0;
        }
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] + delta * direction[i] / length;
        }
        double[] fy = apply(layer, shape, y);
        double s = 0;
        for (int i = 0; i < fx.length; i++) {
            s += (fy[i] - fx[i]) * (fy[i] - fx[i]);
        }
        return Math.sqrt(s) / delta;
    }

    /** Central finite differences, all 2n evaluations in one batch: J[i][j] = ∂Φᵢ/∂xⱼ. */
    private static double[][] jacobian(Module layer, long[] shape, double[] x) {
        int n = x.length;
        double eps = 1e-6;
        double[] batch = new double[2 * n * n];
        for (int j = 0; j < n; j++) {
            System.arraycopy(x, 0, batch, (2 * j) * n, n);
            System.arraycopy(x, 0, batch, (2 * j + 1) * n, n);
            batch[(2 * j) * n + j] += eps;
            batch[(2 * j + 1) * n + j] -= eps;
        }
        long[] full = new long[shape.length + 1];
        full[0] = 2L * n;
        System.arraycopy(shape, 0, full, 1, shape.length);
        double[] out = layer.forward(Tensor.of(D, batch, full)).toDoubleArray();
        double[][] jac = new double[n][n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                jac[i][j] = (out[(2 * j) * n + i] - out[(2 * j + 1) * n + i]) / (2 * eps);
            }
        }
        return jac;
    }

    private static double[] topRightSingularVector(double[][] jac, SplittableRandom rng) {
        int n = jac.length;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextDouble() - 0.5;
        }
        for (int it = 0; it < 200; it++) {
            double[] u = new double[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    u[i] += jac[i][j] * v[j];
                }
            }
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    w[j] += jac[i][j] * u[i];
                }
            }
            double s = 0;
            for (double d : w) {
                s += d * d;
            }
            s = Math.sqrt(s);
            if (s == 0) {
                return v;
            }
            for (int j = 0; j < n; j++) {
                v[j] = w[j] / s;
            }
        }
        return v;
    }

    private static double symplecticResidual(double[][] jac) {
        int n = jac.length;
        int d = n / 2;
        double worst = 0;
        double scale = 1;
        for (double[] row : jac) {
            for (double v : row) {
                scale = Math.max(scale, v * v);
            }
        }
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += jac[k][a] * jac[k + d][b] - jac[k + d][a] * jac[k][b];
                }
                double omega = b == a + d ? 1 : a == b + d ? -1 : 0;
                worst = Math.max(worst, Math.abs(s - omega) / scale);
            }
        }
        return worst;
    }

    private static double determinant(double[][] jac) {
        int n = jac.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = jac[i].clone();
        }
        double det = 1;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            if (a[pivot][col] == 0) {
                return 0;
            }
            if (pivot != col) {
                double[] t = a[pivot];
                a[pivot] = a[col];
                a[col] = t;
                det = -det;
            }
            det *= a[col][col];
            for (int r = col + 1; r < n; r++) {
                double f = a[r][col] / a[col][col];
                for (int k = col; k < n; k++) {
                    a[r][k] -= f * a[col][k];
                }
            }
        }
        return det;
    }
}
