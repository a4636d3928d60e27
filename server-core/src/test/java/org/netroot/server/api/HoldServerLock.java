package org.netroot.server.api;

import java.nio.file.Path;

/** A server that took the lock and announced itself, then hangs (until killed): {@code DATA}. Prints LOCKED. */
public final class HoldServerLock {
    private HoldServerLock() {
    }

    public static void main(String[] args) throws Exception {
        ServerStartup.lock(Path.of(args[0]));
        ServerStartup.announce(Path.of(args[0]));
        System.out.println("LOCKED");
        System.out.flush();
        Thread.sleep(60_000);
    }
}
