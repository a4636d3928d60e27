package org.netroot.app.screenshots;

import org.netroot.app.testing.TestServer;
import org.netroot.server.api.AssetKind;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.BootOptions;
import org.netroot.server.api.Client;
import org.netroot.server.api.KernelBoot;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.RamdiskBoot;
import org.netroot.server.api.Volume;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * A homelab as a first-time user might have it after an evening: four clients with their volumes,
 * one that booted fine, one booting now, one that failed (with the words and the fix), a thin client
 * that runs from RAM (booted: the server sees no more of it), and a PC that
 * PXE-booted but is no client yet, a golden image with one overlay, and a shared (cluster) volume; one
 * client has a second initiator name, the kiosk boots a kernel and initrd of the asset library. Events go through the server's own bus, as a real boot's would.
 */
final class DemoData {
    static final int CLIENTS = 4;
    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;

    private DemoData() {
    }

    /** The client a real QEMU PC plays when the tour boots one (its demo boot events are left out then). */
    static final String REAL_PC_MAC = "52:54:00:0a:00:01";
    private static final String THIN_MAC = "52:54:00:0a:00:04";

    static void fill(TestServer server, boolean realBoot) throws Exception {
        try (NetrootControl api = Netroot.attach(server.dataDir())) {
            api.createVolume("office-pc", 64 * GIB);
            api.createVolume("lab-1", 32 * GIB);
            api.createVolume("kiosk", 16 * GIB);
            api.createVolume("spare", 8 * GIB);
            api.createVolume("classroom", 32 * GIB); // a golden image with an overlay: the Volumes view's badges
            api.makeGolden("classroom");
            api.cloneVolume("classroom", "desk-1");
            api.createSnapshot("lab-1", "before-update"); // the Volumes view's Snapshots column
            api.createVolume("cluster-quorum", GIB, Volume.RAW); // the Volumes view's Shared badge
            api.shareVolume("cluster-quorum", true);
            // the card's second initiator name: the booted Windows' own, which logs in once it runs
            api.addClient(Client.sanboot("office-pc", REAL_PC_MAC, "office-pc").withInitiatorIqns(
                    List.of(Client.defaultInitiatorIqn("office-pc"), "iqn.1991-05.com.microsoft:office-pc")));
            api.addClient(Client.sanboot("lab-1", "52:54:00:0a:00:02", "lab-1"));
            // the Assets view's library, and a client booting a kernel and initrd from it (the card's kernel mode)
            Path files = Files.createDirectories(server.dataDir().resolveSibling("demo-assets"));
            api.addAsset(sized(files.resolve("vmlinuz"), 8 * MIB), "vmlinuz", AssetKind.KERNEL);
            api.addAsset(sized(files.resolve("initrd.img"), 24 * MIB), "initrd.img", AssetKind.INITRD);
            api.addAsset(sized(files.resolve("debian-12.iso"), 48 * MIB), "debian-12.iso", AssetKind.ISO);
            api.addAsset(sized(files.resolve("kiosk.squashfs"), 16 * MIB), "kiosk.squashfs", AssetKind.ROOT_IMAGE);
            api.addClient(Client.sanboot("kiosk", "52:54:00:0a:00:03", "kiosk").withBoot(BootMode.KERNEL,
                    BootOptions.NONE.withKernel(new KernelBoot("vmlinuz", "initrd.img", "debian-iscsi"))));
            api.addClient(Client.sanboot("thin-1", THIN_MAC, null).withBoot(BootMode.RAMDISK,
                    BootOptions.NONE.withRamdisk(new RamdiskBoot("vmlinuz", "initrd.img", "kiosk.squashfs", "live-fetch"))));
        }
        var bus = server.server().events();
        Instant now = Instant.now();
        boot(bus::record, "lab-1", "52:54:00:0a:00:02", now.minusSeconds(600), "198.18.77.102", true);
        if (!realBoot) boot(bus::record, "office-pc", REAL_PC_MAC, now.minusSeconds(20), "198.18.77.101", false);
        String kiosk = "52:54:00:0a:00:03";
        Instant k = now.minusSeconds(90);
        bus.record(event(kiosk, k, BootEventType.DHCP_DISCOVER, "full on br0, arch 0 (BIOS), PXE ROM", null, null));
        bus.record(event(kiosk, k.plusMillis(4), BootEventType.DHCP_OFFER,
                "full, 198.18.77.103 on br0, arch 0 (BIOS), boot file undionly.kpxe", null, null));
        bus.record(event(kiosk, k.plusMillis(900), BootEventType.ERROR,
                "the firmware asked for undionly.kpxe and the iPXE folder has none: install Debian's ipxe package"
                        + " or set --ipxe-dir", null, null));
        Instant t = now.minusSeconds(300);
        bus.record(event(THIN_MAC, t, BootEventType.DHCP_DISCOVER, "full on br0, arch 7 (UEFI), PXE", null, null));
        bus.record(event(THIN_MAC, t.plusMillis(1500), BootEventType.SCRIPT_SERVED,
                "ramdisk vmlinuz + initrd.img, root image kiosk.squashfs", 2L, 240L));
        bus.record(event(THIN_MAC, t.plusMillis(9800), BootEventType.BOOT_FILE_SENT,
                "http asset kiosk.squashfs (root-image), boot mode ramdisk", 1900L, 16 * MIB));
        bus.record(event(THIN_MAC, t.plusMillis(9800), BootEventType.HANDED_OVER,
                "running from RAM: root image kiosk.squashfs sent, the machine needs the server no more", null, null));
        server.server().control().discovery().seen("52:54:00:12:34:99", 7, "PXEClient:Arch:00007:UNDI:003016", "br0");
    }

    /** A file of {@code bytes} (the asset library copies and hashes it: its size is what the view shows). */
    private static String sized(Path file, long bytes) throws java.io.IOException {
        try (var f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(bytes);
        }
        return file.toString();
    }

    /**
     * A BIOS PC's boot as the server reports one (words as in its log): PXE ROM, undionly.kpxe over
     * TFTP, iPXE's script, the iSCSI login and, when {@code complete}, the first read of its volume.
     */
    private static void boot(Consumer<BootEvent> bus, String name, String mac, Instant start, String ip,
                             boolean complete) {
        String target = "iqn.2026-01.org.netroot:" + name, initiator = "iqn.2026-01.org.netroot:initiator:" + name;
        bus.accept(event(mac, start, BootEventType.DHCP_DISCOVER, "full on br0, arch 0 (BIOS), PXE ROM", null, null));
        bus.accept(event(mac, start.plusMillis(3), BootEventType.DHCP_OFFER,
                "full, " + ip + " on br0, arch 0 (BIOS), boot file undionly.kpxe", null, null));
        bus.accept(event(mac, start.plusMillis(1010), BootEventType.DHCP_REQUEST, "full on br0, arch 0 (BIOS)", null, null));
        bus.accept(event(mac, start.plusMillis(1012), BootEventType.DHCP_ACK, "full, " + ip + " on br0", null, null));
        bus.accept(event(mac, start.plusMillis(1100), BootEventType.BOOT_FILE_SENT, "undionly.kpxe to " + ip,
                180L, 71_234L));
        bus.accept(event(mac, start.plusMillis(3400), BootEventType.SCRIPT_SERVED, "sanboot " + target, 2L, 212L));
        bus.accept(event(mac, start.plusMillis(3500), BootEventType.ISCSI_LOGIN,
                initiator + " logged in to " + target, null, null));
        if (complete) {
            bus.accept(event(mac, start.plusMillis(3520), BootEventType.ISCSI_FIRST_READ,
                    initiator + " reads " + target, null, null));
        }
    }

    private static BootEvent event(String mac, Instant at, BootEventType type, String detail, Long ms, Long bytes) {
        return new BootEvent(0, at, mac, null, type, detail, ms, bytes);
    }
}
