package org.netroot.server.boot;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.BootOptions;
import org.netroot.server.api.Client;
import org.netroot.server.api.KernelBoot;

/** Which step ends the server's part of a boot that never opens the client's volume. */
class HandOverTest {
    @Test
    void aRamdiskIsHandedOverWithItsRootImageNotBefore() {
        Client c = BootFixtures.client(BootMode.RAMDISK);
        assertNull(HandOver.afterAsset(c, "vmlinuz"));
        assertNull(HandOver.afterAsset(c, "initrd.img"), "the initrd then fetches the root image");
        assertTrue(HandOver.afterAsset(c, "root.squashfs").startsWith("running from RAM"));
        assertNotNull(HandOver.afterAsset(BootFixtures.client(BootMode.MENU), "root.squashfs"), "picked from the menu");
        assertNull(HandOver.afterAsset(BootFixtures.client(BootMode.SANBOOT), "root.squashfs"), "not its mode: some other use");
    }

    @Test
    void aKernelWithItsRootElsewhereIsHandedOverWithItsLastFile() {
        Client c = BootFixtures.client(BootMode.KERNEL); // console=ttyS0 netroot.mac=${mac} ip=${ip}: no volume
        assertNull(HandOver.afterAsset(c, "vmlinuz"), "the initrd comes after the kernel");
        assertTrue(HandOver.afterAsset(c, "initrd.img").startsWith("kernel vmlinuz started"));
    }

    @Test
    void aKernelWhoseRootIsItsVolumeIsNotHandedOver() {
        for (String cmdline : new String[] {"debian-iscsi", "dracut-iscsi", "nbd-root", "console=ttyS0 nbdroot=10.0.0.1/x",
                "root=/dev/nbd0 netroot=nbd:10.0.0.1:pc1-disk",
                "ip=dhcp root=/dev/sda1 netroot=iscsi:${server}::::${target-iqn}", "root=/dev/nbd0 x=${nbd-export}"}) {
            Client c = BootFixtures.client(BootMode.KERNEL,
                    BootOptions.NONE.withKernel(new KernelBoot("vmlinuz", "initrd.img", cmdline)));
            assertNull(HandOver.afterAsset(c, "initrd.img"), cmdline + ": its login or NBD connection ends the boot");
        }
    }

    @Test
    void onlyALocalPlanHandsOverWithItsScript() {
        assertNotNull(HandOver.afterScript(new BootPlan.Local()));
        assertNull(HandOver.afterScript(BootFixtures.plan(BootFixtures.client(BootMode.SANBOOT))));
        assertNull(HandOver.afterScript(BootFixtures.plan(BootFixtures.client(BootMode.RAMDISK))));
    }
}
