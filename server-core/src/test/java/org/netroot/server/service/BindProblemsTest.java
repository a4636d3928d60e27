package org.netroot.server.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.ChangeType;
import org.netroot.server.api.ServerStatus;
import org.netroot.server.events.BootEventSink;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.http.HttpService;
import org.netroot.server.http.HttpSettings;
import org.netroot.server.iscsi.IscsiService;
import org.netroot.server.iscsi.IscsiSettings;
import org.netroot.server.iscsi.IscsiTarget;
import org.netroot.server.iscsi.TargetCatalog;
import org.netroot.server.storage.OpenVolumes;
import org.netroot.server.store.ClientDirectory;
import org.netroot.server.tftp.TftpService;
import org.netroot.server.tftp.TftpSettings;

/** A port another program holds, or one that needs privileges, is said in words with the fix. */
class BindProblemsTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final ListenAddresses ON_LOOPBACK = ListenAddresses.of(List.of(LOOPBACK));
    @TempDir Path root;

    @Test
    void aTftpPortHeldByAnotherProgramSaysSoAndHowToFindIt() throws Exception {
        try (DatagramSocket other = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            int port = other.getLocalPort();
            TftpService tftp = new TftpService(new TftpSettings(ON_LOOPBACK, port, List.of(root), Duration.ofSeconds(1), 1),
                    BootEventSink.NONE, new PeerDirectory(), new InputErrors());
            ServiceManager manager = new ServiceManager();
            manager.add(tftp);
            List<ServerStatus.ServiceState> told = new ArrayList<>();
            List<ChangeType> types = new ArrayList<>();
            manager.listen((type, state) -> {
                types.add(type);
                told.add(state);
            });

            Exception e = assertThrows(IllegalStateException.class, () -> manager.start("TFTP"));
            assertEquals("TFTP: port " + port + "/udp is in use by another program (dnsmasq, tftpd-hpa, atftpd? `sudo ss"
                    + " -lunp 'sport = :" + port + "'` shows which): stop it or choose another port (--tftp-port)",
                    e.getMessage());
            assertFalse(tftp.isRunning());
            assertEquals(List.of(ChangeType.SERVICE_FAILED), types);
            ServerStatus.ServiceState failed = told.get(0);
            assertFalse(failed.running());
            assertEquals(e.getMessage(), failed.detail());
            assertEquals(List.of(port), failed.ports(), "the configured port, to show next to the failure");
            assertEquals(e.getMessage(), manager.states().get(0).detail());
        }
    }

    @Test
    void tcpPortsHeldByAnotherProgramSaySoToo() throws Exception {
        try (ServerSocket other = new ServerSocket(0, 1, LOOPBACK)) {
            int port = other.getLocalPort();
            HttpService http = new HttpService(new HttpSettings(ON_LOOPBACK, port, 3260, null, root),
                    ClientDirectory.of(List.of()), BootEventSink.NONE, new PeerDirectory(), new InputErrors());
            Exception e = assertThrows(IllegalStateException.class, http::start);
            assertTrue(e.getMessage().startsWith("HTTP: port " + port + "/tcp is in use by another program (nginx,"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("`sudo ss -ltnp 'sport = :" + port + "'`"), e.getMessage());

            IscsiService iscsi = new IscsiService(new IscsiSettings(ON_LOOPBACK, port), NO_TARGETS, BootEventSink.NONE,
                    new PeerDirectory(), new InputErrors());
            e = assertThrows(IllegalStateException.class, iscsi::start);
            assertTrue(e.getMessage().startsWith("iSCSI: port " + port + "/tcp is in use by another program (tgt,"),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("stop it or choose another port (--iscsi-port)"), e.getMessage());
        }
    }

    @Test
    void aRefusedPrivilegedPortNamesTheFix() {
        Exception e = BindProblems.explain("TFTP", "udp", 69, LOOPBACK, new SocketException("Permission denied"),
                "dnsmasq", "--tftp-port");
        String m = e.getMessage();
        assertTrue(m.startsWith("TFTP: port 69/udp (TFTP) needs privileges. Either run as root or as the netroot system"
                + " service"), m);
        assertTrue(m.contains("`sudo setcap cap_net_bind_service,cap_net_raw=+ep "), m);
        assertTrue(m.contains("or (for testing) choose ports above "), m);
        assertFalse(m.contains("in use"), m);
    }

    private static final TargetCatalog NO_TARGETS = new TargetCatalog() {
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
}
