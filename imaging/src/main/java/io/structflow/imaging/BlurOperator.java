package io.structflow.imaging;

import io.structflow.core.autodiff.ConvGeometry;
import io.structflow.core.autodiff.Tensor;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A blur: the convolution {@code Kx = k * x} of every channel of an image with one kernel k,
 * <pre>
 *   (Kx)[b, c, i, j] = Σ_{a, d} k[a, d] · x[b, c, i − a + r_h, j − d + r_w]      (r = kernel radius)
 * </pre>
 * with values outside the image taken as zero ({@link Boundary#ZERO}, "same" size output) or
 * periodically ({@link Boundary#PERIODIC}, circular convolution). The forward operator of
 * deblurring in [M-slides] (plug-and-play); {@code f(x) = ½‖Kx − y‖²} has an
 * {@code L = ‖K‖₂²}-Lipschitz gradient, so gradient steps need {@code τ < 2/L}
 * ({@link #stepBound}).
 *
 * <p>Computed with {@link Tensor#conv2d} (a cross-correlation, hence the kernel is flipped) on
 * the batch reshaped to {@code [batch·channels, 1, H, W]}; the adjoint with
 * {@link Tensor#convTranspose2d} and the same weight (zero boundary) or as the circular
 * convolution with the flipped kernel (periodic boundary). Both are exact adjoints, both
 * differentiable. Cost: one single-channel convolution of every image channel. Kernel sizes
 * must be odd so that the kernel has a centre.
 */
public final class BlurOperator implements LinearOperator {
    /** What the convolution reads outside the image. */
    public enum Boundary {
        /** Zeros: the operator is a Toeplitz-block-Toeplitz matrix, output the same size. */
        ZERO,
        /** Periodic extension: a circulant operator, diagonalised by the 2-D DFT. */
        PERIODIC
    }

    private final double[][] kernel;
    private final Boundary boundary;
    private final int kh;
    private final int kw;
    private Tensor[] floatWeights;
    private Tensor[] doubleWeights;

    /**
     * @param kernel   the convolution kernel k, {@code [kh][kw]} with kh, kw odd; copied
     * @param boundary zero or periodic extension
     */
    public BlurOperator(double[][] kernel, Boundary boundary) {
        if (kernel == null || kernel.length == 0 || kernel[0].length == 0) {
            throw Messages.badArgument("BlurOperator", "kernel", "a non-empty [kh][kw] array", "an empty array");
        }
        int h = kernel.length;
        int w = kernel[0].length;
        if (h % 2 == 0 || w % 2 == 0) {
            throw Messages.badArgument("BlurOperator", "kernel", "odd sizes kh × kw (a kernel with a centre)", h + " × " + w);
        }
        this.kernel = new double[h][];
        for (int i = 0; i < h; i++) {
            if (kernel[i].length != w) {
                throw Messages.badArgument("BlurOperator", "kernel row " + i, w + " entries", kernel[i].length);
            }
            for (double v : kernel[i]) {
                if (!Double.isFinite(v)) {
                    throw new ArithmeticException("BlurOperator: kernel row " + i + " holds " + v);
                }
            }
            this.kernel[i] = kernel[i].clone();
        }
        if (boundary == null) {
            throw Messages.badArgument("BlurOperator", "boundary", "ZERO or PERIODIC", "null");
        }
        this.boundary = boundary;
        this.kh = h;
        this.kw = w;
    }

    /** A blur with zero boundary. */
    public BlurOperator(double[][] kernel) {
        this(kernel, Boundary.ZERO);
    }

    /**
     * Horizontal motion blur of {@code length} pixels: the average of the image shifted over
     * {@code length} consecutive columns (kernel {@code [1][length]} of 1/length for odd length;
     * for even length {@code [1][length + 1]} with half weights at both ends).
     *
     * @param length blur length in pixels, ≥ 1
     */
    public static BlurOperator motion(int length) {
        return motion(length, 0);
    }

    /**
     * Linear motion blur of {@code length} pixels along the direction {@code angleDegrees}
     * (counter-clockwise from the x-axis, image rows pointing down): the kernel weighs each pixel
     * centre p by {@code max(0, 1 − dist(p, S))} for the segment S of length {@code length − 1}
     * centred at the origin, then is normalised to sum 1 (the construction of MATLAB's
     * {@code fspecial('motion')}). For angle 0 and odd length this is the box {@code 1/length} on
     * one row.
     *
     * @param length       blur length in pixels, ≥ 1
     * @param angleDegrees direction of motion in degrees
     */
    public static BlurOperator motion(int length, double angleDegrees) {
        if (length < 1) {
            throw Messages.badArgument("BlurOperator.motion", "length", "an integer ≥ 1", length);
        }
        if (!Double.isFinite(angleDegrees)) {
            throw new ArithmeticException("BlurOperator.motion: angleDegrees expected a finite value but got " + angleDegrees);
        }
        double half = (length - 1) / 2.0;
        double ux = Math.cos(Math.toRadians(angleDegrees));
        double uy = -Math.sin(Math.toRadians(angleDegrees));
        if (Math.abs(ux) < 1e-12) {
            ux = 0;
        }
        if (Math.abs(uy) < 1e-12) {
            uy = 0;
        }
        int radius = (int) Math.ceil(half) + 1;
        int size = 2 * radius + 1;
        double[][] k = new double[size][size];
        int minRow = size;
        int maxRow = -1;
        int minCol = size;
        int maxCol = -1;
        double sum = 0;
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                double px = j - radius;
                double py = i - radius;
                double t = Math.max(-half, Math.min(half, px * ux + py * uy));
                double dist = Math.hypot(px - t * ux, py - t * uy);
                double v = Math.max(0, 1 - dist);
                if (v < 1e-12) {
                    continue;
                }
                k[i][j] = v;
                sum += v;
                minRow = Math.min(minRow, i);
                maxRow = Math.max(maxRow, i);
                minCol = Math.min(minCol, j);
                maxCol = Math.max(maxCol, j);
            }
        }
        int rh = Math.max(radius - minRow, maxRow - radius);
        int rw = Math.max(radius - minCol, maxCol - radius);
        double[][] cropped = new double[2 * rh + 1][2 * rw + 1];
        for (int i = 0; i <= 2 * rh; i++) {
            for (int j = 0; j <= 2 * rw; j++) {
                cropped[i][j] = k[radius - rh + i][radius - rw + j] / sum;
            }
        }
        return new BlurOperator(cropped);
    }

    /**
     * Isotropic Gaussian blur {@code k[a, d] ∝ exp(−(a² + d²)/(2σ²))} on a square of radius
     * {@code ⌈3σ⌉}, normalised to sum 1.
     *
     * @param sigma standard deviation in pixels, &gt; 0
     */
    public static BlurOperator gaussian(double sigma) {
        Messages.positive("BlurOperator.gaussian", "sigma", sigma);
        return gaussian(sigma, (int) Math.ceil(3 * sigma));
    }

    /**
     * Isotropic Gaussian blur on a {@code (2·radius + 1)²} square, normalised to sum 1.
     *
     * @param sigma  standard deviation in pixels, &gt; 0
     * @param radius kernel radius, ≥ 0
     */
    public static BlurOperator gaussian(double sigma, int radius) {
        Messages.positive("BlurOperator.gaussian", "sigma", sigma);
        if (radius < 0) {
            throw Messages.badArgument("BlurOperator.gaussian", "radius", "an integer ≥ 0", radius);
        }
        int size = 2 * radius + 1;
        double[][] k = new double[size][size];
        double sum = 0;
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                double a = i - radius;
                double d = j - radius;
                k[i][j] = Math.exp(-(a * a + d * d) / (2 * sigma * sigma));
                sum += k[i][j];
            }
        }
        for (double[] row : k) {
            for (int j = 0; j < size; j++) {
                row[j] /= sum;
            }
        }
        return new BlurOperator(k);
    }

    /** The same kernel with another boundary rule. */
    public BlurOperator withBoundary(Boundary other) {
        return new BlurOperator(kernel, other);
    }

    /** A copy of the convolution kernel k, {@code [kh][kw]}. */
    public double[][] kernel() {
        double[][] copy = new double[kh][];
        for (int i = 0; i < kh; i++) {
            copy[i] = kernel[i].clone();
        }
        return copy;
    }

    /** The boundary rule. */
    public Boundary boundary() {
        return boundary;
    }

    /**
     * {@code Kx}.
     *
     * @param x images {@code [batch, channels, height, width]}, float32 or float64, not mutated
     * @return the blurred images, same shape and type
     */
    @Override
    public Tensor apply(Tensor x) {
        return convolve("BlurOperator.apply", x, weights(x.dtype())[0]);
    }

    /**
     * {@code Kᵀy}: the correlation with k (zero boundary: the transposed convolution; periodic:
     * the circular convolution with the flipped kernel).
     *
     * @param y images {@code [batch, channels, height, width]}, float32 or float64, not mutated
     * @return same shape and type
     */
    @Override
    public Tensor adjoint(Tensor y) {
        Messages.requireImages("BlurOperator.adjoint", "y", y);
        Tensor[] w = weights(y.dtype());
        if (boundary == Boundary.PERIODIC) {
            return convolve("BlurOperator.adjoint", y, w[1]);
        }
        long[] s = y.shape();
        checkSize("BlurOperator.adjoint", "y", y);
        Tensor flat = y.reshape(s[0] * s[1], 1, s[2], s[3]);
        return flat.convTranspose2d(w[0], new ConvGeometry(1, 1, kh / 2, kw / 2), s[2], s[3]).reshape(s);
    }

    /**
     * {@code L = ‖K‖₂²} on {@code height × width} images by {@link #normSquared} (Lanczos on
     * {@code KᵀK}): the Lipschitz constant of {@code ∇f} for {@code f(x) = ½‖Kx − y‖²}. With zero
     * boundary it depends on the image size (it grows towards {@code max|k̂|²} for large images).
     */
    public double lipschitzOfGradient(long height, long width) {
        return normSquared(1, 1, height, width);
    }

    /**
     * {@code (Σ|k|)² ≥ ‖K‖₂²} for any image size and either boundary (Young's inequality
     * {@code ‖k * x‖₂ ≤ ‖k‖₁‖x‖₂}): a guaranteed Lipschitz bound, 1 for a non-negative kernel
     * that sums to 1.
     */
    public double lipschitzUpperBound() {
        double s = 0;
        for (double[] row : kernel) {
            for (double v : row) {
                s += Math.abs(v);
            }
        }
        return s * s;
    }

    /**
     * The step bound {@code 2/L} with {@code L} = {@link #lipschitzOfGradient}: gradient steps on
     * {@code ½‖Kx − y‖²} with {@code 0 < τ < 2/L} make {@code I − τKᵀK} averaged (non-expansive),
     * the condition under which forward–backward iterations converge.
     */
    public double stepBound(long height, long width) {
        return 2 / lipschitzOfGradient(height, width);
    }

    private Tensor convolve(String where, Tensor x, Tensor weight) {
        Messages.requireImages(where, "x", x);
        checkSize(where, "x", x);
        long[] s = x.shape();
        Tensor flat = x.reshape(s[0] * s[1], 1, s[2], s[3]);
        if (boundary == Boundary.ZERO) {
            return flat.conv2d(weight, new ConvGeometry(1, 1, kh / 2, kw / 2)).reshape(s);
        }
        Tensor padded = wrap(wrap(flat, 2, kh / 2), 3, kw / 2);
        return padded.conv2d(weight, new ConvGeometry(1, 1, 0, 0)).reshape(s);
    }

    /** Periodic extension by {@code r} entries on both sides of {@code axis}. */
    private static Tensor wrap(Tensor x, int axis, int r) {
        if (r == 0) {
            return x;
        }
        long n = x.size(axis);
        return Tensor.concat(axis, x.slice(axis, n - r, n), x, x.slice(axis, 0, r));
    }

    private void checkSize(String where, String argument, Tensor x) {
        if (boundary == Boundary.PERIODIC && (x.size(2) < kh / 2 || x.size(3) < kw / 2)) {
            throw Messages.badShape(where, argument, "[batch, channels, ≥ " + kh / 2 + ", ≥ " + kw / 2
                    + "] (a periodic blur needs images at least the kernel radius)", x);
        }
    }

    /** {conv2d weight = flipped k, flipped weight = k}, each {@code [1, 1, kh, kw]}, cached per type. */
    private Tensor[] weights(DataType type) {
        if (type == DataType.DOUBLE && doubleWeights != null) {
            return doubleWeights;
        }
        if (type == DataType.FLOAT && floatWeights != null) {
            return floatWeights;
        }
        double[] flipped = new double[kh * kw];
        double[] plain = new double[kh * kw];
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                flipped[i * kw + j] = kernel[kh - 1 - i][kw - 1 - j];
                plain[i * kw + j] = kernel[i][j];
            }
        }
        Tensor[] w = {Tensor.of(type, flipped, 1, 1, kh, kw), Tensor.of(type, plain, 1, 1, kh, kw)};
        if (type == DataType.DOUBLE) {
            doubleWeights = w;
        } else {
            floatWeights = w;
        }
        return w;
    }

    @Override
    public String toString() {
        return "BlurOperator(" + kh + "×" + kw + ", " + boundary + ")";
    }
}
