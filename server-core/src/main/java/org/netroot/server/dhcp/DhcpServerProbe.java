package org.netroot.server.dhcp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Looks for another DHCP server on a network: sends a DHCP DISCOVER (broadcast, from port 68) on one
 * interface and collects the OFFERs that answer within a wait. Offers from this machine's own
 * addresses (Netroot's own DHCP service) and proxy-only offers (no address offered) do not count.
 * The packet work is here, plain; {@link ProbeSocket} is the thin socket binding.
 */
public final class DhcpServerProbe {
    /** What another DHCP server offered. */
    public record Offer(Inet4Address server, Inet4Address offered, Inet4Address router, Inet4Address subnetMask) {
    }

    private DhcpServerProbe() {
    }

    /**
     * Sends the DISCOVER on {@code interfaceName} and returns the foreign offers in arrival order.
     *
     * @param own this machine's addresses: offers from them are our own service's
     * @throws IllegalStateException in words when the socket cannot be opened (privileges, no interface)
     */
    public static List<Offer> probe(String interfaceName, byte[] mac, Duration wait, Set<InetAddress> own) {
        int xid = (int) (System.nanoTime() ^ System.identityHashCode(mac));
        List<Offer> offers = new ArrayList<>();
        for (ProbeSocket.Received r : ProbeSocket.exchange(interfaceName, discover(mac, xid).encode(), wait)) {
            offer(r.data(), xid, r.from(), own).filter(o -> !offers.contains(o)).ifPresent(offers::add);
        }
        return offers;
    }

    /** A plain DHCP DISCOVER (no PXE vendor class: proxy-only servers stay silent) asking for broadcast answers. */
    public static DhcpPacket discover(byte[] mac, int xid) {
        DhcpOptions options = DhcpOptions.builder()
                .uint8(DhcpOptions.MESSAGE_TYPE, DhcpMessageType.DISCOVER.code)
                .put(DhcpOptions.PARAMETER_LIST, new byte[] {DhcpOptions.SUBNET_MASK, DhcpOptions.ROUTER,
                        DhcpOptions.DNS_SERVERS})
                .build();
        return new DhcpPacket(DhcpPacket.BOOTREQUEST, 1, 6, 0, xid, 0, DhcpPacket.FLAG_BROADCAST, DhcpPacket.ZERO,
                DhcpPacket.ZERO, DhcpPacket.ZERO, DhcpPacket.ZERO, mac, "", "", options);
    }

    /**
     * The offer in {@code data} when it answers our DISCOVER {@code xid}, offers an address and comes
     * from another machine; empty for anything else (garbage, other exchanges, our own server).
     */
    public static Optional<Offer> offer(byte[] data, int xid, InetAddress from, Set<InetAddress> own) {
        DhcpPacket p;
        try {
            p = DhcpPacket.parse(ByteBuffer.wrap(data));
        } catch (MalformedDhcpPacketException e) {
            return Optional.empty();
        }
        if (p.op() != DhcpPacket.BOOTREPLY || p.xid() != xid || p.messageType() != DhcpMessageType.OFFER) {
            return Optional.empty();
        }
        if (p.yiaddr().equals(DhcpPacket.ZERO)) return Optional.empty(); // a proxyDHCP answer: boot info only
        Inet4Address server = p.options().address(DhcpOptions.SERVER_ID);
        if (server == null && from instanceof Inet4Address f) server = f;
        if (server == null || own.contains(server) || own.contains(from)) return Optional.empty();
        return Optional.of(new Offer(server, p.yiaddr(), firstAddress(p.options().bytes(DhcpOptions.ROUTER)),
                p.options().address(DhcpOptions.SUBNET_MASK)));
    }

    private static Inet4Address firstAddress(byte[] list) {
        if (list == null || list.length < 4) return null;
        return DhcpPacket.ipv4(java.util.Arrays.copyOf(list, 4));
    }
}
