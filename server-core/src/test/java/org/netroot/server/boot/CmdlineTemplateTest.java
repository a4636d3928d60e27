package org.netroot.server.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.netroot.server.testing.RandomInputs;
import org.netroot.server.testing.Tries;

/** Command-line templates: what they expand to, and what they refuse to let through. */
class CmdlineTemplateTest {
    static final Map<String, String> VALUES = Map.of("mac", "52:54:00:00:00:01", "ip", "198.18.0.101",
            "server", "198.18.0.1", "client", "pc1", "target-iqn", "iqn.2026-01.org.netroot:pc1",
            "initiator-iqn", "iqn.2026-01.org.netroot:initiator:pc1", "volume", "pc1-disk", "nbd-export", "pc1-disk",
            "nbd-server", "198.18.0.1:10809", "iscsi-port", "3260");

    @Test
    void theShippedTemplatesExpandToWhatTheirInitramfsReads() {
        assertEquals("ip=dhcp ISCSI_AUTO=true iscsi_auto root=/dev/sda1 rw", CmdlineTemplate.expand("debian-iscsi", VALUES));
        assertEquals("rd.iscsi.ibft=1 rd.iscsi.firmware=1 ip=ibft netroot=iscsi:198.18.0.1::3260::iqn.2026-01.org.netroot:pc1"
                + " rd.iscsi.initiator=iqn.2026-01.org.netroot:initiator:pc1 root=/dev/sda1 rw",
                CmdlineTemplate.expand("dracut-iscsi", VALUES));
        assertEquals("root=/dev/nbd0 nbdroot=198.18.0.1:10809/pc1-disk ip=dhcp rw", CmdlineTemplate.expand("nbd-root", VALUES));
        assertTrue(CmdlineTemplate.usesIscsi("debian-iscsi") && CmdlineTemplate.usesIscsi("dracut-iscsi"));
        assertFalse(CmdlineTemplate.usesIscsi("nbd-root"));
        for (CmdlineTemplate.Shipped t : CmdlineTemplate.shipped()) {
            CmdlineTemplate.check(t.name(), true);
        }
    }

    @Test
    void theApiNamesTheShippedTemplatesTheAppOffers() {
        java.util.List<String> named = new java.util.ArrayList<>(org.netroot.server.api.KernelBoot.SHIPPED_TEMPLATES);
        named.addAll(org.netroot.server.api.RamdiskBoot.SHIPPED_TEMPLATES);
        assertEquals(CmdlineTemplate.shipped().stream().map(CmdlineTemplate.Shipped::name).toList(), named);
        for (String ramdisk : org.netroot.server.api.RamdiskBoot.SHIPPED_TEMPLATES) {
            assertTrue(CmdlineTemplate.mentions(ramdisk, CmdlineTemplate.ROOT_IMAGE_URL), ramdisk + " fetches the image");
        }
    }

    @Test
    void argumentsAfterAShippedNameAreAddedAndReplaceTheTemplatesOfTheSameKey() {
        assertEquals("ip=dhcp ISCSI_AUTO=true iscsi_auto rw root=LABEL=netroot-root console=ttyS0",
                CmdlineTemplate.resolve("debian-iscsi  root=LABEL=netroot-root console=ttyS0"));
    }

    @Test
    void aTemplateOfItsOwnExpandsItsVariables() {
        assertEquals("console=ttyS0 me=pc1 at=198.18.0.101 on=52:54:00:00:00:01",
                CmdlineTemplate.expand("console=ttyS0 me=${client} at=${ip}  on=${mac}", VALUES));
        assertTrue(CmdlineTemplate.usesIscsi("root=/dev/sda1 x=${target-iqn}"));
        assertFalse(CmdlineTemplate.usesIscsi("root=/dev/sda1 quiet"));
    }

    @Test
    void anUnknownVariableIsRefusedNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CmdlineTemplate.check("root=/dev/sda1 x=${hostname}", false));
        assertTrue(e.getMessage().contains("unknown variable ${hostname}"), e.getMessage());
        assertTrue(e.getMessage().contains("${mac}") && e.getMessage().contains("${nbd-server}"), e.getMessage());
        assertFalse(e.getMessage().contains("${root-image-url}"), "not known outside a ramdisk: " + e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CmdlineTemplate.check("live-fetch", false));
        CmdlineTemplate.check("live-fetch", true);
    }

    @Test
    void whatIpxeOrTheKernelWouldReadDifferentlyIsRefused() {
        for (String bad : new String[] {"a=1 || shell", "a=\"b c\"", "a=1\nshell", "a=1\tb", "x=$HOME", "x=${mac", "a=1 ; b",
                "a=1 # c", "a=\\x", "x=`id`", "a=1 && b", "a=<b>", "x=é"}) {
            assertThrows(IllegalArgumentException.class, () -> CmdlineTemplate.check(bad, true), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> CmdlineTemplate.check("a".repeat(2048), false));
    }

    @Test
    void aValueThatIsNotOnePlainWordIsRefusedNamingItsVariable() {
        for (String value : new String[] {"pc 1", "${password}", "a\"b", "a\nshell", "", "a;b", "a|b"}) {
            Map<String, String> v = new HashMap<>(VALUES);
            v.put("client", value);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CmdlineTemplate.expand("me=${client}", v), value);
            assertTrue(e.getMessage().contains("${client}"), e.getMessage());
        }
        Map<String, String> noVolume = new HashMap<>(VALUES);
        noVolume.remove("volume");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CmdlineTemplate.expand("v=${volume}", noVolume))
                .getMessage().contains("${volume} has no value"));
    }

    /** Whatever the values, an expansion either is refused or keeps the template's words: nothing is injected. */
    @Test
    void noValueAddsAWordOrAnIpxeSetting() {
        Tries.run("cmdline values", 2000, r -> {
            Map<String, String> v = new HashMap<>(VALUES);
            String value = RandomInputs.string(r, (char) 0, (char) 0x7f, 0, 12);
            String name = RandomInputs.oneOf(r, CmdlineTemplate.VARIABLES);
            v.put(name, value);
            String template = "a=${" + name + "} b ${" + name + "}";
            String line;
            try {
                line = CmdlineTemplate.expand(template, v);
            } catch (IllegalArgumentException refused) {
                return;
            }
            assertEquals(3, line.split(" ", -1).length, line);
            assertFalse(line.contains("$") || line.contains("\n") || line.contains("\"") || line.contains("\\"), line);
        });
    }
}
