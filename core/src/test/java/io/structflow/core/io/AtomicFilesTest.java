package io.structflow.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<Path> filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }

    @Test
    void write_newFile_createsItWithContentAndNoTempFile() throws Exception {
        Path target = dir.resolve("results.json");

        AtomicFiles.write(target, out -> out.write("{\"a\":1}".getBytes(StandardCharsets.UTF_8)));

        assertEquals("{\"a\":1}", Files.readString(target));
        assertEquals(List.of(target), filesIn(dir));
    }

    @Test
    void write_existingFile_replacesIt() throws Exception {
        Path target = dir.resolve("checkpoint.bin");
        Files.write(target, new byte[] {1, 2, 3, 4, 5});
        byte[] large = new byte[300_000];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (i * 31);
        }

        AtomicFiles.write(target, out -> out.write(large));

        assertArrayEquals(large, Files.readAllBytes(target));
        assertEquals(List.of(target), filesIn(dir));
    }

    @Test
    void write_writerFailsHalfWay_leavesOldFileByteIdenticalAndNoTempFile() throws Exception {
        Path target = dir.resolve("checkpoint.bin");
        byte[] old = {10, 20, 30, 40};
        Files.write(target, old);
        IOException failure = new IOException("disk full (simulated)");

        IOException thrown = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[100_000]);
            out.flush();
            throw failure;
        }));

        assertSame(failure, thrown);
        assertArrayEquals(old, Files.readAllBytes(target));
        assertEquals(List.of(target), filesIn(dir));
    }

    @Test
    void write_writerThrowsUnchecked_propagatesItAndLeavesNoTrace() throws Exception {
        Path target = dir.resolve("fresh.txt");
        IllegalStateException failure = new IllegalStateException("bug in writer");

        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> AtomicFiles.write(target, out -> {
                    out.write('x');
                    throw failure;
                }));

        assertSame(failure, thrown);
        assertEquals(List.of(), filesIn(dir));
    }

    @Test
    void write_writerClosesStream_stillCommits() throws Exception {
        Path target = dir.resolve("closed.txt");

        AtomicFiles.write(target, out -> {
            try (out) {
                out.write("closed early".getBytes(StandardCharsets.UTF_8));
            }
        });

        assertEquals("closed early", Files.readString(target));
        assertEquals(List.of(target), filesIn(dir));
    }

    @Test
    void write_newFile_getsSamePermissionsAsAPlainNewFile() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        Path plain = Files.createFile(dir.resolve("plain.txt"));
        Path atomic = dir.resolve("atomic.txt");

        AtomicFiles.write(atomic, out -> out.write('y'));

        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
    }

    @Test
    void write_directoryTarget_isRejectedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AtomicFiles.write(dir, out -> out.write(1)));

        assertTrue(e.getMessage().contains("target"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void write_missingParentDirectory_failsAndCreatesNothing() {
        Path target = dir.resolve("absent").resolve("out.txt");

        assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> out.write(1)));

        assertTrue(Files.notExists(target.getParent()));
    }
    @Test
    void deleteTemporaries_deletesOnlyTheTargetsLeftovers() throws Exception {
        Path target = dir.resolve("results.json");
        Path leftover = Files.write(dir.resolve(".results.json.7fa3.tmp"), new byte[0]);
        List<Path> kept = List.of(Files.write(target, new byte[] {1}),
                Files.write(dir.resolve(".results.json.notes.tmp"), new byte[0]),
                Files.write(dir.resolve(".other.json.7fa3.tmp"), new byte[0]),
                Files.write(dir.resolve("results.json.7fa3.tmp"), new byte[0]));
        assertEquals(List.of(leftover), AtomicFiles.deleteTemporaries(target));
        assertTrue(!Files.exists(leftover));
        kept.forEach(f -> assertTrue(Files.exists(f), f + " kept"));
        assertEquals(List.of(), AtomicFiles.deleteTemporaries(dir.resolve("missing/results.json")),
                "a missing directory has no leftovers");
    }
}
