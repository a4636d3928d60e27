package org.netroot.server.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.ChangeEvent;
import org.netroot.server.api.ChangeListener;
import org.netroot.server.api.ChangeType;
import org.netroot.server.api.Client;
import org.netroot.server.api.ClientActivity;
import org.netroot.server.api.ClientActivity.State;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.runtime.NetrootServer;
import org.netroot.server.runtime.ServerConfig;

/**
 * A client's activity through the real control API: a UEFI PXE DISCOVER sent to a server answering
 * DHCP on loopback makes its card BOOTING with firmware UEFI (live stream and GET alike), the first
 * read ONLINE; the data folder opened without a server knows no activity.
 */
class ClientActivityOverApiTest {
    static final String MAC = "52:54:00:00:0a:01";

    @TempDir Path tmp;

    @Test
    void aDhcpRequestAndTheFirstReadShowOnTheClientsActivity() throws Exception {
        Path data = tmp.resolve("data");
        Path ipxe = Files.createDirectories(tmp.resolve("ipxe"));
        for (String f : List.of("undionly.kpxe", "snponly.efi", "ipxe.efi")) Files.write(ipxe.resolve(f), new byte[1]);
        int dhcpPort = freeUdpPort();
        ServerConfig config = new ServerConfig(data, List.of("lo"), DhcpMode.PROXY, null, null, null, dhcpPort,
                freeUdpPort(), 0, 0, 0, 0, ipxe, null, 3600);
        List<ClientActivity> streamed = new CopyOnWriteArrayList<>();
        try (NetrootServer server = NetrootServer.start(config); NetrootControl api = Netroot.attach(data)) {
            api.addClient(Client.sanboot("pc1", MAC, null));
            assertEquals(List.of(State.OFFLINE), api.clientActivity().stream().map(ClientActivity::state).toList());
            try (AutoCloseable ignored = api.subscribe(0, new ChangeListener() {
                @Override
                public void onEvent(ChangeEvent e) {
                    if (e.type() == ChangeType.CLIENT_ACTIVITY) streamed.add(e.payloadAs(ClientActivity.class));
                }
            })) {
                send(ClientPackets.ovmfX64(MAC, 1).buffer(), dhcpPort);
                await("BOOTING on the stream", () -> !streamed.isEmpty());
                ClientActivity booting = streamed.get(0);
                assertEquals("pc1", booting.clientName());
                assertEquals(State.BOOTING, booting.state());
                assertEquals("UEFI", booting.firmware(), "from option 93 = 7");
                ClientActivity read = api.clientActivity().get(0); // the proxy offer may have moved its time on
                assertEquals(List.of(State.BOOTING, "UEFI", booting.bootStarted()),
                        List.of(read.state(), read.firmware(), read.bootStarted()));

                server.events().record(BootEvent.of(MAC, BootEventType.ISCSI_LOGIN, "logged in"));
                server.events().record(BootEvent.of(MAC, BootEventType.ISCSI_FIRST_READ, "reads"));
                await("ONLINE", () -> api.clientActivity().get(0).state() == State.ONLINE);
                ClientActivity online = api.clientActivity().get(0);
                assertTrue(!online.bootFinished().isBefore(online.bootStarted()), online.toString());
                await("ONLINE on the stream", () -> streamed.get(streamed.size() - 1).state() == State.ONLINE);
            }
        }
        try (NetrootControl offline = Netroot.attach(data)) {
            assertEquals(List.of(), offline.clientActivity(), "the offline view knows no activity");
        }
    }

    private static void send(ByteBuffer packet, int port) throws Exception {
        byte[] bytes = new byte[packet.remaining()];
        packet.get(bytes);
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
        }
    }

    static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + 5_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) throw new AssertionError("within 5 s: " + what);
            Thread.sleep(20);
        }
    }
}
