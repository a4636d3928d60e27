package org.netroot.app.ui.clients;

import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.feather.Feather;
import org.netroot.server.api.BootMode;

/** How the app shows a boot mode: one plain sentence (the dialog's choice, the card's tooltip) and an icon. */
final class BootModeLook {
    private BootModeLook() {
    }

    static String sentence(BootMode mode) {
        return switch (mode) {
            case SANBOOT -> "Boot its volume over iSCSI (normal)";
            case INSTALL -> "Install an OS onto its volume";
            case KERNEL -> "Boot a kernel and initrd";
            case RAMDISK -> "Run from RAM";
            case MENU -> "Show a menu";
            case LOCAL -> "Boot from its own disk";
            case IGNORE -> "Do not answer this machine";
        };
    }

    static Ikon icon(BootMode mode) {
        return switch (mode) {
            case SANBOOT -> Feather.HARD_DRIVE;
            case INSTALL -> Feather.DOWNLOAD;
            case KERNEL -> Feather.CPU;
            case RAMDISK -> Feather.ZAP;
            case MENU -> Feather.LIST;
            case LOCAL -> Feather.LOG_OUT;
            case IGNORE -> Feather.SLASH;
        };
    }
}
