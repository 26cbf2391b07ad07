package io.structflow.spark;

import io.structflow.core.nn.Parameter;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model's parameters and gradients as one flat {@code double[]}, parameters in the model's
 * order, each in row-major order — the layout of {@link io.structflow.core.nn.ParameterBuffer},
 * widened to float64 so that sums over executors lose nothing to the model's element type.
 */
public final class FlatParameters {
    private FlatParameters() {
    }

    /** Total number of scalars. */
    public static int length(List<Parameter> parameters) {
        long n = 0;
        for (Parameter p : parameters) {
            n += p.length();
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("FlatParameters: model expected fewer than 2^31 scalars but has " + n);
        }
        return (int) n;
    }

    /** The values, as a new array. */
    public static double[] values(List<Parameter> parameters) {
        double[] out = new double[length(parameters)];
        int at = 0;
        for (Parameter p : parameters) {
            double[] v = p.value().dup('c').castTo(DataType.DOUBLE).data().asDouble();
            System.arraycopy(v, 0, out, at, v.length);
            at += v.length;
        }
        return out;
    }

    /** Writes {@code flat} into the parameters' storage (rounded to their element type). */
    public static void setValues(List<Parameter> parameters, double[] flat) {
        requireLength(parameters, flat, "values");
        int at = 0;
        for (Parameter p : parameters) {
            p.updateInPlace(slice(p, flat, at));
            at += (int) p.length();
        }
    }

    /** The accumulated gradients, zeros for a parameter without one, as a new array. */
    static double[] gradients(List<Parameter> parameters) {
        double[] out = new double[length(parameters)];
        int at = 0;
        for (Parameter p : parameters) {
            INDArray g = p.grad();
            if (g != null) {
                double[] v = g.dup('c').castTo(DataType.DOUBLE).data().asDouble();
                System.arraycopy(v, 0, out, at, v.length);
            }
            at += (int) p.length();
        }
        return out;
    }

    /** Replaces every parameter's gradient by its range of {@code flat}. */
    static void setGradients(List<Parameter> parameters, double[] flat) {
        requireLength(parameters, flat, "gradients");
        int at = 0;
        for (Parameter p : parameters) {
            p.zeroGrad();
            p.accumulateGrad(slice(p, flat, at));
            at += (int) p.length();
        }
    }

    private static INDArray slice(Parameter p, double[] flat, int at) {
        double[] part = java.util.Arrays.copyOfRange(flat, at, at + (int) p.length());
        return FlatArray.create(part, p.shape()).castTo(p.dtype());
    }

    private static void requireLength(List<Parameter> parameters, double[] flat, String what) {
        int n = length(parameters);
        if (flat.length != n) {
            throw new IllegalArgumentException("FlatParameters: " + what + " expected " + n
                    + " scalars (the model's) but got " + flat.length);
        }
    }
}
