package org.netroot.server.storage.qcow2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.netroot.server.storage.qcow2.Qcow2QemuInteropTest.MIB;
import static org.netroot.server.storage.qcow2.Qcow2QemuInteropTest.read;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.testing.Qcow2CheckedTempDirs.LeavesDamagedImages;

/**
 * A backing file name is data a client may have written (the first sector of a raw golden image),
 * so it is followed only with a format named and only to a file in the image's folder or below.
 */
class Qcow2BackingFileTest {
    @TempDir Path dir;

    /** Rewrites {@code image}'s header to name {@code name} as its backing file, with {@code format} or none. */
    static void nameBacking(Path image, String name, Optional<String> format) throws IOException {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            HostFile f = new HostFile(ch);
            Qcow2Header h = Qcow2Header.decode(f.readBytes(0, Qcow2BlockDevice.DEFAULT_CLUSTER_SIZE), ch.size());
            Qcow2Header named = new Qcow2Header(h.version(), h.clusterBits(), h.size(), h.l1Size(), h.l1TableOffset(),
                    h.refcountTableOffset(), h.refcountTableClusters(), h.nbSnapshots(), h.snapshotsOffset(),
                    h.incompatibleFeatures(), h.compatibleFeatures(), h.autoclearFeatures(), h.refcountOrder(),
                    Optional.of(name), format, h.extensions());
            f.write(0, named.encode());
        }
    }

    Path imageNaming(Path image, String backing, Optional<String> format) throws IOException {
        Files.createDirectories(image.getParent());
        Qcow2BlockDevice.create(image, 4 * MIB, Optional.empty());
        nameBacking(image, backing, format);
        return image;
    }

    static IOException refusedAtOpen(Path image) {
        IOException rw = assertThrows(IOException.class, () -> Qcow2BlockDevice.open(image, false).close());
        IOException ro = assertThrows(IOException.class, () -> Qcow2BlockDevice.open(image, true).close());
        assertEquals(rw.getMessage(), ro.getMessage());
        return rw;
    }

    @Test
    void anAbsoluteBackingFileOutsideTheFolderIsRefused() throws Exception {
        Path image = imageNaming(dir.resolve("volumes/evil.qcow2"), "/etc/passwd", Optional.of("raw"));
        IOException e = refusedAtOpen(image);
        assertTrue(e.getMessage().contains("/etc/passwd") && e.getMessage().contains("outside its folder")
                && e.getMessage().contains("qemu-img rebase"), e.getMessage());
    }

    @Test
    void aRelativeBackingFileThatClimbsOutIsRefused() throws Exception {
        Files.write(dir.resolve("outside.raw"), new byte[(int) MIB]);
        Path image = imageNaming(dir.resolve("volumes/evil.qcow2"), "../outside.raw", Optional.of("raw"));
        IOException e = refusedAtOpen(image);
        assertTrue(e.getMessage().contains("../outside.raw") && e.getMessage().contains("outside its folder"), e.getMessage());
    }

    @Test
    void aSymlinkInTheFolderPointingOutIsRefused() throws Exception {
        Files.write(dir.resolve("outside.raw"), new byte[(int) MIB]);
        Files.createDirectories(dir.resolve("volumes"));
        Files.createSymbolicLink(dir.resolve("volumes/link.raw"), dir.resolve("outside.raw"));
        Path image = imageNaming(dir.resolve("volumes/evil.qcow2"), "link.raw", Optional.of("raw"));
        IOException e = refusedAtOpen(image);
        assertTrue(e.getMessage().contains("outside its folder"), e.getMessage());
    }

    /**
     * The attack: a client writes a qcow2 header naming /etc/passwd into the first sector of a raw
     * golden image; an overlay that names that golden image without a format would have it probed as
     * qcow2 and followed. Without a format it is refused; with "raw" the header is plain data.
     */
    @Test
    @LeavesDamagedImages("the raw golden image starts with a qcow2 header naming /etc/passwd on purpose: it is raw data")
    void aBackingFileWithoutAFormatIsRefusedNotProbed() throws Exception {
        Path decoy = dir.resolve("decoy.qcow2");
        Qcow2BlockDevice.create(decoy, MIB, Optional.empty());
        nameBacking(decoy, "/etc/passwd", Optional.of("raw"));
        byte[] golden = new byte[(int) (4 * MIB)];
        byte[] header = Files.readAllBytes(decoy);
        System.arraycopy(header, 0, golden, 0, 4096);
        Files.write(dir.resolve("golden.raw"), golden);

        Path overlay = imageNaming(dir.resolve("overlay.qcow2"), "golden.raw", Optional.empty());
        IOException e = refusedAtOpen(overlay);
        assertTrue(e.getMessage().contains("names its backing file golden.raw without a format")
                && e.getMessage().contains("qemu-img rebase -u -b golden.raw -F raw|qcow2"), e.getMessage());

        nameBacking(overlay, "golden.raw", Optional.of("raw"));
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(overlay, true)) {
            assertArrayEquals(java.util.Arrays.copyOf(golden, 4096), read(d, 0, 4096), "the golden image is read as raw data");
        }
    }

    @Test
    void aBackingFileInTheFolderOrBelowOpens() throws Exception {
        Files.createDirectories(dir.resolve("volumes/base"));
        byte[] data = Qcow2QemuInteropTest.pattern((int) MIB, 7);
        Files.write(dir.resolve("volumes/base/golden.raw"), data);
        Files.write(dir.resolve("volumes/golden.raw"), data);
        Path below = imageNaming(dir.resolve("volumes/below.qcow2"), "base/golden.raw", Optional.of("raw"));
        Path absolute = imageNaming(dir.resolve("volumes/absolute.qcow2"), dir.resolve("volumes/golden.raw").toString(), Optional.of("raw"));
        for (Path image : new Path[] {below, absolute}) {
            try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
                assertArrayEquals(data, read(d, 0, (int) MIB), image.toString());
            }
        }
    }

    @Test
    void creatingAnOverlayOfAFileOutsideTheFolderIsRefused() throws Exception {
        Files.write(dir.resolve("outside.raw"), new byte[(int) MIB]);
        Files.createDirectories(dir.resolve("volumes"));
        Path image = dir.resolve("volumes/overlay.qcow2");
        IOException e = assertThrows(IOException.class, () -> Qcow2BlockDevice.create(image, MIB,
                Optional.of(new BackingFile("../outside.raw", BackingFile.Format.RAW))));
        assertTrue(e.getMessage().contains("outside its folder"), e.getMessage());
        assertTrue(Files.notExists(image));
    }
}
