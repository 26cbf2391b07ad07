package io.structflow.core.train;

import io.structflow.core.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A per-parameter CSV trace of projected gradient descent {@code θ ← P_C(θ − Δ)} ([CMOSS] §3.1):
 * every {@code every} steps, one row per parameter with
 * <pre>
 *   param_norm      ‖θ‖ before the step          grad_norm        ‖∇θ L‖
 *   update_norm     ‖Δ‖ (after momentum)          projection_norm  ‖P_C(θ − Δ) − (θ − Δ)‖
 *   step_norm       ‖P_C(θ − Δ) − θ‖ (the change the step made)
 *   update_grad_cos      cos(Δ, ∇θ L)    (1 for plain SGD; lower when momentum turns the update)
 *   update_projection_cos cos(Δ, projection): near 1 when the projection takes back the update
 * </pre>
 * all in float64 from the parameters themselves, so {@code step_norm} is the change a reader of
 * the parameters sees. Columns: {@value #HEADER}. A cosine with a zero vector is written empty.
 */
public final class UpdateTrace extends CsvTrace {
    /** The CSV header. */
    public static final String HEADER = "epoch,step,lr,loss,parameter,size,param_norm,grad_norm,update_norm,"
            + "projection_norm,step_norm,update_grad_cos,update_projection_cos";

    private final Map<String, Parameter> parameters;
    private final List<INDArray> before = new ArrayList<>();
    private final List<INDArray> grads = new ArrayList<>();
    private final List<INDArray> updated = new ArrayList<>();

    /**
     * Opens (overwrites) {@code file} and writes the header.
     *
     * @param parameters the traced parameters by dotted name, in row order
     * @param every      trace steps whose global index is a multiple of this, ≥ 1
     * @param file       the CSV file (its directory must exist)
     * @throws IllegalArgumentException if {@code every < 1} or there are no parameters
     * @throws IOException if the file cannot be written
     */
    public UpdateTrace(Map<String, Parameter> parameters, int every, Path file) throws IOException {
        super("UpdateTrace", HEADER, every, file);
        if (parameters == null || parameters.isEmpty()) {
            close();
            throw new IllegalArgumentException("UpdateTrace: parameters expected at least one but got "
                    + (parameters == null ? "null" : "none"));
        }
        this.parameters = new LinkedHashMap<>(parameters);
    }

    private static INDArray copy(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').reshape(-1);
    }

    @Override
    public void beforeUpdate(TrainingStep s) {
        if (!traced(s)) {
            return;
        }
        before.clear();
        grads.clear();
        for (Parameter p : parameters.values()) {
            before.add(copy(p.value()));
            grads.add(p.grad() == null ? null : copy(p.grad()));
        }
    }

    @Override
    public void afterUpdate(TrainingStep s) {
        if (!traced(s)) {
            return;
        }
        updated.clear();
        for (Parameter p : parameters.values()) {
            updated.add(copy(p.value()));
        }
    }

    @Override
    public void afterProjection(TrainingStep s) {
        if (!traced(s)) {
            return;
        }
        List<String> rows = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            INDArray theta = before.get(i);
            INDArray g = grads.get(i);
            INDArray mid = updated.get(i);
            INDArray after = copy(e.getValue().value());
            INDArray descent = theta.sub(mid); // Δ = θ − (θ − Δ)
            INDArray projection = after.sub(mid);
            INDArray change = after.sub(theta);
            rows.add(String.format(Locale.ROOT, "%d,%d,%.9g,%.9g,%s,%d,%.9g,%.9g,%.9g,%.9g,%.9g,%s,%s", s.epoch(),
                    s.step(), s.learningRate(), s.loss(), e.getKey(), theta.length(), theta.norm2Number().doubleValue(),
                    g == null ? 0.0 : g.norm2Number().doubleValue(), descent.norm2Number().doubleValue(),
                    projection.norm2Number().doubleValue(), change.norm2Number().doubleValue(),
                    g == null ? "" : cosine(descent, g), cosine(descent, projection)));
            i++;
        }
        writeRows(rows);
    }

    /** cos(a, b) with 9 significant digits, or empty when either is zero. */
    private static String cosine(INDArray a, INDArray b) {
        double na = a.norm2Number().doubleValue();
        double nb = b.norm2Number().doubleValue();
        return na == 0 || nb == 0 ? "" : String.format(Locale.ROOT, "%.9g", a.mul(b).sumNumber().doubleValue() / (na * nb));
    }
}
