package org.netroot.server.dhcp;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.HexFormat;

/**
 * Test-only main: a tiny PXE client run inside a client namespace. Sends (optionally garbage, then)
 * a DISCOVER from port 68 to 255.255.255.255:67 and prints each reply for its xid as
 * "REPLY type yiaddr siaddr file opt43=hex from=ip:port", or "NO-REPLY" after the timeout.
 * Each argument is one step, run in order (one JVM start for several exchanges):
 * MAC,KIND(bios|ovmf),TIMEOUT_MS[,garbage | ,4011:SERVER_IP:CLIENT_IP]; the 4011 form sends the
 * UEFI boot server REQUEST unicast to SERVER_IP:4011 instead of the DISCOVER. Prints "STEP n" first.
 */
public final class DhcpProbe {
    public static void main(String[] steps) throws Exception {
        for (int i = 0; i < steps.length; i++) {
            System.out.println("STEP " + i);
            step(steps[i].split(","));
        }
    }

    private static void step(String[] args) throws Exception {
        String mac = args[0];
        int xid = (int) System.nanoTime();
        ClientPackets discover = switch (args[1]) {
            case "bios" -> ClientPackets.biosFirmware(mac, 1);
            case "ovmf" -> ClientPackets.ovmfX64(mac, 1);
            default -> throw new IllegalArgumentException(args[1]);
        };
        int timeoutMs = Integer.parseInt(args[2]);
        boolean garbage = args.length > 3 && args[3].equals("garbage");
        String[] bootServer = args.length > 3 && args[3].startsWith("4011:") ? args[3].split(":") : null;
        try (DatagramSocket socket = new DatagramSocket(null)) {
            socket.setReuseAddress(true);
            socket.setBroadcast(true);
            socket.bind(new InetSocketAddress("0.0.0.0", 68));
            InetSocketAddress server = new InetSocketAddress("255.255.255.255", 67);
            if (bootServer != null) {
                server = new InetSocketAddress(bootServer[1], 4011);
                discover = ClientPackets.ovmfX64(mac, 3).ciaddr(bootServer[2]);
            }
            if (garbage) {
                byte[] junk = "this is not DHCP at all".getBytes();
                socket.send(new DatagramPacket(junk, junk.length, server));
                byte[] cut = discover.bytes();
                socket.send(new DatagramPacket(cut, 260, server)); // truncated inside the options
            }
            byte[] bytes = discover.xid(xid).bytes();
            socket.send(new DatagramPacket(bytes, bytes.length, server));
            socket.setSoTimeout(timeoutMs);
            long deadline = System.currentTimeMillis() + timeoutMs;
            boolean any = false;
            while (System.currentTimeMillis() < deadline) {
                DatagramPacket in = new DatagramPacket(new byte[1500], 1500);
                try {
                    socket.receive(in);
                } catch (SocketTimeoutException e) {
                    break;
                }
                DhcpPacket p;
                try {
                    p = DhcpPacket.parse(java.nio.ByteBuffer.wrap(in.getData(), 0, in.getLength()));
                } catch (MalformedDhcpPacketException e) {
                    System.out.println("BAD-REPLY " + e.getMessage());
                    continue;
                }
                if (p.xid() != xid || p.op() != DhcpPacket.BOOTREPLY) continue;
                byte[] o43 = p.options().bytes(DhcpOptions.VENDOR_SPECIFIC);
                System.out.println("REPLY " + p.messageType() + " " + p.yiaddr().getHostAddress() + " "
                        + p.siaddr().getHostAddress() + " " + (p.file().isEmpty() ? "-" : p.file()) + " opt43="
                        + (o43 == null ? "-" : HexFormat.of().formatHex(o43)) + " length=" + in.getLength() + " from="
                        + in.getAddress().getHostAddress() + ":" + in.getPort());
                any = true;
                socket.setSoTimeout(300); // collect what else arrives shortly after
                deadline = Math.min(deadline, System.currentTimeMillis() + 300);
            }
            if (!any) System.out.println("NO-REPLY");
        }
    }
}
