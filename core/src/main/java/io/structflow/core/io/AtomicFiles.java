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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
 *
 * <p>The temporary file of target {@code F} is named {@code .F.<hex>.tmp}. A process killed
 * during a write leaves it behind; {@link #deleteTemporaries(Path)} removes such leftovers and
 * is meant for the start of a program that writes {@code F}, while no other process writes it.
 */
public final class AtomicFiles {

    private static final int MAX_NAME_ATTEMPTS = 100;
    private static final String TEMPORARY_SUFFIX = ".tmp";
    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

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
                Path candidate = dir.resolve(temporaryName(absolute.getFileName().toString(),
                        Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1)));
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

    /** The name of a temporary file of target {@code name}: {@code .<name>.<hex>.tmp}. */
    private static String temporaryName(String name, String hex) {
        return temporaryPrefix(name) + hex + TEMPORARY_SUFFIX;
    }

    private static String temporaryPrefix(String name) {
        return "." + name + ".";
    }

    /**
     * Deletes the temporary files that interrupted {@link #write} calls for {@code target} left
     * in its directory (named as described in the class comment; no other file is touched).
     * Call it only while no other process writes {@code target}: it would delete that writer's
     * temporary file.
     *
     * @param target the file whose leftovers to delete; its directory need not exist
     * @return the files deleted, in no particular order
     * @throws IOException if the directory cannot be listed or a leftover cannot be deleted
     */
    public static List<Path> deleteTemporaries(Path target) throws IOException {
        if (target == null || target.toAbsolutePath().getFileName() == null) {
            throw new IllegalArgumentException("AtomicFiles.deleteTemporaries: target expected a file path but got "
                    + target);
        }
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        List<Path> deleted = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return deleted;
        }
        String prefix = temporaryPrefix(absolute.getFileName().toString());
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.startsWith(prefix) && name.endsWith(TEMPORARY_SUFFIX)
                        && name.length() > prefix.length() + TEMPORARY_SUFFIX.length()
                        && HEX.matcher(name.substring(prefix.length(), name.length() - TEMPORARY_SUFFIX.length())).matches()
                        && Files.isRegularFile(f)) {
                    Files.deleteIfExists(f);
                    deleted.add(f);
                }
            }
        }
        return deleted;
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
