package org.netroot.server.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DhcpSettingsTest {
    @Test
    void anUnknownInterfaceIsNamedWhenStarting() {
        DhcpSettings settings = new DhcpSettings(List.of("nr-nosuch0"), DhcpMode.PROXY, null, null, null, null, null, 0,
                0, 0, 0, null);
        DhcpService service = new DhcpService(settings, null, null, null, e -> { }, new org.netroot.server.events.PeerDirectory(),
                new org.netroot.server.service.InputErrors());
        var e = assertThrows(IllegalStateException.class, service::start);
        assertTrue(e.getMessage().contains("no network interface named nr-nosuch0"), e.getMessage());
        assertTrue(!service.isRunning());
    }

    /** Wire format and decisions stay plain Java: only the binding classes (service, channel handler, the probe's socket) import Netty. */
    @Test
    void onlyTheBindingClassesImportNetty() throws IOException {
        Path dir = Path.of("src/main/java/org/netroot/server/dhcp");
        try (Stream<Path> files = Files.list(dir)) {
            List<String> offenders = files.filter(f -> !List.of("DhcpService.java", "DhcpChannelHandler.java", "ProbeSocket.java")
                    .contains(f.getFileName().toString()))
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
