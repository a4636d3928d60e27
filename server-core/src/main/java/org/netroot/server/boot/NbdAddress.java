package org.netroot.server.boot;

/**
 * Where a client finds its volume over NBD: the server's address and the NBD port (the one place
 * the port is written; the NBD service listens on it). The export name is the volume's name.
 */
public record NbdAddress(String host, int port) {
    /** IANA's port for NBD. */
    public static final int DEFAULT_PORT = 10809;

    public static NbdAddress of(String host) {
        return new NbdAddress(host, DEFAULT_PORT);
    }

    /** "host:port", as nbdroot= and nbd-client take it. */
    @Override
    public String toString() {
        return host + ":" + port;
    }
}
