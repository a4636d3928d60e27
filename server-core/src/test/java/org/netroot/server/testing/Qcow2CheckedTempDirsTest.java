package org.netroot.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.storage.qcow2.Qcow2BlockDevice;

/** The suite-wide qcow2 check sees the test folders and tells a clean image from a damaged one. */
class Qcow2CheckedTempDirsTest {
    @TempDir Path dir;

    @Test
    void junitMakesTestFoldersThroughTheCheckingFactory() {
        assertTrue(Qcow2CheckedTempDirs.tracks(dir), "the @TempDir " + dir + " did not come from Qcow2CheckedTempDirs:"
                + " junit.jupiter.tempdir.factory.default is not in effect, so no qcow2 image of the suite is checked");
    }

    @Test
    void cleanImagesPassAndADamagedOneIsNamed() throws Exception {
        assumeTrue(Processes.has("qemu-img"), "qemu-img is not installed (apt install qemu-utils)");
        Path sub = Files.createDirectories(dir.resolve("volumes"));
        Path clean = sub.resolve("clean.qcow2");
        Path damaged = sub.resolve("damaged.qcow2");
        for (Path image : List.of(clean, damaged)) {
            Qcow2BlockDevice.create(image, 16L << 20, Optional.empty());
            try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
                d.write(0, ByteBuffer.wrap(new byte[4096]).put(0, (byte) 1));
            }
        }
        Files.writeString(sub.resolve("notes.txt"), "not an image");
        assertEquals(List.of(), Qcow2CheckedTempDirs.problems(dir));

        try (RandomAccessFile f = new RandomAccessFile(damaged.toFile(), "rw")) {
            f.seek(40); // header: l1_table_offset
            long l1 = f.readLong();
            f.seek(l1);
            f.writeLong(1L << 63); // L1[0] now names the header's cluster as its L2 table
        }
        List<String> problems = Qcow2CheckedTempDirs.problems(dir);
        Files.delete(damaged); // else the same check, run after this test, fails it (it did, before this line)
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("volumes/damaged.qcow2 (exit 2): "), problems.get(0));
    }
}
