package org.netroot.server.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.DhcpProbeResult;
import org.netroot.server.api.IpxeCheck;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.NetworkInterfaceInfo;
import org.netroot.server.api.RemoteControl;
import org.netroot.server.api.ServerSettings;
import org.netroot.server.dhcp.DhcpMode;
import org.netroot.server.testing.TestConfigs;

/** Settings saved through the API land in settings.json, are checked in words, and feed the server's config. */
class ServerSettingsTest {
    @TempDir
    Path tmp;

    private ServerSettings full(String iface, String start, String end) throws java.io.IOException {
        return new ServerSettings(List.of(iface), "full", start, end, "127.0.0.1", List.of("127.0.0.53"), null,
                Files.createDirectories(tmp.resolve("ipxe")).toString());
    }

    @Test
    void savedOfflineTheyPersistPrivatelyAndBecomeTheServersConfig() throws Exception {
        Path data = tmp.resolve("data");
        try (NetrootControl c = Netroot.offline(data)) {
            assertEquals(ServerSettings.none(), c.settings());
            assertFalse(c.settings().configured());
            c.saveSettings(full("lo", "127.0.0.100", "127.0.0.200"));
        }
        Path file = data.resolve("settings.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (NetrootControl c = Netroot.offline(data)) {
            assertEquals(full("lo", "127.0.0.100", "127.0.0.200").withDhcp("FULL", "127.0.0.100", "127.0.0.200"),
                    c.settings(), "read back from the file by a new view");
        }
        ServerConfig config = SettingsFile.apply(TestConfigs.loopback(data, tmp), SettingsFile.read(data).orElseThrow());
        assertEquals(List.of("lo"), config.interfaces());
        assertEquals(DhcpMode.FULL, config.dhcpMode());
        assertEquals("127.0.0.100", config.rangeStart().getHostAddress());
        assertEquals("127.0.0.200", config.rangeEnd().getHostAddress());
        assertEquals("127.0.0.1", config.router().getHostAddress());
        assertEquals("127.0.0.53", config.dnsServers().getFirst().getHostAddress());
        assertEquals(tmp.resolve("ipxe"), config.ipxeDir());
        assertEquals(0, config.tftpPort(), "ports stay the caller's");
    }

    @Test
    void badSettingsAreRefusedInWordsAndNotSaved() throws Exception {
        Path data = tmp.resolve("data");
        try (NetrootControl c = Netroot.offline(data)) {
            var outside = assertThrows(IllegalArgumentException.class, () -> c.saveSettings(full("lo", "10.0.0.1", "10.0.0.9")));
            assertEquals("the range 10.0.0.1 - 10.0.0.9 is not inside lo's network 127.0.0.0/8: clients there could not"
                    + " reach this server", outside.getMessage());
            var backwards = assertThrows(IllegalArgumentException.class,
                    () -> c.saveSettings(full("lo", "127.0.0.200", "127.0.0.100")));
            assertTrue(backwards.getMessage().contains("the range's first address 127.0.0.200 comes after its last 127.0.0.100"),
                    backwards.getMessage());
            var own = assertThrows(IllegalArgumentException.class, () -> c.saveSettings(full("lo", "127.0.0.1", "127.0.0.9")));
            assertTrue(own.getMessage().contains("contains this server's own address 127.0.0.1"), own.getMessage());
            var missing = assertThrows(IllegalArgumentException.class,
                    () -> c.saveSettings(new ServerSettings(List.of("nosuchif0"), "proxy", null, null, null, null, null, null)));
            assertEquals("there is no network interface named nosuchif0 on this machine", missing.getMessage());
            assertThrows(IllegalArgumentException.class, () -> c.saveSettings(full("lo", null, null)));
            assertEquals(ServerSettings.none(), c.settings());
        }
        assertFalse(Files.exists(data.resolve("settings.json")));
    }

    @Test
    void theRunningServerSavesProbesListsAndChecksOverTheControlApi() throws Exception {
        Path data = tmp.resolve("data");
        Path ipxe = Files.createDirectories(tmp.resolve("ipxe"));
        Files.write(ipxe.resolve("undionly.kpxe"), new byte[1]);
        try (NetrootServer ignored = NetrootServer.start(TestConfigs.loopback(data, ipxe));
             NetrootControl c = Netroot.attach(data)) {
            assertInstanceOf(RemoteControl.class, c);
            ServerSettings proxy = new ServerSettings(List.of("lo"), "PROXY", null, null, null, null, null, null);
            assertEquals(proxy, c.saveSettings(proxy));
            assertEquals(proxy, c.settings());
            assertEquals(proxy, SettingsFile.read(data).orElseThrow(), "written by the server into the data folder");
            var refused = assertThrows(IllegalArgumentException.class, () -> c.saveSettings(full("lo", "x", "127.0.0.9")));
            assertTrue(refused.getMessage().contains("the range's first address x is not an IPv4 address"),
                    refused.getMessage());

            List<NetworkInterfaceInfo> all = c.networkInterfaces(true);
            NetworkInterfaceInfo lo = all.stream().filter(i -> i.name().equals("lo")).findFirst().orElseThrow();
            assertEquals("127.0.0.1", lo.ipv4());
            assertEquals(8, lo.prefixLength());
            assertTrue(c.networkInterfaces(false).stream().noneMatch(NetworkInterfaceInfo::loopback));

            IpxeCheck check = c.ipxeCheck();
            assertEquals(ipxe.toString(), check.folder(), "the folder the server serves");
            assertTrue(check.bios());
            assertFalse(check.uefi());
            assertEquals(List.of("snponly.efi or ipxe.efi is missing from " + ipxe + ": UEFI PCs cannot boot"),
                    check.problems());
            assertTrue(check.fix().contains("sudo apt install ipxe"), check.fix());

            DhcpProbeResult none = c.probeDhcp("nosuchif0", Duration.ofMillis(100));
            assertFalse(none.answered());
            assertNull(none.recommendedMode());
            assertEquals("there is no network interface named nosuchif0 on this machine", none.problem());
        }
    }

    @Test
    void offlineTheIpxeCheckLooksAtTheSavedFolder() throws Exception {
        Path data = tmp.resolve("data");
        Path ipxe = Files.createDirectories(tmp.resolve("ipxe"));
        Files.write(ipxe.resolve("undionly.kpxe"), new byte[1]);
        Files.write(ipxe.resolve("snponly.efi"), new byte[1]);
        try (NetrootControl c = Netroot.offline(data)) {
            c.saveSettings(new ServerSettings(List.of(), "OFF", null, null, null, null, null, ipxe.toString()));
            IpxeCheck check = c.ipxeCheck();
            assertTrue(check.ready(), check.toString());
            assertEquals("", check.fix());
        }
        IpxeCheck missing = NetworkSetup.ipxeCheck(tmp.resolve("nothing"));
        assertFalse(missing.ready());
        assertTrue(missing.problems().getFirst().contains("does not exist"), missing.toString());
    }
}
