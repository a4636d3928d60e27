package org.netroot.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.Client;

class IpxeScriptBuilderTest {
    private static final String SELF = "http://198.18.0.1/boot/52:54:00:00:00:01.ipxe";

    @Test
    void sanbootScriptStartsWithShebangAndBootsTheClientsTargetAsLunZero() {
        String s = IpxeScriptBuilder.sanboot(Client.sanboot("c1", "52:54:00:00:00:01", "v1"), "198.18.0.1", 3260, SELF);
        assertTrue(s.startsWith("#!ipxe\n"), s);
        assertTrue(s.contains("\nset initiator-iqn iqn.2026-01.org.netroot:initiator:c1\n"), s);
        assertTrue(s.contains("\nsanboot iscsi:198.18.0.1::::iqn.2026-01.org.netroot:c1 || goto failed\n"), s);
        assertFalse(s.contains("password"), "no CHAP without a secret: " + s);
        assertTrue(s.contains("chain --replace " + SELF), "a failed boot retries instead of hanging: " + s);
    }

    @Test
    void chapAndMutualChapGoIntoTheScriptNotDhcp() {
        Client c = new Client("c1", "52:54:00:00:00:01", "v1", BootMode.SANBOOT, null, "alice", "secret-123456",
                null, "target-secret-1", null);
        String s = IpxeScriptBuilder.sanboot(c, "198.18.0.1", 3260, SELF);
        assertTrue(s.contains("\nset username alice\nset password secret-123456\n"), s);
        assertTrue(s.contains("\nset reverse-username iqn.2026-01.org.netroot:c1\nset reverse-password target-secret-1\n"), s);
    }

    @Test
    void aNonStandardIscsiPortIsInTheRootPath() {
        assertEquals("iscsi:10.0.0.1::3261::iqn.x:y", IpxeScriptBuilder.rootPath("10.0.0.1", 3261, "iqn.x:y"));
        assertEquals("iscsi:10.0.0.1::::iqn.x:y", IpxeScriptBuilder.rootPath("10.0.0.1", 3260, "iqn.x:y"));
    }

    @Test
    void unknownMachineIsToldOnScreenHowToAddItAndRetries() {
        String s = IpxeScriptBuilder.unknownClient("52:54:00:00:00:09", SELF);
        assertTrue(s.startsWith("#!ipxe\n"));
        assertTrue(s.contains("netroot client add NAME --mac 52:54:00:00:00:09"), s);
        assertTrue(s.contains("\nsleep 10\nchain --replace " + SELF + "\n"), s);
    }
}
