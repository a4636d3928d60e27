package org.netroot.app.testing;

import org.netroot.server.dhcp.DhcpMode;
import org.netroot.server.runtime.NetrootServer;
import org.netroot.server.runtime.ServerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A real Netroot server on loopback for the app's tests: DHCP off, every port picked by the OS. */
public final class TestServer implements AutoCloseable {
    private final Path dataDir;
    private final NetrootServer server;

    private TestServer(Path dataDir, NetrootServer server) {
        this.dataDir = dataDir;
        this.server = server;
    }

    public static TestServer start(Path dataDir) throws Exception {
        return start(dataDir, loopback(dataDir));
    }

    public static TestServer start(Path dataDir, ServerConfig config) throws Exception {
        return new TestServer(dataDir, NetrootServer.start(config));
    }

    public static ServerConfig loopback(Path dataDir) throws IOException {
        Path ipxe = Files.createDirectories(dataDir.resolveSibling(dataDir.getFileName() + "-ipxe"));
        return new ServerConfig(dataDir, List.of(), DhcpMode.OFF, null, null, null, 0, 0, 0, 0, 0, 0, ipxe, null, 3600);
    }

    public Path dataDir() {
        return dataDir;
    }

    public NetrootServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
