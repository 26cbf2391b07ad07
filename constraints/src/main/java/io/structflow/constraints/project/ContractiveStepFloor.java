package io.structflow.constraints.project;

import io.structflow.core.nn.Constraint;
import io.structflow.core.nn.Parameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A lower bound {@code h₁ ≥ δ} on the contractive step of every pair (h₁, h₂) of a step
 * parameter {@code [pairs, 2]}, applied after the projection onto the non-expansive region R of
 * [CMOSS] (3.10) so that a pair cannot fall into the corner (0, 0) of R, where R only admits
 * h₂ = 0 (R is the wedge {@code 0 ≤ h₂ ≲ a·h₁} near the origin) and the pair stays dead for good.
 * App. C of [CMOSS] bounds h₁ from below (0.11) for the same reason.
 *
 * <p>Raising h₁ from below δ to δ keeps the pair in R when {@code δ ≤ aS}: the boundary
 * {@code h₂ = S·φ(h₁/S)} of R increases on {@code [0, aS]}. Idempotent, the identity on
 * {@code {h₁ ≥ δ}}; the clamped value is δ rounded up to the parameter's type.
 */
public final class ContractiveStepFloor implements Constraint {
    private final double floor;

    /**
     * @param floor  δ ≥ 0 and at most aS
     * @param region the region R the pairs are also kept in (δ must not exceed its aS)
     */
    public ContractiveStepFloor(double floor, NonExpansiveStepRegion region) {
        if (!(floor >= 0) || floor > region.slope() * region.substeps()) {
            throw new IllegalArgumentException("ContractiveStepFloor: floor expected 0 ≤ δ ≤ aS = "
                    + region.slope() * region.substeps() + " (where R's boundary stops rising) but got " + floor);
        }
        this.floor = floor;
    }

    @Override
    public String describe() {
        return "h₁ ≥ " + floor + " for every pair";
    }

    @Override
    public void validate(Parameter p) {
        if (p.rank() != 2 || p.size(1) != 2) {
            throw new IllegalArgumentException("ContractiveStepFloor: parameter " + p.name()
                    + " expected shape [pairs, 2] but got " + java.util.Arrays.toString(p.shape()));
        }
    }

    @Override
    public double violation(Parameter p) {
        double[] h = p.toDoubleArray();
        double worst = 0;
        for (int i = 0; i < h.length; i += 2) {
            worst = Math.max(worst, floor - h[i]);
        }
        return worst;
    }

    @Override
    public void projectInPlace(Parameter p) {
        double stored = storedFloor(p.dtype());
        double[] h = p.toDoubleArray();
        boolean moved = false;
        for (int i = 0; i < h.length; i += 2) {
            if (h[i] < floor) {
                h[i] = stored;
                moved = true;
            }
        }
        if (moved) {
            p.updateInPlace(Nd4j.create(h, p.shape(), 'c').castTo(p.dtype()));
        }
    }

    /** δ rounded up to {@code type}, so the stored value is ≥ δ. */
    private double storedFloor(DataType type) {
        if (type == DataType.FLOAT) {
            float f = (float) floor;
            return f < floor ? Math.nextUp(f) : f;
        }
        return floor;
    }
}
