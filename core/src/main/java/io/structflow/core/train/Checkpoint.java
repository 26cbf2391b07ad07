package io.structflow.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.structflow.core.autodiff.Shapes;
import io.structflow.core.io.AtomicFiles;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.core.optim.Optimizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A training checkpoint: the model's parameters by dotted name, the optimiser's state, and the
 * {@link Progress} counters that let a {@link Trainer} resume exactly where it stopped.
 *
 * <p>File format (a zip archive, written atomically with {@link AtomicFiles#write}, so a failed
 * save leaves the previous checkpoint intact):
 * <ul>
 *   <li>{@code meta.json}: {@code format} ({@value #FORMAT}), {@code version} ({@value #VERSION}),
 *       {@code optimizer} (class name), {@code progress} (the fields of {@link Progress}),
 *       {@code parameters} and {@code optimizerState}: lists of {@code {name, dtype, shape}}.</li>
 *   <li>{@code parameters/<dotted name>} and {@code optimizer/<parameter>/<slot>}: one array
 *       each, as the 4 bytes {@code SFA1}, one byte element type (1 = float32, 2 = float64),
 *       a big-endian int32 rank, rank big-endian int64 dimensions, then the values in row-major
 *       order, big-endian.</li>
 * </ul>
 * Every entry is checked on reading (the zip CRC, magic, type, shape against {@code meta.json},
 * exact length); any mismatch is an {@link IOException} naming the file and the entry.
 */
public final class Checkpoint {
    /** File name of the checkpoint inside a trainer's checkpoint directory. */
    public static final String FILE_NAME = "checkpoint.zip";
    /** Value of {@code meta.json}'s {@code format} field. */
    public static final String FORMAT = "structflow-checkpoint";
    /** Current format version. */
    public static final int VERSION = 1;

    private static final String META = "meta.json";
    private static final String PARAMETERS = "parameters/";
    private static final String OPTIMIZER = "optimizer/";
    private static final byte[] MAGIC = {'S', 'F', 'A', '1'};
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where training stands.
     *
     * @param epoch        the epoch in progress (equal to the number of finished epochs when
     *                     {@code stepInEpoch} is 0)
     * @param stepInEpoch  batches of {@code epoch} already trained on
     * @param globalStep   optimiser steps since the start of training
     * @param loaderSeed   seed of the data loader (the batch order of an epoch depends only on it
     *                     and the epoch)
     * @param learningRate the optimiser's rate when the checkpoint was written
     * @param lossSum      Σ (batch loss × batch size) over the batches of {@code epoch} so far
     * @param lossCount    examples of {@code epoch} so far
     * @param metricsBytes length of the metrics log when the checkpoint was written (a resumed
     *                     run cuts the log back to it), 0 without a log
     */
    public record Progress(int epoch, int stepInEpoch, long globalStep, long loaderSeed, double learningRate,
                           double lossSum, long lossCount, long metricsBytes) {
        /** Validates the counters. */
        public Progress {
            if (epoch < 0 || stepInEpoch < 0 || globalStep < 0 || lossCount < 0 || metricsBytes < 0) {
                throw new IllegalArgumentException("Checkpoint.Progress: counters expected ≥ 0 but got epoch=" + epoch
                        + ", stepInEpoch=" + stepInEpoch + ", globalStep=" + globalStep + ", lossCount=" + lossCount
                        + ", metricsBytes=" + metricsBytes);
            }
            if (!Double.isFinite(learningRate) || !Double.isFinite(lossSum)) {
                throw new IllegalArgumentException("Checkpoint.Progress: learningRate and lossSum expected finite but got "
                        + learningRate + " and " + lossSum);
            }
        }
    }

    private final Path path;
    private final String optimizerName;
    private final Progress progress;
    private final Map<String, INDArray> parameters;
    private final Map<String, INDArray> optimizerState;

    private Checkpoint(Path path, String optimizerName, Progress progress, Map<String, INDArray> parameters,
                       Map<String, INDArray> optimizerState) {
        this.path = path;
        this.optimizerName = optimizerName;
        this.progress = progress;
        this.parameters = Collections.unmodifiableMap(parameters);
        this.optimizerState = Collections.unmodifiableMap(optimizerState);
    }

    /** The file this checkpoint was read from. */
    public Path path() {
        return path;
    }

    /** Simple class name of the optimiser that wrote the state. */
    public String optimizerName() {
        return optimizerName;
    }

    /** The training counters. */
    public Progress progress() {
        return progress;
    }

    /** Saved parameter values by dotted name (callers must not write them). */
    public Map<String, INDArray> parameters() {
        return parameters;
    }

    /** Saved optimiser state by {@code "<parameter>/<slot>"} (callers must not write it). */
    public Map<String, INDArray> optimizerState() {
        return optimizerState;
    }

    /**
     * Writes a checkpoint of {@code model}, {@code optimizer} and {@code progress} to {@code file},
     * atomically: on any failure the previous file (if any) is left as it was.
     *
     * @throws IOException if writing fails; the message names the file
     * @throws ArithmeticException if a parameter holds NaN or ±∞ (nothing is written)
     */
    public static void save(Path file, Module model, Optimizer optimizer, Progress progress) throws IOException {
        if (file == null || model == null || optimizer == null || progress == null) {
            throw new IllegalArgumentException("Checkpoint.save: file, model, optimizer and progress expected non-null but got "
                    + file + ", " + model + ", " + optimizer + ", " + progress);
        }
        Map<String, Parameter> params = model.namedParameters();
        for (Parameter p : params.values()) {
            p.requireFinite("when saving checkpoint " + file);
        }
        AtomicFiles.write(file, out -> write(out, params, optimizer, progress));
    }

    private static void write(OutputStream out, Map<String, Parameter> params, Optimizer optimizer, Progress progress)
            throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        ObjectNode meta = JSON.createObjectNode();
        meta.put("format", FORMAT);
        meta.put("version", VERSION);
        meta.put("optimizer", optimizer.getClass().getSimpleName());
        meta.set("progress", JSON.valueToTree(progress));
        ArrayNode paramList = meta.putArray("parameters");
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            describe(paramList, e.getKey(), e.getValue().value());
            putArray(zip, PARAMETERS + e.getKey(), e.getValue().value());
        }
        ArrayNode stateList = meta.putArray("optimizerState");
        for (Map.Entry<String, INDArray> e : optimizer.state().entrySet()) {
            describe(stateList, e.getKey(), e.getValue());
            putArray(zip, OPTIMIZER + e.getKey(), e.getValue());
        }
        zip.putNextEntry(new ZipEntry(META));
        zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta));
        zip.closeEntry();
        zip.finish();
    }

    private static void describe(ArrayNode list, String name, INDArray a) {
        ObjectNode n = list.addObject();
        n.put("name", name);
        n.put("dtype", a.dataType().name());
        ArrayNode shape = n.putArray("shape");
        for (long d : a.shape()) {
            shape.add(d);
        }
    }

    private static void putArray(ZipOutputStream zip, String entry, INDArray a) throws IOException {
        DataType t = a.dataType();
        if (t != DataType.FLOAT && t != DataType.DOUBLE) {
            throw new IllegalArgumentException("Checkpoint.save: " + entry + " expected float32 or float64 but got " + t);
        }
        long[] shape = a.shape();
        int width = t == DataType.FLOAT ? 4 : 8;
        long bytes = 4 + 1 + 4 + 8L * shape.length + width * a.length();
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Checkpoint.save: " + entry + " has " + a.length()
                    + " elements, more than one entry of this format holds (2 GiB)");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) bytes).order(ByteOrder.BIG_ENDIAN);
        buf.put(MAGIC).put((byte) (t == DataType.FLOAT ? 1 : 2)).putInt(shape.length);
        for (long d : shape) {
            buf.putLong(d);
        }
        INDArray c = a.dup('c');
        if (t == DataType.FLOAT) {
            buf.asFloatBuffer().put(c.data().asFloat());
        } else {
            buf.asDoubleBuffer().put(c.data().asDouble());
        }
        zip.putNextEntry(new ZipEntry(entry));
        zip.write(buf.array());
        zip.closeEntry();
    }

    /**
     * Reads and checks a checkpoint file.
     *
     * @throws NoSuchFileException if the file does not exist
     * @throws IOException naming the file and what was wrong if it is not a complete, consistent
     *         checkpoint of this format (truncated, garbage, wrong version, bad entry)
     */
    public static Checkpoint load(Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("Checkpoint.load: file expected a path but got null");
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "checkpoint file does not exist");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry metaEntry = zip.getEntry(META);
            if (metaEntry == null) {
                throw corrupt(file, "no " + META + " entry; not a structflow checkpoint");
            }
            JsonNode meta;
            try (InputStream in = zip.getInputStream(metaEntry)) {
                meta = JSON.readTree(in);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw corrupt(file, META + " is not valid JSON (" + e.getOriginalMessage() + ")");
            }
            if (meta == null || !FORMAT.equals(meta.path("format").asText())) {
                throw corrupt(file, META + " expected format \"" + FORMAT + "\" but got "
                        + (meta == null ? "nothing" : meta.path("format")));
            }
            if (meta.path("version").asInt(-1) != VERSION) {
                throw corrupt(file, "expected format version " + VERSION + " but got " + meta.path("version"));
            }
            Progress progress;
            try {
                progress = JSON.treeToValue(meta.path("progress"), Progress.class);
            } catch (IOException | IllegalArgumentException e) {
                throw corrupt(file, "progress in " + META + " is invalid (" + e.getMessage() + ")");
            }
            if (progress == null) {
                throw corrupt(file, META + " has no progress");
            }
            Map<String, INDArray> params = readArrays(file, zip, meta.path("parameters"), PARAMETERS);
            Map<String, INDArray> state = readArrays(file, zip, meta.path("optimizerState"), OPTIMIZER);
            return new Checkpoint(file, meta.path("optimizer").asText(), progress, params, state);
        } catch (ZipException e) {
            throw corrupt(file, "not a readable zip archive, the file may be truncated or garbage (" + e.getMessage() + ")");
        }
    }

    private static Map<String, INDArray> readArrays(Path file, ZipFile zip, JsonNode list, String prefix) throws IOException {
        if (!list.isArray()) {
            throw corrupt(file, META + " expected a list of arrays under " + prefix + " but got " + list);
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (JsonNode d : list) {
            String name = d.path("name").asText("");
            String entry = prefix + name;
            ZipEntry z = zip.getEntry(entry);
            if (name.isEmpty() || z == null) {
                throw corrupt(file, "entry \"" + entry + "\" listed in " + META + " is missing");
            }
            byte[] bytes;
            try (InputStream in = zip.getInputStream(z)) {
                bytes = in.readAllBytes();
            } catch (ZipException e) {
                throw corrupt(file, "entry \"" + entry + "\" is damaged (" + e.getMessage() + ")");
            }
            INDArray a = decode(file, entry, bytes);
            String dtype = d.path("dtype").asText();
            long[] shape = new long[d.path("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = d.path("shape").get(i).asLong();
            }
            if (!a.dataType().name().equals(dtype) || !Arrays.equals(a.shape(), shape)) {
                throw corrupt(file, "entry \"" + entry + "\" holds " + a.dataType() + Shapes.str(a.shape()) + " but "
                        + META + " says " + dtype + Shapes.str(shape));
            }
            out.put(name, a);
        }
        return out;
    }

    private static INDArray decode(Path file, String entry, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        if (bytes.length < 9 || buf.get() != MAGIC[0] || buf.get() != MAGIC[1] || buf.get() != MAGIC[2]
                || buf.get() != MAGIC[3]) {
            throw corrupt(file, "entry \"" + entry + "\" does not start with the array magic SFA1");
        }
        byte code = buf.get();
        if (code != 1 && code != 2) {
            throw corrupt(file, "entry \"" + entry + "\" expected element type 1 (float32) or 2 (float64) but got " + code);
        }
        int rank = buf.getInt();
        if (rank < 0 || rank > 32 || buf.remaining() < 8L * rank) {
            throw corrupt(file, "entry \"" + entry + "\" has an invalid rank " + rank);
        }
        long[] shape = new long[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            shape[i] = buf.getLong();
            if (shape[i] < 0 || (shape[i] > 0 && count > Integer.MAX_VALUE / shape[i])) {
                throw corrupt(file, "entry \"" + entry + "\" has an invalid shape dimension " + shape[i]);
            }
            count *= shape[i];
        }
        int width = code == 1 ? 4 : 8;
        if (buf.remaining() != count * width) {
            throw corrupt(file, "entry \"" + entry + "\" expected " + count * width + " bytes of values for shape "
                    + Shapes.str(shape) + " but has " + buf.remaining());
        }
        if (code == 1) {
            float[] v = new float[(int) count];
            buf.asFloatBuffer().get(v);
            return Nd4j.create(v, shape, 'c');
        }
        double[] v = new double[(int) count];
        buf.asDoubleBuffer().get(v);
        return Nd4j.create(v, shape, 'c');
    }

    private static IOException corrupt(Path file, String what) {
        return new IOException("checkpoint " + file + ": " + what);
    }

    /**
     * Copies the saved parameters into {@code model} (in place) and the saved state into
     * {@code optimizer}. Everything is checked first, so on error nothing changes.
     *
     * @throws IllegalArgumentException naming the file and the parameter if the model lacks a
     *         saved parameter or has one the checkpoint lacks, if a shape or element type
     *         differs, or if the optimiser is of another class or rejects the state
     */
    public void restore(Module model, Optimizer optimizer) {
        Map<String, Parameter> live = model.namedParameters();
        for (Map.Entry<String, Parameter> e : live.entrySet()) {
            INDArray saved = parameters.get(e.getKey());
            INDArray now = e.getValue().value();
            if (saved == null) {
                throw new IllegalArgumentException("checkpoint " + path + ": the model has parameter \"" + e.getKey()
                        + "\" " + Shapes.str(now.shape()) + " but the checkpoint does not (saved parameters: "
                        + parameters.keySet() + "); was it written for another architecture?");
            }
            if (!Arrays.equals(saved.shape(), now.shape())) {
                throw new IllegalArgumentException("checkpoint " + path + ": parameter \"" + e.getKey()
                        + "\" expected shape " + Shapes.str(now.shape()) + " (the model's) but the checkpoint has "
                        + Shapes.str(saved.shape()));
            }
            if (saved.dataType() != now.dataType()) {
                throw new IllegalArgumentException("checkpoint " + path + ": parameter \"" + e.getKey()
                        + "\" expected element type " + now.dataType() + " (the model's) but the checkpoint has "
                        + saved.dataType());
            }
        }
        for (String name : parameters.keySet()) {
            if (!live.containsKey(name)) {
                throw new IllegalArgumentException("checkpoint " + path + ": the checkpoint has parameter \"" + name
                        + "\" that the model lacks (model parameters: " + live.keySet() + ")");
            }
        }
        String kind = optimizer.getClass().getSimpleName();
        if (!kind.equals(optimizerName)) {
            throw new IllegalArgumentException("checkpoint " + path + ": optimiser state was written by " + optimizerName
                    + " but the optimiser is " + kind);
        }
        try {
            optimizer.loadState(optimizerState);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint " + path + ": " + e.getMessage(), e);
        }
        live.forEach((name, p) -> p.updateInPlace(parameters.get(name)));
    }

    @Override
    public String toString() {
        return "Checkpoint " + path + " " + progress;
    }
}
