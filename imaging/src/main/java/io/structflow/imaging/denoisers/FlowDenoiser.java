package io.structflow.imaging.denoisers;

import io.structflow.constraints.linalg.NormEstimateSettings;
import io.structflow.constraints.project.StepBox;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Exportable;
import io.structflow.core.nn.InferenceGraph;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.core.nn.Sequential;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.VectorField;
import io.structflow.integrators.rungekutta.ExplicitEuler;
import io.structflow.integrators.rungekutta.ExplicitRungeKutta;
import io.structflow.layers.FlowLayer;
import io.structflow.layers.LipschitzBounded;
import io.structflow.layers.blocks.ChannelProjection;
import io.structflow.layers.blocks.Lipschitz;
import io.structflow.layers.blocks.ZeroPaddingLift;
import io.structflow.layers.fields.ConvContractiveGradientField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The structured plug-and-play denoiser of [M-slides] ("Denoising Performance"):
 * <pre>
 *   Γ = P ∘ N_θ ∘ L,    N_θ = Φ_n ∘ … ∘ Φ_1,    Φ_i(x) = x − τ_i K_iᵀ σ(K_i x + b_i)
 * </pre>
 * with σ = ReLU or tanh, L = s·L₀ for L₀ the zero-padding channel lift {@code 1 → C} (an
 * isometry) and a scalar s &gt; 0 ({@link Architecture#stateScale()}, 1 by default),
 * P = L₀ᵀ/s the first channel ({@link ChannelProjection}) rescaled, and Φ_i one step of the contractive convolutional gradient field
 * {@code −K_iᵀσ(K_i x + b_i)} ([CMOSS] (3.3), conv form of (3.5)), K_i a 3×3 "same" convolution
 * {@code C → m} channels.
 *
 * <p><b>Constraints</b> (projected after every optimiser step): {@code ‖K_i‖₂ ≤ 1} on the training
 * image size ({@link ConvContractiveGradientField#clipNorm(double, NormEstimateSettings, double)}
 * during training: a cheap warm-started estimate, and the excess of the top singular values
 * clipped rather than the kernel rescaled, which with Adam wore down every other singular value
 * and made the training loss rise; {@link #certify()} then re-estimates accurately and rescales
 * at the end) and the step box {@code 0 ≤ τ_i ≤ τ_max = 1.98}
 * ({@link StepBox}). Then {@code τ_i‖K_i‖² ≤ 1.98(1 + 10⁻³)² < 2}, so for the Euler scheme each Φ_i
 * is {@code α_i}-averaged with {@code α_i = τ_i‖K_i‖²/2 < 1} (its Jacobian {@code I − τKᵀDK},
 * 0 ≤ D ≤ I, is symmetric with spectrum in {@code [1 − τ‖K‖², 1]}; equivalently
 * {@code I − τ∇V} with ∇V ‖K‖²-cocoercive, Baillon–Haddad), N_θ is averaged as a composition of
 * averaged maps (Combettes &amp; Yamada, J. Math. Anal. Appl. 425 (2015) 55–70,
 * doi:10.1016/j.jmaa.2014.11.044), and Γ is averaged with the same constant because P = L₀ᵀ/s,
 * L = s·L₀ and L₀ is an isometry. Lipschitz bound of Γ: {@code 1 · Π 1 · 1 = 1} ({@link #lipschitzBound()}).
 * The margin {@code 2/τ_max − 1 ≈ 1%} also covers the slack of the norm estimate.
 *
 * <p><b>RK4 scheme</b>: the same fields and constraints, each Φ_i the classical Runge–Kutta step
 * of size τ_i. It is a fourth-order approximation of the flow of the same (non-expansive)
 * gradient field, but the discrete map has no proven Lipschitz bound: the stage Jacobians do not
 * commute, so the linear stability argument ({@code |R(z)| ≤ 1} on {@code [−2.78, 0]}) does not
 * carry over; {@link FlowLayer#lipschitzBound()} reports the stage-wise bound, which exceeds 1.
 *
 * <p>The fields act on a fixed image size (the operator norm of a padded convolution depends on
 * it); {@link #resized} builds the same network for another size and copies the parameters.
 */
public final class FlowDenoiser extends Module implements LipschitzBounded, Exportable {
    /** Upper end of the step box, below the bound 2 of {@code τ‖K‖²} so that every layer is averaged. */
    public static final double STEP_MAX = 1.98;

    /**
     * The initial step τ_i for a denoiser trained on noise of level σ: {@code min(1, 10σ)}. Weak
     * noise wants a map close to the identity, and with the clipped norm constraint the initial
     * kernels keep all their singular values near 1, so τ = 1 starts far too smooth for weak
     * noise, while σ = 0.1 trains best from τ = 1 (measurements in
     * {@code docs/experiments/denoise.md}).
     */
    public static double initialStepFor(double sigma) {
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("FlowDenoiser.initialStepFor: sigma expected > 0 but got " + sigma);
        }
        return Math.min(1, 10 * sigma);
    }

    /** Slack of the norm constraint {@code ‖K‖ ≤ 1 + NORM_SLACK}. */
    public static final double NORM_SLACK = 1e-3;

    /**
     * Norm estimate used after every training step: two warm-started products (one Lanczos block of
     * size 2), the persistent power iteration of spectral normalisation (Miyato et al., ICLR 2018).
     * It lags the weights slightly, so it is followed by {@link #certify()} when training ends.
     */
    public static final NormEstimateSettings TRAINING_NORM_SETTINGS = new NormEstimateSettings(2, 2, 1e-6, 0);

    /**
     * Norm estimate of {@link #certify()}: restarted Lanczos to a relative Ritz residual of 1e-5
     * (the library default 1e-10 is out of reach of float32 products, which would always run the
     * product cap).
     */
    public static final NormEstimateSettings CERTIFY_NORM_SETTINGS = new NormEstimateSettings(1500, 20, 1e-5, 0);

    /** Integration scheme of every layer. */
    public enum Scheme {
        /** Explicit Euler (fused kernel): averaged, 1-Lipschitz. */
        EULER,
        /** Classical fourth-order Runge–Kutta: no Lipschitz guarantee. */
        RK4
    }

    /**
     * The architecture.
     *
     * @param channels   lifted channels C ≥ 1
     * @param hidden     channels m of each K_i
     * @param layers     number of steps n
     * @param kernel     kernel size (odd)
     * @param activation σ of every field: ReLU, or tanh (Γ = log cosh, quadratic near 0 and linear
     *                   far out: the smoothed-TV/Huber potential, whose gradient saturates on large
     *                   coefficients such as edges); both have {@code 0 ≤ σ' ≤ 1}, so the averagedness
     *                   argument of the class documentation holds for either
     * @param stateScale the scalar s &gt; 0 of the lift {@code L = s·L₀} and projection
     *                   {@code P = L₀ᵀ/s}: Γ = P ∘ N_θ ∘ L is the conjugate of N_θ by a scaling, which
     *                   has the same Lipschitz and averagedness constants ({@code (1 − α)I + αR}
     *                   becomes {@code (1 − α)I + α·s⁻¹R(s·)}). It sets where tanh saturates in
     *                   image units (at about 1/s); ReLU is positively homogeneous, so for ReLU s
     *                   only rescales the biases
     */
    public record Architecture(int channels, int hidden, int layers, int kernel, Activation activation,
                               double stateScale) implements java.io.Serializable {
        public Architecture {
            if (channels < 1 || hidden < 1 || layers < 1 || kernel < 1 || kernel % 2 == 0) {
                throw new IllegalArgumentException("FlowDenoiser.Architecture: expected channels, hidden, layers ≥ 1 "
                        + "and an odd kernel size but got channels=" + channels + ", hidden=" + hidden + ", layers="
                        + layers + ", kernel=" + kernel);
            }
            if (!(activation instanceof Activation.LeakyRelu relu && relu.slope() == 0)
                    && !(activation instanceof Activation.Tanh)) {
                throw new IllegalArgumentException("FlowDenoiser.Architecture: activation expected ReLU or tanh but got "
                        + activation);
            }
            if (!(stateScale > 0) || !Double.isFinite(stateScale)) {
                throw new IllegalArgumentException("FlowDenoiser.Architecture: stateScale expected finite and > 0 but got "
                        + stateScale);
            }
        }

        /** ReLU fields, state scale 1. */
        public Architecture(int channels, int hidden, int layers, int kernel) {
            this(channels, hidden, layers, kernel, Activation.relu(), 1);
        }

        /**
         * Parses an activation name.
         *
         * @param name {@code relu} or {@code tanh}
         * @throws IllegalArgumentException naming the activation otherwise
         */
        public static Activation activationNamed(String name) {
            return switch (name == null ? "" : name) {
                case "relu" -> Activation.relu();
                case "tanh" -> Activation.tanh();
                default -> throw new IllegalArgumentException("FlowDenoiser.Architecture: activation expected relu or "
                        + "tanh but got '" + name + "'");
            };
        }

        /** {@code relu} or {@code tanh}. */
        public String activationName() {
            return activation instanceof Activation.Tanh ? "tanh" : "relu";
        }
    }

    private final Architecture arch;
    private final Scheme scheme;
    private final int height;
    private final int width;
    private final DataType type;
    private final ZeroPaddingLift lift;
    private final Sequential flow;
    private final ChannelProjection projection;
    private final List<FlowLayer<ConvContractiveGradientField>> layers = new ArrayList<>();

    /**
     * A freshly initialised denoiser, its constraints projected once.
     *
     * @param arch   architecture
     * @param scheme Euler or RK4
     * @param height image height the fields act on
     * @param width  image width
     * @param type   float32 or float64
     * @param seed   seed of the initial weights
     * @param initialStep initial τ_i in [0, STEP_MAX] ({@link #initialStepFor(double)})
     */
    public FlowDenoiser(Architecture arch, Scheme scheme, int height, int width, DataType type, long seed,
                        double initialStep) {
        this(arch, scheme, height, width, type, seed, initialStep, true);
        if (!(initialStep >= 0 && initialStep <= STEP_MAX)) {
            throw new IllegalArgumentException("FlowDenoiser: initialStep expected in [0, " + STEP_MAX + "] but got "
                    + initialStep);
        }
    }

    private FlowDenoiser(Architecture arch, Scheme scheme, int height, int width, DataType type, long seed,
                         double initialStep, boolean project) {
        this.arch = arch;
        this.scheme = scheme;
        this.height = height;
        this.width = width;
        this.type = type;
        SplittableRandom rng = new SplittableRandom(seed);
        lift = register("lift", new ZeroPaddingLift(1, arch.channels()));
        flow = register("flow", new Sequential());
        Integrator<VectorField> integrator = scheme == Scheme.EULER ? new ExplicitEuler() : ExplicitRungeKutta.rk4();
        for (int i = 0; i < arch.layers(); i++) {
            ConvContractiveGradientField field = new ConvContractiveGradientField(arch.channels(), arch.hidden(),
                    arch.kernel(), height, width, arch.activation(), type, rng.split());
            field.clipNorm(1.0, TRAINING_NORM_SETTINGS, NORM_SLACK);
            Parameter h = FlowLayer.stepParameter(initialStep, type);
            h.constrain(new StepBox(0, STEP_MAX));
            FlowLayer<ConvContractiveGradientField> layer = new FlowLayer<>(field, integrator, h, 1);
            layers.add(layer);
            flow.add(layer);
        }
        projection = register("projection", new ChannelProjection(arch.channels()));
        if (project) {
            projectConstraints();
        }
    }

    /**
     * The same network (architecture, parameters) for another image size, element type or scheme.
     * The norm constraints of the copy refer to the new size but are not re-projected (a cold
     * Lanczos estimate on a large image costs minutes): the copy computes with exactly the trained
     * parameters. The operator norm of a padded convolution grows with the image size towards the
     * supremum of its symbol, by a fraction of a percent from a 32×32 patch to larger images, which
     * the step margin {@code 2/STEP_MAX − 1 ≈ 1%} absorbs; the experiments measure the Jacobian
     * norm of the copy on the new size to confirm it.
     */
    public FlowDenoiser resized(int newHeight, int newWidth, DataType newType, Scheme newScheme) {
        FlowDenoiser copy = new FlowDenoiser(arch, newScheme, newHeight, newWidth, newType, 0, 1, false);
        copy.loadFrom(this);
        return copy;
    }

    /** Copies every parameter value of {@code source} (same architecture), cast to this type. */
    public void loadFrom(FlowDenoiser source) {
        if (!source.arch.equals(arch)) {
            throw new IllegalArgumentException("FlowDenoiser.loadFrom: source architecture " + source.arch
                    + " differs from " + arch);
        }
        Map<String, Parameter> mine = namedParameters();
        for (Map.Entry<String, Parameter> e : source.namedParameters().entrySet()) {
            mine.get(e.getKey()).updateInPlace(e.getValue().value().castTo(type));
        }
    }

    /**
     * Attaches to every kernel the accurate norm bound {@code ‖K_i‖₂ ≤ 1} on this denoiser's image
     * size ({@link #CERTIFY_NORM_SETTINGS}) and projects every constraint once: after training, this
     * makes the guarantees of the class documentation hold for the final parameters, whatever the
     * lag of the cheap estimate used during training. Attaching twice is harmless (the
     * projection is idempotent).
     */
    public void certify() {
        for (FlowLayer<ConvContractiveGradientField> l : layers) {
            l.field().constrainNorm(1.0, CERTIFY_NORM_SETTINGS, NORM_SLACK);
        }
        projectConstraints();
    }

    /** Runs every parameter's constraint projections once. */
    public void projectConstraints() {
        for (Parameter p : parameters()) {
            p.projectInPlace();
        }
    }

    /**
     * @param x images {@code [batch, 1, H, W]} of this denoiser's size and type; not mutated
     * @return {@code Γ(x)}, same shape
     */
    @Override
    public Tensor forward(Tensor x) {
        if (x == null || x.rank() != 4 || x.size(1) != 1 || x.size(2) != height || x.size(3) != width) {
            throw new IllegalArgumentException("FlowDenoiser.forward: x expected shape [batch, 1, " + height + ", "
                    + width + "] but got " + (x == null ? "null" : java.util.Arrays.toString(x.shape())));
        }
        double s = arch.stateScale();
        if (s == 1) {
            return projection.forward(flow.forward(lift.forward(x)));
        }
        return projection.forward(flow.forward(lift.forward(x).mul(s))).mul(1 / s);
    }

    /** {@code Lip(P)·Π Lip(Φ_i)·Lip(L)} from the layers' own bounds (1 for Euler). */
    @Override
    public double lipschitzBound() {
        return lift.lipschitzBound() * Lipschitz.bound(flow) * projection.lipschitzBound();
    }

    /**
     * The averagedness constant of N_θ (Euler scheme): each layer is {@code α_i}-averaged with
     * {@code α_i = τ_i c_i²/2}, {@code c_i = 1 + NORM_SLACK} the guaranteed norm bound, and the
     * composition is α-averaged with {@code α = κ/(1 + κ)}, {@code κ = Σ α_i/(1 − α_i)}
     * (Combettes &amp; Yamada 2015, Prop. 2.5). Returns a value in [0, 1) when every α_i &lt; 1,
     * otherwise 1 (no averagedness guaranteed).
     */
    public double averagedness() {
        if (scheme != Scheme.EULER) {
            return 1;
        }
        double c = 1 + NORM_SLACK;
        double kappa = 0;
        for (FlowLayer<ConvContractiveGradientField> l : layers) {
            double alpha = l.step().value().getDouble(0) * c * c / 2;
            if (alpha >= 1) {
                return 1;
            }
            kappa += alpha / (1 - alpha);
        }
        return kappa / (1 + kappa);
    }

    /** The steps τ_i. */
    public double[] steps() {
        double[] s = new double[layers.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = layers.get(i).step().value().getDouble(0);
        }
        return s;
    }

    /** The flow layers, in order. */
    public List<FlowLayer<ConvContractiveGradientField>> layers() {
        return List.copyOf(layers);
    }

    /** The architecture. */
    public Architecture architecture() {
        return arch;
    }

    /** Euler or RK4. */
    public Scheme scheme() {
        return scheme;
    }

    /** Image height the fields act on. */
    public int height() {
        return height;
    }

    /** Image width the fields act on. */
    public int width() {
        return width;
    }

    /** Element type. */
    public DataType dtype() {
        return type;
    }

    /** {@code P ∘ N_θ ∘ L}: Pad, the flow layers, Slice (with the state scale s as two Muls when s ≠ 1). */
    @Override
    public InferenceGraph.Value appendTo(InferenceGraph graph, InferenceGraph.Value x) {
        double s = arch.stateScale();
        InferenceGraph.Value lifted = graph.apply("lift", lift, x);
        InferenceGraph.Value z = graph.apply("flow", flow, s == 1 ? lifted : graph.scale(lifted, s));
        InferenceGraph.Value y = graph.apply("projection", projection, z);
        return s == 1 ? y : graph.scale(y, 1 / s);
    }
}
