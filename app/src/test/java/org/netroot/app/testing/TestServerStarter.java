package org.netroot.app.testing;

import org.netroot.app.connection.ServerStarter;

import java.nio.file.Path;
import java.util.Optional;

/** A "start server" for the window that starts a {@link TestServer} (loopback, OS-picked ports). */
public final class TestServerStarter implements ServerStarter {
    private final Path dataDir;
    private TestServer server;

    public TestServerStarter(Path dataDir) {
        this.dataDir = dataDir;
    }

    @Override
    public Optional<String> privilegeProblem() {
        return Optional.empty();
    }

    @Override
    public synchronized void start() throws Exception {
        if (server == null) server = TestServer.start(dataDir);
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
