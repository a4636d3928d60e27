package org.netroot.server.iscsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.Client;
import org.netroot.server.testing.RawInitiator;

/**
 * Several initiator names per client and shared volumes, over real iSCSI sessions on loopback: a
 * shared volume takes every initiator allowed on its targets at once, any other volume keeps one,
 * and a name no client lists is refused.
 */
class SharedVolumeTest {
    static final String NODE1 = "iqn.1991-05.com.microsoft:node1";
    static final String NODE2 = "iqn.1991-05.com.microsoft:node2";

    @TempDir Path dir;
    IscsiLab lab;

    @BeforeEach
    void start() throws Exception {
        lab = new IscsiLab(dir);
    }

    @AfterEach
    void stop() {
        lab.close();
    }

    static byte[] block(int value) {
        byte[] b = new byte[512];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void bothInitiatorsOfOneClientUseItsSharedVolumeAtOnceAndAStrangerIsRefused() throws Exception {
        Client pc = lab.addSharedClient("cluster", "52:54:00:00:00:01", 1 << 20, List.of(NODE1, NODE2));
        try (RawInitiator a = RawInitiator.login(lab.service.port(), NODE1, pc.targetIqn());
             RawInitiator b = RawInitiator.login(lab.service.port(), NODE2, pc.targetIqn())) {
            a.sendWrite(3, block(0x5a));
            a.awaitWrite();
            assertArrayEquals(block(0x5a), b.read(3, 1), "one volume under both sessions");
            assertEquals(2, lab.service.activeSessions());
        }
        IOException refused = assertThrows(IOException.class,
                () -> RawInitiator.login(lab.service.port(), "iqn.2000-01.example:stranger", pc.targetIqn()));
        assertTrue(refused.getMessage().contains("0x0202"), "authorization failure: " + refused.getMessage());
        assertTrue(lab.awaitEvent(BootEventType.ERROR, "to allow it too: netroot client edit cluster --initiator-iqn " + NODE1
                + " --initiator-iqn " + NODE2 + " --initiator-iqn iqn.2000-01.example:stranger"));
    }

    @Test
    void aTargetColdResetEndsEverySessionOfThatTargetAndAWarmResetNone() throws Exception {
        Client pc = lab.addSharedClient("cluster", "52:54:00:00:00:01", 1 << 20, List.of(NODE1, NODE2));
        Client other = lab.addSharedClient("other", "52:54:00:00:00:02", 1 << 20, List.of("iqn.2000-01.example:other"));
        try (RawInitiator a = RawInitiator.login(lab.service.port(), NODE1, pc.targetIqn());
             RawInitiator b = RawInitiator.login(lab.service.port(), NODE2, pc.targetIqn());
             RawInitiator elsewhere = RawInitiator.login(lab.service.port(), "iqn.2000-01.example:other", other.targetIqn())) {
            assertEquals(0, a.taskManagement(6, -1), "TARGET WARM RESET: function complete");
            IOException attention = assertThrows(IOException.class, () -> b.read(0, 1));
            assertTrue(attention.getMessage().contains("status 2"), "the other session hears of the reset (UNIT ATTENTION): " + attention);
            assertEquals(512, b.read(0, 1).length, "a warm reset ends no session");
            assertEquals(0, a.taskManagement(7, -1), "TARGET COLD RESET: function complete");
            assertTrue(a.closedByTarget(5000), "the asking session ends after its response");
            assertTrue(b.closedByTarget(5000), "so does the other session of the same target");
            assertEquals(512, elsewhere.read(0, 1).length, "another client's target is not touched");
        }
        assertTrue(lab.awaitEvent(BootEventType.ISCSI_LOGOUT, NODE2 + "'s session to " + pc.targetIqn() + " ended: " + NODE1
                + " asked for a target cold reset"));
    }

    @Test
    void aVolumeThatIsNotSharedStaysWithOneInitiatorEvenOfTheSameClient() throws Exception {
        Client pc = lab.addClient("pc1", "52:54:00:00:00:01", 1 << 20);
        lab.clients.update(pc.withInitiatorIqns(List.of(pc.initiatorIqn(), NODE2)));
        try (RawInitiator ipxe = RawInitiator.login(lab.service.port(), pc.initiatorIqn(), pc.targetIqn())) {
            IOException busy = assertThrows(IOException.class,
                    () -> RawInitiator.login(lab.service.port(), NODE2, pc.targetIqn()));
            assertTrue(busy.getMessage().contains("0x0301"), "service unavailable: " + busy.getMessage());
            assertEquals(512, ipxe.read(0, 1).length, "the first one keeps working");
        }
        try (RawInitiator os = RawInitiator.login(lab.service.port(), NODE2, pc.targetIqn())) {
            assertEquals(512, os.read(0, 1).length, "its other name once the volume is free");
        }
    }

    /** A two-node cluster as Netroot clients: each node its own target, both targets' LUN 0 the one shared volume. */
    @Test
    void twoClientsShareOneVolumeEachThroughItsOwnTarget() throws Exception {
        lab.volumes.create("quorum", 1 << 20, "raw");
        lab.volumes.share("quorum", true);
        Client node1 = Client.sanboot("node1", "52:54:00:00:00:01", "quorum").withInitiatorIqns(List.of(NODE1));
        Client node2 = Client.sanboot("node2", "52:54:00:00:00:02", "quorum").withInitiatorIqns(List.of(NODE2));
        lab.clients.add(node1);
        lab.clients.add(node2);
        try (RawInitiator a = RawInitiator.login(lab.service.port(), NODE1, node1.targetIqn());
             RawInitiator b = RawInitiator.login(lab.service.port(), NODE2, node2.targetIqn())) {
            b.sendWrite(7, block(0x77));
            b.awaitWrite();
            assertArrayEquals(block(0x77), a.read(7, 1));
            assertThrows(IOException.class, () -> RawInitiator.login(lab.service.port(), NODE2, node1.targetIqn()),
                    "a node's name opens only its own client's target");
        }
    }
}
