package org.netroot.server.boot;

import java.util.List;
import org.netroot.server.api.BootMode;

/**
 * What one client gets when it asks how to boot: decided once per request by {@link BootPlanner},
 * written as an iPXE script by {@link IpxeScript} (one exhaustive switch), and named in the boot
 * events. DHCP and TFTP only need to know whether a machine is {@link Ignore}d.
 */
public sealed interface BootPlan {
    /** The mode in the user's words, for boot events ("sanboot", "kernel"... or "not ready"). */
    String modeName();

    /** One line for the boot event of the script: the mode and what it boots. */
    String summary();

    /** iPXE sanboots the client's volume. */
    record Sanboot(SanDisk volume) implements BootPlan {
        @Override
        public String modeName() {
            return BootMode.SANBOOT.id();
        }

        @Override
        public String summary() {
            return "sanboot " + volume.targetIqn();
        }
    }

    /**
     * The volume is attached (drive 0x80, kept) and an installer boots. With {@code volumeFirst} the
     * volume is booted first (the installer ran before) and only if that fails is the installer
     * fetched again, from {@code installerUrl}.
     */
    record Install(SanDisk volume, Installer installer, boolean volumeFirst, String installerUrl) implements BootPlan {
        @Override
        public String modeName() {
            return BootMode.INSTALL.id();
        }

        @Override
        public String summary() {
            return "install onto " + volume.targetIqn() + (volumeFirst ? ": the volume first, else " : " from ")
                    + installer.summary();
        }
    }

    /** A kernel and initrd; {@code iscsiRoot} non-null: the volume is attached first so the iBFT describes it. */
    record Kernel(LinuxBoot linux, SanDisk iscsiRoot) implements BootPlan {
        @Override
        public String modeName() {
            return BootMode.KERNEL.id();
        }

        @Override
        public String summary() {
            return "kernel " + linux.summary() + (iscsiRoot == null ? "" : ", volume attached as " + iscsiRoot.targetIqn());
        }
    }

    /** A kernel and initrd whose command line says where the root image is. */
    record Ramdisk(LinuxBoot linux, AssetRef rootImage) implements BootPlan {
        @Override
        public String modeName() {
            return BootMode.RAMDISK.id();
        }

        @Override
        public String summary() {
            return "ramdisk " + linux.summary() + ", root image " + rootImage.name();
        }
    }

    /** An iPXE menu; {@code timeoutSeconds} 0 waits for a choice. Entries hold no menu. */
    record Menu(List<MenuEntry> entries, int timeoutSeconds, String defaultId) implements BootPlan {
        public Menu {
            entries = List.copyOf(entries);
            if (entries.stream().anyMatch(e -> e.plan() instanceof Menu)) throw new IllegalArgumentException("a menu in a menu");
        }

        @Override
        public String modeName() {
            return BootMode.MENU.id();
        }

        @Override
        public String summary() {
            return "menu of " + String.join(", ", entries.stream().map(MenuEntry::id).toList()) + "; default "
                    + defaultId + (timeoutSeconds == 0 ? " (no timeout)" : " after " + timeoutSeconds + " s");
        }
    }

    /** iPXE exits: the firmware tries its next boot device. */
    record Local() implements BootPlan {
        @Override
        public String modeName() {
            return BootMode.LOCAL.id();
        }

        @Override
        public String summary() {
            return "local: exit to the next boot device";
        }
    }

    /** No answer at all: DHCP stays silent, TFTP and HTTP serve nothing. */
    record Ignore() implements BootPlan {
        @Override
        public String modeName() {
            return BootMode.IGNORE.id();
        }

        @Override
        public String summary() {
            return "ignored on purpose";
        }
    }

    /** iPXE's shell: a menu choice, for someone at the machine who knows iPXE. */
    record Shell() implements BootPlan {
        @Override
        public String modeName() {
            return "shell";
        }

        @Override
        public String summary() {
            return "iPXE shell";
        }
    }

    /** Nothing to boot yet (a machine not set up, an asset missing): the reasons on screen, then a retry. */
    record NotReady(List<String> reasons) implements BootPlan {
        public NotReady {
            reasons = List.copyOf(reasons);
        }

        @Override
        public String modeName() {
            return "not ready";
        }

        @Override
        public String summary() {
            return String.join("; ", reasons);
        }
    }

    /** An installer: an ISO booted over HTTP, or a kernel and initrd. */
    sealed interface Installer {
        String summary();
    }

    record IsoInstaller(AssetRef iso) implements Installer {
        @Override
        public String summary() {
            return "ISO " + iso.name();
        }
    }

    record KernelInstaller(LinuxBoot linux) implements Installer {
        @Override
        public String summary() {
            return "kernel " + linux.summary();
        }
    }

    /** One choice of a {@link Menu}: {@code id} is its iPXE item (and label), {@code label} what the screen shows. */
    record MenuEntry(String id, String label, BootPlan plan) {
    }

    /** An asset by name and the URL it is served at. */
    record AssetRef(String name, String url) {
    }

    /** A kernel, its initrd (null: none) and the expanded command line. */
    record LinuxBoot(AssetRef kernel, AssetRef initrd, String cmdline) {
        String summary() {
            return kernel.name() + (initrd == null ? "" : " + " + initrd.name()) + ", cmdline \"" + cmdline + "\"";
        }
    }

    /**
     * A client's volume as iPXE reaches it: the RFC 4173 root path, the initiator name iPXE presents
     * and the CHAP credentials (null: none; reverse ones null: one-way).
     */
    record SanDisk(String rootPath, String targetIqn, String volumeName, String initiatorIqn, String chapUser,
                   String chapSecret, String reverseUser, String reverseSecret) {
    }
}
