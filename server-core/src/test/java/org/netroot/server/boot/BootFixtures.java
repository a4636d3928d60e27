package org.netroot.server.boot;

import java.time.Instant;
import java.util.List;
import java.util.Map;
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

/** Clients in every boot mode, a small asset library and a request, for the planner and script tests. */
final class BootFixtures {
    static final String MAC = "52:54:00:00:00:01";
    static final String SERVER = "198.18.0.1";
    static final String HTTP = "http://198.18.0.1";
    static final BootContext REQUEST = new BootContext(MAC, "198.18.0.101", SERVER, HTTP);

    static final List<Asset> LIBRARY = List.of(
            asset("vmlinuz", AssetKind.KERNEL), asset("initrd.img", AssetKind.INITRD),
            asset("debian.iso", AssetKind.ISO), asset("windows.iso", AssetKind.ISO),
            asset("root.squashfs", AssetKind.ROOT_IMAGE), asset("inst-vmlinuz", AssetKind.KERNEL),
            asset("inst-initrd", AssetKind.INITRD));

    /** Every mode's options, so any mode of this client can boot. */
    static final BootOptions ALL_OPTIONS = BootOptions.NONE
            .withKernel(new KernelBoot("vmlinuz", "initrd.img", "console=ttyS0 netroot.mac=${mac} ip=${ip}"))
            .withRamdisk(new RamdiskBoot("vmlinuz", "initrd.img", "root.squashfs", null))
            .withInstall(new InstallBoot("debian.iso", null, null, true))
            .withMenu(new MenuBoot(5, "volume"));

    private BootFixtures() {
    }

    static Asset asset(String name, AssetKind kind) {
        return new Asset(name, kind, 1000, "00".repeat(32), Instant.parse("2026-01-01T00:00:00Z"));
    }

    static Client client(BootMode mode) {
        return client(mode, ALL_OPTIONS);
    }

    static Client client(BootMode mode, BootOptions options) {
        return Client.sanboot("pc1", MAC, "pc1-disk").withBoot(mode, options);
    }

    static BootPlanner planner(Client client) {
        return planner(client, AssetCatalog.of(LIBRARY), InstallPhases.NONE);
    }

    static BootPlanner planner(Client client, AssetCatalog assets, InstallPhases phases) {
        Map<String, Client> byMac = Map.of(client.mac(), client);
        return new BootPlanner(mac -> Optional.ofNullable(byMac.get(mac)), assets, phases, 3260);
    }

    static BootPlan plan(Client client) {
        return planner(client).plan(REQUEST);
    }

    static String script(Client client) {
        return IpxeScript.write(plan(client), client.name() + " (" + client.mac() + ")", REQUEST.retryUrl());
    }
}
