package org.netroot.server.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.netroot.server.boot.BootFixtures.ALL_OPTIONS;
import static org.netroot.server.boot.BootFixtures.LIBRARY;
import static org.netroot.server.boot.BootFixtures.MAC;
import static org.netroot.server.boot.BootFixtures.REQUEST;
import static org.netroot.server.boot.BootFixtures.client;
import static org.netroot.server.boot.BootFixtures.plan;
import static org.netroot.server.boot.BootFixtures.planner;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.netroot.server.api.AssetKind;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.BootOptions;
import org.netroot.server.api.Client;
import org.netroot.server.api.InstallBoot;
import org.netroot.server.api.KernelBoot;
import org.netroot.server.api.RamdiskBoot;

/** Who gets what: the planner's decision per mode, and what it says when a mode cannot boot. */
class BootPlannerTest {

    /** One plan kind per mode: a mode added without a case fails to compile here, one planned wrongly fails. */
    @Test
    void everyModeHasItsPlan() {
        for (BootMode mode : BootMode.values()) {
            BootPlan p = plan(client(mode));
            Class<? extends BootPlan> expected = switch (mode) {
                case SANBOOT -> BootPlan.Sanboot.class;
                case INSTALL -> BootPlan.Install.class;
                case KERNEL -> BootPlan.Kernel.class;
                case RAMDISK -> BootPlan.Ramdisk.class;
                case MENU -> BootPlan.Menu.class;
                case LOCAL -> BootPlan.Local.class;
                case IGNORE -> BootPlan.Ignore.class;
            };
            assertInstanceOf(expected, p, mode + ": " + p);
            assertEquals(mode.id(), p.modeName());
        }
    }

    @Test
    void onlyAnIgnoredClientIsIgnoredAndAMachineThatIsNoClientIsNot() {
        for (BootMode mode : BootMode.values()) {
            assertEquals(mode == BootMode.IGNORE, planner(client(mode)).ignores(MAC), mode.id());
        }
        assertFalse(planner(client(BootMode.IGNORE)).ignores("52:54:00:00:00:99"));
        assertEquals(Optional.empty(), BootPlanner.none().modeOf(MAC));
    }

    @Test
    void aMachineThatIsNoClientIsNotReadyAndToldHowToAddIt() {
        BootPlan.NotReady p = assertInstanceOf(BootPlan.NotReady.class, BootPlanner.none().plan(REQUEST));
        assertTrue(p.summary().contains("netroot client add NAME --mac " + MAC), p.summary());
    }

    @Test
    void theSanbootDiskCarriesTheClientsNamesAndChap() {
        Client c = new Client("pc1", MAC, "pc1-disk", BootMode.SANBOOT, null, "alice", "secret-123456", null,
                "target-secret-1", null);
        BootPlan.SanDisk d = assertInstanceOf(BootPlan.Sanboot.class, plan(c)).volume();
        assertEquals("iscsi:198.18.0.1::::iqn.2026-01.org.netroot:pc1", d.rootPath());
        assertEquals("alice", d.chapUser());
        assertEquals("secret-123456", d.chapSecret());
        assertEquals("iqn.2026-01.org.netroot:pc1", d.reverseUser());
        assertEquals("target-secret-1", d.reverseSecret());
        BootPlan.SanDisk open = assertInstanceOf(BootPlan.Sanboot.class, plan(client(BootMode.SANBOOT))).volume();
        assertNull(open.chapSecret());
    }

    @Test
    void aKernelGetsItsAssetsByUrlAndItsCommandLineExpandedForThisRequest() {
        BootPlan.Kernel k = assertInstanceOf(BootPlan.Kernel.class, plan(client(BootMode.KERNEL)));
        assertEquals(new BootPlan.AssetRef("vmlinuz", "http://198.18.0.1/assets/vmlinuz"), k.linux().kernel());
        assertEquals(new BootPlan.AssetRef("initrd.img", "http://198.18.0.1/assets/initrd.img"), k.linux().initrd());
        assertEquals("console=ttyS0 netroot.mac=52:54:00:00:00:01 ip=198.18.0.101", k.linux().cmdline());
        assertNull(k.iscsiRoot(), "no iSCSI in the command line: nothing attached");
        BootPlan.Kernel nbd = assertInstanceOf(BootPlan.Kernel.class, plan(client(BootMode.KERNEL,
                ALL_OPTIONS.withKernel(new KernelBoot("vmlinuz", "initrd.img", "nbd-root")))));
        assertEquals("root=/dev/nbd0 nbdroot=198.18.0.1:10809/pc1-disk ip=dhcp rw", nbd.linux().cmdline());
        BootPlan.Kernel dracut = assertInstanceOf(BootPlan.Kernel.class, plan(client(BootMode.KERNEL,
                ALL_OPTIONS.withKernel(new KernelBoot("vmlinuz", "initrd.img", "dracut-iscsi")))));
        assertEquals("iscsi:198.18.0.1::::iqn.2026-01.org.netroot:pc1", dracut.iscsiRoot().rootPath());
    }

    @Test
    void aRamdiskCommandLineSaysWhereTheRootImageIs() {
        BootPlan.Ramdisk r = assertInstanceOf(BootPlan.Ramdisk.class, plan(client(BootMode.RAMDISK)));
        assertEquals("ip=dhcp boot=live fetch=http://198.18.0.1/assets/root.squashfs", r.linux().cmdline());
        BootPlan.Ramdisk dracut = assertInstanceOf(BootPlan.Ramdisk.class, plan(client(BootMode.RAMDISK,
                ALL_OPTIONS.withRamdisk(new RamdiskBoot("vmlinuz", "initrd.img", "root.squashfs", "dracut-live")))));
        assertEquals("ip=dhcp root=live:http://198.18.0.1/assets/root.squashfs rd.live.ram=1", dracut.linux().cmdline());
    }

    @Test
    void anInstallerIsAnIsoOrAKernelAndNothingElse() {
        BootPlan.Install iso = assertInstanceOf(BootPlan.Install.class, plan(client(BootMode.INSTALL)));
        assertInstanceOf(BootPlan.IsoInstaller.class, iso.installer());
        assertFalse(iso.volumeFirst());
        BootPlan.Install kernel = assertInstanceOf(BootPlan.Install.class, plan(client(BootMode.INSTALL,
                ALL_OPTIONS.withInstall(new InstallBoot("inst-vmlinuz", "inst-initrd", null, false)))));
        assertInstanceOf(BootPlan.KernelInstaller.class, kernel.installer());
        BootPlan.NotReady initrd = assertInstanceOf(BootPlan.NotReady.class, plan(client(BootMode.INSTALL,
                ALL_OPTIONS.withInstall(new InstallBoot("initrd.img", null, null, false)))));
        assertTrue(initrd.summary().contains("an installer is an ISO or a kernel"), initrd.summary());
    }

    @Test
    void theInstallPhaseDecidesWhetherTheVolumeBootsFirstUnlessTheInstallerIsAskedForAgain() {
        BootPlanner p = planner(client(BootMode.INSTALL), AssetCatalog.of(LIBRARY), c -> true);
        assertTrue(assertInstanceOf(BootPlan.Install.class, p.plan(REQUEST)).volumeFirst());
        assertFalse(assertInstanceOf(BootPlan.Install.class, p.installerAgain(REQUEST)).volumeFirst());
    }

    @Test
    void aMissingAssetOrOptionSaysWhatToDoInsteadOfBooting() {
        BootPlanner empty = planner(client(BootMode.KERNEL), AssetCatalog.EMPTY, InstallPhases.NONE);
        BootPlan.NotReady n = assertInstanceOf(BootPlan.NotReady.class, empty.plan(REQUEST));
        assertTrue(n.summary().contains("boots asset vmlinuz, which is not in the library: netroot asset add FILE vmlinuz"),
                n.summary());
        BootPlan.NotReady none = assertInstanceOf(BootPlan.NotReady.class, plan(client(BootMode.KERNEL, BootOptions.NONE)));
        assertTrue(none.summary().contains("--boot kernel --kernel ASSET"), none.summary());
        BootPlan.NotReady unknownVar = assertInstanceOf(BootPlan.NotReady.class, plan(client(BootMode.KERNEL,
                ALL_OPTIONS.withKernel(new KernelBoot("vmlinuz", null, "x=${root-image-url}")))));
        assertTrue(unknownVar.summary().contains("${root-image-url} has no value"), unknownVar.summary());
        Client noVolume = new Client("pc1", MAC, null, BootMode.SANBOOT, null, null, null, null, null, null);
        assertTrue(plan(noVolume).summary().contains("has no volume"), plan(noVolume).summary());
    }

    @Test
    void theMenuLeavesOffWhatCannotBootAndFallsBackToTheLocalDisk() {
        List<org.netroot.server.api.Asset> noKernel = LIBRARY.stream().filter(a -> a.kind() != AssetKind.KERNEL).toList();
        BootPlan.Menu m = assertInstanceOf(BootPlan.Menu.class,
                planner(client(BootMode.MENU), AssetCatalog.of(noKernel), InstallPhases.NONE).plan(REQUEST));
        assertEquals(List.of("volume", "install", "install-windows.iso", "local", "shell"),
                m.entries().stream().map(BootPlan.MenuEntry::id).toList());
        assertEquals("volume", m.defaultId());
        assertEquals(5, m.timeoutSeconds());
        Client bare = new Client("pc1", MAC, null, BootMode.MENU, null, null, null, null, null, null);
        BootPlan.Menu local = assertInstanceOf(BootPlan.Menu.class, plan(bare));
        assertEquals(List.of("local", "shell"), local.entries().stream().map(BootPlan.MenuEntry::id).toList());
        assertEquals("local", local.defaultId());
        assertEquals(10, local.timeoutSeconds(), "no menu options: the default timeout");
    }
}
