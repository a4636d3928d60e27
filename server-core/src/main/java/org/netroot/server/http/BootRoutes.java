package org.netroot.server.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.Client;
import org.netroot.server.events.BootEventSink;
import org.netroot.server.events.PeerDirectory;

/**
 * What the boot HTTP service answers, decided without Netty: per-client iPXE scripts under
 * /boot/ and boot assets under /files/, iPXE binaries under /ipxe/.
 */
public final class BootRoutes {
    public sealed interface Answer permits Script, Asset, Failure {
    }

    public record Script(String body) implements Answer {
    }

    /** {@code range} null means the whole file. */
    public record Asset(Path file, long size, ByteRange range) implements Answer {
    }

    public record Failure(int status, String message) implements Answer {
    }

    private static final long UNKNOWN_CLIENT_EVENT_EVERY_MS = 60_000;

    private final Function<String, Optional<Client>> clientByMac;
    private final PeerDirectory peers;
    private final ConcurrentHashMap<String, Long> lastUnknownEvent = new ConcurrentHashMap<>();
    private final AssetResolver assets;
    private final AssetResolver ipxeFiles;
    private final int iscsiPort;
    private final BootEventSink events;

    /** @param ipxeFiles the iPXE binaries, served under /ipxe/ for UEFI HTTP boot clients */
    public BootRoutes(Function<String, Optional<Client>> clientByMac, PeerDirectory peers, AssetResolver assets,
                      AssetResolver ipxeFiles, int iscsiPort, BootEventSink events) {
        this.clientByMac = clientByMac;
        this.peers = peers;
        this.assets = assets;
        this.ipxeFiles = ipxeFiles;
        this.iscsiPort = iscsiPort;
        this.events = events;
    }

    /**
     * @param serverBase "http://host[:port]" as the client reached us, for retry URLs
     * @param serverAddress our address on the client's network, for the iSCSI root path
     * @param peer the requester's address
     */
    public Answer answer(String method, String uri, String rangeHeader, String serverBase, String serverAddress,
                         InetAddress peer) {
        if (!method.equals("GET") && !method.equals("HEAD")) return new Failure(405, "only GET and HEAD are served");
        String path = uri;
        int q = path.indexOf('?');
        if (q >= 0) path = path.substring(0, q);
        String decoded;
        try {
            decoded = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new Failure(400, "bad URL encoding");
        }
        if (decoded.startsWith("/boot/") && decoded.endsWith(".ipxe")) {
            return script(decoded.substring(6, decoded.length() - 5), serverBase, serverAddress, peer);
        }
        if (decoded.startsWith("/files/")) return asset(assets, decoded.substring(7), rangeHeader);
        if (decoded.startsWith("/ipxe/")) return asset(ipxeFiles, decoded.substring(6), rangeHeader);
        return new Failure(404, "not found");
    }

    private Answer script(String macText, String serverBase, String serverAddress, InetAddress peer) {
        String mac;
        try {
            mac = Client.normalizeMac(macText);
        } catch (IllegalArgumentException e) {
            return new Failure(404, "not a MAC address: " + macText);
        }
        String self = serverBase + "/boot/" + mac + ".ipxe";
        Optional<Client> client = clientByMac.apply(mac);
        if (client.isEmpty()) {
            // the unknown machine retries every few seconds: one timeline entry a minute is enough
            long now = System.currentTimeMillis();
            Long last = lastUnknownEvent.get(mac);
            if (last == null || now - last > UNKNOWN_CLIENT_EVENT_EVERY_MS) {
                lastUnknownEvent.put(mac, now);
                if (lastUnknownEvent.size() > 10_000) lastUnknownEvent.clear();
                events.record(BootEvent.of(mac, BootEventType.ERROR, "script requested by a machine that is not set up"));
            }
            return new Script(IpxeScriptBuilder.unknownClient(mac, self));
        }
        Client c = client.get();
        if (c.usesChap() && !mayReceiveSecrets(mac, peer)) {
            events.record(BootEvent.of(mac, BootEventType.ERROR, "refused the CHAP secrets of " + c.name() + " to "
                    + peer.getHostAddress() + ", which DHCP did not see as " + mac));
            return new Failure(403, "this address is not the one DHCP gave " + mac);
        }
        events.record(BootEvent.of(mac, BootEventType.SCRIPT_SERVED, "sanboot " + c.targetIqn()));
        return new Script(IpxeScriptBuilder.sanboot(c, serverAddress, iscsiPort, self));
    }

    /**
     * The script of a CHAP client carries its secrets: hand them only to the address DHCP saw that
     * MAC at. When our DHCP never saw the requester nor the MAC (DHCP off, another server), we
     * cannot tell and serve it, as a plain web server would.
     */
    private boolean mayReceiveSecrets(String mac, InetAddress peer) {
        String seen = peers.macOrNull(peer);
        if (seen != null) return seen.equals(mac);
        return !peers.knowsMac(mac);
    }

    private static Answer asset(AssetResolver folder, String relative, String rangeHeader) {
        return switch (folder.resolve(relative)) {
            case AssetResolver.Refused r -> new Failure(403, r.reason());
            case AssetResolver.Missing m -> new Failure(404, "no such file: " + relative);
            case AssetResolver.Found f -> {
                long size;
                try {
                    size = Files.size(f.file());
                } catch (IOException e) {
                    yield new Failure(404, "cannot read " + relative);
                }
                yield switch (ByteRange.parse(rangeHeader, size)) {
                    case ByteRange.Whole w -> new Asset(f.file(), size, null);
                    case ByteRange.Partial p -> new Asset(f.file(), size, p.range());
                    case ByteRange.Unsatisfiable u -> new Failure(416, "bytes */" + size);
                };
            }
        };
    }
}
