package org.netroot.server.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.DhcpProbeResult;
import org.netroot.server.api.NetworkInterfaceInfo;
import org.netroot.server.api.ServerSettings;
import org.netroot.server.testing.Processes;
import org.netroot.server.testing.VethNetwork;

/** The wizard's advice on a real network: proxy beside a DHCP server that answers, full with a range when none does. */
class NetworkSetupTest {
    @TempDir
    Path tmp;

    @Test
    void recommendsFullWithARangeWhenNoneAnswersAndProxyBesideDnsmasq() throws Exception {
        assumeTrue(Processes.isRoot(), "needs root: network namespaces and the DHCP client port 68");
        assumeTrue(Processes.has("dnsmasq"), "needs dnsmasq (Debian: dnsmasq-base)");
        try (VethNetwork net = VethNetwork.create("ns", tmp)) {
            NetworkInterfaceInfo nif = NetworkSetup.interfaces(false).stream()
                    .filter(i -> i.name().equals(net.hostInterface())).findFirst().orElseThrow();
            assertEquals(net.address(1), nif.ipv4());
            assertEquals(24, nif.prefixLength());
            assertTrue(nif.servable(), nif.toString());

            DhcpProbeResult none = NetworkSetup.probe(net.hostInterface(), Duration.ofMillis(800));
            assertFalse(none.answered());
            assertEquals(ServerSettings.FULL, none.recommendedMode());
            assertEquals(net.address(100), none.suggestedRangeStart());
            assertEquals(net.address(200), none.suggestedRangeEnd());
            assertNull(none.problem());

            net.startDnsmasq();
            DhcpProbeResult found = NetworkSetup.probe(net.hostInterface(), Duration.ofSeconds(2));
            assertTrue(found.answered(), found.toString());
            assertEquals(ServerSettings.PROXY, found.recommendedMode());
            assertEquals(net.address(2), found.serverAddress());
            assertEquals("Your router " + net.address(2) + " hands out addresses on " + net.hostInterface()
                    + "; Netroot adds the boot information only (proxy mode).", found.explanation());
        }
    }
}
