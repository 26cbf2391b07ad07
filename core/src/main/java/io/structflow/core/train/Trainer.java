package io.structflow.core.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.Intermediates;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.Batch;
import io.structflow.core.data.DataLoader;
import io.structflow.core.io.AtomicFiles;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.core.optim.LearningRateSchedule;
import io.structflow.core.optim.Optimizer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * The training loop: for each epoch, for each mini-batch,
 * <pre>
 *   L ← loss(model, batch);  check L finite;  ∇θ L by reverse mode;  optimiser step
 *   (update, then every parameter's constraint projections, [CMOSS] §3.1)
 * </pre>
 * with the learning rate set from a schedule at the start of each epoch, the epoch's mean loss
 * accumulated in double, callbacks at the end of each epoch, a JSON-lines metrics log, an
 * optional progress bar and constraint report, and atomic checkpoints.
 *
 * <p><b>Resume.</b> With a checkpoint directory, {@link #fit()} first deletes the temporary
 * files of checkpoint saves that a killed process left there, then looks for
 * {@value Checkpoint#FILE_NAME} and, if present, restores parameters, optimiser state,
 * constraint state (warm starts of norm estimates), counters and the metrics log's length, and
 * continues at the saved epoch and batch. Because the loader's batch order depends only on
 * (seed, epoch), a run killed and resumed ends with the same parameters as an uninterrupted run:
 * the same operations run on the same values in the same order. A checkpoint that holds more
 * training than the configured epochs is refused rather than reported under the shorter count.
 *
 * <p><b>Metrics log.</b> One JSON object per line: at every epoch end
 * {@code {"event":"epoch","epoch":e,"step":s,"loss":…,"lr":…, <callback metrics>}}, and with
 * {@link Builder#logEverySteps(int)} also {@code {"event":"step","epoch":e,"step":s,"loss":…,"lr":…}}
 * with the batch loss. A resumed run first cuts the log back to its length at the checkpoint,
 * so no line appears twice.
 *
 * <p><b>Step observers.</b> The optimiser step runs as its two halves, update then projection
 * (the arithmetic of {@link Optimizer#step()}), and the observers added with
 * {@link Builder#stepObserver(StepObserver)} are called around them; {@link UpdateTrace} and {@link ActivationTrace} trace
 * update sizes and activation scales.
 */
public final class Trainer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Module model;
    private final Optimizer optimizer;
    private final LossFunction lossFunction;
    private final DataLoader loader;
    private final int epochs;
    private final LearningRateSchedule schedule;
    private final List<Callback> callbacks;
    private final Path checkpointDir;
    private final int checkpointEverySteps;
    private final Path metricsLog;
    private final int logEverySteps;
    private final boolean progressBar;
    private final Function<Module, String> constraintReport;
    private final Consumer<String> reportSink;
    private final CompiledStep compiledStep;
    private final List<StepObserver> observers;

    private Trainer(Builder b) {
        this.model = b.model;
        this.optimizer = b.optimizer;
        this.lossFunction = b.lossFunction;
        this.loader = b.loader;
        this.epochs = b.epochs;
        this.schedule = b.schedule;
        this.callbacks = List.copyOf(b.callbacks);
        this.checkpointDir = b.checkpointDir;
        this.checkpointEverySteps = b.checkpointEverySteps;
        this.metricsLog = b.metricsLog;
        this.logEverySteps = b.logEverySteps;
        this.progressBar = b.progressBar;
        this.constraintReport = b.constraintReport;
        this.reportSink = b.reportSink;
        this.compiledStep = b.compiled ? new CompiledStep(b.model, b.lossFunction) : null;
        this.observers = List.copyOf(b.observers);
    }

    /**
     * Starts a trainer of {@code model} with {@code optimizer} (whose parameters must be the
     * model's, under the model's dotted names), minimising {@code loss} over the batches of
     * {@code loader}.
     */
    public static Builder builder(Module model, Optimizer optimizer, LossFunction loss, DataLoader loader) {
        return new Builder(model, optimizer, loss, loader);
    }

    /** The checkpoint file of this trainer, or {@code null} without a checkpoint directory. */
    public Path checkpointFile() {
        return checkpointDir == null ? null : checkpointDir.resolve(Checkpoint.FILE_NAME);
    }

    /**
     * Trains up to the configured number of epochs, resuming from the checkpoint directory's
     * checkpoint if there is one.
     *
     * @return the results of the epochs finished by this call (empty if the checkpoint was
     *         already at the last epoch)
     * @throws ArithmeticException if a loss is NaN or ±∞ (naming epoch and step; thrown before
     *         that step's update, so the parameters are those after the previous step) or a
     *         gradient is (naming the parameter)
     * @throws IOException if the checkpoint cannot be read or written, or the log written
     * @throws IllegalArgumentException if the checkpoint does not fit the model or optimiser, or
     *         holds more training than the configured number of epochs
     */
    public List<EpochResult> fit() throws IOException {
        Checkpoint.Progress start = new Checkpoint.Progress(0, 0, 0, loader.seed(), optimizer.learningRate(), 0, 0, 0);
        Path ckpt = checkpointFile();
        if (ckpt != null) {
            Files.createDirectories(checkpointDir);
            AtomicFiles.deleteTemporaries(ckpt);
            if (Files.exists(ckpt)) {
                Checkpoint saved = Checkpoint.load(ckpt);
                Checkpoint.Progress p = saved.progress();
                int needed = p.epoch() + (p.stepInEpoch() > 0 ? 1 : 0);
                if (needed > epochs) {
                    throw new IllegalArgumentException("checkpoint " + ckpt + ": holds " + p.epoch() + " trained epoch(s)"
                            + (p.stepInEpoch() > 0 ? " and " + p.stepInEpoch() + " batch(es) of the next" : "")
                            + " but the trainer is asked for " + epochs + " epoch(s); ask for at least " + needed
                            + ", or " + Checkpoint.START_OVER);
                }
                if (loader.shuffle() && p.loaderSeed() != loader.seed()) {
                    throw new IllegalArgumentException("checkpoint " + ckpt + ": written with loader seed "
                            + p.loaderSeed() + " but the loader's seed is " + loader.seed()
                            + "; resuming would not reproduce the batches");
                }
                if (p.stepInEpoch() > loader.batchesPerEpoch()) {
                    throw new IllegalArgumentException("checkpoint " + ckpt + ": stopped after batch " + p.stepInEpoch()
                            + " of an epoch but the loader has " + loader.batchesPerEpoch() + " batches per epoch");
                }
                saved.restore(model, optimizer);
                optimizer.setLearningRate(p.learningRate());
                start = p;
            }
        }
        long logBytes = openLog(ckpt != null && Files.exists(ckpt) ? start.metricsBytes() : 0);
        try (OutputStream log = metricsLog == null ? null
                : Files.newOutputStream(metricsLog, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND)) {
            return run(start, log, logBytes);
        }
    }

    /** Prepares the metrics log: cut back to {@code keep} bytes (0 for a fresh run); returns its length. */
    private long openLog(long keep) throws IOException {
        if (metricsLog == null) {
            return 0;
        }
        Path parent = metricsLog.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (FileChannel ch = FileChannel.open(metricsLog, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (ch.size() < keep) {
                throw new IOException("metrics log " + metricsLog + ": expected at least " + keep
                        + " bytes (its length at the checkpoint) but it has " + ch.size());
            }
            ch.truncate(keep);
        }
        return keep;
    }

    private List<EpochResult> run(Checkpoint.Progress start, OutputStream log, long logBytes) throws IOException {
        List<EpochResult> results = new ArrayList<>();
        long step = start.globalStep();
        long bytes = logBytes;
        int batches = loader.batchesPerEpoch();
        for (int epoch = start.epoch(); epoch < epochs; epoch++) {
            boolean resumed = epoch == start.epoch();
            int first = resumed ? start.stepInEpoch() : 0;
            double lossSum = resumed ? start.lossSum() : 0;
            long lossCount = resumed ? start.lossCount() : 0;
            if (schedule != null) {
                optimizer.setLearningRate(schedule.rate(epoch));
            }
            double lr = optimizer.learningRate();
            ProgressBar bar = progressBar ? new ProgressBarBuilder().setTaskName("epoch " + (epoch + 1) + "/" + epochs)
                    .setInitialMax(batches).setConsumer(new ConsoleProgressBarConsumer(System.err)).build() : null;
            try {
                if (bar != null) {
                    bar.stepTo(first);
                }
                Iterator<Batch> it = loader.epoch(epoch, first);
                for (int b = first; it.hasNext(); b++) {
                    Batch batch = it.next();
                    double loss = trainStep(batch, epoch, step, b, lr);
                    step++;
                    lossSum += loss * batch.size();
                    lossCount += batch.size();
                    if (bar != null) {
                        bar.step();
                        bar.setExtraMessage(String.format(" loss %.4g", loss));
                    }
                    if (log != null && logEverySteps > 0 && step % logEverySteps == 0) {
                        Map<String, Object> line = new LinkedHashMap<>();
                        line.put("event", "step");
                        line.put("epoch", epoch);
                        line.put("step", step);
                        line.put("loss", loss);
                        line.put("lr", lr);
                        bytes += writeLine(log, line);
                    }
                    if (checkpointEverySteps > 0 && step % checkpointEverySteps == 0 && b + 1 < batches) {
                        save(new Checkpoint.Progress(epoch, b + 1, step, loader.seed(), lr, lossSum, lossCount, bytes));
                    }
                }
            } finally {
                if (bar != null) {
                    bar.close();
                }
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("loss", lossCount == 0 ? Double.NaN : lossSum / lossCount);
            metrics.put("lr", lr);
            for (Callback c : callbacks) {
                c.onEpochEnd(epoch, model, metrics);
            }
            if (log != null) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("event", "epoch");
                line.put("epoch", epoch);
                line.put("step", step);
                line.putAll(metrics);
                bytes += writeLine(log, line);
            }
            if (constraintReport != null) {
                reportSink.accept("epoch " + epoch + ": " + constraintReport.apply(model));
            }
            save(new Checkpoint.Progress(epoch + 1, 0, step, loader.seed(), lr, 0, 0, bytes));
            results.add(new EpochResult(epoch, step, metrics));
        }
        return results;
    }

    /** One update; returns the batch loss. */
    private double trainStep(Batch batch, int epoch, long step, int indexInEpoch, double lr) {
        if (compiledStep != null) {
            double value;
            try {
                value = compiledStep.run(batch);
            } catch (ArithmeticException e) {
                throw new ArithmeticException("Trainer: " + e.getMessage() + " at epoch " + epoch + ", step " + step
                        + " (batch " + indexInEpoch + " of " + loader.batchesPerEpoch() + " in the epoch); training stopped"
                        + " before the update, so no parameter was changed by this step");
            }
            optimise(new StepObserver.TrainingStep(epoch, step, value, lr, batch));
            return value;
        }
        model.zeroGrad();
        double value;
        // the step's forward values and gradients are dead once the parameters hold their gradients
        try (Intermediates scope = Intermediates.open()) {
            Tensor loss = lossFunction.loss(model, batch);
            if (loss == null || loss.length() != 1) {
                throw new IllegalArgumentException("Trainer: loss function expected to return one value but returned "
                        + (loss == null ? "null" : "shape " + java.util.Arrays.toString(loss.shape())));
            }
            value = loss.item();
            if (!Double.isFinite(value)) {
                throw new ArithmeticException("Trainer: loss is " + value + " at epoch " + epoch + ", step " + step
                        + " (batch " + indexInEpoch + " of " + loader.batchesPerEpoch() + " in the epoch); training "
                        + "stopped before the update, so no parameter was changed by this step");
            }
            Autograd.backward(loss);
        }
        optimise(new StepObserver.TrainingStep(epoch, step, value, lr, batch));
        return value;
    }

    /** {@link Optimizer#step()} as its update and its projection, with the observers called around them. */
    private void optimise(StepObserver.TrainingStep s) {
        observers.forEach(o -> o.beforeUpdate(s));
        optimizer.updateParameters();
        observers.forEach(o -> o.afterUpdate(s));
        optimizer.projectParameters();
        observers.forEach(o -> o.afterProjection(s));
    }

    private void save(Checkpoint.Progress progress) throws IOException {
        Path file = checkpointFile();
        if (file != null) {
            Checkpoint.save(file, model, optimizer, progress);
        }
    }

    private static long writeLine(OutputStream log, Map<String, Object> line) throws IOException {
        byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        log.write(bytes);
        log.flush();
        return bytes.length;
    }

    /** Configuration of a {@link Trainer}; every setting has a documented default. */
    public static final class Builder {
        private final Module model;
        private final Optimizer optimizer;
        private final LossFunction lossFunction;
        private final DataLoader loader;
        private int epochs = 1;
        private LearningRateSchedule schedule;
        private final List<Callback> callbacks = new ArrayList<>();
        private Path checkpointDir;
        private int checkpointEverySteps;
        private Path metricsLog;
        private int logEverySteps;
        private boolean progressBar;
        private Function<Module, String> constraintReport;
        private Consumer<String> reportSink = System.out::println;
        private boolean compiled;
        private final List<StepObserver> observers = new ArrayList<>();

        private Builder(Module model, Optimizer optimizer, LossFunction lossFunction, DataLoader loader) {
            if (model == null || optimizer == null || lossFunction == null || loader == null) {
                throw new IllegalArgumentException("Trainer.builder: model, optimizer, loss and loader expected non-null"
                        + " but got " + model + ", " + optimizer + ", " + lossFunction + ", " + loader);
            }
            Map<String, Parameter> named = model.namedParameters();
            for (Map.Entry<String, Parameter> e : optimizer.parameters().entrySet()) {
                if (named.get(e.getKey()) != e.getValue()) {
                    throw new IllegalArgumentException("Trainer.builder: optimizer parameter \"" + e.getKey()
                            + "\" expected to be the model's parameter of that name but "
                            + (named.containsKey(e.getKey()) ? "it is another object" : "the model has none")
                            + " (build the optimiser from the model)");
                }
            }
            this.model = model;
            this.optimizer = optimizer;
            this.lossFunction = lossFunction;
            this.loader = loader;
        }

        /**
         * Records each training step once per batch shape and replays it afterwards
         * ({@link CompiledStep}); default false. Much faster for small networks; the loss must
         * read data only through tensor operations (a replay is validated against an eager run
         * once, and falls back to eager execution if they disagree).
         */
        public Builder compiled(boolean on) {
            this.compiled = on;
            return this;
        }

        /**
         * Adds an observer of every optimiser step, called in the order added (default: none).
         * Training is unchanged as long as it changes no parameter, gradient or optimiser state.
         */
        public Builder stepObserver(StepObserver o) {
            if (o == null) {
                throw new IllegalArgumentException("Trainer.Builder.stepObserver: expected non-null but got null");
            }
            observers.add(o);
            return this;
        }

        /** Total number of epochs, counted from the start of training across resumes (default 1). */
        public Builder epochs(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("Trainer.Builder.epochs: expected ≥ 1 but got " + n);
            }
            epochs = n;
            return this;
        }

        /** Learning rate per epoch (default: the optimiser's rate throughout). */
        public Builder schedule(LearningRateSchedule s) {
            schedule = s;
            return this;
        }

        /** Adds a callback, run at every epoch end in the order added. */
        public Builder callback(Callback c) {
            if (c == null) {
                throw new IllegalArgumentException("Trainer.Builder.callback: expected non-null but got null");
            }
            callbacks.add(c);
            return this;
        }

        /**
         * Directory for {@value Checkpoint#FILE_NAME}, written after every epoch and resumed
         * from by {@link #fit()} (default: none, no checkpoints). Created if missing.
         */
        public Builder checkpointDir(Path dir) {
            checkpointDir = dir;
            return this;
        }

        /** Also checkpoint every {@code k} optimiser steps within epochs (default 0: only at epoch ends). */
        public Builder checkpointEverySteps(int k) {
            if (k < 0) {
                throw new IllegalArgumentException("Trainer.Builder.checkpointEverySteps: expected ≥ 0 but got " + k);
            }
            checkpointEverySteps = k;
            return this;
        }

        /**
         * JSON-lines metrics file (default: none). A fresh run (no checkpoint to resume from)
         * overwrites it; a resumed run cuts it back to its length at the checkpoint and appends.
         */
        public Builder metricsLog(Path file) {
            metricsLog = file;
            return this;
        }

        /** Also log the batch loss every {@code k} steps (default 0: epoch lines only). */
        public Builder logEverySteps(int k) {
            if (k < 0) {
                throw new IllegalArgumentException("Trainer.Builder.logEverySteps: expected ≥ 0 but got " + k);
            }
            logEverySteps = k;
            return this;
        }

        /** Shows a progress bar per epoch on standard error (default off). */
        public Builder progressBar(boolean on) {
            progressBar = on;
            return this;
        }

        /**
         * Prints {@code report.apply(model)} after every epoch, e.g. the constraints module's
         * report of each constraint's violation (default: none).
         */
        public Builder constraintReport(Function<Module, String> report) {
            constraintReport = report;
            return this;
        }

        /** Where constraint reports go (default: standard output, one line per epoch). */
        public Builder reportSink(Consumer<String> sink) {
            if (sink == null) {
                throw new IllegalArgumentException("Trainer.Builder.reportSink: expected non-null but got null");
            }
            reportSink = sink;
            return this;
        }

        /** The trainer. */
        public Trainer build() {
            return new Trainer(this);
        }
    }
}
