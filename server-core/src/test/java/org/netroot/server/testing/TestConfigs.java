package org.netroot.server.testing;

import java.nio.file.Path;
import java.util.List;
import org.netroot.server.runtime.ServerConfig;

/** Server configurations for tests on loopback: DHCP off, every port picked by the OS. */
public final class TestConfigs {
    private TestConfigs() {
    }

    public static ServerConfig loopback(Path dataDir, Path ipxeDir) {
        return new ServerConfig(dataDir, List.of(), org.netroot.server.dhcp.DhcpMode.OFF, null, null, null, 0, 0, 0, 0, 0, 0,
                ipxeDir, null, 3600);
    }

    /** As {@link #loopback}, listening on the addresses of the served {@code interfaces}, or on every address. */
    public static ServerConfig listening(Path dataDir, Path ipxeDir, List<String> interfaces, boolean listenAll) {
        return new ServerConfig(dataDir, interfaces, org.netroot.server.dhcp.DhcpMode.OFF, null, null, null, 0, 0, 0, 0,
                0, 0, ipxeDir, null, 3600, null, List.of(), listenAll);
    }
}
