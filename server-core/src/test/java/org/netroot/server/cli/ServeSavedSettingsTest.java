package org.netroot.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.ServerSettings;
import org.netroot.server.dhcp.DhcpMode;
import org.netroot.server.runtime.ServerConfig;
import org.netroot.server.runtime.SettingsFile;
import picocli.CommandLine;

/** `netroot serve` uses the saved settings when given no --interface/--dhcp; options given still win. */
class ServeSavedSettingsTest {
    @TempDir
    Path data;

    private ServerConfig parse(String... args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args);
        return serve.config();
    }

    @Test
    void savedSettingsApplyAndOptionsWin() {
        SettingsFile.write(data, new ServerSettings(List.of("eth7"), "FULL", "192.168.5.100", "192.168.5.200",
                "192.168.5.1", List.of("192.168.5.53"), null, "/srv/ipxe"));

        ServerConfig saved = parse("--data", data.toString());
        assertEquals(List.of("eth7"), saved.interfaces());
        assertEquals(DhcpMode.FULL, saved.dhcpMode());
        assertEquals("192.168.5.100", saved.rangeStart().getHostAddress());
        assertEquals("192.168.5.1", saved.router().getHostAddress());
        assertEquals(Path.of("/srv/ipxe"), saved.ipxeDir());

        ServerConfig router = parse("--data", data.toString(), "--router", "192.168.5.254");
        assertEquals("192.168.5.254", router.router().getHostAddress(), "an option given wins over the saved one");
        assertEquals(DhcpMode.FULL, router.dhcpMode());

        ServerConfig explicit = parse("--data", data.toString(), "--interface", "eth9");
        assertEquals(List.of("eth9"), explicit.interfaces());
        assertEquals(DhcpMode.PROXY, explicit.dhcpMode(), "--interface alone: the command line decides, proxy default");
        assertEquals(Path.of("/usr/lib/ipxe"), explicit.ipxeDir());
    }

    @Test
    void withoutSavedSettingsServeKeepsItsDefaults() {
        ServerConfig c = parse("--data", data.toString());
        assertEquals(List.of(), c.interfaces());
        assertEquals(DhcpMode.PROXY, c.dhcpMode());
        assertEquals(Path.of("/usr/lib/ipxe"), c.ipxeDir());
    }

    @Test
    void helpSaysSavedSettingsApply() {
        CliRun run = CliRun.of("serve", "--help");
        assertTrue(run.out().contains("settings saved in the data folder"), run.out());
    }
}
