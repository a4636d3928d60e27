package org.netroot.server.dhcp;

import java.net.Inet4Address;
import java.util.Optional;
import org.netroot.server.boot.BootFile;
import org.netroot.server.boot.ClientArchitecture;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.events.BootEventSink;

/**
 * ProxyDHCP (PXE 2.1 §2.2.3): beside the network's own DHCP server, tells PXE and UEFI HTTP Boot
 * clients what to boot and never hands out an address. Port 67: DISCOVER -> proxy OFFER, a REQUEST naming us (option 54)
 * -> proxy ACK, any other REQUEST is the router's; port 4011: the boot server REQUEST (UEFI, iPXE's
 * ProxyDHCPREQUEST) -> ACK carrying the boot file, sent from 4011.
 * Only decisions in memory here: iPXE waits about 2 s for a proxy offer.
 */
public final class ProxyDhcpResponder {
    /**
     * PXE_DISCOVERY_CONTROL (tag 6) = 8: no boot server discovery, boot the file in this packet now;
     * then the PXE end tag 255: PXE 2.1 §2.4 ends the encapsulated vendor options with it, dnsmasq
     * writes it (rfc2131.c do_encap_opts) and so does pixiecore (dhcp4 Options.Marshal).
     */
    static final byte[] BIOS_DISCOVERY_CONTROL = {6, 1, 8, (byte) 0xff};

    private final BootFileChooser chooser;
    private final BootEventSink events;
    private final int serverPort;
    private final int proxyPort;

    public ProxyDhcpResponder(BootFileChooser chooser, BootEventSink events, int serverPort, int proxyPort) {
        this.chooser = chooser;
        this.events = events;
        this.serverPort = serverPort;
        this.proxyPort = proxyPort;
    }

    public Optional<DhcpReply> answer(DhcpPacket request, BootRequest boot, Arrival arrival) {
        DhcpMessageType type = request.messageType();
        boolean bootServer = arrival.localPort() == proxyPort;
        // iPXE sends PXEClient too; plain clients are the router's
        if (!boot.pxeClient() && !boot.httpClient()) return Optional.empty();
        DhcpMessageType replyType;
        Inet4Address server = arrival.on().serverAddress();
        if (type == DhcpMessageType.DISCOVER && !bootServer) replyType = DhcpMessageType.OFFER;
        else if (type == DhcpMessageType.REQUEST && (bootServer || addressedToUs(request, server))) {
            replyType = DhcpMessageType.ACK;
        } else {
            return Optional.empty();
        }

        BootFile bootFile = chooser.choose(boot, server);
        String where = bootServer ? "proxy (boot server port " + proxyPort + ")" : "proxy";
        if (bootFile.isIgnored()) {
            events.record(BootEvent.of(boot.mac(), BootEventType.IGNORED, where + ", " + bootFile.ignored()));
            return Optional.empty();
        }
        if (!bootFile.found()) {
            events.record(BootEvent.of(boot.mac(), BootEventType.ERROR, where + ", " + bootFile.missing()));
            return Optional.empty();
        }
        ClientArchitecture arch = boot.architecture();
        DhcpOptions.Builder options = DhcpOptions.builder()
                .uint8(DhcpOptions.MESSAGE_TYPE, replyType.code)
                .address(DhcpOptions.SERVER_ID, server)
                // the server names itself PXEClient (PXE 2.1 §2.2.3): that is how clients spot a proxy answer.
                // UEFI HTTP Boot takes an offer without an address only as "HTTPClient" with a URL, and
                // boots that URL straight away, with the router's lease: no port-4011 step (EDK2
                // HttpBootDhcp4.c, HttpOfferTypeProxyIpUri)
                .string(DhcpOptions.VENDOR_CLASS, bootFile.uefiHttp() ? BootFile.HTTP_CLIENT : "PXEClient");
        byte[] uuid = boot.uuid();
        if (uuid != null) options.put(DhcpOptions.CLIENT_UUID, uuid);
        // BIOS ROMs need option 43 to use the file now; UEFI firmware given option 43 here skips the
        // port-4011 request that many builds need to read the file (PyPXE #125, pixiecore).
        if (arch == ClientArchitecture.BIOS) options.put(DhcpOptions.VENDOR_SPECIFIC, BIOS_DISCOVERY_CONTROL);

        // yiaddr stays 0.0.0.0: the address comes from the other DHCP server
        Inet4Address ciaddr = replyType == DhcpMessageType.ACK ? request.ciaddr() : DhcpPacket.ZERO;
        Inet4Address nextServer = bootFile.uefiHttp() ? DhcpPacket.ZERO : server; // a URL needs no TFTP server
        DhcpPacket reply = Replies.reply(request, ciaddr, DhcpPacket.ZERO, nextServer, bootFile.file(), options.build());
        events.record(BootEvent.of(boot.mac(), replyType == DhcpMessageType.OFFER ? BootEventType.PROXY_OFFER
                : BootEventType.PROXY_ACK, where + ", " + boot.describeArchitecture() + ", " + bootFile.describe()));
        return Optional.of(new DhcpReply(reply,
                ReplyAddressing.destination(request, replyType, arrival, serverPort, proxyPort)));
    }

    /**
     * A REQUEST on port 67 is nearly always the client taking the router's offer (option 54 = the
     * router) or renewing with it (no option 54): an ACK from us there would carry the router's xid
     * and yiaddr 0.0.0.0, and a ROM that does not check the server id may take it. dnsmasq answers no
     * REQUEST on port 67 in proxy mode (rfc2131.c: proxy replies only to DISCOVER, or to REQUEST on
     * the PXE port); iPXE sends its ProxyDHCPREQUEST to port 4011 (dhcp.c dhcp_proxy_tx). We answer
     * one only when the client names us as its server.
     */
    private static boolean addressedToUs(DhcpPacket request, Inet4Address server) {
        return server.equals(request.options().address(DhcpOptions.SERVER_ID));
    }
}
