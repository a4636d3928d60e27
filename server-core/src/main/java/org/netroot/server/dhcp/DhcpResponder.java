package org.netroot.server.dhcp;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.events.BootEventSink;
import org.netroot.server.events.DiscoverySink;
import org.netroot.server.events.FirmwareSink;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.InputErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One datagram in, at most one reply out: parses, drops garbage (counted through {@link InputErrors}),
 * records the request, and hands it to the proxy or full responder. No sockets here: the Netty
 * binding ({@link DhcpService}) and the tests call {@link #handle} with bytes.
 */
public final class DhcpResponder {
    private static final Logger log = LoggerFactory.getLogger(DhcpResponder.class);

    private final DhcpMode mode;
    private final ProxyDhcpResponder proxy;
    private final FullDhcpResponder full;
    private final BootEventSink events;
    private final PeerDirectory peers;
    private final InputErrors errors;
    private final int proxyPort;
    private final DiscoverySink discovered;
    private final FirmwareSink firmware;

    /** @param full the full-mode responder, null in proxy mode */
    public DhcpResponder(DhcpMode mode, ProxyDhcpResponder proxy, FullDhcpResponder full, BootEventSink events,
            PeerDirectory peers, InputErrors errors, int proxyPort) {
        this(mode, proxy, full, events, peers, errors, proxyPort, DiscoverySink.NONE);
    }

    /** @param discovered told of every PXE request, to remember machines that are no client's yet */
    public DhcpResponder(DhcpMode mode, ProxyDhcpResponder proxy, FullDhcpResponder full, BootEventSink events,
            PeerDirectory peers, InputErrors errors, int proxyPort, DiscoverySink discovered) {
        this(mode, proxy, full, events, peers, errors, proxyPort, discovered, FirmwareSink.NONE);
    }

    /** @param firmware told which firmware sent each network-boot request, before its boot event is recorded */
    public DhcpResponder(DhcpMode mode, ProxyDhcpResponder proxy, FullDhcpResponder full, BootEventSink events,
            PeerDirectory peers, InputErrors errors, int proxyPort, DiscoverySink discovered, FirmwareSink firmware) {
        this.discovered = discovered;
        this.firmware = firmware;
        if (mode == DhcpMode.FULL && full == null) throw new IllegalArgumentException("full mode needs an address pool");
        this.mode = mode;
        this.proxy = proxy;
        this.full = full;
        this.events = events;
        this.peers = peers;
        this.errors = errors;
        this.proxyPort = proxyPort;
    }

    public Optional<DhcpReply> handle(ByteBuffer datagram, Arrival arrival) {
        Object peer = arrival.sender() == null ? arrival.on().name() : arrival.sender();
        DhcpPacket request;
        try {
            request = DhcpPacket.parse(datagram);
        } catch (MalformedDhcpPacketException e) {
            errors.dropped("DHCP", peer, e.getMessage());
            return Optional.empty();
        }
        if (request.op() != DhcpPacket.BOOTREQUEST) {
            errors.dropped("DHCP", peer, "a BOOTREPLY sent to the server port");
            return Optional.empty();
        }
        if (request.htype() != 1 || request.hlen() != 6) {
            errors.dropped("DHCP", peer, "hardware type " + request.htype() + "/length " + request.hlen()
                    + " is not Ethernet");
            return Optional.empty();
        }
        DhcpMessageType type = request.messageType();
        if (type == null) {
            errors.dropped("DHCP", peer, "no known DHCP message type (option 53 = "
                    + request.options().uint8(DhcpOptions.MESSAGE_TYPE) + ")");
            return Optional.empty();
        }
        if (ReplyAddressing.isRelayed(request) && !ReplyAddressing.fromItsRelay(request, arrival)) {
            errors.dropped("DHCP", peer, "relayed (giaddr " + request.giaddr().getHostAddress()
                    + ") but not sent by a relay agent: a relay sends from its giaddr or its address on "
                    + arrival.on().name());
            return Optional.empty();
        }
        BootRequest boot = BootRequest.of(request);
        boolean bootServer = arrival.localPort() == proxyPort;
        DhcpMode answeringAs = bootServer ? DhcpMode.PROXY : mode;
        // full mode learns only from an ACK whose lease is stored (FullDhcpResponder): a packet to the
        // boot server port (4011) must not repoint a MAC to whatever address it claims
        if (mode == DhcpMode.PROXY) learnFromProxyRequest(request, type, boot, arrival);
        if (boot.wantsBoot()) firmware.firmware(boot.mac(), boot.firmware());
        if (boot.wantsBoot() || answeringAs == DhcpMode.FULL) recordRequest(type, boot, answeringAs, bootServer, arrival);
        if ((boot.pxeClient() || boot.httpClient()) && (type == DhcpMessageType.DISCOVER || type == DhcpMessageType.REQUEST)) {
            // queued only; whether the MAC is a client's is decided off the event loop
            discovered.seen(boot.mac(), boot.archOption93(), boot.vendorClass(), arrival.on().name());
        }
        try {
            Optional<DhcpReply> reply = answeringAs == DhcpMode.FULL
                    ? full.answer(request, boot, arrival) : proxy.answer(request, boot, arrival);
            if (log.isDebugEnabled()) log.debug("{} on {} -> {}", request, arrival, reply);
            return reply;
        } catch (RuntimeException e) {
            // e.g. the lease store failed: this client gets no answer, the next one is served
            log.error("DHCP: could not answer {} from {} on {}", type, boot.mac(), arrival.on().name(), e);
            events.record(BootEvent.of(boot.mac(), BootEventType.ERROR, "DHCP " + type + " not answered: " + e));
            return Optional.empty();
        }
    }

    /**
     * In proxy mode the router gives the address: learn it from the client's REQUEST (the address it
     * takes, option 50) or from the address it already uses (ciaddr), which RFC 2131 §4.3.2/§4.3.5
     * sets only in a REQUEST while BOUND, RENEWING or REBINDING, and in an INFORM. A DISCOVER's
     * option 50 is only a wish, and a RELEASE or DECLINE names an address being given up: they teach
     * nothing.
     *
     * <p>What is learned opens a CHAP client's script to that address, so a packet from elsewhere must
     * not teach anything (SO_BINDTODEVICE filters only by ingress interface; routed traffic comes in
     * on the same one). Learned only: an address on the served interface's subnet; not relayed (a
     * relay vouches for nothing here); option 50 only from a sender without an address (0.0.0.0,
     * which a router never forwards, RFC 1812 §5.3.7: the client broadcasting on the link, as PXE
     * firmware and iPXE do in SELECTING/INIT-REBOOT); ciaddr only from that very address (a client
     * with an address sends from it, RFC 2131 §4.1), on port 67 and 4011 alike.
     */
    private void learnFromProxyRequest(DhcpPacket request, DhcpMessageType type, BootRequest boot, Arrival arrival) {
        if (ReplyAddressing.isRelayed(request) || arrival.sender() == null) return;
        Inet4Address sender = arrival.sender().getAddress() instanceof Inet4Address a ? a : null;
        if (sender == null) return;
        Inet4Address requested = request.options().address(DhcpOptions.REQUESTED_ADDRESS);
        Inet4Address learned = null;
        if (type == DhcpMessageType.REQUEST && requested != null && !requested.isAnyLocalAddress()
                && sender.isAnyLocalAddress()) {
            learned = requested;
        } else if ((type == DhcpMessageType.REQUEST || type == DhcpMessageType.INFORM)
                && !request.ciaddr().isAnyLocalAddress() && sender.equals(request.ciaddr())) {
            learned = request.ciaddr();
        }
        if (learned != null && arrival.on().isHostAddress(learned)) peers.learn(learned, boot.mac());
    }

    private void recordRequest(DhcpMessageType type, BootRequest boot, DhcpMode as, boolean bootServer,
            Arrival arrival) {
        BootEventType eventType = switch (type) {
            case DISCOVER -> BootEventType.DHCP_DISCOVER;
            case REQUEST -> BootEventType.DHCP_REQUEST;
            default -> null;
        };
        if (eventType == null) return;
        String detail = (as == DhcpMode.FULL ? "full" : "proxy") + (bootServer ? " (boot server port " + proxyPort + ")"
                : "") + " on " + arrival.on().name() + ", "
                + (boot.wantsBoot() ? boot.describeArchitecture() : "plain DHCP client")
                + (boot.vendorClass() == null ? "" : ", option 60 \"" + boot.vendorClass() + "\"");
        events.record(BootEvent.of(boot.mac(), eventType, detail));
    }
}
