package org.netroot.server.dhcp;

import java.net.Inet4Address;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.boot.BootFile;
import org.netroot.server.events.BootEventSink;
import org.netroot.server.events.PeerDirectory;

/**
 * The full DHCP server (RFC 2131 §4.3): hands out addresses from the {@link AddressPool} to every
 * client, PXE or not (Debian's initramfs asks again as a plain client once the kernel runs), and
 * adds the boot file for network-booting clients.
 */
public final class FullDhcpResponder {
    private final AddressPool pool;
    private final BootFileChooser chooser;
    private final BootEventSink events;
    private final PeerDirectory peers;
    private final Inet4Address router;
    private final List<Inet4Address> dns;
    private final int leaseSeconds;
    private final int serverPort;
    private final int proxyPort;

    public FullDhcpResponder(AddressPool pool, BootFileChooser chooser, BootEventSink events, PeerDirectory peers,
            Inet4Address router, List<Inet4Address> dns, int leaseSeconds, int serverPort, int proxyPort) {
        this.pool = pool;
        this.chooser = chooser;
        this.events = events;
        this.peers = peers;
        this.router = router;
        this.dns = dns == null ? List.of() : List.copyOf(dns);
        this.leaseSeconds = leaseSeconds;
        this.serverPort = serverPort;
        this.proxyPort = proxyPort;
    }

    public Optional<DhcpReply> answer(DhcpPacket request, BootRequest boot, Arrival arrival) {
        DhcpMessageType type = request.messageType();
        if (type == null) return Optional.empty();
        Optional<ServedInterface> link = ReplyAddressing.clientLink(request, arrival.on(), pool.rangeStart(),
                pool.rangeEnd());
        if (link.isEmpty()) return Optional.empty(); // a relay for a subnet we have no range in: another server's
        arrival = new Arrival(link.get(), arrival.localPort(), arrival.sender());
        // no offer, no lease: the machine is not to boot from the network here. A plain DHCP request of
        // the same machine (its installed OS) is answered as any other.
        Optional<String> ignored = chooser.ignoredBecause(boot);
        if (ignored.isPresent()) {
            if (type == DhcpMessageType.DISCOVER || type == DhcpMessageType.REQUEST) {
                events.record(BootEvent.of(boot.mac(), BootEventType.IGNORED, "full, " + ignored.get()));
            }
            return Optional.empty();
        }
        return switch (type) {
            case DISCOVER -> discover(request, boot, arrival);
            case REQUEST -> request(request, boot, arrival);
            case RELEASE -> {
                if (isOurs(request, arrival)) pool.release(boot.mac(), request.ciaddr());
                yield Optional.empty();
            }
            case DECLINE -> {
                Inet4Address declined = request.options().address(DhcpOptions.REQUESTED_ADDRESS);
                if (isOurs(request, arrival) && declined != null) {
                    pool.decline(boot.mac(), declined);
                    events.record(BootEvent.of(boot.mac(), BootEventType.ERROR, "client declined "
                            + declined.getHostAddress() + " (address in use on the network)"));
                }
                yield Optional.empty();
            }
            case INFORM -> inform(request, arrival);
            default -> Optional.empty();
        };
    }

    private Optional<DhcpReply> discover(DhcpPacket request, BootRequest boot, Arrival arrival) {
        Inet4Address requested = request.options().address(DhcpOptions.REQUESTED_ADDRESS);
        Optional<Inet4Address> ip = pool.offer(boot.mac(), requested, arrival.on());
        if (ip.isEmpty()) {
            events.record(BootEvent.of(boot.mac(), BootEventType.ERROR, "full DHCP: no free address in the range on "
                    + arrival.on().name()));
            return Optional.empty();
        }
        return Optional.of(grant(request, boot, arrival, DhcpMessageType.OFFER, ip.get(), DhcpPacket.ZERO));
    }

    private Optional<DhcpReply> request(DhcpPacket request, BootRequest boot, Arrival arrival) {
        Inet4Address serverId = request.options().address(DhcpOptions.SERVER_ID);
        Inet4Address ours = arrival.on().serverAddress();
        if (serverId != null && !serverId.equals(ours)) {
            // SELECTING another server's offer: stay quiet, free what we offered (§4.3.2)
            pool.forgetOffer(boot.mac());
            return Optional.empty();
        }
        Inet4Address requested = request.options().address(DhcpOptions.REQUESTED_ADDRESS);
        Inet4Address wanted = requested != null ? requested : request.ciaddr(); // RENEWING/REBINDING: ciaddr
        if (wanted.isAnyLocalAddress()) return Optional.of(nak(request, boot, arrival, "no address requested"));
        if (!pool.mayHave(boot.mac(), wanted, arrival.on())) {
            return Optional.of(nak(request, boot, arrival, wanted.getHostAddress() + " is not yours to use on "
                    + arrival.on().name()));
        }
        String hostname = request.options().string(DhcpOptions.HOST_NAME);
        // learned only once the lease is stored, before the ACK may leave: the client fetches its
        // script right after the ACK, and a lease that failed to store vouches for nothing
        CompletableFuture<?> stored = pool.commit(boot.mac(), wanted, leaseSeconds, hostname)
                .thenAccept(lease -> peers.learn(wanted, boot.mac()));
        DhcpReply ack = grant(request, boot, arrival, DhcpMessageType.ACK, wanted, request.ciaddr());
        return Optional.of(new DhcpReply(ack.packet(), ack.destination(), stored));
    }

    private DhcpReply grant(DhcpPacket request, BootRequest boot, Arrival arrival, DhcpMessageType type,
            Inet4Address ip, Inet4Address ciaddr) {
        Inet4Address server = arrival.on().serverAddress();
        DhcpOptions.Builder options = DhcpOptions.builder()
                .uint8(DhcpOptions.MESSAGE_TYPE, type.code)
                .address(DhcpOptions.SERVER_ID, server)
                .uint32(DhcpOptions.LEASE_TIME, leaseSeconds)
                .uint32(DhcpOptions.RENEWAL_TIME, leaseSeconds / 2L)
                .uint32(DhcpOptions.REBINDING_TIME, leaseSeconds * 7L / 8)
                .address(DhcpOptions.SUBNET_MASK, arrival.on().subnetMask());
        networkOptions(options, request);
        if (boot.ipxe()) {
            // iPXE takes an offer without PXEClient for an address only and waits for a ProxyDHCP offer
            // until its discovery timer gives up (about 2 s more per boot, measured by bench/boot.sh); here
            // this server is the boot server, there is none to wait for: 175.176 = 1 says so
            options.put(DhcpOptions.IPXE_ENCAPSULATED, new byte[] {(byte) DhcpOptions.IPXE_NO_PXEDHCP, 1, 1});
        }
        String file = "";
        Inet4Address nextServer = DhcpPacket.ZERO;
        String detail = "full, " + ip.getHostAddress() + " on " + arrival.on().name();
        if (boot.wantsBoot()) {
            BootFile bootFile = chooser.choose(boot, server);
            detail += ", " + boot.describeArchitecture();
            if (bootFile.found()) {
                file = bootFile.file();
                if (bootFile.uefiHttp()) {
                    // a URL, option 60 HTTPClient or the firmware drops the offer (EDK2 HttpBootDhcp4.c), and
                    // no next-server: nothing is fetched over TFTP
                    options.string(DhcpOptions.VENDOR_CLASS, BootFile.HTTP_CLIENT);
                } else {
                    // file + siaddr, no option 60/43: the plain ISC-dhcpd form that BIOS and UEFI ROMs all boot from
                    nextServer = server;
                }
                detail += ", " + bootFile.describe();
            } else {
                events.record(BootEvent.of(boot.mac(), BootEventType.ERROR, "full DHCP, " + bootFile.missing()));
                detail += ", no boot file";
            }
        } else {
            detail += ", plain DHCP client (no boot file)";
        }
        DhcpPacket reply = Replies.reply(request, ciaddr, ip, nextServer, file, options.build());
        events.record(BootEvent.of(boot.mac(), type == DhcpMessageType.OFFER ? BootEventType.DHCP_OFFER
                : BootEventType.DHCP_ACK, detail));
        return new DhcpReply(reply, ReplyAddressing.destination(request, type, arrival, serverPort, proxyPort));
    }

    private DhcpReply nak(DhcpPacket request, BootRequest boot, Arrival arrival, String why) {
        DhcpOptions options = DhcpOptions.builder()
                .uint8(DhcpOptions.MESSAGE_TYPE, DhcpMessageType.NAK.code)
                .address(DhcpOptions.SERVER_ID, arrival.on().serverAddress())
                .string(DhcpOptions.MESSAGE, why)
                .build();
        DhcpPacket reply = Replies.reply(request, ReplyAddressing.flags(request, DhcpMessageType.NAK), DhcpPacket.ZERO,
                DhcpPacket.ZERO, DhcpPacket.ZERO, "", options);
        events.record(BootEvent.of(boot.mac(), BootEventType.DHCP_NAK, "full, " + why
                + (boot.wantsBoot() ? ", " + boot.describeArchitecture() : "")));
        return new DhcpReply(reply, ReplyAddressing.destination(request, DhcpMessageType.NAK, arrival, serverPort,
                proxyPort));
    }

    /** DHCPINFORM (§4.3.5): the client has an address; give it the local options, no lease. */
    private Optional<DhcpReply> inform(DhcpPacket request, Arrival arrival) {
        DhcpOptions.Builder options = DhcpOptions.builder()
                .uint8(DhcpOptions.MESSAGE_TYPE, DhcpMessageType.ACK.code)
                .address(DhcpOptions.SERVER_ID, arrival.on().serverAddress())
                .address(DhcpOptions.SUBNET_MASK, arrival.on().subnetMask());
        networkOptions(options, request);
        DhcpPacket reply = Replies.reply(request, request.ciaddr(), DhcpPacket.ZERO, DhcpPacket.ZERO, "",
                options.build());
        return Optional.of(new DhcpReply(reply, ReplyAddressing.destination(request, DhcpMessageType.ACK, arrival,
                serverPort, proxyPort)));
    }

    /** Gateway and name servers when configured: without them a leased Linux can reach only its own subnet. */
    private void networkOptions(DhcpOptions.Builder options, DhcpPacket request) {
        // relayed without a configured router: the relay agent sits on the client's subnet and is its
        // gateway to us (what dnsmasq sends too)
        Inet4Address gateway = router != null ? router : ReplyAddressing.isRelayed(request) ? request.giaddr() : null;
        if (gateway != null) options.address(DhcpOptions.ROUTER, gateway);
        if (!dns.isEmpty()) options.addresses(DhcpOptions.DNS_SERVERS, dns);
    }

    private static boolean isOurs(DhcpPacket request, Arrival arrival) {
        Inet4Address serverId = request.options().address(DhcpOptions.SERVER_ID);
        return serverId == null || serverId.equals(arrival.on().serverAddress());
    }
}
