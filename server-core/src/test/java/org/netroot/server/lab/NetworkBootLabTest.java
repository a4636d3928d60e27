package org.netroot.server.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.lab.LabBoot.Dhcp;
import org.netroot.server.lab.QemuClient.Firmware;
import org.netroot.server.testing.BootDisks;

/**
 * Diskless PCs (QEMU with real SeaBIOS+iPXE and OVMF firmware) boot a SAN disk from {@code netroot serve},
 * each in its own namespace with its own server. The boots run side by side (a boot under TCG takes
 * 20 s and more; {@code -Dlab.parallelism=N}, default 2) and each test waits for its own.
 */
@Tag("lab")
// longer than the default (junit-platform.properties): each test may wait for boots of the shared pool (240 s boot limit each, a restart)
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class NetworkBootLabTest {
    private static final int PARALLELISM = Integer.getInteger("lab.parallelism", 2);
    /** A client set up on the server but plugged into br1, which {@code serve --interface br0} must ignore. */
    private static final String FOREIGN_MAC = "52:54:00:4e:52:0f";
    private static ExecutorService pool;
    private static final Map<String, Future<LabBoot.Run>> RUNS = new ConcurrentHashMap<>();

    @BeforeAll
    static void startTheBoots() throws Exception {
        if (LabPrerequisites.bootLabMissing().isPresent()) return;
        BootDisks.biosDisk();
        BootDisks.uefiDisk();
        pool = Executors.newFixedThreadPool(PARALLELISM);
        // longest first: the UEFI boots go through OVMF's PXE and a TFTP download of snponly.efi
        submit("uefi-full", Firmware.UEFI, Dhcp.FULL, "52:54:00:4e:52:03", false);
        submit("bios-full", Firmware.BIOS, Dhcp.FULL, "52:54:00:4e:52:01", true, FOREIGN_MAC);
        if (LabPrerequisites.hasHomeRouter()) {
            submit("bios-proxy", Firmware.BIOS, Dhcp.PROXY, "52:54:00:4e:52:02", false);
            submit("uefi-proxy", Firmware.UEFI, Dhcp.PROXY, "52:54:00:4e:52:04", false);
        }
        pool.shutdown();
    }

    @BeforeEach
    void labIsHere() {
        LabPrerequisites.assumeBootLab();
    }

    @AfterAll
    static void stopThePool() {
        if (pool != null) pool.shutdownNow();
    }

    @Test
    void biosClientBootsItsSanDiskInFullMode() throws Exception {
        LabBoot.Run run = booted("bios-full");
        assertTrue(run.outcome().serial().contains(BootDisks.BIOS_BANNER), run.outcome().serial());
        assertTrue(run.outcome().serial().contains("LBA1: " + BootDisks.LBA1_STRING),
                "the boot sector read LBA 1 over iSCSI:\n" + run.outcome().serial());
        assertEquals(BootDisks.marker("pc-" + run.label()), run.lba2(), "the boot sector's write to LBA 2 reached the volume");
        report(run);
    }

    @Test
    void biosClientBootsBesideAHomeRouterInProxyMode() throws Exception {
        LabPrerequisites.assumeHomeRouter();
        LabBoot.Run run = booted("bios-proxy");
        assertTrue(run.outcome().serial().contains("LBA1: " + BootDisks.LBA1_STRING), run.outcome().serial());
        assertEquals(BootDisks.marker("pc-" + run.label()), run.lba2(), "the boot sector's write to LBA 2 reached the volume");
        assertAddressFromRouter(run);
        report(run);
    }

    @Test
    void uefiClientBootsItsGptDiskInFullMode() throws Exception {
        LabBoot.Run run = booted("uefi-full");
        assertTrue(run.outcome().serial().contains(BootDisks.UEFI_BANNER), run.outcome().serial());
        report(run);
    }

    @Test
    void uefiClientBootsBesideAHomeRouterInProxyMode() throws Exception {
        LabPrerequisites.assumeHomeRouter();
        LabBoot.Run run = booted("uefi-proxy");
        assertTrue(run.outcome().serial().contains(BootDisks.UEFI_BANNER), run.outcome().serial());
        assertAddressFromRouter(run);
        report(run);
    }

    /** iPXE in the e1000 ROM asks for its script at once: no boot file for these clients. */
    @Test
    void biosBootsAreStoredAsEventsInOrder() throws Exception {
        assertBootSteps(booted("bios-full"), BootEventType.DHCP_OFFER, BootEventType.DHCP_ACK,
                BootEventType.SCRIPT_SERVED, BootEventType.ISCSI_LOGIN, BootEventType.ISCSI_FIRST_READ);
        LabPrerequisites.assumeHomeRouter();
        assertBootSteps(booted("bios-proxy"), BootEventType.PROXY_OFFER,
                BootEventType.SCRIPT_SERVED, BootEventType.ISCSI_LOGIN, BootEventType.ISCSI_FIRST_READ);
    }

    /** OVMF's own PXE gets snponly.efi over TFTP first, then iPXE asks again and gets its script. */
    @Test
    void uefiBootsAreStoredAsEventsInOrder() throws Exception {
        assertBootSteps(booted("uefi-full"), BootEventType.DHCP_OFFER, BootEventType.DHCP_ACK,
                BootEventType.BOOT_FILE_SENT, BootEventType.SCRIPT_SERVED, BootEventType.ISCSI_LOGIN,
                BootEventType.ISCSI_FIRST_READ);
        LabPrerequisites.assumeHomeRouter();
        // UEFI ignores a boot file in the port-67 proxy offer: it asks the boot server on port 4011
        LabBoot.Run proxy = booted("uefi-proxy");
        assertBootSteps(proxy, BootEventType.PROXY_ACK, BootEventType.BOOT_FILE_SENT,
                BootEventType.SCRIPT_SERVED, BootEventType.ISCSI_LOGIN, BootEventType.ISCSI_FIRST_READ);
        assertTrue(proxy.eventsOfClient().stream().anyMatch(e -> e.type() == BootEventType.PROXY_ACK
                        && e.detail() != null && e.detail().contains("4011")),
                "OVMF's boot-server request on port 4011 was answered: " + proxy.eventsOfClient());
    }

    /**
     * LAB.md: a server must answer only on the interfaces it was told to serve. A set-up client on br1
     * sent its DHCP discovers all through the br0 client's boot, and the server neither answered nor
     * even noted it.
     */
    @Test
    void aClientOnANetworkNotServedGetsNothing() throws Exception {
        LabBoot.Foreign foreign = booted("bios-full").foreign();
        assertNotNull(foreign, "the foreign client did not run");
        assertTrue(foreign.packetsFromClient() > 0, "the client on br1 sent nothing: this test proves nothing");
        assertEquals(List.of(), foreign.events(), "events of a client on a network not served");
        assertFalse(foreign.serial().contains(BootDisks.BIOS_BANNER), foreign.serial());
        System.out.printf("lab: the client on br1 sent %d packets, none answered%n", foreign.packetsFromClient());
    }

    /** The data directory of the BIOS full-mode boot served again: nothing the boot left is forgotten. */
    @Test
    void aRestartedServerRemembersClientsVolumesLeasesAndEvents() throws Exception {
        LabBoot.Run run = booted("bios-full");
        LabBoot.Restart again = run.restart();
        assertNotNull(again, "the restart did not run");
        assertTrue(again.clientList().contains("pc-bios-full") && again.clientList().contains(run.mac()),
                "client list after restart:\n" + again.clientList());
        assertTrue(again.volumeList().contains("disk-bios-full"), "volume list after restart:\n" + again.volumeList());
        assertTrue(again.leases().stream().anyMatch(l -> l.mac().equals(run.mac())),
                "the lease of " + run.mac() + " after restart: " + again.leases());
        assertTrue(again.eventsJson().contains("ISCSI_FIRST_READ") && again.eventsJson().contains(run.mac()),
                "netroot events --json from the restarted server:\n" + again.eventsJson());
        List<Long> before = run.events().stream().map(BootEvent::id).toList();
        List<Long> after = again.events().stream().map(BootEvent::id).toList();
        assertTrue(after.containsAll(before), "events before the restart " + before + ", after " + after);
    }

    private static void submit(String label, Firmware firmware, Dhcp dhcp, String mac, boolean restart) {
        submit(label, firmware, dhcp, mac, restart, null);
    }

    private static void submit(String label, Firmware firmware, Dhcp dhcp, String mac, boolean restart, String foreignMac) {
        RUNS.put(label, pool.submit(() -> LabBoot.run(label, firmware, dhcp, mac, restart, foreignMac)));
    }

    /** Waits for the boot {@code label} and fails with the full evidence unless its program ran to the end. */
    private static LabBoot.Run booted(String label) throws Exception {
        Future<LabBoot.Run> f = RUNS.get(label);
        assertNotNull(f, "boot " + label + " was not started");
        LabBoot.Run run = f.get();
        if (run.error() != null) {
            throw new AssertionError("boot " + label + ": the lab could not finish"
                    + (run.failureReport() == null ? "" : "\n" + run.failureReport()), run.error());
        }
        if (!run.booted()) fail("boot " + label + " did not reach its boot program's end:\n" + run.failureReport());
        return run;
    }

    private static void assertAddressFromRouter(LabBoot.Run run) {
        assertTrue(run.routerLeases().stream().anyMatch(l -> l.contains(run.mac())),
                "the client's address comes from the home router's lease file: " + run.routerLeases()
                        + "\n--- router log ---\n" + run.routerLog());
    }

    /**
     * The client's events hold {@code steps} in this order (others may come between: retries, probes),
     * the boot file transfer carries its duration and size, and no ERROR event was stored.
     */
    private static void assertBootSteps(LabBoot.Run run, BootEventType... steps) {
        List<BootEvent> events = run.eventsOfClient();
        String all = run.events().stream().map(e -> e.id() + " " + e.mac() + " " + e.type() + " " + e.detail()
                + " " + e.durationMs() + "ms").collect(Collectors.joining("\n"));
        int from = 0;
        List<BootEventType> found = new ArrayList<>();
        for (BootEventType step : steps) {
            int i = from;
            while (i < events.size() && events.get(i).type() != step) i++;
            if (i == events.size()) {
                fail(run.label() + ": no " + step + " for " + run.mac() + " after " + found + "; stored events:\n" + all);
            }
            found.add(step);
            from = i + 1;
        }
        for (BootEvent e : events) {
            // the boot file is the one transfer worth timing (TFTP, hundreds of KiB); the script is a few bytes
            if (e.type() == BootEventType.BOOT_FILE_SENT) {
                assertNotNull(e.durationMs(), run.label() + ": a transfer without its duration: " + e);
                assertNotNull(e.bytes(), run.label() + ": a transfer without its size: " + e);
                assertTrue(e.bytes() > 0, run.label() + ": an empty transfer: " + e);
            }
        }
        assertFalse(events.stream().anyMatch(e -> e.type() == BootEventType.ERROR),
                run.label() + ": error events during a boot that worked:\n" + all);
    }

    private static void report(LabBoot.Run run) {
        System.out.printf("lab: %s booted in %d s (QEMU exit %s)%n", run.label(), run.outcome().elapsed().toSeconds(),
                run.outcome().exitCode());
    }
}
