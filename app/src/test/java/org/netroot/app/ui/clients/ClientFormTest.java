package org.netroot.app.ui.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.netroot.server.api.Client;

/** The dialogs' rules, without a screen: the first problem in words, and the client the form makes. */
class ClientFormTest {
    @Test
    void addNeedsAFreshNameAValidMacAndASize() {
        ClientForm f = new ClientForm(ClientForm.Mode.ADD, List.of("pc1"), List.of("52:54:00:00:00:01"), List.of("v1"),
                false);
        assertEquals("Give the client a name", f.problem().get());
        f.name().set("PC 2");
        assertTrue(f.problem().get().startsWith("A name is lower-case"));
        f.name().set("pc1");
        assertEquals("A client named pc1 exists already", f.problem().get());
        f.name().set("pc2");
        f.mac().set("52:54:00:00:00");
        assertTrue(f.problem().get().startsWith("The MAC is six pairs"));
        f.mac().set("52-54-00-00-00-01");
        assertEquals("Another client has the MAC 52:54:00:00:00:01", f.problem().get());
        f.mac().set("5254.0000.0002");
        f.size().set("lots");
        assertTrue(f.problem().get().startsWith("The size is a number"));
        f.size().set("2 GiB");
        assertNull(f.problem().get());
        assertEquals(2L << 30, f.newVolumeBytes());
        Client c = f.toClient(null);
        assertEquals(List.of("pc2", "52:54:00:00:00:02", "pc2"), List.of(c.name(), c.mac(), c.volumeName()));
        assertTrue(c.usesMutualChap(), "a new client logs in with CHAP both ways");

        f.newVolume().set(false);
        assertEquals("Choose a volume, or a new blank one", f.problem().get());
        f.existingVolume().set("v1");
        assertNull(f.problem().get());
        assertEquals(0, f.newVolumeBytes());
        assertEquals("v1", f.toClient(null).volumeName());
    }

    @Test
    void editKeepsTheStoredSecretWhenLeftBlankAndChecksANewOne() {
        Client stored = new Client("pc1", "52:54:00:00:00:01", "pc1", null, null, "pc1", null, null, null, null, true,
                false);
        ClientForm f = ClientForm.editing(stored, List.of(), List.of(), List.of("pc1"));
        assertNull(f.problem().get(), "blank secret with CHAP already on keeps it");
        Client kept = f.toClient(stored);
        assertTrue(kept.chap());
        assertNull(kept.chapSecret());

        f.chapSecret().set("short");
        assertTrue(f.problem().get().startsWith("The CHAP secret is 12 to 16"));
        f.chapSecret().set("a-good-secret1");
        f.reservedIp().set("10.0.0.300");
        assertTrue(f.problem().get().startsWith("The reserved address"));
        f.reservedIp().set("10.0.0.30");
        assertNull(f.problem().get());
        Client edited = f.toClient(stored);
        assertEquals(List.of("a-good-secret1", "10.0.0.30"), List.of(edited.chapSecret(), edited.reservedIp()));

        ClientForm off = ClientForm.editing(Client.sanboot("pc2", "52:54:00:00:00:02", null), List.of(), List.of(),
                List.of());
        off.chap().set(true);
        assertNull(off.problem().get(), "CHAP turned on with no secret typed in: secrets are generated");
        Client turnedOn = off.toClient(Client.sanboot("pc2", "52:54:00:00:00:02", "v"));
        assertTrue(turnedOn.usesMutualChap() && turnedOn.chapSecret().matches("[A-Za-z0-9]{16}")
                && turnedOn.mutualChapSecret().matches("[A-Za-z0-9]{16}"), "generated secrets both ways");
    }

    /** An edit that does not touch the Boot section keeps the mode and its options, and the card names its assets. */
    @Test
    void editKeepsTheBootModeAndItsOptions() {
        var options = org.netroot.server.api.BootOptions.NONE
                .withKernel(new org.netroot.server.api.KernelBoot("vmlinuz", "initrd.img", "debian-iscsi"));
        Client stored = Client.sanboot("pc1", "52:54:00:00:00:01", "pc1")
                .withBoot(org.netroot.server.api.BootMode.KERNEL, options);
        ClientForm f = ClientForm.editing(stored, List.of(), List.of(), List.of("pc1"));
        f.reservedIp().set("10.0.0.31");
        Client edited = f.toClient(stored);
        assertEquals(org.netroot.server.api.BootMode.KERNEL, edited.bootMode());
        assertEquals(options, edited.boot());
        assertEquals("kernel vmlinuz + initrd.img", new ClientCard(edited, null, null, null).bootMode());
        assertEquals("Boot a kernel and initrd: vmlinuz, initrd.img", new ClientCard(edited, null, null, null).bootTip());
    }

    @Test
    void aNewClientLogsInWithGeneratedChapUnlessTheBoxIsCleared() {
        ClientForm add = new ClientForm(ClientForm.Mode.ADD, List.of(), List.of(), List.of(), false);
        add.name().set("pc9");
        add.mac().set("52:54:00:00:00:09");
        assertTrue(add.chap().get(), "CHAP is on for a new client");
        assertNull(add.problem().get());
        Client c = add.toClient(null);
        assertTrue(c.usesMutualChap(), "both ways");
        assertTrue(c.chapSecret().length() == 16 && c.mutualChapSecret().length() == 16
                && !c.chapSecret().equals(c.mutualChapSecret()), "two different 16-character secrets");
        assertTrue(!add.toClient(null).chapSecret().equals(c.chapSecret()), "each new client gets its own");
        add.chap().set(false);
        assertTrue(!add.toClient(null).usesChap(), "cleared: no CHAP");
    }

    @Test
    void initiatorNamesFollowTheServersRulesAndABadOneStaysWhereItWasTyped() {
        ClientForm f = new ClientForm(ClientForm.Mode.ADD, List.of(), List.of(), List.of(), false);
        f.name().set("node1");
        f.mac().set("52:54:00:00:00:01");
        assertEquals("iqn.2026-01.org.netroot:initiator:node1", f.initiatorIqn().get(), "iPXE's follows the name");
        assertFalse(f.canAddNewIqn().get(), "nothing typed: nothing to add");

        f.newIqn().set("iqn.1991-05.com.microsoft:node 1");
        assertFalse(f.canAddNewIqn().get());
        assertFalse(f.addNewIqn());
        assertEquals("Initiator IQN \"iqn.1991-05.com.microsoft:node 1\" may hold printable characters except spaces"
                + " and $ { } # \" ' \\", f.problem().get(), "the server's words, naming the bad name");
        assertEquals("iqn.1991-05.com.microsoft:node 1", f.newIqn().get(), "what was typed stays");
        assertEquals(List.of(), f.otherIqns());

        f.newIqn().set("IQN.2026-01.org.netroot:initiator:NODE1");
        assertEquals("Initiator IQN IQN.2026-01.org.netroot:initiator:NODE1 is listed twice", f.problem().get(),
                "names compare case-insensitively, iPXE's too");
        f.newIqn().set(" iqn.1991-05.com.microsoft:node1 ");
        assertTrue(f.addNewIqn());
        assertEquals(List.of("iqn.1991-05.com.microsoft:node1"), f.otherIqns(), "added, trimmed");
        assertEquals("", f.newIqn().get());
        f.newIqn().set("iqn.1991-05.com.microsoft:node1");
        assertFalse(f.addNewIqn(), "not twice");
        f.newIqn().set("iqn.2026-01.org.example:node2");
        assertNull(f.problem().get(), "a good name typed but not added yet is no problem");
        Client c = f.toClient(null);
        assertEquals(List.of("iqn.2026-01.org.netroot:initiator:node1", "iqn.1991-05.com.microsoft:node1",
                "iqn.2026-01.org.example:node2"), c.initiatorIqns(), "Save keeps the name typed too");

        Client stored = c.withInitiatorIqns(List.of("iqn.1991-05.com.microsoft:node1", "iqn.x:old"));
        ClientForm edit = ClientForm.editing(stored, List.of(), List.of(), List.of());
        assertEquals("iqn.1991-05.com.microsoft:node1", edit.initiatorIqn().get(), "the stored first name stays first");
        assertEquals(List.of("iqn.x:old"), edit.otherIqns());
        edit.otherIqns().remove("iqn.x:old");
        assertEquals(List.of("iqn.1991-05.com.microsoft:node1"), edit.toClient(stored).initiatorIqns(), "removed");
    }

    @Test
    void sizesReadAsAPersonWritesThem() {
        assertEquals(32L << 30, SizeText.parse("32 GiB"));
        assertEquals(32L << 30, SizeText.parse("32"));
        assertEquals(500L << 20, SizeText.parse("500M"));
        assertEquals(1536L << 30, SizeText.parse("1.5 TB"));
        assertEquals(1024, SizeText.parse("1 k"));
        assertEquals(512, SizeText.parse("0.1k"), "rounded up to whole blocks");
        assertEquals(-1, SizeText.parse("0"));
        assertEquals(-1, SizeText.parse("-5G"));
        assertEquals(-1, SizeText.parse("twelve"));
        assertEquals(-1, SizeText.parse("99999999999 P"));
    }

    @Test
    void discoveredMachinesGetAFirmwareInWordsAndANameSuggestion() {
        var m = new org.netroot.server.api.DiscoveredMachine("52:54:00:ab:cd:ef", 7, "PXEClient", "eth1", null, null);
        DiscoveredCard card = new DiscoveredCard(m);
        assertEquals("pc-abcdef", card.suggestedName());
        assertTrue(Client.isValidName(card.suggestedName()));
        assertEquals("UEFI (x64)", card.firmware());
        assertEquals("BIOS", Firmwares.ofArchitecture(0));
        assertEquals("UEFI (x86)", Firmwares.ofArchitecture(6));
        assertEquals("UEFI (x64)", Firmwares.ofArchitecture(9));
        assertEquals("ARM UEFI", Firmwares.ofArchitecture(11));
        assertEquals("52-54-00-ab-cd-ef", card.idSuffix());
    }

    /** The Boot section: a mode's asset must be chosen, and looking at another mode loses nothing typed. */
    @Test
    void theBootSectionSavesTheChosenModeAndKeepsEveryModesFields() {
        ClientForm f = ClientForm.editing(Client.sanboot("pc3", "52:54:00:00:00:03", "pc3"), List.of(), List.of(),
                List.of("pc3"));
        BootForm boot = f.boot();
        assertNull(f.problem().get());
        boot.mode().set(org.netroot.server.api.BootMode.KERNEL);
        assertEquals("Choose the kernel to boot (add one in Assets first)", f.problem().get(), "no kernel yet");
        boot.kernel().set("vmlinuz");
        boot.kernelCmdline().set("  dracut-iscsi console=ttyS0 ");
        assertNull(f.problem().get());
        boot.mode().set(org.netroot.server.api.BootMode.MENU);
        boot.menuTimeout().set("soon");
        assertTrue(f.problem().get().startsWith("The menu's timeout"), f.problem().get());
        boot.menuTimeout().set("5");
        boot.menuDefault().set("kernel");
        Client menu = f.toClient(Client.sanboot("pc3", "52:54:00:00:00:03", "pc3"));
        assertEquals(org.netroot.server.api.BootMode.MENU, menu.bootMode());
        assertEquals(new org.netroot.server.api.KernelBoot("vmlinuz", null, "dracut-iscsi console=ttyS0"),
                menu.boot().kernel(), "the kernel's fields, typed before the menu was chosen, are kept");
        assertEquals(new org.netroot.server.api.MenuBoot(5, "kernel"), menu.boot().menu());
        assertNull(menu.boot().ramdisk(), "a mode never given its assets has no options");

        boot.mode().set(org.netroot.server.api.BootMode.SANBOOT);
        Client back = f.toClient(menu);
        assertEquals(org.netroot.server.api.BootMode.SANBOOT, back.bootMode());
        assertEquals(menu.boot(), back.boot(), "switching back to normal boot keeps the other modes' options");
        assertEquals(back.boot(), ClientForm.editing(back, List.of(), List.of(), List.of("pc3")).toClient(back).boot(),
                "and a form opened on them saves them as they were");
    }
}
