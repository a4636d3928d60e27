package org.netroot.server.boot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.netroot.server.api.Asset;
import org.netroot.server.api.AssetKind;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.Client;
import org.netroot.server.api.InstallBoot;
import org.netroot.server.api.KernelBoot;
import org.netroot.server.api.MenuBoot;
import org.netroot.server.api.RamdiskBoot;
import org.netroot.server.boot.BootPlan.AssetRef;
import org.netroot.server.boot.BootPlan.LinuxBoot;
import org.netroot.server.boot.BootPlan.MenuEntry;
import org.netroot.server.boot.BootPlan.NotReady;
import org.netroot.server.boot.BootPlan.SanDisk;

/**
 * Who gets what: the one place that turns a client's record into a {@link BootPlan}. DHCP asks
 * whether a machine is ignored, TFTP which mode a machine is in, HTTP for the whole plan of a script
 * request. Reads only memory (the client directory, the asset catalog): it answers on event loops.
 */
public final class BootPlanner {
    /** For the shipped-template default of a ramdisk. */
    static final String DEFAULT_RAMDISK_CMDLINE = "live-fetch";

    private final Function<String, Optional<Client>> clientByMac;
    private final AssetCatalog assets;
    private final InstallPhases install;
    private final int iscsiPort;

    public BootPlanner(Function<String, Optional<Client>> clientByMac, AssetCatalog assets, InstallPhases install,
                       int iscsiPort) {
        this.clientByMac = clientByMac;
        this.assets = assets;
        this.install = install;
        this.iscsiPort = iscsiPort;
    }

    /** No clients: every machine is one that is not set up (tests of one protocol, tools). */
    public static BootPlanner none() {
        return new BootPlanner(mac -> Optional.empty(), AssetCatalog.EMPTY, InstallPhases.NONE, 3260);
    }

    /** The mode of the client with this MAC; empty for a machine that is no client's. */
    public Optional<BootMode> modeOf(String mac) {
        return clientByMac.apply(mac).map(Client::bootMode);
    }

    /** Whether the machine is to get no answer at all (DHCP stays silent, TFTP and HTTP serve nothing). */
    public boolean ignores(String mac) {
        return modeOf(mac).filter(m -> m == BootMode.IGNORE).isPresent();
    }

    /** The asset library the plans name. */
    public AssetCatalog assets() {
        return assets;
    }

    public Optional<Client> client(String mac) {
        return clientByMac.apply(mac);
    }

    /** The plan for a script request. */
    public BootPlan plan(BootContext ctx) {
        Optional<Client> found = clientByMac.apply(ctx.mac());
        if (found.isEmpty()) {
            return new NotReady(List.of("this machine (" + ctx.mac() + ") is not set up yet.",
                    "Add it in Netroot, or run: netroot client add NAME --mac " + ctx.mac() + " --volume VOLUME"));
        }
        Client c = found.get();
        try {
            return switch (c.bootMode()) {
                case SANBOOT -> sanboot(c, ctx);
                case INSTALL -> install(c, ctx, install.volumeFirst(c));
                case KERNEL -> kernel(c, ctx);
                case RAMDISK -> ramdisk(c, ctx);
                case MENU -> menu(c, ctx);
                case LOCAL -> new BootPlan.Local();
                case IGNORE -> new BootPlan.Ignore();
            };
        } catch (Unready e) {
            return e.plan;
        }
    }

    /** The installer again, ignoring the phase: what an install script asks for when its volume did not boot. */
    public BootPlan installerAgain(BootContext ctx) {
        Optional<Client> c = clientByMac.apply(ctx.mac());
        if (c.isEmpty() || c.get().bootMode() != BootMode.INSTALL) return plan(ctx);
        try {
            return install(c.get(), ctx, false);
        } catch (Unready e) {
            return e.plan;
        }
    }

    private BootPlan sanboot(Client c, BootContext ctx) {
        if (c.volumeName() == null) throw noVolume(c, "sanboot");
        return new BootPlan.Sanboot(disk(c, ctx));
    }

    private BootPlan install(Client c, BootContext ctx, boolean volumeFirst) {
        InstallBoot options = c.boot().install();
        if (options == null || options.installer() == null) {
            throw notReady(c, "is in install mode but has no installer: netroot client edit " + c.name()
                    + " --boot install --installer ASSET");
        }
        if (c.volumeName() == null) throw noVolume(c, "install");
        Optional<Asset> installer = assets.byName(options.installer());
        if (installer.isEmpty()) throw missingAsset(c, options.installer());
        BootPlan.Installer what;
        if (installer.get().kind() == AssetKind.ISO) {
            what = new BootPlan.IsoInstaller(ref(installer.get(), ctx));
        } else if (installer.get().kind() == AssetKind.KERNEL) {
            what = new BootPlan.KernelInstaller(linux(c, ctx, options.installer(), options.initrd(),
                    options.cmdline() == null ? "" : options.cmdline(), null));
        } else {
            throw notReady(c, "installs from " + options.installer() + ", a " + installer.get().kind().id()
                    + ": an installer is an ISO or a kernel");
        }
        return new BootPlan.Install(disk(c, ctx), what, volumeFirst, BootUrls.installer(ctx.httpBase(), ctx.mac()));
    }

    private BootPlan kernel(Client c, BootContext ctx) {
        KernelBoot options = c.boot().kernel();
        if (options == null || options.kernel() == null) {
            throw notReady(c, "is in kernel mode but has no kernel: netroot client edit " + c.name()
                    + " --boot kernel --kernel ASSET --initrd ASSET --cmdline TEMPLATE");
        }
        String cmdline = options.cmdline() == null ? "" : options.cmdline();
        SanDisk root = null;
        if (CmdlineTemplate.usesIscsi(cmdline)) {
            if (c.volumeName() == null) throw noVolume(c, "a kernel with its root on iSCSI");
            root = disk(c, ctx);
        }
        return new BootPlan.Kernel(linux(c, ctx, options.kernel(), options.initrd(), cmdline, null), root);
    }

    private BootPlan ramdisk(Client c, BootContext ctx) {
        RamdiskBoot options = c.boot().ramdisk();
        if (options == null || options.kernel() == null || options.rootImage() == null) {
            throw notReady(c, "is in ramdisk mode but has no kernel or root image: netroot client edit " + c.name()
                    + " --boot ramdisk --kernel ASSET --initrd ASSET --root-image ASSET");
        }
        Optional<Asset> image = assets.byName(options.rootImage());
        if (image.isEmpty()) throw missingAsset(c, options.rootImage());
        AssetRef imageRef = ref(image.get(), ctx);
        String cmdline = options.cmdline() == null ? DEFAULT_RAMDISK_CMDLINE : options.cmdline();
        return new BootPlan.Ramdisk(linux(c, ctx, options.kernel(), options.initrd(), cmdline, imageRef.url()), imageRef);
    }

    private BootPlan menu(Client c, BootContext ctx) {
        MenuBoot options = c.boot().menu() == null ? new MenuBoot(MenuBoot.DEFAULT_TIMEOUT_SECONDS, null) : c.boot().menu();
        List<MenuEntry> entries = new ArrayList<>();
        if (c.volumeName() != null) {
            entries.add(new MenuEntry(MenuEntries.VOLUME, "Boot volume " + c.volumeName() + " (iSCSI)", sanboot(c, ctx)));
        }
        String installIso = null;
        // an entry whose mode cannot boot now (an asset gone) is left off the menu rather than failing it
        if (c.boot().kernel() != null) {
            entry(entries, MenuEntries.KERNEL, "Linux: " + c.boot().kernel().kernel(), () -> kernel(c, ctx));
        }
        if (c.boot().ramdisk() != null) {
            entry(entries, MenuEntries.RAMDISK, "Linux in RAM: " + c.boot().ramdisk().rootImage(), () -> ramdisk(c, ctx));
        }
        if (c.boot().install() != null && entry(entries, MenuEntries.INSTALL, "Install " + c.boot().install().installer()
                + " onto volume " + c.volumeName(), () -> install(c, ctx, false))) {
            installIso = c.boot().install().installer();
        }
        if (c.volumeName() != null) {
            for (Asset a : assets.all()) {
                if (a.kind() != AssetKind.ISO || a.name().equals(installIso)) continue;
                BootPlan.Install p = new BootPlan.Install(disk(c, ctx), new BootPlan.IsoInstaller(ref(a, ctx)), false,
                        BootUrls.installer(ctx.httpBase(), ctx.mac()));
                entries.add(new MenuEntry(MenuEntries.installIso(a.name()), "Install " + a.name() + " onto volume "
                        + c.volumeName(), p));
            }
        }
        entries.add(new MenuEntry(MenuEntries.LOCAL, "Boot from the local disk", new BootPlan.Local()));
        entries.add(new MenuEntry(MenuEntries.SHELL, "iPXE shell", new BootPlan.Shell()));
        String wanted = options.defaultEntry() != null ? options.defaultEntry()
                : c.volumeName() != null ? MenuEntries.VOLUME : MenuEntries.LOCAL;
        // a default that is not on the menu (its asset went, the volume was taken away): local disk, the harmless one
        String chosen = entries.stream().anyMatch(e -> e.id().equals(wanted)) ? wanted : MenuEntries.LOCAL;
        return new BootPlan.Menu(entries, options.timeoutSeconds(), chosen);
    }

    private static boolean entry(List<MenuEntry> entries, String id, String label, java.util.function.Supplier<BootPlan> plan) {
        try {
            entries.add(new MenuEntry(id, label, plan.get()));
            return true;
        } catch (Unready e) {
            return false;
        }
    }

    private LinuxBoot linux(Client c, BootContext ctx, String kernelName, String initrdName, String cmdline,
                         String rootImageUrl) {
        Optional<Asset> kernel = assets.byName(kernelName);
        if (kernel.isEmpty()) throw missingAsset(c, kernelName);
        AssetRef initrd = null;
        if (initrdName != null) {
            Optional<Asset> i = assets.byName(initrdName);
            if (i.isEmpty()) throw missingAsset(c, initrdName);
            initrd = ref(i.get(), ctx);
        }
        String line;
        try {
            line = CmdlineTemplate.expand(cmdline, variables(c, ctx, rootImageUrl));
        } catch (IllegalArgumentException e) {
            throw notReady(c, "cannot boot its kernel: " + e.getMessage());
        }
        return new LinuxBoot(ref(kernel.get(), ctx), initrd, line);
    }

    /** The values of the command-line variables for this client and request; missing ones are left out. */
    Map<String, String> variables(Client c, BootContext ctx, String rootImageUrl) {
        Map<String, String> v = new HashMap<>();
        v.put("mac", c.mac());
        put(v, "ip", ctx.clientIp());
        put(v, "server", ctx.serverAddress());
        v.put("client", c.name());
        v.put("target-iqn", c.targetIqn());
        v.put("initiator-iqn", c.initiatorIqn());
        put(v, "volume", c.volumeName());
        put(v, "nbd-export", c.volumeName());
        if (ctx.serverAddress() != null) v.put("nbd-server", NbdAddress.of(ctx.serverAddress()).toString());
        v.put("iscsi-port", Integer.toString(iscsiPort));
        put(v, "http", ctx.httpBase());
        put(v, CmdlineTemplate.ROOT_IMAGE_URL, rootImageUrl);
        return v;
    }

    private static void put(Map<String, String> v, String name, String value) {
        if (value != null) v.put(name, value);
    }

    private SanDisk disk(Client c, BootContext ctx) {
        String user = null;
        String secret = null;
        String reverseUser = null;
        String reverseSecret = null;
        if (c.usesChap()) {
            user = c.chapUser() == null ? c.initiatorIqn() : c.chapUser();
            secret = c.chapSecret();
            if (c.usesMutualChap()) {
                reverseUser = c.mutualChapUser() == null ? c.targetIqn() : c.mutualChapUser();
                reverseSecret = c.mutualChapSecret();
            }
        }
        return new SanDisk(IpxeScript.rootPath(ctx.serverAddress(), iscsiPort, c.targetIqn()), c.targetIqn(),
                c.volumeName(), c.initiatorIqn(), user, secret, reverseUser, reverseSecret);
    }

    private static AssetRef ref(Asset a, BootContext ctx) {
        return new AssetRef(a.name(), BootUrls.asset(ctx.httpBase(), a.name()));
    }

    /** Why a mode cannot boot now: unwinds to {@link #plan}, which answers with its {@link NotReady}. */
    private static final class Unready extends RuntimeException {
        final NotReady plan;

        Unready(NotReady plan) {
            super(plan.summary(), null, false, false);
            this.plan = plan;
        }
    }

    private static Unready notReady(Client c, String why) {
        return new Unready(new NotReady(List.of("client " + c.name() + " " + why)));
    }

    private static Unready noVolume(Client c, String what) {
        return notReady(c, "has no volume for " + what + ": netroot client edit " + c.name() + " --volume VOLUME");
    }

    private static Unready missingAsset(Client c, String asset) {
        return notReady(c, "boots asset " + asset + ", which is not in the library: netroot asset add FILE " + asset);
    }
}
