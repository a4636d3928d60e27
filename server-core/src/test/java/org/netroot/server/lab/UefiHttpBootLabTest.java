package org.netroot.server.lab;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
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
 * UEFI HTTP Boot on a real firmware: OVMF with its PXE off boots through HttpBootDxe, which asks DHCP as
 * {@code HTTPClient}, loads snponly.efi by the URL Netroot handed it, and that iPXE fetches its script and
 * sanboots the client's GPT volume. In full mode Netroot's offer carries address and URL; in proxy mode a
 * home router gives the address and Netroot's proxy offer only the URL.
 */
@Tag("lab")
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class UefiHttpBootLabTest {
    private static ExecutorService pool;
    private static final Map<String, Future<LabBoot.Run>> RUNS = new ConcurrentHashMap<>();

    @BeforeAll
    static void startTheBoots() throws Exception {
        if (LabPrerequisites.bootLabMissing().isPresent()) return;
        BootDisks.uefiDisk();
        pool = Executors.newFixedThreadPool(Integer.getInteger("lab.parallelism", 2));
        submit("http-full", Dhcp.FULL, "52:54:00:48:54:01");
        if (LabPrerequisites.hasHomeRouter()) submit("http-proxy", Dhcp.PROXY, "52:54:00:48:54:02");
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
    void ovmfHttpBootGetsIpxeByUrlFromFullDhcpAndSanbootsItsVolume() throws Exception {
        LabBoot.Run run = booted("http-full");
        String binary = "http://" + serverOf(run) + "/ipxe/snponly.efi";
        assertSteps(run,
                step(BootEventType.DHCP_OFFER, "UEFI HTTP Boot, boot URL " + binary),
                step(BootEventType.DHCP_ACK, "UEFI HTTP Boot, boot URL " + binary),
                step(BootEventType.BOOT_FILE_SENT, "UEFI HTTP Boot, iPXE binary " + binary),
                step(BootEventType.SCRIPT_SERVED, ""),
                step(BootEventType.ISCSI_LOGIN, ""));
    }

    @Test
    void ovmfHttpBootGetsIpxeByUrlFromAProxyOfferBesideAHomeRouter() throws Exception {
        LabPrerequisites.assumeHomeRouter();
        LabBoot.Run run = booted("http-proxy");
        String binary = "http://" + serverOf(run) + "/ipxe/snponly.efi";
        assertSteps(run,
                step(BootEventType.PROXY_OFFER, "UEFI HTTP Boot, boot URL " + binary),
                step(BootEventType.BOOT_FILE_SENT, "UEFI HTTP Boot, iPXE binary " + binary),
                step(BootEventType.SCRIPT_SERVED, ""),
                step(BootEventType.ISCSI_LOGIN, ""));
        assertTrue(run.routerLeases().stream().anyMatch(l -> l.contains(run.mac())),
                "the address comes from the home router: " + run.routerLeases() + "\n" + run.routerLog());
    }

    private static void submit(String label, Dhcp dhcp, String mac) {
        RUNS.put(label, pool.submit(() -> LabBoot.run(label, Firmware.UEFI_HTTP, dhcp, mac, false)));
    }

    private static LabBoot.Run booted(String label) throws Exception {
        Future<LabBoot.Run> f = RUNS.get(label);
        assertNotNull(f, "boot " + label + " was not started");
        LabBoot.Run run = f.get();
        if (run.error() != null) {
            throw new AssertionError("boot " + label + ": the lab could not finish"
                    + (run.failureReport() == null ? "" : "\n" + run.failureReport()), run.error());
        }
        if (!run.booted()) fail("boot " + label + " did not reach its boot program's end:\n" + run.failureReport());
        assertTrue(run.outcome().serial().contains(BootDisks.UEFI_BANNER), run.outcome().serial());
        System.out.printf("lab: %s booted in %d s%n", label, run.outcome().elapsed().toSeconds());
        return run;
    }

    /** The server's address as the script event saw it: the lab's namespaces each have their own. */
    private static String serverOf(LabBoot.Run run) {
        return run.eventsOfClient().stream().filter(e -> e.type() == BootEventType.DHCP_OFFER
                        || e.type() == BootEventType.PROXY_OFFER)
                .map(BootEvent::detail).filter(d -> d.contains("http://"))
                .map(d -> d.substring(d.indexOf("http://") + 7, d.indexOf('/', d.indexOf("http://") + 7)))
                .findFirst().orElseThrow(() -> new AssertionError("no offer with a URL: " + run.eventsOfClient()));
    }

    private record Step(BootEventType type, String detail) implements Predicate<BootEvent> {
        @Override
        public boolean test(BootEvent e) {
            return e.type() == type && e.detail() != null && e.detail().contains(detail);
        }
    }

    private static Step step(BootEventType type, String detailContains) {
        return new Step(type, detailContains);
    }

    /** The client's events hold these steps in this order, and no error. */
    private static void assertSteps(LabBoot.Run run, Step... steps) {
        List<BootEvent> events = run.eventsOfClient();
        String all = events.stream().map(e -> e.type() + " " + e.detail()).collect(Collectors.joining("\n"));
        int from = 0;
        for (Step step : steps) {
            int i = from;
            while (i < events.size() && !step.test(events.get(i))) i++;
            if (i == events.size()) fail(run.label() + ": no " + step + " after event " + from + " in:\n" + all);
            from = i + 1;
        }
        assertFalse(events.stream().anyMatch(e -> e.type() == BootEventType.ERROR), run.label() + ":\n" + all);
    }
}
