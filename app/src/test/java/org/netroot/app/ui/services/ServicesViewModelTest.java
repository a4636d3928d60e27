package org.netroot.app.ui.services;

import javafx.beans.property.SimpleObjectProperty;
import org.junit.jupiter.api.Test;
import org.netroot.app.connection.ConnectionState;
import org.netroot.server.api.ServerStatus;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The view model alone: no screen, no server (its io executor never runs anything here). */
class ServicesViewModelTest {
    private static final ServerStatus.ServiceState DHCP = new ServerStatus.ServiceState("DHCP", true, null,
            List.of("192.168.1.2"), List.of(67, 4011), "udp", "PROXY", List.of("eth0"), 1234, 1);
    private static final ServerStatus.ServiceState TFTP_FAILED = new ServerStatus.ServiceState("TFTP", false,
            "TFTP: port 69/udp is in use by another program (dnsmasq? ...): stop it or choose another port (--tftp-port)",
            List.of(), List.of(69), "udp", null, List.of(), 0, 0);
    private static final ServerStatus.ServiceState HTTP = new ServerStatus.ServiceState("HTTP", true, null,
            List.of("0.0.0.0"), List.of(80), "tcp", null, List.of(), 1, 0);

    private final SimpleObjectProperty<ServerStatus> status = new SimpleObjectProperty<>(ServerStatus.offline());
    private final SimpleObjectProperty<ConnectionState> connection = new SimpleObjectProperty<>(ConnectionState.OFFLINE);
    private final ServicesViewModel model = new ServicesViewModel(status, connection, work -> { }, () -> null,
            Path.of("/var/lib/netroot"));

    @Test
    void eachServiceInWords() {
        connection.set(ConnectionState.SERVER);
        status.set(new ServerStatus(true, List.of(DHCP, TFTP_FAILED, HTTP), Map.of("DHCP", 1L), List.of()));

        assertEquals(List.of("DHCP", "TFTP", "HTTP"), model.rows().stream().map(ServiceRow::name).toList());
        ServiceRow dhcp = model.rows().get(0);
        assertEquals("Running", dhcp.badge());
        assertEquals("192.168.1.2 · ports 67, 4011/udp", dhcp.listening());
        assertTrue(dhcp.dhcp().startsWith("Proxy DHCP on eth0"), dhcp.dhcp());
        assertEquals("1,234 requests", dhcp.requests());
        assertEquals("1 dropped input", dhcp.dropped());
        assertTrue(dhcp.canStop() && !dhcp.canStart());

        ServiceRow tftp = model.rows().get(1);
        assertEquals(ServiceRow.Tone.FAILED, tftp.tone());
        assertEquals("not listening · port 69/udp", tftp.listening());
        assertTrue(tftp.failure().contains("in use by another program"), tftp.failure());
        assertTrue(tftp.canStart());
        assertEquals("", tftp.dhcp());
        assertEquals("every address · port 80/tcp", model.rows().get(2).listening());
        assertEquals("1 request", model.rows().get(2).requests());
    }

    @Test
    void dhcpOffIsACardThatSaysHowToTurnItOn() {
        connection.set(ConnectionState.SERVER);
        status.set(new ServerStatus(true, List.of(HTTP), Map.of(), List.of()));
        ServiceRow dhcp = model.rows().get(0);
        assertEquals("DHCP", dhcp.name());
        assertEquals("Off", dhcp.badge());
        assertTrue(dhcp.dhcp().contains("`netroot serve --interface eth0`"), dhcp.dhcp());
        assertFalse(dhcp.canStart() || dhcp.canStop(), "nothing to start: the server has no DHCP service");
    }

    @Test
    void liveCountersReplaceTheRow() {
        connection.set(ConnectionState.SERVER);
        status.set(new ServerStatus(true, List.of(HTTP), Map.of(), List.of()));
        ServerStatus.ServiceState busier = new ServerStatus.ServiceState("HTTP", true, null, List.of("0.0.0.0"),
                List.of(80), "tcp", null, List.of(), 50, 2);
        status.set(new ServerStatus(true, List.of(busier), Map.of(), List.of()));
        assertEquals("50 requests", model.rows().get(1).requests());
        assertEquals("2 dropped input", model.rows().get(1).dropped());
    }

    @Test
    void warningsLeaveOutStartFailuresTheCardsTell() {
        connection.set(ConnectionState.SERVER);
        status.set(new ServerStatus(true, List.of(TFTP_FAILED, HTTP), Map.of(),
                List.of("undionly.kpxe is missing from /srv/ipxe: BIOS PXE clients cannot boot", TFTP_FAILED.detail())));
        assertEquals(List.of("undionly.kpxe is missing from /srv/ipxe: BIOS PXE clients cannot boot"), model.warnings());
    }

    @Test
    void offlineThereAreNoServicesAndItSaysWhy() {
        status.set(new ServerStatus(true, List.of(HTTP), Map.of(), List.of("a warning")));
        assertFalse(model.server().get());
        assertTrue(model.offline().get());
        assertTrue(model.rows().isEmpty(), "no server: no cards, even with a stale status");
        assertTrue(model.warnings().isEmpty());
        assertTrue(model.offlineText().get().startsWith("Services run only in a Netroot server, and none runs for"
                + " /var/lib/netroot"), model.offlineText().get());

        connection.set(ConnectionState.SERVER);
        assertTrue(model.server().get());
        assertFalse(model.offline().get());
        assertEquals("", model.offlineText().get());
        assertEquals(List.of("DHCP", "HTTP"), model.rows().stream().map(ServiceRow::name).toList());
    }

    @Test
    void withoutAControlActionsDoNothing() {
        connection.set(ConnectionState.SERVER);
        status.set(new ServerStatus(true, List.of(HTTP), Map.of(), List.of()));
        model.stop("HTTP");
        model.stopAll();
        assertFalse(model.rows().get(1).busy());
        assertFalse(model.allBusy().get());
    }
}
