package org.netroot.server.lab;

import org.netroot.server.testing.BootDisks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.Lease;

/**
 * One diskless boot against our server, start to finish, in its own namespace with its own server:
 * set up a volume and a client through the CLI, {@code serve}, power on a QEMU client, wait for the boot
 * program's last line, stop the server, collect the evidence. Several run side by side on the shared disks.
 */
final class LabBoot {
    static final Duration BOOT_TIMEOUT = Duration.ofSeconds(Long.getLong("lab.bootTimeoutSeconds", 240));
    private static final Path RUNS = Path.of("target", "lab-runs").toAbsolutePath();

    enum Dhcp { FULL, PROXY }

    /** What one boot left behind; {@code error} is set when the harness itself could not finish. */
    record Run(String label, QemuClient.Firmware firmware, Dhcp dhcp, String mac, QemuClient.Outcome outcome,
               String failureReport, List<BootEvent> events, String lba2, List<String> routerLeases,
               String routerLog, Restart restart, Foreign foreign, Throwable error) {
        boolean booted() {
            return outcome != null && outcome.sawText() && outcome.exitedWith(BootDisks.SUCCESS_EXIT_CODE);
        }

        List<BootEvent> eventsOfClient() {
            return events.stream().filter(e -> mac.equals(e.mac())).toList();
        }
    }

    /**
     * A second PC, set up as a client too, on bridge br1 the server was not told to serve, powered on with
     * the first: what the bridge received from it and what the server stored about it.
     */
    record Foreign(String mac, long packetsFromClient, List<BootEvent> events, String serial) {
    }

    /** The same data directory served a second time: what {@code client list}, {@code volume list}, {@code events} said. */
    record Restart(String clientList, String volumeList, String eventsJson, List<Lease> leases, List<BootEvent> events) {
    }

    private LabBoot() {
    }

    /**
     * Boots {@code firmware} with Netroot in {@code dhcp} mode. In proxy mode a home router (dnsmasq,
     * addresses only) sits on the segment. With {@code restart}, the stopped server is served again
     * afterwards and asked what it remembers.
     */
    static Run run(String label, QemuClient.Firmware firmware, Dhcp dhcp, String mac, boolean restart) {
        return run(label, firmware, dhcp, mac, restart, null);
    }

    /** As above; with {@code foreignMac}, a second client boots at the same time on a network not served. */
    static Run run(String label, QemuClient.Firmware firmware, Dhcp dhcp, String mac, boolean restart, String foreignMac) {
        QemuClient.Outcome outcome = null;
        String report = null;
        List<BootEvent> events = List.of();
        String lba2 = null;
        List<String> routerLeases = List.of();
        String routerLog = "";
        Restart again = null;
        Foreign foreign = null;
        try {
            Path work = Files.createDirectories(RUNS.resolve(label + "-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss-SSS"))));
            Path disk = firmware == QemuClient.Firmware.BIOS ? BootDisks.biosDisk() : BootDisks.uefiDisk();
            try (LabNetwork net = LabNetwork.create(label, work);
                 NetrootProcess netroot = new NetrootProcess(net)) {
                LabNetwork.HomeRouter router = dhcp == Dhcp.PROXY ? net.startHomeRouter() : null;
                netroot.createVolume("disk-" + label, disk);
                netroot.addClient("pc-" + label, mac, "disk-" + label);
                QemuClient stranger = null;
                if (foreignMac != null) {
                    net.addForeignBridge();
                    netroot.createVolume("disk-foreign", disk);
                    netroot.addClient("pc-foreign", foreignMac, "disk-foreign");
                }
                if (dhcp == Dhcp.FULL) netroot.serveFull(); else netroot.serveProxy();
                try (QemuClient pc = QemuClient.of(net, firmware, mac)) {
                    if (foreignMac != null) {
                        stranger = QemuClient.of(net, firmware, foreignMac);
                        stranger.startOn("br1");
                    }
                    pc.start();
                    String last = firmware == QemuClient.Firmware.BIOS ? BootDisks.DONE : BootDisks.UEFI_BANNER;
                    outcome = pc.awaitSerial(last, BOOT_TIMEOUT);
                    if (!(outcome.sawText() && outcome.exitedWith(BootDisks.SUCCESS_EXIT_CODE))) {
                        report = pc.failureReport(outcome, netroot.log()
                                + (router == null ? "" : "\n--- home router (dnsmasq) log ---\n" + router.logText()));
                    }
                }
                long fromStranger = 0;
                String strangerSerial = "";
                if (stranger != null) {
                    fromStranger = net.receivedPackets("br1");
                    strangerSerial = stranger.serialText();
                    stranger.close();
                }
                netroot.stop();
                events = netroot.storedEvents();
                if (stranger != null) {
                    foreign = new Foreign(foreignMac, fromStranger,
                            events.stream().filter(e -> foreignMac.equals(e.mac())).toList(), strangerSerial);
                }
                lba2 = BootDisks.lba2Text(netroot.exportVolume("disk-" + label, work.resolve("exported.img")));
                if (router != null) {
                    routerLeases = router.leases();
                    routerLog = router.logText();
                }
                if (restart) again = restart(netroot);
                if (report != null) report += "\n--- stored events ---\n" + String.join("\n", events.stream().map(Object::toString).toList());
            }
            return new Run(label, firmware, dhcp, mac, outcome, report, events, lba2, routerLeases, routerLog, again, foreign, null);
        } catch (Throwable t) {
            return new Run(label, firmware, dhcp, mac, outcome, report, events, lba2, routerLeases, routerLog, again, foreign, t);
        }
    }

    private static Restart restart(NetrootProcess netroot) throws Exception {
        netroot.serveFull();
        String clients = netroot.cli("client", "list");
        String volumes = netroot.cli("volume", "list");
        String events = netroot.cli("events", "--json");
        netroot.stop();
        return new Restart(clients, volumes, events, netroot.storedLeases(), netroot.storedEvents());
    }
}
