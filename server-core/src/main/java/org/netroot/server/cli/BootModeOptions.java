package org.netroot.server.cli;

import org.netroot.server.api.BootMode;
import org.netroot.server.api.BootOptions;
import org.netroot.server.api.Client;
import org.netroot.server.api.InstallBoot;
import org.netroot.server.api.KernelBoot;
import org.netroot.server.api.MenuBoot;
import org.netroot.server.api.RamdiskBoot;
import picocli.CommandLine.Option;

/**
 * The boot-mode options of {@code client edit}: {@code --boot MODE} and the options of the mode it
 * sets (or of the mode the client is in, without {@code --boot}). Each option changes what it names;
 * the mode's other options stay. An option the mode does not take is refused, saying which mode does.
 * Whether the assets exist and the template expands is the server's check (the app's edits get it too).
 */
final class BootModeOptions {
    @Option(names = "--boot", paramLabel = "MODE",
            description = "sanboot, install, kernel, ramdisk, menu, local or ignore") String mode;
    @Option(names = "--kernel", paramLabel = "ASSET", description = "the kernel (kernel, ramdisk)") String kernel;
    @Option(names = "--initrd", paramLabel = "ASSET", description = {"the initrd (kernel, ramdisk, a kernel installer);"
            + " \"\" for none"}) String initrd;
    @Option(names = "--cmdline", paramLabel = "TEMPLATE", description = {"the kernel command line, a template or a shipped"
            + " one's name (kernel, ramdisk, a kernel installer); \"\" for the default"}) String cmdline;
    @Option(names = "--root-image", paramLabel = "ASSET", description = "the root image copied into RAM (ramdisk)")
    String rootImage;
    @Option(names = "--installer", paramLabel = "ASSET", description = {"an ISO, or a kernel (with --initrd and"
            + " --cmdline), that installs onto the volume (install)"}) String installer;
    @Option(names = "--then", paramLabel = "MODE", description = {"sanboot: switch to sanboot after the first"
            + " successful boot from the installed volume; none: stay in install mode (install)"}) String then;
    @Option(names = "--menu-timeout", paramLabel = "SECONDS", description = "how long the menu waits, 0 for ever (menu)")
    Integer menuTimeout;
    @Option(names = "--menu-default", paramLabel = "ENTRY", description = {"what the menu boots after the timeout:"
            + " volume, kernel, ramdisk, install, install-ISO, local or shell (menu)"}) String menuDefault;

    /** {@code client} with the mode and options these flags give; itself when none was given. */
    Client applyTo(Client client) {
        BootMode target = mode == null ? client.bootMode() : BootMode.byId(mode);
        BootOptions o = client.boot();
        switch (target) {
            case KERNEL -> {
                only(target, rootImage, "--root-image", installer, "--installer", then, "--then");
                noMenu(target);
                KernelBoot k = o.kernel() == null ? new KernelBoot(null, null, null) : o.kernel();
                if (kernel != null || initrd != null || cmdline != null) {
                    o = o.withKernel(new KernelBoot(or(kernel, k.kernel()), orNone(initrd, k.initrd()),
                            orNone(cmdline, k.cmdline())));
                }
            }
            case RAMDISK -> {
                only(target, installer, "--installer", then, "--then", null, null);
                noMenu(target);
                RamdiskBoot r = o.ramdisk() == null ? new RamdiskBoot(null, null, null, null) : o.ramdisk();
                if (kernel != null || initrd != null || cmdline != null || rootImage != null) {
                    o = o.withRamdisk(new RamdiskBoot(or(kernel, r.kernel()), orNone(initrd, r.initrd()),
                            or(rootImage, r.rootImage()), orNone(cmdline, r.cmdline())));
                }
            }
            case INSTALL -> {
                only(target, kernel, "--kernel", rootImage, "--root-image", null, null);
                noMenu(target);
                InstallBoot i = o.install() == null ? new InstallBoot(null, null, null, false) : o.install();
                if (installer != null || initrd != null || cmdline != null || then != null) {
                    o = o.withInstall(new InstallBoot(or(installer, i.installer()), orNone(initrd, i.initrd()),
                            orNone(cmdline, i.cmdline()), then == null ? i.thenSanboot() : thenSanboot()));
                }
            }
            case MENU -> {
                only(target, kernel, "--kernel", initrd, "--initrd", cmdline, "--cmdline");
                only(target, rootImage, "--root-image", installer, "--installer", then, "--then");
                MenuBoot m = o.menu() == null ? new MenuBoot(MenuBoot.DEFAULT_TIMEOUT_SECONDS, null) : o.menu();
                if (menuTimeout != null || menuDefault != null) {
                    o = o.withMenu(new MenuBoot(menuTimeout == null ? m.timeoutSeconds() : menuTimeout,
                            orNone(menuDefault, m.defaultEntry())));
                }
            }
            case SANBOOT, LOCAL, IGNORE -> {
                only(target, kernel, "--kernel", initrd, "--initrd", cmdline, "--cmdline");
                only(target, rootImage, "--root-image", installer, "--installer", then, "--then");
                noMenu(target);
            }
        }
        return client.withBoot(target, o);
    }

    private boolean thenSanboot() {
        return switch (then.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "sanboot" -> true;
            case "none", "stay", "install" -> false;
            default -> throw new IllegalArgumentException("--then takes sanboot (switch after the install) or none: " + then);
        };
    }

    private void noMenu(BootMode target) {
        only(target, menuTimeout == null ? null : "x", "--menu-timeout", menuDefault, "--menu-default", null, null);
    }

    private static void only(BootMode target, String a, String aName, String b, String bName, String c, String cName) {
        String given = a != null ? aName : b != null ? bName : c != null ? cName : null;
        if (given == null) return;
        String forWhich = switch (given) {
            case "--kernel" -> "kernel and ramdisk";
            case "--initrd", "--cmdline" -> "kernel, ramdisk and install";
            case "--root-image" -> "ramdisk";
            case "--installer", "--then" -> "install";
            default -> "menu";
        };
        throw new IllegalArgumentException(given + " is for boot mode " + forWhich + ", not " + target.id()
                + (target == BootMode.SANBOOT || target == BootMode.LOCAL || target == BootMode.IGNORE
                ? " (it takes no options)" : "") + ": say which with --boot");
    }

    private static String or(String given, String old) {
        return given != null ? given : old;
    }

    /** "" clears an option (no initrd, the default command line). */
    private static String orNone(String given, String old) {
        if (given == null) return old;
        return given.isBlank() ? null : given;
    }
}
