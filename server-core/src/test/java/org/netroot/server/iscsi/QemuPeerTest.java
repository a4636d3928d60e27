package org.netroot.server.iscsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.Client;
import org.netroot.server.testing.Processes;

/** QEMU's iSCSI block driver (libiscsi inside qemu-io / qemu-img) writing and reading a volume. */
@Tag("lab")
// longer than the default (junit-platform.properties): qemu-img convert/compare of a volume, up to 120 s each
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class QemuPeerTest {
    @TempDir
    Path dir;
    IscsiLab lab;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Processes.has("qemu-io") && Processes.has("qemu-img"), "qemu-io/qemu-img missing: apt-get install qemu-utils");
        Processes.Combined formats = Processes.runCombined(30, "qemu-img", "--help");
        assumeTrue(formats.output().contains(" iscsi"), "qemu's iSCSI driver missing: apt-get install qemu-block-extra");
        lab = new IscsiLab(dir);
    }

    @AfterEach
    void stop() {
        if (lab != null) lab.close();
    }

    /** qemu's way to set the initiator name: --image-opts with initiator-name. */
    private String imageOpts(Client c) {
        return "driver=iscsi,transport=tcp,portal=127.0.0.1:" + lab.service.port() + ",target=" + c.targetIqn()
                + ",lun=0,initiator-name=" + c.initiatorIqn();
    }

    @Test
    void qemuIoWritesAPatternThatLandsInTheVolumeFileAndReadsItBack() throws Exception {
        Client pc = lab.addClient("pc1", "52:54:00:00:00:01", 16 << 20);
        Processes.Combined w = Processes.runCombined(60, "qemu-io", "--image-opts", imageOpts(pc), "-c", "write -P 0xab 0 1M");
        assertEquals(0, w.exit(), w.output());
        assertTrue(w.output().contains("wrote 1048576/1048576 bytes"), w.output());
        byte[] onDisk = LibiscsiPeerTest.readFile(lab.volumeFile(pc), 0, 1 << 20);
        byte[] expected = new byte[1 << 20];
        Arrays.fill(expected, (byte) 0xab);
        assertArrayEquals(expected, onDisk, "the write must reach the volume's file");
        Processes.Combined r = Processes.runCombined(60, "qemu-io", "--image-opts", imageOpts(pc), "-c", "read -P 0xab 0 1M");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("read 1048576/1048576 bytes"), r.output());
        assertTrue(!r.output().contains("Pattern verification failed"), r.output());
        Processes.Combined miss = Processes.runCombined(60, "qemu-io", "--image-opts", imageOpts(pc), "-c", "read -P 0xcd 0 4k");
        assertTrue(miss.output().contains("Pattern verification failed"), "a wrong pattern must be noticed:\n" + miss.output());
        assertTrue(lab.awaitEvent(BootEventType.ISCSI_FIRST_READ, pc.targetIqn()), lab.events.toString());
    }

    @Test
    void qemuImgConvertAndCompareRoundTripAMultiMegabyteImage() throws Exception {
        int size = 24 << 20;
        Client pc = lab.addClient("pc1", "52:54:00:00:00:01", size);
        Path image = dir.resolve("source.raw");
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        Arrays.fill(bytes, 4 << 20, 6 << 20, (byte) 0); // a zero run, as real images have
        Files.write(image, bytes);
        Processes.Combined convert = Processes.runCombined(120, "qemu-img", "convert", "-n", "-f", "raw", "--target-image-opts",
                image.toString(), imageOpts(pc));
        assertEquals(0, convert.exit(), convert.output());
        Processes.Combined compare = Processes.runCombined(120, "qemu-img", "compare", "--image-opts", 
                "driver=raw,file.filename=" + image, imageOpts(pc));
        assertEquals(0, compare.exit(), compare.output());
        assertTrue(compare.output().contains("Images are identical"), compare.output());
        assertArrayEquals(bytes, Files.readAllBytes(lab.volumeFile(pc)), "volume file must hold the image bytes");
        Path back = dir.resolve("back.raw");
        Processes.Combined out = Processes.runCombined(120, "qemu-img", "convert", "-O", "raw", "--image-opts", imageOpts(pc), back.toString());
        assertEquals(0, out.exit(), out.output());
        assertArrayEquals(bytes, Files.readAllBytes(back));
        // the check can fail: flip one byte on disk and compare again
        bytes[12345] ^= 1;
        Files.write(image, bytes);
        Processes.Combined differ = Processes.runCombined(120, "qemu-img", "compare", "--image-opts",
                "driver=raw,file.filename=" + image, imageOpts(pc));
        assertNotEquals(0, differ.exit(), differ.output());
    }

    @Test
    void twoClientsWriteTheirOwnVolumesAtTheSameTime() throws Exception {
        Client pc1 = lab.addClient("pc1", "52:54:00:00:00:01", 16 << 20);
        Client pc2 = lab.addClient("pc2", "52:54:00:00:00:02", 16 << 20);
        var w1 = java.util.concurrent.CompletableFuture.supplyAsync(() -> qemuIo(pc1, "write -P 0x11 0 8M"));
        var w2 = java.util.concurrent.CompletableFuture.supplyAsync(() -> qemuIo(pc2, "write -P 0x22 0 8M"));
        assertEquals(0, w1.get().exit(), w1.get().output());
        assertEquals(0, w2.get().exit(), w2.get().output());
        assertEquals(0x11, LibiscsiPeerTest.readFile(lab.volumeFile(pc1), (8 << 20) - 1, 1)[0]);
        assertEquals(0x22, LibiscsiPeerTest.readFile(lab.volumeFile(pc2), (8 << 20) - 1, 1)[0]);
        assertTrue(qemuIo(pc1, "read -P 0x11 0 8M").output().contains("read 8388608/8388608"));
        assertTrue(qemuIo(pc2, "read -P 0x22 0 8M").output().contains("read 8388608/8388608"));
    }

    private Processes.Combined qemuIo(Client c, String command) {
        try {
            return Processes.runCombined(120, "qemu-io", "--image-opts", imageOpts(c), "-c", command);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
