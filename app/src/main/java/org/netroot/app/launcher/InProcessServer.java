package org.netroot.app.launcher;

import org.netroot.app.connection.ServerStarter;
import org.netroot.server.boot.IpxeBinaries;
import org.netroot.server.dhcp.DhcpMode;
import org.netroot.server.runtime.NetrootServer;
import org.netroot.server.runtime.ServerConfig;
import org.netroot.server.runtime.SettingsFile;
import org.netroot.server.service.PrivilegeCheck;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Netroot server inside the app's process, for a data folder no server runs for. The only class
 * of the app that touches the server's runtime (ArchUnit holds it): views reach the server through
 * the API like any other client.
 */
public final class InProcessServer implements ServerStarter {
    private final Path dataDir;
    private NetrootServer server;

    public InProcessServer(Path dataDir) {
        this.dataDir = dataDir;
    }

    /**
     * What the server is told: the default ports, and the settings the wizard saved in the data folder
     * (interfaces, DHCP mode and range, iPXE folder); DHCP off until it chose an interface.
     */
    ServerConfig config() {
        ServerConfig defaults = new ServerConfig(dataDir, List.of(), DhcpMode.OFF, null, null, null, 67, 4011, 69, 80,
                3260, ServerConfig.DEFAULT_CONTROL_PORT, IpxeBinaries.DEFAULT_DIR, null, 3600);
        return SettingsFile.read(dataDir).map(saved -> SettingsFile.apply(defaults, saved)).orElse(defaults);
    }

    @Override
    public Optional<String> privilegeProblem() {
        ServerConfig c = config();
        Map<String, Integer> ports = new LinkedHashMap<>();
        if (c.dhcpMode() != DhcpMode.OFF && !c.interfaces().isEmpty()) {
            ports.put(c.dhcpPort() + "/udp (DHCP)", c.dhcpPort());
            if (c.dhcpMode() == DhcpMode.PROXY) ports.put(c.proxyDhcpPort() + "/udp (PXE boot server)", c.proxyDhcpPort());
        }
        ports.put(c.tftpPort() + "/udp (TFTP)", c.tftpPort());
        ports.put(c.httpPort() + "/tcp (HTTP)", c.httpPort());
        ports.put(c.iscsiPort() + "/tcp (iSCSI)", c.iscsiPort());
        ports.put(c.nbdPort() + "/tcp (NBD)", c.nbdPort());
        return PrivilegeCheck.problem(ports);
    }

    @Override
    public synchronized void start() throws Exception {
        if (server != null) return;
        server = NetrootServer.start(config());
    }

    @Override
    public synchronized boolean running() {
        return server != null;
    }

    @Override
    public synchronized void stop() {
        if (server == null) return;
        server.close();
        server = null;
    }
}
