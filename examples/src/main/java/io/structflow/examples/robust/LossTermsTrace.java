package io.structflow.examples.robust;

import io.structflow.constraints.regularize.ConvOrthogonalityPenalty;
import io.structflow.core.autodiff.GradMode;
import io.structflow.core.nn.Parameter;
import io.structflow.core.train.CsvTrace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The two terms of the training loss of {@link TrainingSettings}, every {@code every} steps, before
 * the update: the weighted orthogonality penalty {@code λ Σ_K ‖Conv(K, K) − I_r0‖²_F} of the
 * network's kernels, recomputed under {@code GradMode.noGrad()}, and the hinge loss as the batch
 * loss minus it. Columns: {@value #HEADER}.
 */
final class LossTermsTrace extends CsvTrace {
    /** The CSV header. */
    static final String HEADER = "epoch,step,loss,hinge,orthogonality_penalty";

    private final ConvOrthogonalityPenalty penalty = new ConvOrthogonalityPenalty();
    private final List<Parameter> kernels;
    private final double weight;

    LossTermsTrace(List<Parameter> kernels, double weight, int every, Path file) throws IOException {
        super("LossTermsTrace", HEADER, every, file);
        this.kernels = List.copyOf(kernels);
        this.weight = weight;
    }

    @Override
    public void beforeUpdate(TrainingStep s) {
        if (!traced(s)) {
            return;
        }
        double p = 0;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (Parameter k : kernels) {
                p += penalty.apply(k).item();
            }
        }
        p *= weight;
        writeRows(List.of(String.format(Locale.ROOT, "%d,%d,%.9g,%.9g,%.9g", s.epoch(), s.step(), s.loss(),
                s.loss() - p, p)));
    }
}
