package org.netroot.server.nbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.Client;
import org.netroot.server.testing.Processes;

/** QEMU's NBD client (qemu-img, qemu-io) against Netroot's NBD server, raw and qcow2 volumes. */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class QemuNbdPeerTest {
    static final long TIMEOUT = 120;

    @TempDir
    Path dir;
    NbdLab lab;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Processes.has("qemu-io") && Processes.has("qemu-img"), "qemu-io/qemu-img missing: apt-get install qemu-utils");
        lab = new NbdLab(dir.resolve("data"));
    }

    @AfterEach
    void stop() {
        if (lab != null) lab.close();
    }

    @Test
    void qemuImgCompareSeesARawVolumeAsItsFile() throws Exception {
        int size = 24 << 20;
        Client pc = lab.addClient("pc1", "52:54:00:00:00:01", size);
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        Arrays.fill(bytes, 4 << 20, 6 << 20, (byte) 0); // a zero run, as real images have
        Files.write(lab.volumeFile(pc), bytes);
        Processes.Result same = Processes.run(TIMEOUT, "qemu-img", "compare", "-f", "raw", lab.volumeFile(pc).toString(),
                lab.url(pc));
        assertEquals(0, same.exitCode(), same.all());
        assertTrue(same.stdout().contains("Images are identical"), same.all());
        assertTrue(lab.awaitEvent(BootEventType.NBD_CONNECT, "opened volume pc1-disk of client pc1"), lab.events.toString());
        assertTrue(lab.awaitEvent(BootEventType.NBD_DISCONNECT, "NBD_CMD_DISC"), lab.events.toString());

        Path copy = dir.resolve("copy.raw"); // the check can fail: one byte flipped in a copy
        bytes[12345] ^= 1;
        Files.write(copy, bytes);
        Processes.Result differ = Processes.run(TIMEOUT, "qemu-img", "compare", "-f", "raw", copy.toString(), lab.url(pc));
        assertEquals(1, differ.exitCode(), differ.all());
        assertEquals(0, lab.dropped(), "nothing a real client sends is dropped");
    }
}
