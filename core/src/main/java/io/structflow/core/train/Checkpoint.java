package io.structflow.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.structflow.core.autodiff.Shapes;
import io.structflow.core.io.AtomicFiles;
import io.structflow.core.nn.Constraint;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A training checkpoint: the model's parameters by dotted name, the optimiser's state, the state
 * of every stateful {@link Constraint} (warm-start vectors, random generators), and the
 * {@link Progress} counters that let a {@link Trainer} resume exactly where it stopped.
 *
 * <p>File format (a zip archive, written atomically with {@link AtomicFiles#write}, so a failed
 * save leaves the previous checkpoint intact):
 * <ul>
 *   <li>{@code meta.json}, the manifest: {@code format} ({@value #FORMAT}), {@code version}
 *       ({@value #VERSION}), {@code optimizer} (class name), {@code progress} (the fields of
 *       {@link Progress}), {@code parameters}, {@code optimizerState} and {@code constraintState}:
 *       lists of {@code {name, dtype, shape}}, and {@code sha256}: the SHA-256 digest, in lower-case
 *       hex, of every listed entry in list order, each as its entry name in UTF-8, one zero byte,
 *       then its bytes.</li>
 *   <li>{@code parameters/<dotted name>}, {@code optimizer/<parameter>/<slot>} and
 *       {@code constraints/<parameter>/<constraint index>/<slot>}: one array each, as the 4 bytes
 *       {@code SFA1}, one byte element type (1 = float32, 2 = float64, 3 = int64), a big-endian
 *       int32 rank, rank big-endian int64 dimensions, then the values in row-major order,
 *       big-endian.</li>
 * </ul>
 * Reading checks every entry's CRC-32 (computed from the bytes read, against the zip directory),
 * the digest, and each array's magic, type, shape against the manifest and exact length; any
 * mismatch is an {@link IOException} of one line naming the file and the entry.
 */
public final class Checkpoint {
    /** File name of the checkpoint inside a trainer's checkpoint directory. */
    public static final String FILE_NAME = "checkpoint.zip";
    /** Value of {@code meta.json}'s {@code format} field. */
    public static final String FORMAT = "structflow-checkpoint";
    /** Current format version. */
    public static final int VERSION = 2;

    private static final String META = "meta.json";
    private static final String PARAMETERS = "parameters/";
    private static final String OPTIMIZER = "optimizer/";
    private static final String CONSTRAINTS = "constraints/";
    private static final String SEPARATOR = "/";
    /** How every message about an unusable checkpoint ends. */
    static final String START_OVER = "delete the checkpoint, or rerun with --fresh, to start over";
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
    private final Map<String, INDArray> constraintState;

    private Checkpoint(Path path, String optimizerName, Progress progress, Map<String, INDArray> parameters,
                       Map<String, INDArray> optimizerState, Map<String, INDArray> constraintState) {
        this.path = path;
        this.optimizerName = optimizerName;
        this.progress = progress;
        this.parameters = Collections.unmodifiableMap(parameters);
        this.optimizerState = Collections.unmodifiableMap(optimizerState);
        this.constraintState = Collections.unmodifiableMap(constraintState);
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
     * Saved constraint state by {@code "<parameter>/<constraint index>/<slot>"}, the index counting
     * the parameter's constraints in attach order (callers must not write it).
     */
    public Map<String, INDArray> constraintState() {
        return constraintState;
    }

    /**
     * Writes a checkpoint of {@code model} (its parameters and the state of their constraints),
     * {@code optimizer} and {@code progress} to {@code file}, atomically: on any failure the
     * previous file (if any) is left as it was.
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
        Map<String, INDArray> values = new LinkedHashMap<>();
        params.forEach((name, p) -> values.put(name, p.value()));
        Map<String, INDArray> constraints = constraintState(params);
        AtomicFiles.write(file, out -> write(out, optimizer.getClass().getSimpleName(), progress, values,
                optimizer.state(), constraints));
    }

    /** Every constraint's state, keyed {@code "<parameter>/<constraint index>/<slot>"}. */
    private static Map<String, INDArray> constraintState(Map<String, Parameter> params) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        params.forEach((name, p) -> {
            List<Constraint> cs = p.constraints();
            for (int i = 0; i < cs.size(); i++) {
                String prefix = name + SEPARATOR + i + SEPARATOR;
                cs.get(i).state().forEach((slot, a) -> out.put(prefix + slot, a));
            }
        });
        return out;
    }

    private static void write(OutputStream out, String optimizerName, Progress progress, Map<String, INDArray> params,
                              Map<String, INDArray> optimizerState, Map<String, INDArray> constraintState)
            throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        MessageDigest digest = sha256();
        ObjectNode meta = JSON.createObjectNode();
        meta.put("format", FORMAT);
        meta.put("version", VERSION);
        meta.put("optimizer", optimizerName);
        meta.set("progress", JSON.valueToTree(progress));
        putArrays(zip, digest, meta.putArray("parameters"), PARAMETERS, params);
        putArrays(zip, digest, meta.putArray("optimizerState"), OPTIMIZER, optimizerState);
        putArrays(zip, digest, meta.putArray("constraintState"), CONSTRAINTS, constraintState);
        meta.put("sha256", HexFormat.of().formatHex(digest.digest()));
        zip.putNextEntry(new ZipEntry(META));
        zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta));
        zip.closeEntry();
        zip.finish();
    }

    private static void putArrays(ZipOutputStream zip, MessageDigest digest, ArrayNode list, String prefix,
                                  Map<String, INDArray> arrays) throws IOException {
        for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
            INDArray a = e.getValue();
            ObjectNode n = list.addObject();
            n.put("name", e.getKey());
            n.put("dtype", a.dataType().name());
            ArrayNode shape = n.putArray("shape");
            for (long d : a.shape()) {
                shape.add(d);
            }
            String entry = prefix + e.getKey();
            byte[] bytes = encode(entry, a);
            digest(digest, entry, bytes);
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(bytes);
            zip.closeEntry();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Checkpoint: SHA-256 expected in every Java runtime but is missing", e);
        }
    }

    private static void digest(MessageDigest digest, String entry, byte[] bytes) {
        digest.update(entry.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(bytes);
    }

    private static byte typeCode(DataType t) {
        return switch (t) {
            case FLOAT -> 1;
            case DOUBLE -> 2;
            case LONG -> 3;
            default -> 0;
        };
    }

    private static byte[] encode(String entry, INDArray a) {
        DataType t = a.dataType();
        byte code = typeCode(t);
        if (code == 0) {
            throw new IllegalArgumentException("Checkpoint.save: " + entry + " expected float32, float64 or int64 but got "
                    + t);
        }
        long[] shape = a.shape();
        int width = code == 1 ? 4 : 8;
        long bytes = 4 + 1 + 4 + 8L * shape.length + width * a.length();
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Checkpoint.save: " + entry + " has " + a.length()
                    + " elements, more than one entry of this format holds (2 GiB)");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) bytes).order(ByteOrder.BIG_ENDIAN);
        buf.put(MAGIC).put(code).putInt(shape.length);
        for (long d : shape) {
            buf.putLong(d);
        }
        INDArray c = a.dup('c');
        switch (code) {
            case 1 -> buf.asFloatBuffer().put(c.data().asFloat());
            case 2 -> buf.asDoubleBuffer().put(c.data().asDouble());
            default -> buf.asLongBuffer().put(c.data().asLong());
        }
        return buf.array();
    }

    /**
     * Reads and checks a checkpoint file.
     *
     * @throws NoSuchFileException if the file does not exist
     * @throws IOException of one line naming the file, the entry and what was wrong if it is not a
     *         complete, consistent checkpoint of this format (empty, truncated, garbage, a damaged
     *         entry or digest, another format version)
     */
    public static Checkpoint load(Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("Checkpoint.load: file expected a path but got null");
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "checkpoint file does not exist");
        }
        if (Files.size(file) == 0) {
            throw corrupt(file, "the file is empty (0 bytes)");
        }
        ZipFile opened;
        try {
            opened = new ZipFile(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw corrupt(file, "not a readable zip archive, the file may be truncated or garbage (" + detail(e) + ")");
        }
        try (ZipFile zip = opened) {
            ZipEntry metaEntry = zip.getEntry(META);
            if (metaEntry == null) {
                throw corrupt(file, "no " + META + " entry; not a structflow checkpoint");
            }
            JsonNode meta;
            try {
                meta = JSON.readTree(entryBytes(file, zip, metaEntry));
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw corrupt(file, META + " is not valid JSON (" + e.getOriginalMessage() + ")");
            }
            if (meta == null || !meta.isObject()) {
                throw corrupt(file, META + " expected a JSON object but got " + (meta == null ? "nothing" : meta.getNodeType()));
            }
            if (!FORMAT.equals(meta.path("format").asText())) {
                throw corrupt(file, META + " expected format \"" + FORMAT + "\" but got " + meta.path("format"));
            }
            if (meta.path("version").asInt(-1) != VERSION) {
                throw corrupt(file, "expected format version " + VERSION + " but got " + meta.path("version"));
            }
            Progress progress;
            try {
                progress = JSON.treeToValue(meta.path("progress"), Progress.class);
            } catch (IOException | IllegalArgumentException e) {
                throw corrupt(file, "progress in " + META + " is invalid (" + detail(e) + ")");
            }
            if (progress == null) {
                throw corrupt(file, META + " has no progress");
            }
            MessageDigest digest = sha256();
            List<String> listed = new ArrayList<>(List.of(META));
            Map<String, INDArray> params = readArrays(file, zip, meta, "parameters", PARAMETERS, digest, listed);
            Map<String, INDArray> state = readArrays(file, zip, meta, "optimizerState", OPTIMIZER, digest, listed);
            Map<String, INDArray> constraints = readArrays(file, zip, meta, "constraintState", CONSTRAINTS, digest,
                    listed);
            String expected = meta.path("sha256").asText("");
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!expected.equals(actual)) {
                throw corrupt(file, "the entries' SHA-256 digest is " + actual + " but " + META + " records "
                        + (expected.isEmpty() ? "none" : expected));
            }
            for (ZipEntry z : Collections.list(zip.entries())) {
                if (!listed.contains(z.getName())) {
                    throw corrupt(file, "entry \"" + z.getName() + "\" is not listed in " + META);
                }
            }
            return new Checkpoint(file, meta.path("optimizer").asText(), progress, params, state, constraints);
        }
    }

    /** The bytes of {@code z}, checked against the CRC-32 the zip directory records for it. */
    private static byte[] entryBytes(Path file, ZipFile zip, ZipEntry z) throws IOException {
        byte[] bytes;
        try (InputStream in = zip.getInputStream(z)) {
            bytes = in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            throw corrupt(file, "entry \"" + z.getName() + "\" is damaged (" + detail(e) + ")");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes);
        if (crc.getValue() != z.getCrc()) {
            throw corrupt(file, "entry \"" + z.getName() + "\" is damaged: its CRC-32 is "
                    + String.format("%08x", crc.getValue()) + " but the archive records "
                    + (z.getCrc() < 0 ? "none" : String.format("%08x", z.getCrc())));
        }
        return bytes;
    }

    private static Map<String, INDArray> readArrays(Path file, ZipFile zip, JsonNode meta, String field, String prefix,
                                                    MessageDigest digest, List<String> listed) throws IOException {
        JsonNode list = meta.path(field);
        if (!list.isArray()) {
            throw corrupt(file, META + " expected a list of arrays under \"" + field + "\" but got " + list.getNodeType());
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (JsonNode d : list) {
            String name = d.path("name").asText("");
            String entry = prefix + name;
            ZipEntry z = zip.getEntry(entry);
            if (name.isEmpty() || z == null) {
                throw corrupt(file, "entry \"" + entry + "\" listed in " + META + " is missing");
            }
            byte[] bytes = entryBytes(file, zip, z);
            digest(digest, entry, bytes);
            listed.add(entry);
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
        if (code < 1 || code > 3) {
            throw corrupt(file, "entry \"" + entry + "\" expected element type 1 (float32), 2 (float64) or 3 (int64) but got "
                    + code);
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
        switch (code) {
            case 1 -> {
                float[] v = new float[(int) count];
                buf.asFloatBuffer().get(v);
                return Nd4j.create(v, shape, 'c');
            }
            case 2 -> {
                double[] v = new double[(int) count];
                buf.asDoubleBuffer().get(v);
                return Nd4j.create(v, shape, 'c');
            }
            default -> {
                long[] v = new long[(int) count];
                buf.asLongBuffer().get(v);
                return Nd4j.createFromArray(v).reshape('c', shape);
            }
        }
    }

    /** The first line of {@code e}'s message, or its class when it has none. */
    private static String detail(Exception e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    private static IOException corrupt(Path file, String what) {
        return new IOException("checkpoint " + file + ": " + what + "; " + START_OVER);
    }

    /**
     * Copies the saved parameters into {@code model} (in place), the saved state into
     * {@code optimizer} and into every constraint of the model's parameters. Everything is checked
     * first, so on error nothing changes.
     *
     * @throws IllegalArgumentException naming the file and the parameter if the model lacks a
     *         saved parameter or has one the checkpoint lacks, if a shape or element type
     *         differs, if the optimiser is of another class or rejects the state, or if a
     *         constraint's saved state does not fit the model's constraints
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
        List<ConstraintSlots> saved = savedConstraintState(live);
        List<ConstraintSlots> before = saved.stream().map(c -> new ConstraintSlots(c.key(), c.constraint(),
                c.constraint().state())).toList();
        try {
            saved.forEach(ConstraintSlots::load);
            optimizer.loadState(optimizerState);
        } catch (IllegalArgumentException e) {
            before.forEach(ConstraintSlots::load);
            throw new IllegalArgumentException("checkpoint " + path + ": " + e.getMessage(), e);
        }
        live.forEach((name, p) -> p.updateInPlace(parameters.get(name)));
    }

    /** A constraint, its key {@code "<parameter>/<index>/"} and the state to give it. */
    private record ConstraintSlots(String key, Constraint constraint, Map<String, INDArray> slots) {
        void load() {
            try {
                constraint.loadState(slots);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("constraint " + key.substring(0, key.length() - 1) + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * The saved state of each constraint of {@code live}'s parameters, in order (empty for a
     * constraint the checkpoint holds none for), checking that every saved state belongs to one.
     */
    private List<ConstraintSlots> savedConstraintState(Map<String, Parameter> live) {
        Map<String, ConstraintSlots> byKey = new LinkedHashMap<>();
        live.forEach((name, p) -> {
            List<Constraint> cs = p.constraints();
            for (int i = 0; i < cs.size(); i++) {
                String key = name + SEPARATOR + i + SEPARATOR;
                byKey.put(key, new ConstraintSlots(key, cs.get(i), new LinkedHashMap<>()));
            }
        });
        for (Map.Entry<String, INDArray> e : constraintState.entrySet()) {
            String key = e.getKey();
            int second = key.indexOf(SEPARATOR, key.indexOf(SEPARATOR) + 1);
            ConstraintSlots c = second < 0 ? null : byKey.get(key.substring(0, second + 1));
            if (c == null) {
                throw new IllegalArgumentException("checkpoint " + path + ": holds constraint state \"" + key
                        + "\" but the model has no such constraint (its constraints, as <parameter>/<index>/: "
                        + byKey.keySet() + "); was it written for another architecture?");
            }
            c.slots().put(key.substring(second + 1), e.getValue());
        }
        return List.copyOf(byKey.values());
    }

    /**
     * The first difference, bit for bit, between the training state in this checkpoint and in
     * {@code other}: optimiser class, progress, then every parameter, optimiser-state and
     * constraint-state array (names, element types, shapes, values); empty when they are
     * identical. The files' paths are not compared.
     */
    public Optional<String> firstDifference(Checkpoint other) {
        if (!optimizerName.equals(other.optimizerName)) {
            return Optional.of("optimizer " + optimizerName + " vs " + other.optimizerName);
        }
        if (!progress.equals(other.progress)) {
            return Optional.of("progress " + progress + " vs " + other.progress);
        }
        return firstDifference("parameter", parameters, other.parameters)
                .or(() -> firstDifference("optimizer state", optimizerState, other.optimizerState))
                .or(() -> firstDifference("constraint state", constraintState, other.constraintState));
    }

    private static Optional<String> firstDifference(String kind, Map<String, INDArray> a, Map<String, INDArray> b) {
        if (!List.copyOf(a.keySet()).equals(List.copyOf(b.keySet()))) {
            return Optional.of(kind + " names " + a.keySet() + " vs " + b.keySet());
        }
        for (Map.Entry<String, INDArray> e : a.entrySet()) {
            INDArray x = e.getValue();
            INDArray y = b.get(e.getKey());
            if (x.dataType() != y.dataType() || !Arrays.equals(x.shape(), y.shape())) {
                return Optional.of(kind + " " + e.getKey() + ": " + x.dataType() + Shapes.str(x.shape()) + " vs "
                        + y.dataType() + Shapes.str(y.shape()));
            }
            byte[] xb = encode(e.getKey(), x);
            byte[] yb = encode(e.getKey(), y);
            int i = Arrays.mismatch(xb, yb);
            if (i >= 0) {
                int header = xb.length - (int) x.length() * (x.dataType() == DataType.FLOAT ? 4 : 8);
                long index = (i - header) / (x.dataType() == DataType.FLOAT ? 4 : 8);
                return Optional.of(kind + " " + e.getKey() + " differs at flat index " + index + ": "
                        + x.reshape(x.length()).getDouble(index) + " vs " + y.reshape(y.length()).getDouble(index));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "Checkpoint " + path + " " + progress;
    }
}
