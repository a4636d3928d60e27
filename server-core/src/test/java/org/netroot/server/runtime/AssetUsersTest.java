package org.netroot.server.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.netroot.server.api.Asset;
import org.netroot.server.api.AssetKind;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.BootOptions;
import org.netroot.server.api.Client;
import org.netroot.server.api.InstallBoot;
import org.netroot.server.api.KernelBoot;

/** An asset goes only when no client may boot from it: its mode's options, or a menu's ISO entries. */
class AssetUsersTest {
    static final Asset ISO = new Asset("debian.iso", AssetKind.ISO, 1, "00", Instant.EPOCH);
    static final Asset OTHER_ISO = new Asset("other.iso", AssetKind.ISO, 1, "00", Instant.EPOCH);
    static final Asset KERNEL = new Asset("vmlinuz", AssetKind.KERNEL, 1, "00", Instant.EPOCH);

    static Client pc(BootMode mode, BootOptions options) {
        return Client.sanboot("pc1", "52:54:00:00:00:01", "pc1-disk").withBoot(mode, options);
    }

    @Test
    void anIsoAMenuOffersAsAnInstallEntryStays() {
        Optional<String> why = AssetUsers.whyInUse(OTHER_ISO, List.of(pc(BootMode.MENU, BootOptions.NONE)));
        assertTrue(why.orElseThrow().contains("is an install entry of client pc1's boot menu"), why.toString());
        assertEquals(Optional.empty(), AssetUsers.whyInUse(KERNEL, List.of(pc(BootMode.MENU, BootOptions.NONE))),
                "a menu offers ISOs only, of the assets its options do not name");
        assertEquals(Optional.empty(), AssetUsers.whyInUse(OTHER_ISO, List.of(pc(BootMode.SANBOOT, BootOptions.NONE))));
    }

    @Test
    void anAssetTheClientsModeBootsStays() {
        BootOptions install = BootOptions.NONE.withInstall(new InstallBoot("debian.iso", null, null, true));
        assertTrue(AssetUsers.whyInUse(ISO, List.of(pc(BootMode.INSTALL, install))).orElseThrow()
                .contains("is what client pc1 boots (boot mode install)"));
        BootOptions kernel = BootOptions.NONE.withKernel(new KernelBoot("vmlinuz", null, null));
        assertTrue(AssetUsers.whyInUse(KERNEL, List.of(pc(BootMode.MENU, kernel))).orElseThrow()
                .contains("boot mode menu"), "a menu's kernel entry");
        assertEquals(Optional.empty(), AssetUsers.whyInUse(KERNEL, List.of(pc(BootMode.SANBOOT, kernel))),
                "options of a mode the client is not in boot nothing");
    }
}
