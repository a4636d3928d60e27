package org.netroot.server.dhcp;

import java.net.Inet4Address;
import java.util.Optional;
import org.netroot.server.api.Client;
import org.netroot.server.boot.BootFile;
import org.netroot.server.boot.BootPlanner;
import org.netroot.server.boot.BootUrls;
import org.netroot.server.boot.IpxeBinaries;

/**
 * DHCP's part of the boot decision: a machine the planner ignores gets no answer; iPXE gets its
 * per-client script URL; firmware gets the iPXE binary for its architecture (the boot package picks
 * it). Telling iPXE apart from firmware by user class keeps a client from loading iPXE again and again.
 */
public final class BootFileChooser {
    private final IpxeBinaries binaries;
    private final BootPlanner planner;
    private final int httpPort;

    public BootFileChooser(IpxeBinaries binaries, int httpPort) {
        this(binaries, BootPlanner.none(), httpPort);
    }

    public BootFileChooser(IpxeBinaries binaries, BootPlanner planner, int httpPort) {
        this.binaries = binaries;
        this.planner = planner;
        this.httpPort = httpPort;
    }

    public BootFile choose(BootRequest request, Inet4Address server) {
        Optional<String> ignored = ignoredBecause(request);
        if (ignored.isPresent()) return BootFile.ignored(ignored.get());
        String httpBase = BootUrls.httpBase(server.getHostAddress(), httpPort);
        if (request.ipxe()) return BootFile.of(BootUrls.script(httpBase, request.mac()));
        return binaries.forFirmware(request.architecture(), request.httpClient(), httpBase,
                request.describeArchitecture());
    }

    /** Why a network-boot request gets no answer at all, when it gets none: its client is in boot mode ignore. */
    public Optional<String> ignoredBecause(BootRequest request) {
        if (!request.wantsBoot() || !planner.ignores(request.mac())) return Optional.empty();
        return Optional.of("client " + planner.client(request.mac()).map(Client::name).orElse(request.mac())
                + " is in boot mode ignore: no answer to its network-boot request, on purpose");
    }
}
