package io.structflow.imaging;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Module;
import io.structflow.layers.LipschitzBounded;

/**
 * The average of an image map over the eight symmetries of the square, the dihedral group D₄
 * (flips of rows and columns, and transposition), known for learned denoisers as the geometric
 * self-ensemble (Timofte, Rothe &amp; Van Gool, "Seven ways to improve example-based single image
 * super resolution", CVPR 2016):
 * <pre>
 *   D̄(x) = (1/8) Σ_{g ∈ D₄} g⁻¹ D(g x)
 * </pre>
 * on square images {@code [batch, channels, S, S]}.
 *
 * <p><b>What it keeps.</b> Every g permutes pixels, an orthogonal map, so {@code g⁻¹Dg} has the
 * Lipschitz constant of D. If D is α-averaged, {@code D = (1 − α)I + αR} with R non-expansive,
 * then {@code g⁻¹Dg = (1 − α)I + α g⁻¹Rg}, and the mean of these is {@code (1 − α)I + αR̄} with
 * R̄ the mean of the non-expansive {@code g⁻¹Rg}, itself non-expansive: D̄ is α-averaged with
 * the same α, so plug-and-play with D̄ converges whenever it does with D. D̄ is equivariant,
 * {@code D̄(hx) = h D̄(x)} for every h ∈ D₄, and it is differentiable wherever D is.
 *
 * <p>Cost: one forward pass of D on a batch eight times larger. The flips are products with the
 * exchange matrix and the transposition a permutation of axes, so gradients flow through them.
 */
public final class DihedralAverage extends Module implements LipschitzBounded {
    /** Number of symmetries of the square. */
    public static final int GROUP_ORDER = 8;

    private final Module inner;

    /**
     * @param inner the map D, acting on {@code [batch, channels, S, S]} and returning that shape
     */
    public DihedralAverage(Module inner) {
        if (inner == null) {
            throw Messages.badArgument("DihedralAverage", "inner", "a module", "null");
        }
        this.inner = register("inner", inner);
    }

    /** The averaged map D. */
    public Module inner() {
        return inner;
    }

    /**
     * @param x square images {@code [batch, channels, S, S]}; not mutated
     * @return D̄(x), the same shape
     */
    @Override
    public Tensor forward(Tensor x) {
        Messages.requireImages("DihedralAverage.forward", "x", x);
        if (x.size(2) != x.size(3)) {
            throw Messages.badShape("DihedralAverage.forward", "x", "[batch, channels, S, S] (square images: the "
                    + "transposition needs height = width)", x);
        }
        long n = x.size(0);
        Tensor exchange = exchangeMatrix(x);
        Tensor[] moved = new Tensor[GROUP_ORDER];
        for (int g = 0; g < GROUP_ORDER; g++) {
            moved[g] = act(g, x, exchange);
        }
        Tensor y = inner.forward(Tensor.concat(0, moved));
        if (y.size(0) != GROUP_ORDER * n || y.rank() != 4 || y.size(2) != x.size(2) || y.size(3) != x.size(3)) {
            throw Messages.badShape("DihedralAverage.forward", "the inner map's output",
                    "[" + GROUP_ORDER * n + ", C, " + x.size(2) + ", " + x.size(3) + "] (its input's batch and size)", y);
        }
        long[] size = {n, y.size(1), y.size(2), y.size(3)};
        Tensor sum = null;
        for (int g = 0; g < GROUP_ORDER; g++) {
            Tensor back = actInverse(g, y.region(new long[] {g * n, 0, 0, 0}, size), exchange);
            sum = sum == null ? back : sum.add(back);
        }
        return sum.mul(1.0 / GROUP_ORDER);
    }

    /** The Lipschitz bound of D (D̄ has the same), infinite when D states none. */
    @Override
    public double lipschitzBound() {
        return inner instanceof LipschitzBounded bounded ? bounded.lipschitzBound() : Double.POSITIVE_INFINITY;
    }

    /**
     * The symmetry number g ∈ {0, …, 7} applied to images: bit 0 flips the columns, bit 1 the rows,
     * bit 2 transposes, in that order.
     */
    public static Tensor act(int g, Tensor x) {
        checkElement(g);
        return act(g, x, exchangeMatrix(x));
    }

    /** The inverse of {@link #act}: the same three involutions in the reverse order. */
    public static Tensor actInverse(int g, Tensor x) {
        checkElement(g);
        return actInverse(g, x, exchangeMatrix(x));
    }

    private static Tensor act(int g, Tensor x, Tensor exchange) {
        Tensor y = (g & 1) != 0 ? flipColumns(x, exchange) : x;
        y = (g & 2) != 0 ? flipRows(y, exchange) : y;
        return (g & 4) != 0 ? transpose(y) : y;
    }

    private static Tensor actInverse(int g, Tensor x, Tensor exchange) {
        Tensor y = (g & 4) != 0 ? transpose(x) : x;
        y = (g & 2) != 0 ? flipRows(y, exchange) : y;
        return (g & 1) != 0 ? flipColumns(y, exchange) : y;
    }

    private static void checkElement(int g) {
        if (g < 0 || g >= GROUP_ORDER) {
            throw Messages.badArgument("DihedralAverage", "g", "a symmetry number in 0.." + (GROUP_ORDER - 1), g);
        }
    }

    /** J with {@code J[i][S−1−i] = 1}: {@code r J} reverses a row r of length S. */
    private static Tensor exchangeMatrix(Tensor x) {
        int side = (int) x.size(3);
        double[] j = new double[side * side];
        for (int i = 0; i < side; i++) {
            j[i * side + side - 1 - i] = 1;
        }
        return Tensor.of(x.dtype(), j, side, side);
    }

    private static Tensor flipColumns(Tensor x, Tensor exchange) {
        long[] shape = x.shape();
        return x.reshape(-1, shape[3]).matmul(exchange).reshape(shape);
    }

    private static Tensor flipRows(Tensor x, Tensor exchange) {
        return transpose(flipColumns(transpose(x), exchange));
    }

    private static Tensor transpose(Tensor x) {
        return x.permute(0, 1, 3, 2);
    }
}
