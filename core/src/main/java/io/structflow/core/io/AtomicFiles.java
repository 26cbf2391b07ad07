package io.structflow.core.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that readers see either the old content or the complete new content, never a
 * half-written file, even if the process dies mid-write (checkpoints, {@code results.json}).
 *
 * <p>{@link #write(Path, IOConsumer)} writes to a temporary file in the target's directory,
 * flushes it to disk ({@link FileChannel#force(boolean)}), then renames it over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE}. If the writer or any step fails, the temporary file is
 * deleted and the previous target, if any, is left untouched. The temporary file is created with
 * the default permissions of a new file (the process umask), not the owner-only permissions of
 * {@link Files#createTempFile}, so the target ends up readable as any other file would be.
 */
public final class AtomicFiles {

    private static final int MAX_NAME_ATTEMPTS = 100;

    private AtomicFiles() {
    }

    /**
     * Atomically replaces (or creates) {@code target} with what {@code writer} writes.
     *
     * <p>The writer gets a buffered stream; closing it is allowed and has no effect beyond a
     * flush. The stream must not be used after the writer returns.
     *
     * @param target the file to create or replace; its directory must exist
     * @param writer writes the complete new content to the stream it is given
     * @throws IllegalArgumentException if an argument is null or {@code target} is a directory
     * @throws java.nio.file.AtomicMoveNotSupportedException if the file system cannot rename
     *         atomically (the target is then unchanged)
     * @throws IOException if the writer, the flush or the rename fails (the target is unchanged)
     */
    public static void write(Path target, IOConsumer<OutputStream> writer) throws IOException {
        if (target == null) {
            throw new IllegalArgumentException("AtomicFiles.write: target expected a file path but got null");
        }
        if (writer == null) {
            throw new IllegalArgumentException("AtomicFiles.write: writer expected non-null but got null (target "
                    + target + ")");
        }
        Path absolute = target.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw new IllegalArgumentException("AtomicFiles.write: target expected a file path but got a directory: "
                    + absolute);
        }
        Path dir = absolute.getParent();
        if (dir == null || absolute.getFileName() == null) {
            throw new IllegalArgumentException("AtomicFiles.write: target expected a file path but got " + target);
        }
        Path tmp = null;
        try {
            FileChannel channel = null;
            for (int attempt = 0; channel == null; attempt++) {
                Path candidate = dir.resolve("." + absolute.getFileName() + "."
                        + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + ".tmp");
                try {
                    channel = FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    tmp = candidate;
                } catch (FileAlreadyExistsException e) {
                    if (attempt >= MAX_NAME_ATTEMPTS) {
                        throw e;
                    }
                }
            }
            try (FileChannel open = channel;
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(new Unclosable(open)), 1 << 16)) {
                writer.accept(new FlushOnClose(out));
                out.flush();
                open.force(true);
            }
            Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
            syncDirectory(dir);
        } catch (Throwable failure) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException | RuntimeException cleanup) {
                    failure.addSuppressed(cleanup);
                }
            }
            throw failure;
        }
    }

    /** Makes the rename durable where the platform allows opening a directory (Linux, macOS). */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            // Best effort: some platforms and file systems cannot open or sync a directory.
        }
    }

    /** The stream handed to the writer: close() only flushes, so the file can still be synced. */
    private static final class FlushOnClose extends FilterOutputStream {
        FlushOnClose(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    /**
     * Wraps the channel so that closing the stream made from it leaves it open for
     * {@link FileChannel#force(boolean)}; the channel itself is closed by try-with-resources.
     */
    private static final class Unclosable implements java.nio.channels.WritableByteChannel {
        private final FileChannel channel;

        Unclosable(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public int write(java.nio.ByteBuffer src) throws IOException {
            return channel.write(src);
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() {
            // the owner closes the real channel
        }
    }
}
