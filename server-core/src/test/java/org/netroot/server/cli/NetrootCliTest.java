package org.netroot.server.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a data folder with no server running (it opens the database itself). */
class NetrootCliTest {
    @TempDir Path tmp;

    private CliRun cli(String... args) {
        return CliRun.of(java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--data", tmp.resolve("data").toString())).toArray(String[]::new));
    }

    @Test
    void volumeFromImageRoundTripsThroughExport() throws Exception {
        byte[] image = new byte[1_000_000]; // not a multiple of 512: rounded up, zero padded
        new Random(1).nextBytes(image);
        Path img = Files.write(tmp.resolve("disk.img"), image);
        CliRun created = cli("volume", "create", "v1", "--from", img.toString());
        assertEquals(0, created.code(), created.err());
        // not a terminal: plain progress lines, the last one says how it ended
        assertTrue(created.out().contains("  0%  0 B of 976.6 KiB  import v1\n"), created.out());
        assertTrue(created.out().contains("100%  976.6 KiB of 976.6 KiB  import v1  succeeded"), created.out());
        assertTrue(created.out().contains("created volume v1"), created.out());
        Path back = tmp.resolve("back.img");
        CliRun exported1 = cli("volume", "export", "v1", back.toString());
        assertEquals(0, exported1.code(), exported1.err());
        assertTrue(exported1.out().contains("export v1  succeeded"), exported1.out());
        CliRun failed = cli("volume", "export", "v1", tmp.resolve("no/such/dir/x.img").toString());
        assertTrue(failed.code() != 0);
        assertTrue(failed.err().contains("no/such/dir does not exist: create it"), failed.err());
        byte[] exported = Files.readAllBytes(back);
        assertEquals(1_000_448, exported.length);
        assertArrayEquals(image, java.util.Arrays.copyOf(exported, image.length));
        assertTrue(cli("volume", "list").out().contains("v1"));
    }

    @Test
    void volumeResizeGrowsAndShrinksOnlyWhenConfirmed() throws Exception {
        // raw: the file's size is the volume's size
        assertEquals(0, cli("volume", "create", "v1", "--size", "16M", "--format", "raw").code());
        Path file = tmp.resolve("data").resolve("volumes").resolve("v1.img");

        CliRun grown = cli("volume", "resize", "v1", "--size", "1G");
        assertEquals(0, grown.code(), grown.err());
        assertEquals("volume v1 is now 1 GiB", grown.out().trim());
        assertEquals(1L << 30, Files.size(file));
        assertTrue(cli("volume", "list").out().matches("(?s).*\nv1\\s+raw\\s+1 GiB\\s+\\S+ \\S+\\s+-\\s+-\\s+-\n.*"),
                cli("volume", "list").out());

        CliRun unconfirmed = cli("volume", "resize", "v1", "--size", "512M");
        assertEquals(2, unconfirmed.code(), "a user error");
        assertTrue(unconfirmed.err().contains("destroys the data past the new end: pass --shrink to confirm"), unconfirmed.err());
        assertEquals(1L << 30, Files.size(file), "nothing changed");

        CliRun shrunk = cli("volume", "resize", "v1", "--size", "512M", "--shrink");
        assertEquals(0, shrunk.code(), shrunk.err());
        assertEquals(512L << 20, Files.size(file));

        CliRun odd = cli("volume", "resize", "v1", "--size", "1000");
        assertEquals(2, odd.code());
        assertTrue(odd.err().contains("multiple of 512"), odd.err());
        CliRun missing = cli("volume", "resize", "nope", "--size", "1G");
        assertTrue(missing.err().contains("no volume named nope"), missing.err());
        CliRun noSize = cli("volume", "resize", "v1");
        assertTrue(noSize.code() != 0 && noSize.err().contains("--size"), noSize.err());
    }

    @Test
    void everyOptionOfVolumeResizeIsDescribed() {
        var resize = new picocli.CommandLine(new VolumeCommand()).getSubcommands().get("resize").getCommandSpec();
        assertTrue(resize.usageMessage().description().length > 0);
        for (var option : resize.options()) {
            if (option.usageHelp() || option.versionHelp()) continue;
            assertTrue(option.description().length > 0 && !option.description()[0].isBlank(),
                    option.longestName() + " has no description");
        }
        for (var parameter : resize.positionalParameters()) {
            assertTrue(parameter.description().length > 0, parameter.paramLabel() + " has no description");
        }
    }

    @Test
    void newClientsGetChapBothWaysWithGeneratedSecretsUnlessToldOtherwise() {
        assertEquals(0, cli("volume", "create", "v1", "--size", "16M").code());
        assertEquals(0, cli("volume", "create", "v2", "--size", "16M").code());
        CliRun added = cli("client", "add", "pc1", "--mac", "52:54:00:12:34:56", "--volume", "v1");
        assertEquals(0, added.code(), added.err());
        assertTrue(added.out().contains("CHAP: on, both ways, secrets generated"), added.out());
        String secrets = cli("client", "secrets", "pc1").out();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("CHAP secret: +(\\S+)\\n(?s).*mutual user: +(\\S+)\\nmutual secret: +(\\S+)")
                .matcher(secrets);
        assertTrue(m.find(), secrets);
        assertTrue(m.group(1).matches("[A-Za-z0-9]{16}") && m.group(3).matches("[A-Za-z0-9]{16}"), secrets);
        assertTrue(!m.group(1).equals(m.group(3)), "the two secrets differ (RFC 7143 12.1.3)");
        assertEquals("iqn.2026-01.org.netroot:pc1", m.group(2));
        assertTrue(cli("client", "list").out().contains("mutual"), "the list says CHAP is mutual, without the secrets");
        assertTrue(!cli("client", "list").out().contains(m.group(1)), "lists carry no secrets");

        CliRun open = cli("client", "add", "pc2", "--mac", "52:54:00:12:34:57", "--volume", "v2", "--no-chap");
        assertEquals(0, open.code(), open.err());
        assertTrue(open.out().contains("CHAP: off"), open.out());
        assertEquals("pc2: CHAP is off\n", cli("client", "secrets", "pc2").out());
        CliRun both = cli("client", "add", "pc3", "--mac", "52:54:00:12:34:58", "--volume", "v2", "--no-chap",
                "--chap-secret", "abcdefghijklmn");
        assertTrue(both.err().contains("--no-chap and CHAP settings contradict each other"), both.err());
    }

    @Test
    void clientLifecycleAndClearErrors() {
        assertEquals(0, cli("volume", "create", "v1", "--size", "16M").code());
        CliRun added = cli("client", "add", "pc1", "--mac", "52:54:00:12:34:56", "--volume", "v1");
        assertEquals(0, added.code(), added.err());
        assertTrue(cli("client", "list").out().contains("pc1                  52:54:00:12:34:56  volume=v1"));

        CliRun badMac = cli("client", "add", "pc2", "--mac", "nonsense", "--volume", "v1");
        assertEquals(2, badMac.code());
        assertTrue(badMac.err().contains("not a MAC address: nonsense"), badMac.err());

        CliRun shortSecret = cli("client", "add", "pc3", "--mac", "52:54:00:12:34:57", "--volume", "v1",
                "--chap-secret", "short");
        assertEquals(2, shortSecret.code());

        assertEquals(0, cli("volume", "create", "v9", "--size", "1M").code());
        CliRun badIp = cli("client", "add", "pc5", "--mac", "52:54:00:12:34:59", "--volume", "v9", "--ip", "foo");
        assertEquals(2, badIp.code());
        assertTrue(badIp.err().contains("must be an IPv4 address"), badIp.err());

        CliRun missingVolume = cli("client", "add", "pc4", "--mac", "52:54:00:12:34:58", "--volume", "nope");
        assertTrue(missingVolume.err().contains("no volume named nope"), missingVolume.err());

        CliRun inUse = cli("volume", "remove", "v1");
        assertTrue(inUse.err().contains("remove the client first"), inUse.err());
        assertEquals(0, cli("client", "remove", "pc1").code());
        assertEquals(0, cli("volume", "remove", "v1").code());
        assertEquals(0, cli("volume", "remove", "v9").code());
        assertTrue(cli("volume", "list").out().contains("no volumes yet"));
    }

    @Test
    void statusSaysWhenNoServerRuns() {
        CliRun s = cli("status");
        assertEquals(3, s.code());
        assertTrue(s.out().contains("no Netroot server is running"), s.out());
    }
}
