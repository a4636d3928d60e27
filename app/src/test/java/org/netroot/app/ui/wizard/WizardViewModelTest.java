package org.netroot.app.ui.wizard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.app.testing.Processes;
import org.netroot.app.testing.TestServer;
import org.netroot.app.testing.VethNetwork;
import org.netroot.server.api.DhcpProbeResult;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.ServerSettings;

/** The wizard's steps without a screen, against a real server on loopback. */
class WizardViewModelTest {
    @TempDir
    Path tmp;
    private final ExecutorService io = Executors.newVirtualThreadPerTaskExecutor();
    private TestServer server;
    private NetrootControl control;

    @AfterEach
    void tearDown() {
        if (control != null) control.close();
        if (server != null) server.close();
        io.shutdownNow();
    }

    private WizardViewModel wizard() throws Exception {
        Path data = tmp.resolve("data");
        server = TestServer.start(data);
        control = Netroot.attach(data);
        // results applied on the io thread: JavaFX properties work without the FX thread
        return new WizardViewModel(() -> control, io, Runnable::run);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("within 10 s: " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void aProbeProblemLeavesProxyModeAndSaysWhyInWords() {
        DhcpChoice c = new DhcpChoice();
        c.mode().set(ServerSettings.FULL);
        c.recommend(DhcpProbeResult.failed("eth0", "not allowed to use the DHCP client port 68 on eth0: run as root"));
        assertEquals(ServerSettings.PROXY, c.mode().get(), "proxy never assigns addresses: the safe guess");
        assertTrue(c.finding().get().startsWith("Could not look for a DHCP server on eth0: not allowed"), c.finding().get());
    }

    @Test
    void theFirstClientFormSaysWhatIsMissing() {
        FirstClientForm f = new FirstClientForm();
        assertEquals(List.of(), f.problems(), "waiting for discovery needs nothing");
        f.addNow().set(true);
        assertEquals(List.of("give the PC's MAC address (on a sticker, or in its firmware setup)"), f.problems());
        f.mac().set("52-54-00-12-34-56");
        f.sizeGib().set("lots");
        assertEquals(List.of("the disk size is a whole number of GiB, e.g. 32"), f.problems());
        f.sizeGib().set("8");
        assertEquals(List.of(), f.problems());
        assertEquals(8L << 30, f.sizeBytes());
        assertEquals("52:54:00:12:34:56", f.client().mac());
    }

    @Test
    void probesTheChosenInterfaceChecksTheRangeAndSavesSettingsAndTheFirstClient() throws Exception {
        assumeTrue(Processes.isRoot(), "needs root: a veth pair and the DHCP client port 68");
        WizardViewModel vm = wizard();
        try (VethNetwork net = VethNetwork.create("wv", tmp)) {
            vm.load();
            await("interfaces listed", () -> !vm.busy().get() && !vm.interfaces().isEmpty());
            assertTrue(vm.selected().get() != null && vm.selected().get().servable(), "a servable one preselected");
            vm.selected().set(vm.interfaces().stream().filter(i -> i.name().equals(net.hostInterface())).findFirst()
                    .orElseThrow());

            vm.next();
            await("probed", () -> vm.step().get() == WizardStep.DHCP);
            assertEquals(ServerSettings.FULL, vm.dhcp().mode().get(), "no DHCP server on the new network");
            assertEquals(net.address(100), vm.dhcp().rangeStart().get());
            assertEquals(net.address(200), vm.dhcp().rangeEnd().get());

            vm.dhcp().rangeEnd().set("10.99.0.1");
            vm.next();
            assertEquals(WizardStep.DHCP, vm.step().get(), "a range outside the network stops here");
            assertTrue(vm.error().get().contains("is not inside " + net.hostInterface() + "'s network"), vm.error().get());
            vm.dhcp().rangeEnd().set(net.address(150));

            vm.next();
            await("iPXE checked", () -> vm.step().get() == WizardStep.IPXE);
            assertFalse(vm.ipxe().get().ready(), "the test server's iPXE folder is empty");
            assertEquals(vm.ipxe().get().folder(), vm.ipxeFolder().get(), "prefilled with the checked folder");
            assertEquals(null, vm.settings().ipxeDir(), "the checked folder is not saved as a choice");
            String ipxe = java.nio.file.Files.createDirectories(tmp.resolve("srv-ipxe")).toString();
            vm.ipxeFolder().set(ipxe); // another existing folder (the server refuses one that is not)
            vm.next();
            assertEquals(WizardStep.FIRST_CLIENT, vm.step().get());

            vm.firstClient().addNow().set(true);
            vm.firstClient().mac().set("52:54:00:ab:cd:01");
            vm.firstClient().sizeGib().set("1");
            vm.next();
            await("finished", () -> vm.done().get() || !vm.error().get().isEmpty());
            assertEquals("", vm.error().get());

            ServerSettings saved = control.settings();
            assertEquals(List.of(net.hostInterface()), saved.interfaces());
            assertEquals(ServerSettings.FULL, saved.dhcpMode());
            assertEquals(net.address(100), saved.rangeStart());
            assertEquals(net.address(150), saved.rangeEnd());
            assertEquals(ipxe, saved.ipxeDir(), "another folder typed on the boot files page");
            assertEquals("pc1", control.clients().getFirst().name());
            assertEquals(1L << 30, control.volumes().getFirst().sizeBytes());
        }
    }
}
