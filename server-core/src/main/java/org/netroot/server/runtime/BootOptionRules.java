package org.netroot.server.runtime;

import java.util.Optional;
import org.netroot.server.api.Asset;
import org.netroot.server.api.AssetKind;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.BootOptions;
import org.netroot.server.api.Client;
import org.netroot.server.api.InstallBoot;
import org.netroot.server.api.KernelBoot;
import org.netroot.server.api.MenuBoot;
import org.netroot.server.api.RamdiskBoot;
import org.netroot.server.boot.CmdlineTemplate;
import org.netroot.server.boot.MenuEntries;
import org.netroot.server.storage.AssetStore;

/**
 * What a client's boot mode needs to boot, checked when it is saved so a mistake is refused in words
 * at the command line (or in the app), not found at the client's next boot: the mode's options are
 * there, name assets of the library of the right kind, and its command line expands. A menu offers
 * every mode that has options, so each of those is checked too.
 */
final class BootOptionRules {
    /** A menu that waits longer than this is a mistake (seconds). */
    static final int MAX_MENU_TIMEOUT = 3600;

    private final AssetStore assets;

    BootOptionRules(AssetStore assets) {
        this.assets = assets;
    }

    void check(Client c) {
        BootOptions o = c.boot();
        String edit = "netroot client edit " + c.name();
        switch (c.bootMode()) {
            case SANBOOT, LOCAL, IGNORE -> { }
            case KERNEL -> kernel(c, require(o.kernel(), "kernel mode needs a kernel: " + edit
                    + " --boot kernel --kernel ASSET [--initrd ASSET] [--cmdline TEMPLATE]"));
            case RAMDISK -> ramdisk(require(o.ramdisk(), "ramdisk mode needs a kernel and a root image: " + edit
                    + " --boot ramdisk --kernel ASSET --initrd ASSET --root-image ASSET"));
            case INSTALL -> install(c, require(o.install(), "install mode needs an installer: " + edit
                    + " --boot install --installer ASSET"));
            case MENU -> {
                if (o.kernel() != null) kernel(c, o.kernel());
                if (o.ramdisk() != null) ramdisk(o.ramdisk());
                if (o.install() != null) install(c, o.install());
                menu(c, o.menu());
            }
        }
    }

    private void kernel(Client c, KernelBoot k) {
        asset("kernel", k.kernel(), AssetKind.KERNEL, true);
        asset("initrd", k.initrd(), AssetKind.INITRD, false);
        if (k.cmdline() != null) {
            CmdlineTemplate.check(k.cmdline(), false);
            if (CmdlineTemplate.usesIscsi(k.cmdline()) && c.volumeName() == null) {
                throw new IllegalArgumentException("the command line boots a root on iSCSI, and client " + c.name()
                        + " has no volume: give it one (--volume VOLUME)");
            }
        }
    }

    private void ramdisk(RamdiskBoot r) {
        asset("kernel", r.kernel(), AssetKind.KERNEL, true);
        asset("initrd", r.initrd(), AssetKind.INITRD, false);
        asset("root image", r.rootImage(), AssetKind.ROOT_IMAGE, true);
        if (r.cmdline() != null) {
            CmdlineTemplate.check(r.cmdline(), true);
            if (!CmdlineTemplate.mentions(r.cmdline(), CmdlineTemplate.ROOT_IMAGE_URL)) {
                throw new IllegalArgumentException("a ramdisk's command line must say where its root image is: put"
                        + " ${root-image-url} in it (e.g. fetch=${root-image-url}), or use the shipped live-fetch or"
                        + " dracut-live");
            }
        }
    }

    private void install(Client c, InstallBoot i) {
        if (c.volumeName() == null) {
            throw new IllegalArgumentException("an installer writes onto the client's volume, and " + c.name()
                    + " has none: give it one (--volume VOLUME)");
        }
        Asset installer = asset("installer", i.installer(), null, true);
        if (installer.kind() == AssetKind.ISO) {
            if (i.initrd() != null || i.cmdline() != null) {
                throw new IllegalArgumentException("installer " + installer.name() + " is an ISO: it takes no --initrd"
                        + " or --cmdline (those are for a kernel installer)");
            }
        } else if (installer.kind() == AssetKind.KERNEL) {
            asset("initrd", i.initrd(), AssetKind.INITRD, false);
            if (i.cmdline() != null) CmdlineTemplate.check(i.cmdline(), false);
        } else {
            throw new IllegalArgumentException("installer " + installer.name() + " is " + a(installer.kind())
                    + ": an installer is an ISO, or a kernel (with --initrd)");
        }
    }

    private void menu(Client c, MenuBoot m) {
        if (m == null) return;
        if (m.timeoutSeconds() > MAX_MENU_TIMEOUT) {
            throw new IllegalArgumentException("a menu timeout of " + m.timeoutSeconds() + " s is over an hour: give at most "
                    + MAX_MENU_TIMEOUT + " (0 waits for a choice)");
        }
        String d = m.defaultEntry();
        if (d == null) return;
        if (d.startsWith(MenuEntries.INSTALL_ISO_PREFIX)) {
            String iso = d.substring(MenuEntries.INSTALL_ISO_PREFIX.length());
            asset("menu default", iso, AssetKind.ISO, true);
            return;
        }
        if (!MenuEntries.FIXED.contains(d)) {
            throw new IllegalArgumentException("no menu entry " + d + ": use " + String.join(", ", MenuEntries.FIXED)
                    + " or install-ISO (an ISO of the library)");
        }
        BootOptions o = c.boot();
        boolean offered = switch (d) {
            case MenuEntries.VOLUME -> c.volumeName() != null;
            case MenuEntries.KERNEL -> o.kernel() != null;
            case MenuEntries.RAMDISK -> o.ramdisk() != null;
            case MenuEntries.INSTALL -> o.install() != null;
            default -> true;
        };
        if (!offered) {
            throw new IllegalArgumentException("the menu's default " + d + " is not on " + c.name() + "'s menu: give it "
                    + (d.equals(MenuEntries.VOLUME) ? "a volume" : d + " options (--boot " + d + " ...)") + " first");
        }
    }

    /** "a kernel", "an initrd", "an iso", "a root-image". */
    private static String a(AssetKind kind) {
        return ("aeiou".indexOf(kind.id().charAt(0)) >= 0 ? "an " : "a ") + kind.id();
    }

    private static <T> T require(T options, String message) {
        if (options == null) throw new IllegalArgumentException(message);
        return options;
    }

    /** The asset named for {@code role}, of {@code kind} (null: any); null when optional and not named. */
    private Asset asset(String role, String name, AssetKind kind, boolean required) {
        if (name == null) {
            if (required) throw new IllegalArgumentException("give the " + role + " (an asset of the library)");
            return null;
        }
        Optional<Asset> a = assets.find(name);
        if (a.isEmpty()) {
            throw new IllegalArgumentException("the library has no asset named " + name + " (the " + role + "): add it"
                    + " first, netroot asset add FILE " + name);
        }
        if (kind != null && a.get().kind() != kind) {
            throw new IllegalArgumentException("asset " + name + " is " + a(a.get().kind()) + ", not " + a(kind)
                    + " (the " + role + ")");
        }
        return a.get();
    }
}
