package org.netroot.server.dhcp;

import org.netroot.server.boot.BootFile;
import org.netroot.server.boot.IpxeBinaries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootFileChooserTest {
    private static final String MAC = "52:54:00:aa:bb:01";
    private static final Inet4Address SERVER = DhcpPacket.ipv4("198.18.0.1");

    @TempDir
    Path ipxe;

    private void files(String... names) throws IOException {
        for (String n : names) {
            Path p = ipxe.resolve(n);
            Files.createDirectories(p.getParent());
            Files.write(p, new byte[] {1});
        }
    }

    private BootFile choose(ClientPackets client) throws Exception {
        return choose(client, 80);
    }

    private BootFile choose(ClientPackets client, int httpPort) throws Exception {
        BootRequest request = BootRequest.of(DhcpPacket.parse(client.bytes()));
        return new BootFileChooser(IpxeBinaries.scan(ipxe), httpPort).choose(request, SERVER);
    }

    @Test
    void biosFirmwareGetsUndionly() throws Exception {
        files("undionly.kpxe", "snponly.efi", "ipxe.efi");
        assertEquals("undionly.kpxe", choose(ClientPackets.biosFirmware(MAC, 1)).file());
    }

    @Test
    void x64UefiGetsSnponlyForArch7And9() throws Exception {
        files("undionly.kpxe", "snponly.efi", "ipxe.efi");
        assertEquals("snponly.efi", choose(ClientPackets.ovmfX64(MAC, 1)).file());
        assertEquals("snponly.efi", choose(ClientPackets.discover(MAC).option(93, 0, 9)
                .string(60, "PXEClient:Arch:00009:UNDI:003000")).file());
    }

    @Test
    void x64UefiFallsBackToIpxeEfiWhenSnponlyIsMissing() throws Exception {
        files("undionly.kpxe", "ipxe.efi");
        assertEquals("ipxe.efi", choose(ClientPackets.ovmfX64(MAC, 1)).file());
    }

    @Test
    void ia32UefiGetsIpxeEfi() throws Exception {
        files("ipxe.efi");
        assertEquals("ipxe.efi", choose(ClientPackets.discover(MAC).option(93, 0, 6)
                .string(60, "PXEClient:Arch:00006:UNDI:003000")).file());
    }

    @Test
    void arm64GetsItsOwnBinaryWhenPresent() throws Exception {
        files("snponly.efi", "arm64-efi/snponly.efi");
        assertEquals("arm64-efi/snponly.efi", choose(ClientPackets.arm64(MAC, 1)).file());
    }

    @Test
    void arm64WithoutBinarySaysWhichFileIsMissing() throws Exception {
        files("undionly.kpxe", "snponly.efi", "ipxe.efi");
        BootFile choice = choose(ClientPackets.arm64(MAC, 1));
        assertFalse(choice.found());
        assertNull(choice.file());
        assertTrue(choice.missing().contains("EFI ARM64"), choice.missing());
        assertTrue(choice.missing().contains("arm64-efi/snponly.efi"), choice.missing());
        assertTrue(choice.missing().contains(ipxe.toString()), choice.missing());
    }

    @Test
    void option93WinsOverTheVendorClassArchField() throws Exception {
        files("undionly.kpxe", "snponly.efi");
        ClientPackets lying = ClientPackets.discover(MAC).option(93, 0, 7).string(60, ClientPackets.BIOS_VENDOR);
        assertEquals("snponly.efi", choose(lying).file());
        BootRequest request = BootRequest.of(DhcpPacket.parse(lying.bytes()));
        assertEquals("arch 7 (EFI x64; option 93: 7, option 60 Arch: 0)", request.describeArchitecture());
        // without option 93 the Arch field decides
        assertEquals("undionly.kpxe", choose(ClientPackets.discover(MAC).string(60, ClientPackets.BIOS_VENDOR)).file());
    }

    @Test
    void ipxeByUserClassGetsItsScriptUrl() throws Exception {
        files("undionly.kpxe", "snponly.efi");
        assertEquals("http://198.18.0.1/boot/52:54:00:aa:bb:01.ipxe", choose(ClientPackets.biosIpxeRom(MAC, 1)).file());
        assertEquals("http://198.18.0.1:8080/boot/52:54:00:aa:bb:01.ipxe",
                choose(ClientPackets.ipxeEfi(MAC, 1), 8080).file());
        // RFC 3004 form of the user class
        assertEquals("http://198.18.0.1/boot/52:54:00:aa:bb:01.ipxe", choose(ClientPackets.discover(MAC)
                .string(60, ClientPackets.OVMF_VENDOR).option(77, 4, 'i', 'P', 'X', 'E')).file());
    }

    @Test
    void option175AloneIsNotIpxe() throws Exception {
        // OVMF that loaded iPXE can pass 175 on; a script here would be a chainload loop
        files("snponly.efi");
        assertEquals("snponly.efi", choose(ClientPackets.ovmfX64(MAC, 1).option(175, 0x13, 1, 1)).file());
    }

    @Test
    void httpBootGetsAUrl() throws Exception {
        files("snponly.efi", "ipxe.efi");
        assertEquals("http://198.18.0.1/ipxe/snponly.efi", choose(ClientPackets.httpBoot(MAC, 1)).file());
        assertEquals("http://198.18.0.1:8080/ipxe/snponly.efi", choose(ClientPackets.httpBoot(MAC, 1), 8080).file());
    }

    @Test
    void everyUefiHttpArchitectureGetsTheUrlOfItsOwnBinary() throws Exception {
        files("snponly.efi", "i386-efi/snponly.efi", "arm64-efi/snponly.efi", "undionly.kpxe");
        BootFile ia32 = choose(ClientPackets.httpBoot(MAC, 1, 0x0f));
        assertEquals("http://198.18.0.1/ipxe/i386-efi/snponly.efi", ia32.file());
        assertTrue(ia32.uefiHttp());
        assertEquals("http://198.18.0.1/ipxe/snponly.efi", choose(ClientPackets.httpBoot(MAC, 1, 0x10)).file());
        assertEquals("http://198.18.0.1/ipxe/arm64-efi/snponly.efi", choose(ClientPackets.httpBoot(MAC, 1, 0x13)).file());
        // the same firmware doing PXE gets the same binary by TFTP name
        BootFile pxe = choose(ClientPackets.ovmfX64(MAC, 1));
        assertEquals("snponly.efi", pxe.file());
        assertFalse(pxe.uefiHttp());
    }

    @Test
    void httpClientInOption60GetsAUrlEvenWithAPxeArchitecture() throws Exception {
        // option 60 says it has no TFTP client; a TFTP name would be a URL it cannot parse
        files("snponly.efi");
        BootFile f = choose(ClientPackets.discover(MAC).option(93, 0, 7).string(60, "HTTPClient:Arch:00007:UNDI:003001"));
        assertEquals("http://198.18.0.1/ipxe/snponly.efi", f.file());
        assertTrue(f.uefiHttp());
    }

    @Test
    void iPxeLoadedByHttpBootGetsItsScriptNotTheBinaryAgain() throws Exception {
        files("snponly.efi");
        BootFile f = choose(ClientPackets.ipxeEfi(MAC, 1));
        assertEquals("http://198.18.0.1/boot/" + MAC + ".ipxe", f.file());
        assertFalse(f.uefiHttp());
    }

    @Test
    void unknownArchitectureIsMissingWithItsCode() throws Exception {
        files("undionly.kpxe");
        BootFile choice = choose(ClientPackets.discover(MAC).option(93, 0, 0x27).string(60, "PXEClient:Arch:00039"));
        assertFalse(choice.found());
        assertTrue(choice.missing().contains("option 93: 39"), choice.missing());
    }
}
