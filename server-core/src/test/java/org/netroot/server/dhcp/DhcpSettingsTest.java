package org.netroot.server.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.netroot.server.service.ServerConfig;

class DhcpSettingsTest {
    private static ServerConfig config(ServerConfig.DhcpMode mode, String start, String end) {
        return new ServerConfig(Path.of("data"), List.of("br0", "eth1"), mode,
                start == null ? null : DhcpPacket.ipv4(start), end == null ? null : DhcpPacket.ipv4(end), null,
                0, 0, 69, 8080, 3260, 7067, null, null, 0);
    }

    @Test
    void fromServerConfigFillsTheDefaults() {
        DhcpSettings s = DhcpSettings.from(config(ServerConfig.DhcpMode.PROXY, null, null));
        assertEquals(List.of("br0", "eth1"), s.interfaces());
        assertEquals(DhcpMode.PROXY, s.mode());
        assertEquals(67, s.serverPort());
        assertEquals(4011, s.proxyPort());
        assertEquals(8080, s.httpPort());
        assertEquals(3600, s.leaseSeconds());
        assertEquals(Path.of("/usr/lib/ipxe"), s.ipxeDir());
        assertNull(s.serverAddress(), "null: each interface's own first IPv4 address");
        assertNull(s.router());
    }

    @Test
    void fullModeNeedsARangeAndOffHasNoSettings() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> DhcpSettings.from(config(ServerConfig.DhcpMode.FULL, null, null)));
        assertTrue(e.getMessage().contains("--range"), e.getMessage());
        DhcpSettings full = DhcpSettings.from(config(ServerConfig.DhcpMode.FULL, "10.0.0.10", "10.0.0.20"));
        assertEquals("10.0.0.10", full.rangeStart().getHostAddress());
        assertThrows(IllegalArgumentException.class, () -> DhcpSettings.from(config(ServerConfig.DhcpMode.OFF, null,
                null)));
    }

    @Test
    void anUnknownInterfaceIsNamedWhenStarting() {
        DhcpSettings settings = new DhcpSettings(List.of("nr-nosuch0"), DhcpMode.PROXY, null, null, null, null, 0,
                0, 0, 0, null);
        DhcpService service = new DhcpService(settings, null, null, e -> { }, new org.netroot.server.events.PeerDirectory(),
                new org.netroot.server.service.InputErrors());
        var e = assertThrows(IllegalStateException.class, service::start);
        assertTrue(e.getMessage().contains("no network interface named nr-nosuch0"), e.getMessage());
        assertTrue(!service.isRunning());
    }

    /** Wire format and decisions stay plain Java: only the binding class may import Netty. */
    @Test
    void onlyTheServiceClassImportsNetty() throws IOException {
        Path dir = Path.of("src/main/java/org/netroot/server/dhcp");
        try (Stream<Path> files = Files.list(dir)) {
            List<String> offenders = files.filter(f -> !f.getFileName().toString().equals("DhcpService.java"))
                    .filter(f -> {
                        try {
                            return Files.readString(f).contains("import io.netty");
                        } catch (IOException ex) {
                            throw new java.io.UncheckedIOException(ex);
                        }
                    }).map(f -> f.getFileName().toString()).toList();
            assertEquals(List.of(), offenders);
        }
        assertTrue(Files.readString(dir.resolve("DhcpService.java")).contains("import io.netty"));
    }
}
