package org.netroot.app.ui.assets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.netroot.server.api.Asset;
import org.netroot.server.api.AssetKind;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.BootOptions;
import org.netroot.server.api.Client;
import org.netroot.server.api.KernelBoot;

/** The words the Assets view shows and suggests, without a screen. */
class AssetsViewModelTest {
    @Test
    void aFilesNameBecomesTheAssetsAsTheLibraryTakesIt() {
        assertEquals("vmlinuz-6.1", AssetsViewModel.nameFor("/srv/boot/vmlinuz-6.1"));
        assertEquals("", AssetsViewModel.nameFor("/"), "half typed");
        assertEquals("", AssetsViewModel.nameFor(" "));
        assertEquals("my_installer.iso", AssetsViewModel.nameFor("/tmp/my installer.iso"), "a space is no URL segment");
        assertEquals("hidden", AssetsViewModel.nameFor("/tmp/.hidden"), "nor a leading dot");
    }

    @Test
    void anAssetIsUsedByTheClientsThatBootItAndAnIsoByEveryMenuWithAVolume() {
        Asset kernel = new Asset("vmlinuz", AssetKind.KERNEL, 1, "00", Instant.EPOCH);
        Asset iso = new Asset("debian.iso", AssetKind.ISO, 1, "00", Instant.EPOCH);
        BootOptions kernelBoot = BootOptions.NONE.withKernel(new KernelBoot("vmlinuz", "initrd.img", null));
        List<Client> clients = List.of(
                client("thin-1", BootMode.KERNEL, null, kernelBoot),
                client("kiosk", BootMode.SANBOOT, "kiosk", kernelBoot), // told a kernel once, boots its disk now
                client("lab-1", BootMode.MENU, "lab-1", kernelBoot),
                client("desk", BootMode.MENU, null, BootOptions.NONE)); // no volume: no install entries
        assertEquals("lab-1, thin-1", AssetsViewModel.usedBy(kernel, clients), "a menu offers the kernel too");
        assertEquals("lab-1 (menu)", AssetsViewModel.usedBy(iso, clients));
        assertEquals("", AssetsViewModel.usedBy(iso, List.of(clients.get(0))), "free to remove");
    }

    private static Client client(String name, BootMode mode, String volume, BootOptions boot) {
        return new Client(name, "52:54:00:00:00:0" + name.length(), volume, mode, null, null, null, null, null, null,
                false, false, List.of(), boot);
    }

    @Test
    void aChecksumShowsItsFirstTwelveDigits() {
        assertEquals("9f86d081884c", AssetsViewModel.shortSha("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
        assertEquals("", AssetsViewModel.shortSha(null));
    }
}
