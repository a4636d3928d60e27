package org.netroot.app.screenshots;

import org.netroot.app.testing.TestServer;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.Client;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;

import java.time.Instant;

/**
 * A homelab as a first-time user might have it after an evening: three clients with their volumes,
 * one that booted fine, one booting now, one that failed (with the words and the fix), and a PC that
 * PXE-booted but is no client yet. Events go through the server's own bus, as a real boot's would.
 */
final class DemoData {
    static final int CLIENTS = 3;
    private static final long GIB = 1L << 30;

    private DemoData() {
    }

    static void fill(TestServer server) throws Exception {
        try (NetrootControl api = Netroot.attach(server.dataDir())) {
            api.createVolume("office-pc", 64 * GIB);
            api.createVolume("lab-1", 32 * GIB);
            api.createVolume("kiosk", 16 * GIB);
            api.createVolume("spare", 8 * GIB);
            api.addClient(Client.sanboot("office-pc", "52:54:00:0a:00:01", "office-pc"));
            api.addClient(Client.sanboot("lab-1", "52:54:00:0a:00:02", "lab-1"));
            api.addClient(Client.sanboot("kiosk", "52:54:00:0a:00:03", "kiosk"));
        }
        var bus = server.server().events();
        Instant now = Instant.now();
        boot(bus::record, "52:54:00:0a:00:02", now.minusSeconds(600), "10.0.0.52", "undionly.kpxe", true);
        boot(bus::record, "52:54:00:0a:00:01", now.minusSeconds(20), "10.0.0.51", "ipxe.efi", false);
        Instant k = now.minusSeconds(90);
        bus.record(event("52:54:00:0a:00:03", k, BootEventType.DHCP_DISCOVER, "PXEClient:Arch:00000 on eth0", null, null));
        bus.record(event("52:54:00:0a:00:03", k.plusMillis(4), BootEventType.DHCP_OFFER, "10.0.0.53, boot file undionly.kpxe", null, null));
        bus.record(event("52:54:00:0a:00:03", k.plusMillis(900), BootEventType.ERROR,
                "the firmware asked for undionly.kpxe and the iPXE folder has none: install Debian's ipxe package"
                        + " or set --ipxe-dir", null, null));
        server.server().control().discovery().seen("52:54:00:12:34:99", 7, "PXEClient:Arch:00007:UNDI:003016", "eth0");
    }

    /** A boot's steps a few hundred milliseconds apart; {@code complete} adds the OS's first reads. */
    private static void boot(java.util.function.Consumer<BootEvent> bus, String mac, Instant start, String ip,
                             String bootFile, boolean complete) {
        bus.accept(event(mac, start, BootEventType.DHCP_DISCOVER, "PXEClient on eth0", null, null));
        bus.accept(event(mac, start.plusMillis(3), BootEventType.DHCP_OFFER, ip + ", boot file " + bootFile, null, null));
        bus.accept(event(mac, start.plusMillis(1010), BootEventType.DHCP_REQUEST, ip, null, null));
        bus.accept(event(mac, start.plusMillis(1012), BootEventType.DHCP_ACK, ip, null, null));
        bus.accept(event(mac, start.plusMillis(1100), BootEventType.BOOT_FILE_SENT, bootFile + " over TFTP", 180L, 1_015_808L));
        bus.accept(event(mac, start.plusMillis(2400), BootEventType.SCRIPT_SERVED, "http://10.0.0.1/boot/" + mac, 2L, 412L));
        bus.accept(event(mac, start.plusMillis(2600), BootEventType.ISCSI_LOGIN, "iqn.2024-01.org.netroot:" + mac.replace(":", ""), null, null));
        if (complete) {
            bus.accept(event(mac, start.plusMillis(2650), BootEventType.ISCSI_FIRST_READ, "LBA 0, 512 bytes", 1L, 512L));
        }
    }

    private static BootEvent event(String mac, Instant at, BootEventType type, String detail, Long ms, Long bytes) {
        return new BootEvent(0, at, mac, null, type, detail, ms, bytes);
    }
}
