package org.netroot.server.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.testing.Processes;

/**
 * A full disk is recognised whatever language the C library speaks: the JVM's IOException carries
 * strerror's text, translated under a German locale, so a failed write on a file system with no
 * room left is a disk-full error even when its message is not English.
 */
class DiskFullExceptionTest {
    static final IOException GERMAN_ENOSPC = new IOException("Auf dem Gerät ist kein Speicherplatz mehr verfügbar");

    @TempDir Path dir;

    @Test
    void englishWordsAreEnoughWithoutLookingAtTheDisk() {
        assertTrue(DiskFullException.isDiskFull(new IOException("No space left on device"), null));
        assertTrue(DiskFullException.isDiskFull(new IOException("Disk quota exceeded")));
        assertFalse(DiskFullException.isDiskFull(new IOException("Input/output error"), null));
    }

    @Test
    void anyFailedWriteOnADiskWithRoomIsNotCalledFull() {
        IOException other = new IOException("Eingabe-/Ausgabefehler");
        assertSame(other, DiskFullException.classify(dir.resolve("disk.img"), other));
        assertSame(GERMAN_ENOSPC, DiskFullException.classify(dir.resolve("disk.img"), GERMAN_ENOSPC));
    }

    @Test
    void aTranslatedMessageOnAFullFileSystemIsADiskFullError() throws Exception {
        assumeTrue(Processes.isRoot(), "mounting a small tmpfs needs root");
        Path mount = Files.createDirectory(dir.resolve("small"));
        Processes.Result r = Processes.run(20, "mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString());
        assumeTrue(r.exitCode() == 0, "mount -t tmpfs is not allowed here: " + r.all());
        try {
            Path file = mount.resolve("volume.img");
            try (OutputStream out = Files.newOutputStream(file)) {
                byte[] chunk = new byte[64 << 10];
                for (int i = 0; i < 64; i++) out.write(chunk); // 4 MiB into 2 MiB
            } catch (IOException expected) {
                // the file system is full now, whatever the message's language
            }
            IOException classified = DiskFullException.classify(file, GERMAN_ENOSPC);
            assertInstanceOf(DiskFullException.class, classified);
            assertTrue(classified.getMessage().startsWith("the disk holding " + file + " is full"), classified.getMessage());
            assertTrue(DiskFullException.isDiskFull(GERMAN_ENOSPC, mount.resolve("not-yet-created.qcow2")),
                    "a file that was never created is judged by its folder's disk");
        } finally {
            Processes.run(20, "umount", mount.toString());
        }
    }
}
