package org.netroot.server.boot;

import org.netroot.server.api.BootMode;
import org.netroot.server.api.Client;
import org.netroot.server.api.KernelBoot;
import org.netroot.server.api.RamdiskBoot;

/**
 * When a boot leaves the server for good, so the app can say "booted" instead of "booting" forever:
 * a machine running from RAM, from its local disk or from a kernel whose root is elsewhere never
 * opens its volume, the step that marks an iSCSI or NBD boot done. Answers are the words of the
 * {@code HANDED_OVER} boot event, null when the step hands nothing over.
 */
public final class HandOver {
    private HandOver() {
    }

    /** After the whole of library asset {@code asset} was sent to {@code client}. */
    public static String afterAsset(Client client, String asset) {
        if (client == null || asset == null || client.boot() == null) return null;
        RamdiskBoot ramdisk = client.boot().ramdisk();
        BootMode mode = client.bootMode();
        // a menu may offer the RAM disk too; its root image is fetched by nothing else
        if ((mode == BootMode.RAMDISK || mode == BootMode.MENU) && ramdisk != null && asset.equals(ramdisk.rootImage())) {
            return "running from RAM: root image " + asset + " sent, the machine needs the server no more";
        }
        KernelBoot kernel = client.boot().kernel();
        if (mode == BootMode.KERNEL && kernel != null && !opensItsVolume(kernel.cmdline())) {
            String last = kernel.initrd() != null ? kernel.initrd() : kernel.kernel();
            if (asset.equals(last)) {
                return "kernel " + kernel.kernel() + " started; its command line mounts no root from the volume"
                        + " (not iSCSI, not NBD), so the server sees no more of this boot";
            }
        }
        return null;
    }

    /** After a script for {@code plan} was served. */
    public static String afterScript(BootPlan plan) {
        return plan instanceof BootPlan.Local ? "sent to its next boot device (local disk)" : null;
    }

    private static boolean opensItsVolume(String cmdline) {
        return cmdline != null && (CmdlineTemplate.usesIscsi(cmdline) || CmdlineTemplate.usesNbd(cmdline));
    }
}
