package org.netroot.server.iscsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.netroot.server.api.Client;
import org.netroot.server.testing.Processes;
import org.netroot.server.testing.RawInitiator;

/**
 * CRC32C digests on a real connection: an initiator that asks for header and data digests gets
 * them, and every PDU both ways carries them (RawInitiator checks each one it receives; the target
 * drops the connection on a mismatch, so a wrong digest from either side fails the exchange).
 * QEMU's iSCSI driver (libiscsi, header digests only) reads and writes with HeaderDigest=CRC32C.
 */
class DigestsPeerTest {
    @TempDir Path dir;
    IscsiLab lab;

    @BeforeEach
    void start() throws Exception {
        lab = new IscsiLab(dir);
    }

    @AfterEach
    void stop() {
        if (lab != null) lab.close();
    }

    @ParameterizedTest(name = "header digest {0}, data digest {1}")
    @CsvSource({"true, true", "false, true", "true, false"})
    void writesAndMultiPduReadsCarryTheirDigests(boolean header, boolean data) throws Exception {
        Client pc = lab.addClient("pc1", "52:54:00:00:00:01", 16 << 20);
        byte[] block = new byte[8192];
        new Random(7).nextBytes(block);
        try (RawInitiator session = RawInitiator.login(lab.service.port(), pc.initiatorIqn(), pc.targetIqn(), header, data)) {
            // pipelined: many PDUs arrive in one read, so each must own its bytes after the framer moves on
            for (int round = 0; round < 8; round++) {
                for (int i = 0; i < 16; i++) session.sendWrite(i * 16L, block);
                for (int i = 0; i < 16; i++) session.awaitWrite();
            }
            byte[] read = session.read(0, 256); // 128 KiB: several Data-In PDUs at MaxRecvDataSegmentLength 64 KiB
            for (int i = 0; i < 16; i++) {
                assertArrayEquals(block, Arrays.copyOfRange(read, i * 8192, (i + 1) * 8192), "block " + i);
            }
        }
        assertArrayEquals(block, LibiscsiPeerTest.readFile(lab.volumeFile(pc), 15 * 8192, 8192), "the writes reached the file");
    }

    @Test
    void qemuWithHeaderDigestsWritesAndReads() throws Exception {
        assumeTrue(Processes.has("qemu-io"), "qemu-io missing: apt-get install qemu-utils");
        assumeTrue(Processes.runCombined(30, "qemu-img", "--help").output().contains(" iscsi"),
                "qemu's iSCSI driver missing: apt-get install qemu-block-extra");
        Client pc = lab.addClient("pc1", "52:54:00:00:00:01", 16 << 20);
        String opts = "driver=iscsi,transport=tcp,portal=127.0.0.1:" + lab.service.port() + ",target=" + pc.targetIqn()
                + ",lun=0,initiator-name=" + pc.initiatorIqn() + ",header-digest=crc32c";
        Processes.Combined w = Processes.runCombined(60, "qemu-io", "--image-opts", opts, "-c", "write -P 0x5a 1M 1M",
                "-c", "read -P 0x5a 1M 1M");
        assertEquals(0, w.exit(), w.output());
        assertTrue(w.output().contains("wrote 1048576/1048576 bytes") && w.output().contains("read 1048576/1048576 bytes")
                && !w.output().contains("Pattern verification failed"), w.output());
    }
}
