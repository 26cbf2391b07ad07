package io.structflow.spark;

import io.structflow.core.io.AtomicFiles;
import io.structflow.core.nn.Module;
import io.structflow.core.optim.Optimizer;
import io.structflow.core.train.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * A training checkpoint ({@link Checkpoint}: parameters, optimiser state, constraint state,
 * counters and the data-order seed, with a SHA-256 digest) at a path of any Hadoop file system
 * ({@code hdfs://}, {@code s3a://}, {@code file:/}).
 *
 * <p>Writes are atomic: the file is written under a temporary name in the same directory and
 * renamed over the old one ({@link FileContext#rename} with {@code OVERWRITE}, atomic on HDFS and
 * local disks). Reads verify the digest and every array ({@link Checkpoint#load}).
 */
final class CheckpointStore {
    private final Path target;
    private final FileContext files;

    /**
     * @param location a Hadoop path or URI of the checkpoint file
     * @param conf     the Hadoop configuration (the Spark context's)
     */
    CheckpointStore(String location, Configuration conf) throws IOException {
        this.target = new Path(location);
        this.files = FileContext.getFileContext(target.toUri(), conf);
    }

    /** Where the checkpoint lives. */
    Path target() {
        return target;
    }

    /** Whether a checkpoint has been written. */
    boolean exists() throws IOException {
        return files.util().exists(target);
    }

    /** Writes a checkpoint of {@code model}, {@code optimizer} and {@code progress}, atomically. */
    void save(Module model, Optimizer optimizer, Checkpoint.Progress progress) throws IOException {
        java.nio.file.Path local = Files.createTempFile("structflow-checkpoint", ".zip");
        try {
            Checkpoint.save(local, model, optimizer, progress);
            Path temporary = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
            files.mkdir(target.getParent(), null, true);
            try (var out = files.create(temporary, EnumSet.of(CreateFlag.CREATE, CreateFlag.OVERWRITE))) {
                Files.copy(local, out);
                out.hsync();
            }
            files.rename(temporary, target, Options.Rename.OVERWRITE);
        } finally {
            Files.deleteIfExists(local);
            AtomicFiles.deleteTemporaries(local);
        }
    }

    /**
     * Reads and verifies the checkpoint.
     *
     * @throws IOException of one line naming the path if it is missing, damaged or not a checkpoint
     */
    Checkpoint load() throws IOException {
        java.nio.file.Path local = Files.createTempFile("structflow-checkpoint", ".zip");
        try {
            try (var in = files.open(target)) {
                Files.copy(in, local, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return Checkpoint.load(local);
        } catch (IOException e) {
            throw new IOException("checkpoint " + target + ": " + e.getMessage().replace(local.toString(), "copy"), e);
        } finally {
            Files.deleteIfExists(local);
        }
    }
}
