package org.netroot.server.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.ServerStatus;
import org.netroot.server.events.BootEventSink;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.http.HttpService;
import org.netroot.server.http.HttpSettings;
import org.netroot.server.iscsi.IscsiService;
import org.netroot.server.iscsi.IscsiSettings;
import org.netroot.server.iscsi.IscsiTarget;
import org.netroot.server.iscsi.TargetCatalog;
import org.netroot.server.service.InputErrors;
import org.netroot.server.service.ListenAddresses;
import org.netroot.server.service.ManagedService;
import org.netroot.server.storage.OpenVolumes;
import org.netroot.server.store.ClientDirectory;
import org.netroot.server.tftp.TftpService;
import org.netroot.server.tftp.TftpSettings;
import org.netroot.server.testing.TestConfigs;

/**
 * TFTP, HTTP and iSCSI look their addresses up when they start, not when the server is built (review
 * finding 5): an interface without its address yet fails those services, reported in words, not the
 * server; a later start binds what is there then; an address that left the machine is said so, not
 * "port in use".
 */
class ListenAtStartTest {
    @TempDir Path data;
    @TempDir Path ipxe;

    private ServerConfig config(List<String> interfaces, boolean listenAll) {
        return TestConfigs.listening(data, ipxe, interfaces, listenAll);
    }

    private static Map<String, ServerStatus.ServiceState> byName(ServerStatus status) {
        return status.services().stream().collect(Collectors.toMap(ServerStatus.ServiceState::name, s -> s));
    }

    private void assertOnlyTheListeningServicesFail(String iface, String words) throws Exception {
        try (NetrootServer server = NetrootServer.start(config(List.of(iface), false))) { // built and started: no throw
            Map<String, ServerStatus.ServiceState> states = byName(server.status());
            for (String name : List.of("TFTP", "HTTP", "iSCSI", "NBD")) {
                ServerStatus.ServiceState s = states.get(name);
                assertFalse(s.running(), name + " has nowhere to listen");
                assertTrue(s.detail().startsWith(name + ": ") && s.detail().contains(words), s.detail());
            }
            assertTrue(server.status().running(), "the server itself runs: its control API and store answer");
        }
    }

    @Test
    void anInterfaceWithoutIpv4FailsOnlyTheServicesThatListenOnIt() throws Exception {
        Optional<String> noIpv4 = ListenAddressesTest.interfaceWithoutIpv4();
        assumeTrue(noIpv4.isPresent(), "skipped: every interface here has an IPv4 address (a down ifb0 or dummy has none)");
        assertOnlyTheListeningServicesFail(noIpv4.get(), "interface " + noIpv4.get() + " has no IPv4 address yet: ");
    }

    @Test
    void anInterfaceNotThereYetFailsOnlyTheServicesThatListenOnIt() throws Exception {
        assertOnlyTheListeningServicesFail("nr-later0", "there is no network interface named nr-later0 (yet?");
    }

    /** Its address appears after the first start: the next start binds it (nothing kept from construction). */
    private static final class AddressLater implements ListenAddresses {
        final AtomicBoolean up = new AtomicBoolean();

        @Override
        public List<InetAddress> resolve() {
            if (!up.get()) throw new IllegalStateException("interface br0 has no IPv4 address yet: give it one");
            return List.of(InetAddress.getLoopbackAddress());
        }
    }

    private static List<ManagedService> services(ListenAddresses listen) {
        TargetCatalog none = new TargetCatalog() {
            @Override
            public Optional<IscsiTarget> find(String targetIqn) {
                return Optional.empty();
            }

            @Override
            public List<IscsiTarget> visibleTo(String initiatorIqn) {
                return List.of();
            }

            @Override
            public OpenVolumes.Attachment attach(IscsiTarget target, OpenVolumes.User session) {
                throw new AssertionError("no target");
            }
        };
        Path here = Path.of(".");
        return List.of(
                new TftpService(new TftpSettings(listen, 0, List.of(here), Duration.ofSeconds(1), 1), BootEventSink.NONE,
                        new PeerDirectory(), new InputErrors()),
                new HttpService(new HttpSettings(listen, 0, 3260, null, here), ClientDirectory.of(List.of()),
                        BootEventSink.NONE, new PeerDirectory(), new InputErrors()),
                new IscsiService(new IscsiSettings(listen, 0), none, BootEventSink.NONE, new PeerDirectory(),
                        new InputErrors()));
    }

    @Test
    void eachStartLooksTheAddressesUpAgain() throws Exception {
        AddressLater listen = new AddressLater();
        for (ManagedService service : services(listen)) {
            listen.up.set(false);
            Exception e = assertThrows(Exception.class, service::start);
            assertEquals(service.name() + ": interface br0 has no IPv4 address yet: give it one", e.getMessage());
            assertFalse(service.isRunning());
            listen.up.set(true);
            service.start();
            try {
                assertTrue(service.isRunning(), service.name() + " listens once the address is there");
            } finally {
                service.stop();
            }
        }
    }

    @Test
    void anAddressNoLongerHereIsNotAPortInUse() throws Exception {
        InetAddress gone = InetAddress.getByName("198.51.100.1"); // TEST-NET-2 (RFC 5737): on no machine
        assumeTrue(NetworkInterface.getByInetAddress(gone) == null, "198.51.100.1 is configured here");
        for (ManagedService service : services(ListenAddresses.of(List.of(gone)))) {
            Exception e = assertThrows(Exception.class, service::start);
            String m = e.getMessage();
            assertTrue(m.contains(service.name() + " cannot listen on 198.51.100.1 port ")
                    && m.contains("198.51.100.1 is not an address of this machine (any more?)"), m);
            assertFalse(m.contains("in use"), m);
            assertFalse(service.isRunning());
        }
    }

    @Test
    void tftpListensOnEachLocalAddressWithListenAll() throws Exception {
        List<InetAddress> tftp = ServiceSettings.tftp(config(List.of("lo"), true)).listen().resolve();
        List<InetAddress> local = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof java.net.Inet4Address).distinct().toList();
        assertEquals(local, tftp, "one socket per address, so each transfer answers from the address asked");
        assertTrue(tftp.contains(InetAddress.getLoopbackAddress()));
        // TCP answers from the address a connection came to anyway: HTTP and iSCSI keep 0.0.0.0
        assertEquals(List.of(InetAddress.getByName("0.0.0.0")), ServiceSettings.http(config(List.of("lo"), true)).listen().resolve());
        TftpService service = new TftpService(ServiceSettings.tftp(config(List.of("lo"), true)), BootEventSink.NONE,
                new PeerDirectory(), new InputErrors());
        service.start();
        try {
            assertTrue(service.isRunning());
        } finally {
            service.stop();
        }
    }
}
