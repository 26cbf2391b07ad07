package io.structflow.integrators;

/**
 * Thrown when the nonlinear solve of an implicit step does not reach its tolerance within its
 * iteration cap, produces a non-finite residual, or meets a singular Jacobian. The message
 * names the integrator, the iteration, the residual reached and the tolerance asked for, with a
 * hint (smaller step, more iterations, or Newton instead of fixed-point iteration).
 */
public class NonConvergenceException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    private final int iterations;
    private final double residual;

    /**
     * @param message    full description
     * @param iterations iterations performed
     * @param residual   max-norm of the last residual (NaN if not available)
     */
    public NonConvergenceException(String message, int iterations, double residual) {
        super(message);
        this.iterations = iterations;
        this.residual = residual;
    }

    /** Iterations performed before giving up. */
    public int iterations() {
        return iterations;
    }

    /** Max-norm of the last residual. */
    public double residual() {
        return residual;
    }
}
