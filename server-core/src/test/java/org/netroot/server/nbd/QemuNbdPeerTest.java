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
import java.util.List;
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

    private Processes.Result qemuIo(String url, String... commands) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("qemu-io", "-f", "raw", url));
        for (String c : commands) {
            cmd.add("-c");
            cmd.add(c);
        }
        return Processes.run(TIMEOUT, cmd);
    }

    private boolean released(Client c) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (lab.volumes.openVolumes().find(c.volumeName()).isEmpty()) return true;
            Thread.sleep(25);
        }
        return false;
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static byte[] readFile(Path file, long offset, int length) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] b = new byte[length];
            f.seek(offset);
            f.readFully(b);
            return b;
        }
    }

    @Test
    void qemuIoWritesLandInTheVolumeFileFuaZeroesAndDiscardsToo() throws Exception {
        Client pc = lab.addClient("pc1", "52:54:00:00:00:01", 16 << 20);
        Files.write(lab.volumeFile(pc), filled(16 << 20, 0x99));
        Processes.Result w = qemuIo(lab.url(pc), "write -P 0xab 0 1M", "write -f -P 0xcd 1M 64k", "write -z 2M 64k",
                "discard 3M 64k", "flush");
        assertEquals(0, w.exitCode(), w.all());
        assertTrue(w.stdout().contains("wrote 1048576/1048576 bytes"), w.all());
        assertTrue(released(pc));
        Path file = lab.volumeFile(pc);
        assertArrayEquals(filled(1 << 20, 0xab), readFile(file, 0, 1 << 20), "the write reached the volume's file");
        assertArrayEquals(filled(64 << 10, 0xcd), readFile(file, 1 << 20, 64 << 10), "the FUA write too");
        assertArrayEquals(new byte[64 << 10], readFile(file, 2 << 20, 64 << 10), "write -z: zeros");
        assertArrayEquals(new byte[64 << 10], readFile(file, 3 << 20, 64 << 10), "discard: zeros (a punched hole)");
        assertArrayEquals(filled(1 << 20, 0x99), readFile(file, 4 << 20, 1 << 20), "the rest as it was");

        Processes.Result r = qemuIo(lab.url(pc), "read -P 0xab 0 1M", "read -P 0xcd 1M 64k", "read -P 0 2M 64k", "read -P 0 3M 64k");
        assertEquals(0, r.exitCode(), r.all());
        assertFalse(r.stdout().contains("Pattern verification failed"), r.all());
        Processes.Result miss = qemuIo(lab.url(pc), "read -P 0xee 0 4k");
        assertTrue(miss.stdout().contains("Pattern verification failed"), "a wrong pattern must be noticed:\n" + miss.all());
    }

    @Test
    void qemuImgCompareSeesAQcow2VolumeAsItsFileBeforeAndAfterWritesOverNbd() throws Exception {
        Path image = dir.resolve("made.qcow2");
        assertEquals(0, Processes.run(TIMEOUT, "qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "32M").exitCode());
        Processes.Result data = Processes.run(TIMEOUT, "qemu-io", "-f", "qcow2", "-c", "write -P 0x11 0 4M", "-c",
                "write -P 0x22 20M 1M", image.toString());
        assertEquals(0, data.exitCode(), data.all());
        lab.volumes.importImage("pc1-disk", image, 0);
        Client pc = new Client("pc1", "52:54:00:00:00:01", "pc1-disk", null, null, null, null, null, null, NbdLab.LOOPBACK);
        lab.clients.add(pc);
        Path volume = lab.volumeFile(pc);
        assertTrue(volume.toString().endsWith(".qcow2"), volume.toString());

        Processes.Result same = Processes.run(TIMEOUT, "qemu-img", "compare", "-f", "qcow2", volume.toString(), lab.url(pc));
        assertEquals(0, same.exitCode(), "the qcow2 volume's file against its NBD export:\n" + same.all());

        Processes.Result w = qemuIo(lab.url(pc), "write -P 0x33 8M 2M", "write -z 20M 64k", "discard 0 128k");
        assertEquals(0, w.exitCode(), w.all());
        assertTrue(released(pc));
        Processes.Result check = Processes.run(TIMEOUT, "qemu-img", "check", volume.toString());
        assertEquals(0, check.exitCode(), "the volume's qcow2 after writes over NBD:\n" + check.all());
        Processes.Result after = Processes.run(TIMEOUT, "qemu-img", "compare", "-f", "qcow2", volume.toString(), lab.url(pc));
        assertEquals(0, after.exitCode(), "the volume's file reads as the export does:\n" + after.all());
        Processes.Result differs = Processes.run(TIMEOUT, "qemu-img", "compare", "-f", "qcow2", image.toString(), lab.url(pc));
        assertEquals(1, differs.exitCode(), "the writes went to the volume, not to the imported image:\n" + differs.all());
        Processes.Result r = qemuIo(lab.url(pc), "read -P 0x33 8M 2M", "read -P 0 20M 64k", "read -P 0 0 128k",
                "read -P 0x11 128k 1M");
        assertFalse(r.stdout().contains("Pattern verification failed"), r.all());
    }

    @Test
    void aSecondQemuIoIsRefusedWhileTheFirstWritesWithTheHolderNamed() throws Exception {
        Client pc = lab.addClient("pc1", "52:54:00:00:00:01", 4 << 20);
        try (RawNbdClient first = RawNbdClient.open(lab.service.port(), pc.volumeName(), true)) {
            Processes.Result second = qemuIo(lab.url(pc), "write -P 0x42 0 4k");
            assertNotEquals(0, second.exitCode(), second.all());
            assertTrue(second.all().contains("volume pc1-disk of client pc1 is in use by nbd://127.0.0.1:"
                    + first.socket.getLocalPort()), "qemu shows the server's reason:\n" + second.all());
            assertTrue(lab.awaitEvent(BootEventType.NBD_REFUSED, "is in use by nbd://127.0.0.1:"), lab.events.toString());
        }
        assertArrayEquals(new byte[4096], readFile(lab.volumeFile(pc), 0, 4096), "the refused writer wrote nothing");
        assertTrue(released(pc));
        assertEquals(0, qemuIo(lab.url(pc), "write -P 0x42 0 4k").exitCode(), "once the first is gone");
    }

    @Test
    void iscsiAndNbdShareTheOneWriterRule() throws Exception {
        Client pc = lab.addClient("pc1", "52:54:00:00:00:01", 4 << 20);
        org.netroot.server.iscsi.IscsiService iscsi = new org.netroot.server.iscsi.IscsiService(
                new org.netroot.server.iscsi.IscsiSettings((java.net.InetAddress) null, 0),
                new org.netroot.server.iscsi.ClientTargetCatalog(lab.clients.directory(), lab.volumes), lab.events::add,
                lab.peers, lab.errors);
        iscsi.start();
        try {
            try (org.netroot.server.testing.RawInitiator session = org.netroot.server.testing.RawInitiator.login(
                    iscsi.port(), pc.initiatorIqn(), pc.targetIqn())) {
                Processes.Result nbd = qemuIo(lab.url(pc), "write -P 0x42 0 4k");
                assertNotEquals(0, nbd.exitCode(), nbd.all());
                assertTrue(nbd.all().contains("is in use by " + pc.initiatorIqn()), "the iSCSI session holds it:\n" + nbd.all());
                assertEquals(4096, session.read(0, 8).length, "the iSCSI session still reads");
            }
            assertTrue(released(pc));
            try (RawNbdClient nbd = RawNbdClient.open(lab.service.port(), pc.volumeName(), true)) {
                java.io.IOException refused = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                        () -> org.netroot.server.testing.RawInitiator.login(iscsi.port(), pc.initiatorIqn(), pc.targetIqn()));
                assertTrue(refused.getMessage().contains("status 0x0301"), "service unavailable: " + refused.getMessage());
                assertTrue(lab.awaitEvent(BootEventType.ERROR, "in use by nbd://127.0.0.1:" + nbd.socket.getLocalPort()),
                        lab.events.toString());
            }
        } finally {
            iscsi.stop();
        }
    }

    @Test
    void anotherAddressesVolumeIsRefusedWithTheReasonQemuShows() throws Exception {
        Client far = lab.addClient("pc2", "52:54:00:00:00:02", 4 << 20, "raw", "10.99.0.2");
        Processes.Result r = qemuIo(lab.url(far), "read 0 4k");
        assertNotEquals(0, r.exitCode(), r.all());
        assertTrue(r.all().contains("export not available to this address"), r.all());
        for (String secret : List.of("pc2", far.mac(), "10.99.0.2")) {
            assertFalse(r.all().replace("pc2-disk", "").contains(secret), "qemu is not told " + secret + ":\n" + r.all());
        }
        assertTrue(lab.awaitEvent(BootEventType.NBD_REFUSED, "volume pc2-disk is the disk of client pc2 (" + far.mac()
                + ")"), lab.events.toString());
        assertTrue(lab.events.toString().contains("its reserved address is 10.99.0.2"), lab.events.toString());
        assertTrue(lab.volumes.openVolumes().find(far.volumeName()).isEmpty(), "a refused client opens nothing");
    }
}
