package org.netroot.server.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.Client;
import org.netroot.server.boot.BootContext;
import org.netroot.server.boot.BootPlan;
import org.netroot.server.boot.BootPlanner;
import org.netroot.server.boot.BootUrls;
import org.netroot.server.boot.HandOver;
import org.netroot.server.boot.InstallProgress.ScriptServed;
import org.netroot.server.boot.IpxeScript;
import org.netroot.server.events.BootEventSink;
import org.netroot.server.events.EventThrottle;
import org.netroot.server.events.PeerDirectory;

/**
 * What the boot HTTP service answers, decided without Netty: per-client iPXE scripts (the
 * {@link BootPlanner}'s plan, written by {@link IpxeScript}), boot assets and iPXE binaries, at the
 * URLs {@link BootUrls} defines.
 */
public final class BootRoutes {
    public sealed interface Answer permits Script, Asset, Failure {
    }

    public record Script(String body) implements Answer {
    }

    /**
     * {@code range} null means the whole file. {@code served}: what the boot event of a whole file
     * names ("asset vmlinuz (kernel), boot mode kernel"), null: the URL. {@code handsOver}: the words
     * of the {@code HANDED_OVER} event once the whole file is sent (the boot leaves the server), or null.
     */
    public record Asset(Path file, long size, ByteRange range, String served, String handsOver) implements Answer {
        public Asset(Path file, long size, ByteRange range, String served) {
            this(file, size, range, served, null);
        }
    }

    public record Failure(int status, String message) implements Answer {
    }

    /** A machine retrying every few seconds gets one timeline entry a minute per kind of refusal. */
    static final java.time.Duration EVENT_EVERY = java.time.Duration.ofMinutes(1);

    private final BootPlanner planner;
    private final PeerDirectory peers;
    private final EventThrottle notReadyEvents;
    private final EventThrottle chapRefusalEvents;
    private final EventThrottle ignoredEvents;
    private final AssetResolver files;
    private final AssetResolver ipxeFiles;
    /** The asset library's folder; null when the planner's catalog has none. */
    private final AssetResolver assetFiles;
    private final BootEventSink events;
    /** Told of every plan served to a client, from its own address and not as a retry (the install's progress). */
    private volatile ScriptServed served = ScriptServed.NONE;

    /**
     * @param files the boot-files folder, served under {@link BootUrls#FILES}
     * @param ipxeFiles the iPXE binaries, served for UEFI HTTP boot clients
     */
    public BootRoutes(BootPlanner planner, PeerDirectory peers, AssetResolver files, AssetResolver ipxeFiles,
                      BootEventSink events) {
        this(planner, peers, files, ipxeFiles, events, System::nanoTime);
    }

    BootRoutes(BootPlanner planner, PeerDirectory peers, AssetResolver files, AssetResolver ipxeFiles,
               BootEventSink events, java.util.function.LongSupplier nanoTime) {
        this.notReadyEvents = new EventThrottle(EVENT_EVERY, nanoTime);
        this.chapRefusalEvents = new EventThrottle(EVENT_EVERY, nanoTime);
        this.ignoredEvents = new EventThrottle(EVENT_EVERY, nanoTime);
        this.planner = planner;
        this.peers = peers;
        this.files = files;
        this.ipxeFiles = ipxeFiles;
        this.assetFiles = planner.assets().folder() == null ? null : new AssetResolver(planner.assets().folder());
        this.events = events;
    }

    /**
     * @param serverBase "http://host[:port]" as the client reached us, for the URLs in scripts
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
        Optional<String> installerMac = BootUrls.installerMac(decoded);
        if (installerMac.isPresent()) return script(installerMac.get(), Request.INSTALLER_AGAIN, serverBase, serverAddress, peer);
        Optional<String> retryMac = BootUrls.retryMac(decoded);
        if (retryMac.isPresent()) return script(retryMac.get(), Request.RETRY, serverBase, serverAddress, peer);
        Optional<String> scriptMac = BootUrls.scriptMac(decoded);
        if (scriptMac.isPresent()) return script(scriptMac.get(), Request.SCRIPT, serverBase, serverAddress, peer);
        Optional<String> assetName = BootUrls.assetName(decoded);
        if (assetName.isPresent()) return libraryAsset(assetName.get(), rangeHeader, peer);
        if (decoded.startsWith(BootUrls.FILES)) {
            return asset(files, decoded.substring(BootUrls.FILES.length()), rangeHeader);
        }
        if (decoded.startsWith(BootUrls.IPXE_BINARIES)) {
            Answer answer = asset(ipxeFiles, decoded.substring(BootUrls.IPXE_BINARIES.length()), rangeHeader);
            // only UEFI HTTP Boot firmware is sent here (DHCP hands out this URL): its boot step, by URL
            if (answer instanceof Asset found) {
                return new Asset(found.file(), found.size(), found.range(), "UEFI HTTP Boot, iPXE binary "
                        + serverBase + decoded);
            }
            return answer;
        }
        return new Failure(404, "not found");
    }

    /**
     * Which script URL was asked for: the script, the install script's way back to its installer when
     * the volume did not boot, or a failed script's retry (the same plan, but no news of a boot).
     */
    private enum Request { SCRIPT, INSTALLER_AGAIN, RETRY }

    private Answer script(String macText, Request request, String serverBase, String serverAddress,
                          InetAddress peer) {
        boolean installerAgain = request == Request.INSTALLER_AGAIN;
        String mac;
        try {
            mac = Client.normalizeMac(macText);
        } catch (IllegalArgumentException e) {
            return new Failure(404, "not a MAC address: " + macText);
        }
        BootContext ctx = new BootContext(mac, peer.getHostAddress(), serverAddress, serverBase);
        Optional<Client> client = planner.client(mac);
        if (client.isPresent() && client.get().bootMode() == BootMode.IGNORE) {
            if (ignoredEvents.allow(mac)) {
                events.record(BootEvent.of(mac, BootEventType.IGNORED, "script not served: client "
                        + client.get().name() + " is in boot mode ignore"));
            }
            return new Failure(404, "no script for " + mac + ": it is ignored on purpose");
        }
        // the link layer's word on the peer, read once per request (a /proc read on the event loop)
        boolean anotherMachineThere = peers.contradicted(peer, mac);
        if (client.isPresent() && client.get().usesChap() && !mayReceiveSecrets(mac, peer, anotherMachineThere)) {
            Client c = client.get();
            // iPXE retries a refused script: one timeline entry a minute per MAC and what DHCP knows of
            // it (a new sighting is news to the admin), like the unknown machine's
            String knownAs = peers.addressOf(mac).map(InetAddress::getHostAddress).orElse("unseen")
                    + (peers.recentAddressOf(mac).isPresent() ? "" : " stale");
            if (chapRefusalEvents.allow(mac + " " + knownAs)) {
                events.record(BootEvent.of(mac, BootEventType.ERROR, "refused the script of CHAP client " + c.name()
                        + " (it carries the secret) to " + peer.getHostAddress() + ": " + whyRefused(mac, peer)));
            }
            return new Failure(403, "the script of " + mac + " is served only to the address DHCP gave or saw"
                    + " that MAC at within the last " + PeerDirectory.RECENT.toMinutes() + " minutes");
        }
        // a TCP connection from where DHCP just saw the MAC: the sighting is the machine's own (NBD in proxy mode needs it)
        if (!anotherMachineThere) peers.scriptFetched(peer, mac);
        BootPlan plan = installerAgain ? planner.installerAgain(ctx) : planner.plan(ctx);
        if (plan instanceof BootPlan.NotReady n) {
            // the machine retries every few seconds: one timeline entry a minute is enough
            if (notReadyEvents.allow(mac)) {
                events.record(BootEvent.of(mac, BootEventType.ERROR, client.isEmpty()
                        ? "script requested by a machine that is not set up" : "script of " + n.summary()));
            }
        } else {
            String as = switch (request) {
                case SCRIPT -> "";
                case INSTALLER_AGAIN -> "installer again: ";
                case RETRY -> "retry: ";
            };
            events.record(BootEvent.of(mac, BootEventType.SCRIPT_SERVED, as + plan.summary()));
            // what may move the client's install along: a request from where DHCP saw its MAC recently (a PXE
            // boot does its DHCP seconds before); one DHCP did not see lately (no DHCP service here) is left
            // to the install's own rule, the address that began it
            // (and never one the link layer shows another machine behind); what may move the install to a new
            // address: DHCP saw the MAC there within the last two minutes (the boot's own DHCP, seconds before)
            Optional<InetAddress> dhcpSaw = peers.recentAddressOf(mac);
            boolean fromThere = dhcpSaw.isPresent() && dhcpSaw.get().equals(peer) && !anotherMachineThere;
            if (dhcpSaw.isEmpty() || fromThere) {
                boolean justNow = fromThere && peers.addressSeenWithin(mac, INSTALL_REPIN_WITHIN).filter(peer::equals).isPresent();
                client.ifPresent(c -> served.served(c, plan, peer, justNow, request == Request.RETRY));
            }
            String handsOver = HandOver.afterScript(plan);
            if (handsOver != null) events.record(BootEvent.of(mac, BootEventType.HANDED_OVER, handsOver));
        }
        String who = client.map(c -> c.name() + " (" + mac + ")").orElse(null);
        return new Script(IpxeScript.write(plan, who, ctx.retryUrl()));
    }

    /** How fresh a DHCP sighting must be to move a client's install to the address it was seen at. */
    static final java.time.Duration INSTALL_REPIN_WITHIN = java.time.Duration.ofMinutes(2);

    /** Who hears of every plan served to a client (see {@link #served}). */
    public BootRoutes servedTo(ScriptServed listener) {
        this.served = listener;
        return this;
    }

    /**
     * The script of a CHAP client carries its secrets: hand them only to the address DHCP gave or
     * saw that MAC at recently (kept across restarts; a PXE boot does its DHCP seconds before this
     * request). A MAC DHCP never saw, or saw long ago, gets nothing: anyone can type a MAC into a
     * URL, and an old address may belong to another machine by now.
     */
    private boolean mayReceiveSecrets(String mac, InetAddress peer, boolean anotherMachineThere) {
        return !anotherMachineThere && peers.recentAddressOf(mac).filter(a -> a.equals(peer)).isPresent();
    }

    private String whyRefused(String mac, InetAddress peer) {
        Optional<String> other = peers.linkShowsInstead(peer, mac);
        if (other.isPresent()) {
            return "the network shows another machine (" + other.get() + ") at " + peer.getHostAddress()
                    + ", not " + mac + ": a forged DHCP request with this client's MAC?";
        }
        Optional<InetAddress> known = peers.addressOf(mac);
        if (known.isEmpty()) {
            return "DHCP has not seen " + mac + " at any address yet; boot it through Netroot's DHCP (proxy or full)"
                    + " so its address is known";
        }
        if (peers.recentAddressOf(mac).isEmpty()) {
            return "DHCP last saw " + mac + " at " + known.get().getHostAddress() + " more than "
                    + PeerDirectory.RECENT.toMinutes() + " minutes ago (" + peers.lastSeen(mac).orElse(null)
                    + "); boot it again through Netroot's DHCP";
        }
        return "DHCP last saw " + mac + " at " + known.get().getHostAddress();
    }

    /**
     * An asset of the library, by name only: a name the library does not hold (a path, {@code ..}, a
     * part file being copied) is not found, whatever lies in the folder.
     */
    private Answer libraryAsset(String name, String rangeHeader, InetAddress peer) {
        Optional<org.netroot.server.api.Asset> a = org.netroot.server.api.Asset.isValidName(name)
                ? planner.assets().byName(name) : Optional.empty();
        if (a.isEmpty() || assetFiles == null) return new Failure(404, "the library has no asset named " + name);
        String mac = peers.macOrNull(peer);
        String mode = mac == null ? "" : planner.modeOf(mac).map(m -> ", boot mode " + m.id()).orElse("");
        Answer answer = asset(assetFiles, name, rangeHeader);
        if (answer instanceof Asset found) {
            String handsOver = mac == null ? null : HandOver.afterAsset(planner.client(mac).orElse(null), name);
            return new Asset(found.file(), found.size(), found.range(), "asset " + name + " (" + a.get().kind().id() + ")"
                    + mode, handsOver);
        }
        return answer;
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
                    case ByteRange.Whole w -> new Asset(f.file(), size, null, null);
                    case ByteRange.Partial p -> new Asset(f.file(), size, p.range(), null);
                    case ByteRange.Unsatisfiable u -> new Failure(416, "bytes */" + size);
                };
            }
        };
    }
}
