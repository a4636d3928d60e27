package org.netroot.server.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.netroot.server.dhcp.DhcpMode;
import org.netroot.server.dhcp.DhcpPacket;
import org.netroot.server.dhcp.DhcpSettings;
import org.netroot.server.boot.IpxeBinaries;
import org.netroot.server.tftp.TftpSettings;

class ServiceSettingsTest {
    private static ServerConfig config(DhcpMode mode, String start, String end) {
        return new ServerConfig(Path.of("data"), List.of("br0", "eth1"), mode,
                start == null ? null : DhcpPacket.ipv4(start), end == null ? null : DhcpPacket.ipv4(end), null,
                0, 0, 69, 8080, 3260, 7067, null, null, 0);
    }

    @Test
    void fromServerConfigFillsTheDefaults() {
        DhcpSettings s = ServiceSettings.dhcp(config(DhcpMode.PROXY, null, null));
        assertEquals(List.of("br0", "eth1"), s.interfaces());
        assertEquals(DhcpMode.PROXY, s.mode());
        assertEquals(67, s.serverPort());
        assertEquals(4011, s.proxyPort());
        assertEquals(8080, s.httpPort());
        assertEquals(3600, s.leaseSeconds());
        assertEquals(Path.of("/usr/lib/ipxe"), s.ipxeDir());
        assertNull(s.serverAddress(), "null: each interface's own first IPv4 address");
        assertNull(s.router());
        assertEquals(List.of(), s.dns());
    }

    @Test
    void nbdListensWhereTheOthersDoOnItsOwnPort() {
        assertEquals(10809, ServiceSettings.nbd(config(DhcpMode.PROXY, null, null)).port(),
                "no NBD port given: the IANA port, as nbd-client, dracut and qemu expect");
        ServerConfig tests = new ServerConfig(Path.of("data"), List.of(), DhcpMode.OFF, null, null, null, 0, 0, 0, 0, 0, 0,
                null, null, 0);
        assertEquals(0, ServiceSettings.nbd(tests).port(), "every port from the OS: NBD's too");
        ServerConfig chosen = new ServerConfig(Path.of("data"), List.of(), DhcpMode.OFF, null, null, null, 67, 4011, 69,
                80, 3260, 7067, null, null, 3600, null, List.of(), true, 10810);
        assertEquals(10810, ServiceSettings.nbd(chosen).port());
        assertEquals(List.of("0.0.0.0"), ServiceSettings.nbd(chosen).listen().resolve().stream()
                .map(java.net.InetAddress::getHostAddress).toList(), "--listen-all");
        assertEquals(10810, SettingsFile.apply(chosen, new org.netroot.server.api.ServerSettings(List.of("eth0"), "PROXY",
                null, null, null, List.of(), null, null)).nbdPort(), "saved settings keep the NBD port");
        assertThrows(IllegalArgumentException.class, () -> new ServerConfig(Path.of("data"), List.of(), DhcpMode.OFF, null,
                null, null, 0, 0, 0, 0, 0, 0, null, null, 0, null, List.of(), false, 70000));
    }

    @Test
    void routerAndDnsServersComeFromServerConfig() {
        ServerConfig c = new ServerConfig(Path.of("data"), List.of("br0"), DhcpMode.FULL,
                DhcpPacket.ipv4("10.0.0.10"), DhcpPacket.ipv4("10.0.0.20"), null, 0, 0, 69, 80, 3260, 7067, null, null,
                0, DhcpPacket.ipv4("10.0.0.1"), List.of(DhcpPacket.ipv4("10.0.0.53"), DhcpPacket.ipv4("9.9.9.9")));
        DhcpSettings s = ServiceSettings.dhcp(c);
        assertEquals(DhcpPacket.ipv4("10.0.0.1"), s.router());
        assertEquals(List.of(DhcpPacket.ipv4("10.0.0.53"), DhcpPacket.ipv4("9.9.9.9")), s.dns());
    }

    @Test
    void fullModeNeedsARangeAndOffHasNoSettings() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ServiceSettings.dhcp(config(DhcpMode.FULL, null, null)));
        assertTrue(e.getMessage().contains("--range"), e.getMessage());
        DhcpSettings full = ServiceSettings.dhcp(config(DhcpMode.FULL, "10.0.0.10", "10.0.0.20"));
        assertEquals("10.0.0.10", full.rangeStart().getHostAddress());
        assertThrows(IllegalArgumentException.class, () -> ServiceSettings.dhcp(config(DhcpMode.OFF, null,
                null)));
    }

    static ServerConfig tftpConfig(Path ipxe, Path bootFiles) {
        return new ServerConfig(Path.of("/data"), List.of(), DhcpMode.OFF, null, null, null,
                67, 4011, 6969, 80, 3260, 7067, ipxe, bootFiles, 3600);
    }

    @Test
    void rootsAreTheIpxeFolderThenTheBootFiles() {
        TftpSettings both = ServiceSettings.tftp(tftpConfig(Path.of("/opt/ipxe"), Path.of("/srv/boot")));
        assertEquals(List.of(Path.of("/opt/ipxe"), Path.of("/srv/boot")), both.roots());
        assertEquals(6969, both.port());
        // no interface named: every local IPv4 address, each with its own socket (a transfer answers from its request's)
        assertTrue(both.listen().resolve().contains(java.net.InetAddress.getLoopbackAddress()), both.listen().resolve().toString());
        assertTrue(both.listen().resolve().stream().noneMatch(java.net.InetAddress::isAnyLocalAddress));
        assertEquals(List.of(IpxeBinaries.DEFAULT_DIR), ServiceSettings.tftp(tftpConfig(null, null)).roots());
    }

}
