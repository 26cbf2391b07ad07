package io.structflow.core.train;

import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Sequential;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A per-layer CSV trace of the activation scale of a {@link Sequential} model on the training
 * batches: every {@code every} steps, before the update, the batch is run through the layers
 * under {@link GradMode#noGrad()} and for the output {@code y} of each layer (flattened per
 * example, {@code y_i}, batch mean {@code ȳ}) one row with
 * <pre>
 *   mean_norm    (1/B) Σ_i ‖y_i‖          batch_mean_norm  ‖ȳ‖ (the part shared by every input)
 *   spread_norm  (1/B) Σ_i ‖y_i − ȳ‖      zero_fraction    share of exactly zero entries
 * </pre>
 * in float64. Training is unchanged: the forward pass changes no parameter. Columns: {@value #HEADER}.
 */
public final class ActivationTrace extends CsvTrace {
    /** The CSV header. */
    public static final String HEADER = "epoch,step,layer,module,mean_norm,batch_mean_norm,spread_norm,zero_fraction";

    private final List<Module> layers;

    /**
     * Opens (overwrites) {@code file} and writes the header.
     *
     * @param model the traced model
     * @param every trace steps whose global index is a multiple of this, ≥ 1
     * @param file  the CSV file (its directory must exist)
     * @throws IllegalArgumentException if {@code every < 1} or the model is null
     * @throws IOException if the file cannot be written
     */
    public ActivationTrace(Sequential model, int every, Path file) throws IOException {
        super("ActivationTrace", HEADER, every, file);
        if (model == null) {
            close();
            throw new IllegalArgumentException("ActivationTrace: model expected non-null but got null");
        }
        this.layers = List.copyOf(model.layers());
    }

    @Override
    public void beforeUpdate(TrainingStep s) {
        if (!traced(s)) {
            return;
        }
        List<String> rows = new ArrayList<>();
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Tensor y = s.batch().x();
            for (int l = 0; l < layers.size(); l++) {
                y = layers.get(l).forward(y);
                rows.add(row(s, l, layers.get(l), y.value()));
            }
        }
        writeRows(rows);
    }

    private static String row(TrainingStep s, int l, Module layer, INDArray y) {
        long b = y.size(0);
        INDArray flat = y.castTo(DataType.DOUBLE).dup('c').reshape(b, -1);
        INDArray mean = flat.mean(0);
        INDArray spread = flat.subRowVector(mean);
        double zeros = flat.eq(0.0).castTo(DataType.DOUBLE).sumNumber().doubleValue() / flat.length();
        return String.format(Locale.ROOT, "%d,%d,%d,%s,%.9g,%.9g,%.9g,%.6f", s.epoch(), s.step(), l,
                layer.getClass().getSimpleName(), flat.norm2(1).meanNumber().doubleValue(),
                mean.norm2Number().doubleValue(), spread.norm2(1).meanNumber().doubleValue(), zeros);
    }
}
