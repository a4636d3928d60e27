package org.netroot.server.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import org.netroot.server.service.ListenAddresses;

/**
 * What the boot HTTP service needs: the addresses it listens on (resolved when it starts, one socket
 * each, all on {@code port}), where iSCSI is, what files it may serve.
 */
public record HttpSettings(ListenAddresses listen, int port, int iscsiPort, Path bootFilesDir, Path ipxeDir) {
    public HttpSettings {
        if (listen == null) throw new IllegalArgumentException("HTTP needs an address to listen on");
    }

    public HttpSettings(List<InetAddress> bindAddresses, int port, int iscsiPort, Path bootFilesDir, Path ipxeDir) {
        this(ListenAddresses.of(bindAddresses), port, iscsiPort, bootFilesDir, ipxeDir);
    }

    /** Listening on one address, e.g. "127.0.0.1" in tests or "0.0.0.0" for every address. */
    public HttpSettings(String bindAddress, int port, int iscsiPort, Path bootFilesDir, Path ipxeDir) {
        this(List.of(address(bindAddress)), port, iscsiPort, bootFilesDir, ipxeDir);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + literal, e);
        }
    }
}
