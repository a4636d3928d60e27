package org.netroot.server.cli;

import org.netroot.server.api.BootOptions;
import org.netroot.server.api.Client;

/** A client as {@code client show} and {@code client edit} print it. */
final class ClientText {
    private ClientText() {
    }

    /** The mode and what it boots, in one line: "kernel vmlinuz + initrd.img, cmdline \"...\"". */
    static String bootLine(Client c) {
        BootOptions o = c.boot();
        return c.bootMode().id() + switch (c.bootMode()) {
            case KERNEL -> o.kernel() == null ? "" : " " + o.kernel().kernel() + initrd(o.kernel().initrd())
                    + cmdline(o.kernel().cmdline());
            case RAMDISK -> o.ramdisk() == null ? "" : " " + o.ramdisk().kernel() + initrd(o.ramdisk().initrd())
                    + ", root image " + o.ramdisk().rootImage() + cmdline(o.ramdisk().cmdline());
            case INSTALL -> o.install() == null ? "" : " from " + o.install().installer() + initrd(o.install().initrd())
                    + cmdline(o.install().cmdline()) + (o.install().thenSanboot() ? ", then sanboot" : "");
            case MENU -> o.menu() == null ? " (default entry after 10 s)" : " (default " + (o.menu().defaultEntry() == null
                    ? "entry" : o.menu().defaultEntry()) + (o.menu().timeoutSeconds() == 0 ? ", no timeout)"
                    : " after " + o.menu().timeoutSeconds() + " s)");
            case SANBOOT -> " volume " + c.volumeName();
            case LOCAL -> " (exit to the next boot device)";
            case IGNORE -> " (no answer to its network boot)";
        };
    }

    static String show(Client c) {
        StringBuilder s = new StringBuilder();
        line(s, "name", c.name());
        line(s, "mac", c.mac());
        line(s, "volume", c.volumeName() == null ? "none" : c.volumeName());
        line(s, "target", c.targetIqn());
        line(s, "initiators", String.join(", ", c.initiatorIqns()));
        line(s, "chap", c.usesMutualChap() ? "both ways" : c.usesChap() ? "on" : "off");
        line(s, "reserved ip", c.reservedIp() == null ? "none" : c.reservedIp());
        line(s, "boot mode", bootLine(c));
        BootOptions o = c.boot();
        // the other modes' options stay with the client: a menu offers them, switching back finds them
        if (o.kernel() != null) line(s, "  kernel", o.kernel().kernel() + initrd(o.kernel().initrd()) + cmdline(o.kernel().cmdline()));
        if (o.ramdisk() != null) {
            line(s, "  ramdisk", o.ramdisk().kernel() + initrd(o.ramdisk().initrd()) + ", root image "
                    + o.ramdisk().rootImage() + cmdline(o.ramdisk().cmdline()));
        }
        if (o.install() != null) {
            line(s, "  install", o.install().installer() + initrd(o.install().initrd()) + cmdline(o.install().cmdline())
                    + (o.install().thenSanboot() ? ", then sanboot" : ""));
        }
        if (o.menu() != null) {
            line(s, "  menu", "timeout " + o.menu().timeoutSeconds() + " s, default "
                    + (o.menu().defaultEntry() == null ? "volume (or local)" : o.menu().defaultEntry()));
        }
        return s.toString();
    }

    private static void line(StringBuilder s, String key, String value) {
        s.append(String.format("%-13s %s%n", key + ":", value));
    }

    private static String initrd(String initrd) {
        return initrd == null ? "" : " + " + initrd;
    }

    private static String cmdline(String cmdline) {
        return cmdline == null ? "" : ", cmdline \"" + cmdline + "\"";
    }
}
