package org.netroot.server.iscsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
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

/** Real initiators from Debian's libiscsi-bin against the target on loopback. */
@Tag("lab")
// longer than the default (junit-platform.properties): several libiscsi tool runs of up to 30 s each
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LibiscsiPeerTest {
    @TempDir
    Path dir;
    IscsiLab lab;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Processes.has("iscsi-inq"), "iscsi-inq missing: apt-get install libiscsi-bin");
        lab = new IscsiLab(dir);
    }

    @AfterEach
    void stop() {
        if (lab != null) lab.close();
    }

    @Test
    void discoveryListsOnlyTheInitiatorsTarget() throws Exception {
        Client pc1 = lab.addClient("pc1", "52:54:00:00:00:01", 8 << 20);
        Client pc2 = lab.addClient("pc2", "52:54:00:00:00:02", 8 << 20);
        Processes.Combined r = Processes.runCombined(30, "iscsi-ls", "-s", "-i", pc1.initiatorIqn(),
                "iscsi://127.0.0.1:" + lab.service.port());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("Target:" + pc1.targetIqn()) || r.output().contains(pc1.targetIqn()), r.output());
        assertTrue(r.output().contains("127.0.0.1:" + lab.service.port()), r.output());
        assertTrue(!r.output().contains(pc2.targetIqn()), "pc2's target must stay hidden from pc1:\n" + r.output());
    }

    @Test
    void discoveryWithChapCredentialsInTheUrl() throws Exception {
        Client pc = lab.addClient("pc1", "52:54:00:00:00:01", 8 << 20, "pc1user", "secret-of-pc1", null, null);
        Processes.Combined r = Processes.runCombined(30, "iscsi-ls", "-s", "-i", pc.initiatorIqn(),
                "iscsi://pc1user%secret-of-pc1@127.0.0.1:" + lab.service.port());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains(pc.targetIqn()), r.output());
    }

    @Test
    void inquiryStandardAndVpdPages() throws Exception {
        Client pc = lab.addClient("pc1", "52:54:00:00:00:01", 8 << 20);
        Processes.Combined std = Processes.runCombined(30, "iscsi-inq", "-i", pc.initiatorIqn(), lab.url(pc));
        assertEquals(0, std.exit(), std.output());
        assertTrue(std.output().contains("NETROOT"), std.output());
        Processes.Combined pages = Processes.runCombined(30, "iscsi-inq", "-e", "1", "-c", "0", "-i", pc.initiatorIqn(), lab.url(pc));
        assertEquals(0, pages.exit(), pages.output());
        for (String page : new String[] {"0x80", "0x83", "0xb0", "0xb1", "0xb2"}) {
            assertTrue(pages.output().toLowerCase().contains(page), page + " missing:\n" + pages.output());
        }
        Processes.Combined serial = Processes.runCombined(30, "iscsi-inq", "-e", "1", "-c", "128", "-i", pc.initiatorIqn(), lab.url(pc));
        assertEquals(0, serial.exit(), serial.output());
        Processes.Combined ids = Processes.runCombined(30, "iscsi-inq", "-e", "1", "-c", "131", "-i", pc.initiatorIqn(), lab.url(pc));
        assertEquals(0, ids.exit(), ids.output());
        assertTrue(ids.output().contains("NAA"), ids.output());
        assertTrue(serial.output().contains(UnitIdentityHolder.serialOf(pc)), serial.output());
        for (String page : new String[] {"176", "177", "178"}) { // iscsi-inq reads -c in decimal
            Processes.Combined p = Processes.runCombined(30, "iscsi-inq", "-e", "1", "-c", page, "-i", pc.initiatorIqn(), lab.url(pc));
            assertEquals(0, p.exit(), page + ": " + p.output());
        }
    }

    @Test
    void readCapacity16ReportsTheVolumeSize() throws Exception {
        Client pc = lab.addClient("pc1", "52:54:00:00:00:01", 64L << 20);
        Processes.Combined r = Processes.runCombined(30, "iscsi-readcapacity16", "-s", "-i", pc.initiatorIqn(), lab.url(pc));
        assertEquals(0, r.exit(), r.output());
        assertEquals(String.valueOf(64L << 20), r.output().trim());
        assertTrue(lab.awaitEvent(BootEventType.ISCSI_LOGIN, pc.initiatorIqn()), lab.events.toString());
        assertTrue(lab.awaitEvent(BootEventType.ISCSI_LOGOUT, pc.initiatorIqn()), lab.events.toString());
        assertTrue(lab.events.stream().allMatch(e -> "52:54:00:00:00:01".equals(e.mac())), "events carry the client's MAC");
        // the session's end runs on its command thread after the peer saw the close: 2 s was short under CI load
        for (int i = 0; i < 200 && lab.service.activeSessions() > 0; i++) Thread.sleep(25);
        assertEquals(0, lab.service.activeSessions(), "the target is free again");
    }

    @Test
    void chapRightSecretLogsInWrongSecretIsRefusedWithAnEvent() throws Exception {
        Client pc = lab.addClient("pc1", "52:54:00:00:00:01", 8 << 20, "pc1user", "secret-of-pc1", null, null);
        Processes.Combined ok = Processes.runCombined(30, "iscsi-inq", "-i", pc.initiatorIqn(), lab.url("pc1user%secret-of-pc1", pc));
        assertEquals(0, ok.exit(), ok.output());
        Processes.Combined bad = Processes.runCombined(30, "iscsi-inq", "-i", pc.initiatorIqn(), lab.url("pc1user%not-the-secret", pc));
        assertNotEquals(0, bad.exit(), bad.output());
        assertTrue(lab.awaitEvent(BootEventType.ERROR, "wrong CHAP secret for client pc1"), lab.events.toString());
        assertTrue(lab.events(BootEventType.ERROR).stream().allMatch(e -> "52:54:00:00:00:01".equals(e.mac())));
        Processes.Combined none = Processes.runCombined(30, "iscsi-inq", "-i", pc.initiatorIqn(), lab.url(pc));
        assertNotEquals(0, none.exit(), "a client with a secret must not log in without CHAP:\n" + none.output());
    }

    @Test
    void mutualChapAuthenticatesTheTargetToo() throws Exception {
        Client pc = lab.addClient("pc1", "52:54:00:00:00:01", 8 << 20, "pc1user", "secret-of-pc1", "target1", "target-secret");
        Processes.Combined ok = Processes.runCombined(30, "iscsi-inq", "-i", pc.initiatorIqn(),
                lab.url("pc1user%secret-of-pc1", pc) + "?target_user=target1&target_password=target-secret");
        assertEquals(0, ok.exit(), ok.output());
        Processes.Combined wrongTarget = Processes.runCombined(30, "iscsi-inq", "-i", pc.initiatorIqn(),
                lab.url("pc1user%secret-of-pc1", pc) + "?target_user=target1&target_password=another-secret");
        assertNotEquals(0, wrongTarget.exit(), "libiscsi must refuse a target that answers with the wrong secret:\n"
                + wrongTarget.output());
    }

    @Test
    void anotherInitiatorIsNotAuthorized() throws Exception {
        Client pc = lab.addClient("pc1", "52:54:00:00:00:01", 8 << 20);
        Processes.Combined r = Processes.runCombined(30, "iscsi-inq", "-i", "iqn.2026-01.org.example:intruder", lab.url(pc));
        assertNotEquals(0, r.exit(), r.output());
        assertTrue(lab.awaitEvent(BootEventType.ERROR, "iqn.2026-01.org.example:intruder may not log in"),
                lab.events.toString());
    }

    static byte[] readFile(Path file, long offset, int length) throws Exception {
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer b = ByteBuffer.allocate(length);
            while (b.hasRemaining() && ch.read(b, offset + b.position()) > 0) { }
            return b.array();
        }
    }
}

final class UnitIdentityHolder {
    static String serialOf(org.netroot.server.api.Client c) {
        return org.netroot.server.scsi.UnitIdentity.forVolume(c.volumeName()).serial();
    }
}
