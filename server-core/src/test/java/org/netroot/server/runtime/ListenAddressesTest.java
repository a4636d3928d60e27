package org.netroot.server.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.http.HttpService;
import org.netroot.server.iscsi.IscsiService;
import org.netroot.server.testing.TestConfigs;

/**
 * TFTP, HTTP and iSCSI listen on the addresses of the served interfaces only, or on every address
 * with --listen-all. 127.0.0.2 reaches this machine over lo on Linux, but it is not one of lo's
 * configured addresses: a service listening on lo's addresses must refuse it.
 */
class ListenAddressesTest {
    @TempDir Path data;
    @TempDir Path ipxe;

    private ServerConfig config(List<String> interfaces, boolean listenAll) {
        return TestConfigs.listening(data, ipxe, interfaces, listenAll);
    }

    private static boolean accepts(String address, int port) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(address), port), 2000);
            return true;
        } catch (ConnectException refused) {
            return false;
        }
    }

    @Test
    void theServedInterfacesAddressesOnly() throws Exception {
        List<InetAddress> lo = List.of(InetAddress.getByName("127.0.0.1"));
        assertEquals(lo, ServiceSettings.bindAddresses(config(List.of("lo"), false)));
        assertEquals(lo, ServiceSettings.tftp(config(List.of("lo"), false)).listen().resolve());
        assertEquals(lo, ServiceSettings.http(config(List.of("lo"), false)).listen().resolve());
        assertEquals(lo, ServiceSettings.iscsi(config(List.of("lo"), false)).listen().resolve());
        try (NetrootServer server = NetrootServer.start(config(List.of("lo"), false))) {
            int http = server.service(HttpService.class).port();
            int iscsi = server.service(IscsiService.class).port();
            assertTrue(accepts("127.0.0.1", http));
            assertTrue(accepts("127.0.0.1", iscsi));
            assertTrue(!accepts("127.0.0.2", http), "HTTP must not listen beyond lo's own address");
            assertTrue(!accepts("127.0.0.2", iscsi), "iSCSI must not listen beyond lo's own address");
        }
    }

    @Test
    void listenAllKeepsEveryAddress() throws Exception {
        try (NetrootServer server = NetrootServer.start(config(List.of("lo"), true))) {
            int http = server.service(HttpService.class).port();
            int iscsi = server.service(IscsiService.class).port();
            assertTrue(accepts("127.0.0.2", http));
            assertTrue(accepts("127.0.0.2", iscsi));
        }
    }

    @Test
    void noInterfaceMeansEveryAddressAsBefore() throws Exception {
        assertEquals(List.of(InetAddress.getByName("0.0.0.0")), ServiceSettings.bindAddresses(config(List.of(), false)));
    }

    @Test
    void anInterfaceWithoutIpv4IsNamed() throws Exception {
        var unknown = assertThrows(IllegalStateException.class,
                () -> ServiceSettings.bindAddresses(config(List.of("nr-nosuch0"), false)));
        assertTrue(unknown.getMessage().contains("no network interface named nr-nosuch0"), unknown.getMessage());
        Optional<String> withoutIpv4 = interfaceWithoutIpv4();
        assumeTrue(withoutIpv4.isPresent(), "skipped: every interface here has an IPv4 address (a down ifb0 or dummy has none)");
        var e = assertThrows(IllegalStateException.class,
                () -> ServiceSettings.bindAddresses(config(List.of(withoutIpv4.get()), false)));
        assertTrue(e.getMessage().contains("interface " + withoutIpv4.get() + " has no IPv4 address yet"), e.getMessage());
        assertTrue(e.getMessage().contains("--listen-all"), e.getMessage());
    }

    /**
     * An existing interface without an IPv4 address (e.g. ifb0, a down dummy). Java lists only
     * interfaces with an address: look the names up in /sys. The JVM cannot move itself into a test
     * network namespace, and adding a dummy to the host's would change a machine other tests share.
     */
    static Optional<String> interfaceWithoutIpv4() throws java.io.IOException {
        Path sys = Path.of("/sys/class/net");
        if (!java.nio.file.Files.isDirectory(sys)) return Optional.empty();
        List<String> names;
        try (var dirs = java.nio.file.Files.list(sys)) {
            names = dirs.map(p -> p.getFileName().toString()).sorted().toList();
        }
        return names.stream().filter(name -> {
            try {
                NetworkInterface n = NetworkInterface.getByName(name);
                return n == null || n.getInterfaceAddresses().stream()
                        .noneMatch(a -> a.getAddress() instanceof java.net.Inet4Address);
            } catch (java.net.SocketException e) {
                return false;
            }
        }).findFirst();
    }
}
