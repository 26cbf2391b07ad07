package io.structflow.examples.dynamics;

import io.structflow.examples.support.Report;
import io.structflow.examples.support.SharedOptions;
import io.structflow.examples.support.Summary;
import io.structflow.examples.support.Table;
import java.util.List;

/**
 * The deep-SympNet experiment's report: test error against the identity map's, symplecticity
 * residual, reconstruction drift, the gap between reversible and ordinary gradients, and the
 * training loss.
 */
public final class DeepSympNetReport {
    private DeepSympNetReport() {
    }

    /** The report of one run of {@code c}. */
    public static Report of(DeepSympNetExperiment.Config c, DeepSympNetExperiment.Result r) {
        Table table = new Table("modules", "params", "test MSE", "identity MSE", "‖JᵀΩJ − Ω‖", "drift",
                "grad gap", "train s");
        table.row(c.depth(), r.parameters(), Summary.sci(r.testMse()), Summary.sci(r.identityMse()),
                Summary.sci(r.symplecticity()), Summary.sci(r.drift()), Summary.sci(r.gradientDifference()),
                String.format("%.1f", r.seconds()));
        FlowMapFit.Settings fit = c.fit();
        return new Report().table(table)
                .line("drift: largest relative error of a layer input rebuilt by the inverses, on the test states; "
                        + "grad gap: max|g_rev − g_ord| / max|g_ord| on one test batch")
                .put("test_mse", r.testMse())
                .put("identity_mse", r.identityMse())
                .put("symplecticity_residual", r.symplecticity())
                .put("reconstruction_drift", r.drift())
                .put("gradient_difference", r.gradientDifference())
                .put("train_seconds", r.seconds())
                .put("final_train_loss", r.losses()[r.losses().length - 1])
                .put("parameters", r.parameters())
                .put("depth", c.depth())
                .put("width", c.width())
                .put("dtype", SharedOptions.dtypeName(c.type()))
                .put("h", c.h())
                .put("epochs", fit.epochs())
                .put("steps", (long) fit.epochs() * (c.trainSize() / fit.batchSize()))
                .put("batch", fit.batchSize())
                .put("lr", fit.learningRate())
                .put("lr_final", fit.finalRate())
                .put("train_size", c.trainSize())
                .put("test_size", c.testSize())
                .put("seed", c.seed())
                .figure(dir -> List.of(DynamicsPlots.losses(dir, "deep_sympnet_loss",
                        "Deep SympNet (" + c.depth() + " modules): training loss", List.of("reversible"),
                        List.of(r.losses()))));
    }
}
