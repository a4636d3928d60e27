package org.netroot.server.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.netroot.server.boot.BootFixtures.ALL_OPTIONS;
import static org.netroot.server.boot.BootFixtures.REQUEST;
import static org.netroot.server.boot.BootFixtures.client;
import static org.netroot.server.boot.BootFixtures.script;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.Client;
import org.netroot.server.api.InstallBoot;
import org.netroot.server.api.KernelBoot;
import org.netroot.server.api.MenuBoot;

/** The scripts each plan becomes: what iPXE runs, line by line. */
class IpxeScriptTest {
    /** Where a failed script tries again: not the script URL itself, which an install counts as a boot. */
    private static final String RETRY = "http://198.18.0.1/boot/52:54:00:00:00:01/retry.ipxe";
    private static final String ROOT = "iscsi:198.18.0.1::::iqn.2026-01.org.netroot:pc1";

    /** One expectation per mode: a mode added without one fails here. */
    @Test
    void everyModeWritesItsOwnScript() {
        for (BootMode mode : BootMode.values()) {
            String s = script(client(mode));
            assertTrue(s.startsWith("#!ipxe\n# Netroot: client pc1 (52:54:00:00:00:01), mode " + mode.id() + "\n"), s);
            String expected = switch (mode) {
                case SANBOOT -> "\nsanboot " + ROOT + " || goto failed\n";
                case INSTALL -> "\nsanboot --no-describe --drive 0x81 http://198.18.0.1/assets/debian.iso || goto failed\n";
                case KERNEL -> "\nimgargs vmlinuz initrd=initrd console=ttyS0 netroot.mac=52:54:00:00:00:01"
                        + " ip=198.18.0.101 || goto failed\n";
                case RAMDISK -> "\nimgargs vmlinuz initrd=initrd ip=dhcp boot=live"
                        + " fetch=http://198.18.0.1/assets/root.squashfs || goto failed\n";
                case MENU -> "\nchoose --timeout 5000 --default volume entry || goto menu\n";
                case LOCAL -> "\nexit\n";
                case IGNORE -> "\nexit\n";
            };
            assertTrue(s.contains(expected), mode + " should contain " + expected + ":\n" + s);
            assertScriptIsClean(s);
        }
    }

    @Test
    void sanbootBootsTheClientsTargetAsLunZeroAndRetriesOnFailure() {
        String s = script(client(BootMode.SANBOOT));
        assertTrue(s.contains("\nset initiator-iqn iqn.2026-01.org.netroot:initiator:pc1\n"), s);
        assertFalse(s.contains("password"), "no CHAP without a secret: " + s);
        assertTrue(s.contains("\n:failed\n"), s);
        assertTrue(s.contains("\nsleep 10\nchain --replace " + RETRY + "\n"), "a failed boot retries: " + s);
    }

    @Test
    void chapAndMutualChapGoIntoTheScriptNotDhcp() {
        Client c = new Client("pc1", BootFixtures.MAC, "pc1-disk", BootMode.SANBOOT, null, "alice", "secret-123456",
                null, "target-secret-1", null);
        for (BootMode mode : List.of(BootMode.SANBOOT, BootMode.INSTALL, BootMode.MENU)) {
            String s = script(c.withBoot(mode, ALL_OPTIONS));
            assertTrue(s.contains("\nset username alice\nset password secret-123456\n"), s);
            assertTrue(s.contains("\nset reverse-username iqn.2026-01.org.netroot:pc1\nset reverse-password target-secret-1\n"), s);
        }
    }

    @Test
    void aNonStandardIscsiPortIsInTheRootPath() {
        assertEquals("iscsi:10.0.0.1::3261::iqn.x:y", IpxeScript.rootPath("10.0.0.1", 3261, "iqn.x:y"));
        assertEquals("iscsi:10.0.0.1::::iqn.x:y", IpxeScript.rootPath("10.0.0.1", 3260, "iqn.x:y"));
    }

    @Test
    void installAttachesAndKeepsTheVolumeThenBootsTheIsoAsTheSecondDrive() {
        String s = script(client(BootMode.INSTALL));
        int keep = s.indexOf("\nset keep-san 1\n");
        int hook = s.indexOf("\nsanhook --drive 0x80 " + ROOT + " || goto failed\n");
        int iso = s.indexOf("\nsanboot --no-describe --drive 0x81 http://198.18.0.1/assets/debian.iso");
        assertTrue(keep > 0 && hook > keep && iso > hook, "keep-san, then the volume, then the installer:\n" + s);
    }

    @Test
    void aKernelInstallerBootsWithTheVolumeAttached() {
        Client c = client(BootMode.INSTALL, ALL_OPTIONS.withInstall(new InstallBoot("inst-vmlinuz", "inst-initrd",
                "auto=true url=${http}/preseed", false)));
        String s = script(c);
        assertTrue(s.contains("\nsanhook --drive 0x80 " + ROOT + " || goto failed\n"), s);
        assertTrue(s.contains("\nkernel --name vmlinuz http://198.18.0.1/assets/inst-vmlinuz || goto failed\n"), s);
        assertTrue(s.contains("\ninitrd --name initrd http://198.18.0.1/assets/inst-initrd || goto failed\n"), s);
        assertTrue(s.contains("\nimgargs vmlinuz initrd=initrd auto=true url=http://198.18.0.1/preseed || goto failed\n"), s);
        assertTrue(s.contains("\nboot vmlinuz || goto failed\n"), s);
    }

    @Test
    void afterTheInstallerRanTheVolumeBootsFirstAndTheInstallerOnlyIfItDoesNot() {
        Client c = client(BootMode.INSTALL);
        BootPlan plan = BootFixtures.planner(c, AssetCatalog.of(BootFixtures.LIBRARY), x -> true).plan(REQUEST);
        String s = IpxeScript.write(plan, "pc1", RETRY);
        assertTrue(s.contains("\nsanboot --drive 0x80 " + ROOT + " || goto installer\n:installer\n"), s);
        assertTrue(s.contains("\nchain --replace http://198.18.0.1/boot/52:54:00:00:00:01/installer.ipxe || goto failed\n"), s);
        assertFalse(s.contains("debian.iso"), "the installer comes from its own URL, if at all: " + s);
    }

    @Test
    void aKernelWithAnIscsiRootAttachesTheVolumeForTheIbftAndOtherwiseDoesNot() {
        String iscsi = script(client(BootMode.KERNEL, ALL_OPTIONS.withKernel(new KernelBoot("vmlinuz", "initrd.img",
                "debian-iscsi"))));
        int hook = iscsi.indexOf("\nsanhook --drive 0x80 " + ROOT + " || goto failed\n");
        assertTrue(hook > 0 && iscsi.indexOf("\nkernel ") > hook, iscsi);
        assertTrue(iscsi.contains("\nset initiator-iqn iqn.2026-01.org.netroot:initiator:pc1\n"), iscsi);
        assertTrue(iscsi.contains("\nimgargs vmlinuz initrd=initrd ip=dhcp ISCSI_AUTO=true iscsi_auto root=/dev/sda1 rw"
                + " || goto failed\n"), iscsi);
        String plain = script(client(BootMode.KERNEL));
        assertFalse(plain.contains("sanhook") || plain.contains("initiator-iqn"), plain);
    }

    @Test
    void aKernelWithoutInitrdHasNoInitrdLine() {
        String s = script(client(BootMode.KERNEL, ALL_OPTIONS.withKernel(new KernelBoot("vmlinuz", null, "quiet"))));
        assertFalse(s.contains("\ninitrd ") || s.contains("initrd="), s);
        assertTrue(s.contains("\nimgargs vmlinuz quiet || goto failed\n"), s);
    }

    @Test
    void theMenuOffersTheVolumeLibraryLocalDiskAndShellAndBootsItsDefaultAfterTheTimeout() {
        String s = script(client(BootMode.MENU));
        assertTrue(s.contains("\n:menu\nmenu Netroot: pc1 (52:54:00:00:00:01)\n"), s);
        for (String item : List.of("item volume Boot volume pc1-disk (iSCSI)", "item kernel Linux: vmlinuz",
                "item ramdisk Linux in RAM: root.squashfs", "item install Install debian.iso onto volume pc1-disk",
                "item install-windows.iso Install windows.iso onto volume pc1-disk", "item local Boot from the local disk",
                "item shell iPXE shell")) {
            assertTrue(s.contains("\n" + item + "\n"), item + ":\n" + s);
        }
        assertFalse(s.contains("item install-debian.iso"), "the install entry has that ISO already:\n" + s);
        assertTrue(s.contains("\ngoto entry-${entry}\n"), s);
        assertTrue(s.contains("\n:entry-volume\n"), s);
        assertTrue(s.contains("\n:entry-local\necho Netroot: booting from the local disk (next boot device)\nexit\n"), s);
        assertTrue(s.contains("\n:entry-shell\necho Netroot: iPXE shell: type exit to go on\nshell\ngoto menu\n"), s);
        assertTrue(s.contains("\n:failed\n"), s);
    }

    @Test
    void aMenuWithoutTimeoutWaitsAndAnUnknownDefaultFallsBackToTheLocalDisk() {
        String s = script(client(BootMode.MENU, ALL_OPTIONS.withMenu(new MenuBoot(0, "install-gone.iso"))));
        assertTrue(s.contains("\nchoose --default local entry || goto menu\n"), s);
    }

    @Test
    void localExitsToTheNextBootDeviceWithoutRetrying() {
        String s = script(client(BootMode.LOCAL));
        assertTrue(s.endsWith("\nexit\n"), s);
        assertFalse(s.contains("chain") || s.contains("sanboot") || s.contains("initiator-iqn"), s);
    }

    @Test
    void anUnknownMachineIsToldOnScreenHowToAddItAndRetries() {
        String s = IpxeScript.write(BootPlanner.none().plan(REQUEST), null, RETRY);
        assertTrue(s.startsWith("#!ipxe\n"));
        assertTrue(s.contains("netroot client add NAME --mac 52:54:00:00:00:01"), s);
        assertTrue(s.contains("\nsleep 10\nchain --replace " + RETRY + "\n"), s);
    }

    @Test
    void screenTextCannotExpandIpxeSettingsOrStartANewCommand() {
        String s = IpxeScript.write(new BootPlan.NotReady(List.of("${password} leaks\nchain http://evil/")), "pc1", RETRY);
        assertTrue(s.contains("\necho Netroot: [password] leaks chain http://evil/\n"), s);
        assertScriptIsClean(s);
    }

    private static final Pattern SETTING = Pattern.compile("\\$\\{([^}]*)}");

    /** iPXE expands only its own settings in our scripts: the error number and the menu's choice. */
    static void assertScriptIsClean(String script) {
        Matcher m = SETTING.matcher(script);
        while (m.find()) {
            assertTrue(List.of("errno", "entry").contains(m.group(1)), "iPXE would expand ${" + m.group(1) + "}:\n" + script);
        }
        assertFalse(script.contains("\r"), script);
    }
}
