package org.netroot.server.boot;

import org.netroot.server.boot.BootPlan.LinuxBoot;
import org.netroot.server.boot.BootPlan.MenuEntry;
import org.netroot.server.boot.BootPlan.SanDisk;

/**
 * The one place that writes iPXE scripts: one switch over the {@link BootPlan}, no default, so a
 * new mode cannot be forgotten here. Scripts come from the client's record, never from a user's
 * file; every value in them was checked before ({@link org.netroot.server.api.IscsiValues#isSafe}, asset and client names,
 * {@link CmdlineTemplate}) because iPXE expands {@code ${...}} and splits on spaces.
 */
public final class IpxeScript {
    static final int RETRY_SECONDS = 10;
    /** The BIOS drive numbers iPXE gives SAN disks: the volume is the first hard disk, an installer ISO the next. */
    static final String VOLUME_DRIVE = "0x80";
    static final String INSTALLER_DRIVE = "0x81";

    private IpxeScript() {
    }

    /**
     * The script for {@code plan}. {@code who} names the client on screen ("pc1 (52:54:...)"; null for a
     * machine that is none), {@code retryUrl} is where a failed boot tries again.
     */
    public static String write(BootPlan plan, String who, String retryUrl) {
        StringBuilder s = new StringBuilder(1024);
        s.append("#!ipxe\n");
        if (who != null) s.append("# Netroot: client ").append(who).append(", mode ").append(plan.modeName()).append('\n');
        boolean canFail = body(s, plan, who);
        if (canFail) failed(s, plan, who, retryUrl);
        return s.toString();
    }

    /** Writes what boots {@code plan}; true when it may end in {@code goto failed}. */
    private static boolean body(StringBuilder s, BootPlan plan, String who) {
        switch (plan) {
            case BootPlan.Sanboot p -> {
                credentials(s, p.volume());
                echo(s, "booting volume " + p.volume().volumeName() + " over iSCSI");
                s.append("sanboot ").append(p.volume().rootPath()).append(" || goto failed\n");
                return true;
            }
            case BootPlan.Install p -> {
                credentials(s, p.volume());
                // keep-san: the volume stays attached when the installer's boot returns (Windows setup does)
                s.append("set keep-san 1\n");
                if (p.volumeFirst()) {
                    // the installer ran: boot what it wrote; a volume that does not boot gets the installer again
                    echo(s, "booting volume " + p.volume().volumeName() + " (the installer ran before)");
                    s.append("sanboot --drive ").append(VOLUME_DRIVE).append(' ').append(p.volume().rootPath())
                            .append(" || goto installer\n");
                    s.append(":installer\n");
                    echo(s, "volume " + p.volume().volumeName() + " did not boot: starting the installer again");
                    s.append("chain --replace ").append(p.installerUrl()).append(" || goto failed\n");
                    return true;
                }
                echo(s, "attaching volume " + p.volume().volumeName() + " as drive " + VOLUME_DRIVE + " for the installer");
                s.append("sanhook --drive ").append(VOLUME_DRIVE).append(' ').append(p.volume().rootPath())
                        .append(" || goto failed\n");
                switch (p.installer()) {
                    case BootPlan.IsoInstaller iso -> {
                        echo(s, "starting the installer " + iso.iso().name());
                        // --no-describe: the iBFT describes the volume, not the installer's disc
                        s.append("sanboot --no-describe --drive ").append(INSTALLER_DRIVE).append(' ')
                                .append(iso.iso().url()).append(" || goto failed\n");
                    }
                    case BootPlan.KernelInstaller k -> linux(s, k.linux());
                }
                return true;
            }
            case BootPlan.Kernel p -> {
                if (p.iscsiRoot() != null) {
                    credentials(s, p.iscsiRoot());
                    // attached, not booted: iPXE then describes the volume in the iBFT the kernel's initiator reads
                    echo(s, "attaching volume " + p.iscsiRoot().volumeName() + " for the kernel (iBFT)");
                    s.append("sanhook --drive ").append(VOLUME_DRIVE).append(' ').append(p.iscsiRoot().rootPath())
                            .append(" || goto failed\n");
                }
                linux(s, p.linux());
                return true;
            }
            case BootPlan.Ramdisk p -> {
                echo(s, "root image " + p.rootImage().name() + " goes into RAM");
                linux(s, p.linux());
                return true;
            }
            case BootPlan.Menu m -> {
                menu(s, m, who);
                return true;
            }
            case BootPlan.Local l -> {
                echo(s, "booting from the local disk (next boot device)");
                s.append("exit\n");
                return false;
            }
            case BootPlan.Ignore i -> {
                echo(s, "this machine is ignored on purpose");
                s.append("exit\n");
                return false;
            }
            case BootPlan.Shell sh -> {
                echo(s, "iPXE shell: type exit to go on");
                s.append("shell\n");
                return true;
            }
            case BootPlan.NotReady n -> {
                for (String reason : n.reasons()) echo(s, reason);
                return true;
            }
        }
    }

    private static void menu(StringBuilder s, BootPlan.Menu m, String who) {
        s.append(":menu\n");
        s.append("menu Netroot").append(who == null ? "" : ": " + who).append('\n');
        for (MenuEntry e : m.entries()) s.append("item ").append(e.id()).append(' ').append(e.label()).append('\n');
        s.append("choose");
        if (m.timeoutSeconds() > 0) s.append(" --timeout ").append(m.timeoutSeconds() * 1000L);
        s.append(" --default ").append(m.defaultId()).append(" entry || goto menu\n");
        s.append("goto entry-${entry}\n");
        for (MenuEntry e : m.entries()) {
            s.append(":entry-").append(e.id()).append('\n');
            body(s, e.plan(), who);
            // a boot that returns (an OS that exits to iPXE, the shell left) must not fall into the next entry
            s.append(e.plan() instanceof BootPlan.Shell ? "goto menu\n" : "goto failed\n");
        }
    }

    /** Kernel, initrd, arguments: {@code initrd=} names the initrd for EFI stub kernels. */
    private static void linux(StringBuilder s, LinuxBoot linux) {
        echo(s, "booting kernel " + linux.kernel().name() + (linux.initrd() == null ? "" : " with " + linux.initrd().name()));
        s.append("kernel --name vmlinuz ").append(linux.kernel().url()).append(" || goto failed\n");
        String args = linux.cmdline();
        if (linux.initrd() != null) {
            s.append("initrd --name initrd ").append(linux.initrd().url()).append(" || goto failed\n");
            args = args.isEmpty() ? "initrd=initrd" : "initrd=initrd " + args;
        }
        s.append("imgargs vmlinuz").append(args.isEmpty() ? "" : " " + args).append(" || goto failed\n");
        s.append("boot vmlinuz || goto failed\n");
    }

    /** The initiator name and CHAP go into the script, not DHCP (PROTOCOLS.md): iPXE passes them on in the iBFT. */
    private static void credentials(StringBuilder s, SanDisk disk) {
        s.append("set initiator-iqn ").append(disk.initiatorIqn()).append('\n');
        if (disk.chapSecret() == null) return;
        s.append("set username ").append(disk.chapUser()).append('\n');
        s.append("set password ").append(disk.chapSecret()).append('\n');
        if (disk.reverseSecret() == null) return;
        s.append("set reverse-username ").append(disk.reverseUser()).append('\n');
        s.append("set reverse-password ").append(disk.reverseSecret()).append('\n');
    }

    private static void failed(StringBuilder s, BootPlan plan, String who, String retryUrl) {
        s.append(":failed\n");
        if (!(plan instanceof BootPlan.NotReady)) {
            echo(s, "could not boot" + (who == null ? "" : " " + who) + ".");
            s.append("echo Error: ${errno}\n"); // iPXE's own error number, expanded by iPXE
            echo(s, hint(plan));
        }
        s.append("echo Retrying in ").append(RETRY_SECONDS).append(" seconds...\n");
        s.append("sleep ").append(RETRY_SECONDS).append('\n');
        s.append("chain --replace ").append(retryUrl).append('\n');
    }

    private static String hint(BootPlan plan) {
        return switch (plan) {
            case BootPlan.Sanboot p -> "Check that the iSCSI service runs and the volume exists.";
            case BootPlan.Install p -> "Check that the iSCSI and HTTP services run and the installer is in the library.";
            case BootPlan.Kernel p -> "Check that the HTTP service runs and the kernel and initrd are in the library.";
            case BootPlan.Ramdisk p -> "Check that the HTTP service runs and the kernel, initrd and image are in the library.";
            case BootPlan.Menu m -> "The chosen entry did not boot.";
            case BootPlan.Local l -> "The firmware found nothing else to boot.";
            case BootPlan.Ignore i -> "This machine is ignored.";
            case BootPlan.Shell sh -> "The shell ended.";
            case BootPlan.NotReady n -> "";
        };
    }

    /** One line on screen. iPXE would expand a {@code ${...}} in it and end the command at a line break: neither gets through. */
    private static void echo(StringBuilder s, String text) {
        s.append("echo Netroot: ").append(onScreen(text)).append('\n');
    }

    static String onScreen(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '$') continue;
            b.append(c < 0x20 || c == 0x7f ? ' ' : c == '{' ? '[' : c == '}' ? ']' : c);
        }
        return b.toString();
    }

    /** RFC 4173 root path; empty protocol/port/LUN fields take iPXE's defaults (tcp, 3260, LUN 0). */
    public static String rootPath(String serverAddress, int iscsiPort, String targetIqn) {
        return "iscsi:" + serverAddress + "::" + (iscsiPort == 3260 ? "" : Integer.toString(iscsiPort)) + "::" + targetIqn;
    }
}
