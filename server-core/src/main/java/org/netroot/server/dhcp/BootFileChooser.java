package org.netroot.server.dhcp;

import java.net.Inet4Address;
import java.util.List;
import java.util.Optional;
import org.netroot.server.boot.BootUrls;
import org.netroot.server.boot.IpxeBinaries;

/**
 * Picks the boot file for a client: firmware PXE gets the iPXE binary for its architecture (over
 * TFTP), UEFI HTTP boot gets a URL to it, and iPXE itself gets its per-client script URL. Telling
 * iPXE apart from firmware by user class keeps a client from loading iPXE again and again.
 */
public final class BootFileChooser {
    private final IpxeBinaries binaries;
    private final int httpPort;

    public BootFileChooser(IpxeBinaries binaries, int httpPort) {
        this.binaries = binaries;
        this.httpPort = httpPort;
    }

    public BootFile choose(BootRequest request, Inet4Address server) {
        if (request.ipxe()) return BootFile.of(BootUrls.script(httpBase(server), request.mac()));
        ClientArchitecture arch = request.architecture();
        List<String> candidates = switch (arch) {
            case BIOS -> IpxeBinaries.BIOS;
            case EFI_IA32 -> IpxeBinaries.EFI_IA32;
            case EFI_X64, EFI_BC, HTTP_X64 -> IpxeBinaries.EFI_X64;
            case EFI_ARM64, HTTP_ARM64 -> IpxeBinaries.EFI_ARM64;
            case EFI_ARM32 -> IpxeBinaries.EFI_ARM32;
            case UNKNOWN -> List.of();
        };
        if (candidates.isEmpty()) {
            return BootFile.missing("no iPXE binary for " + request.describeArchitecture());
        }
        Optional<String> binary = binaries.first(candidates);
        if (binary.isEmpty()) {
            return BootFile.missing("no iPXE binary for " + arch.label + " in " + binaries.folder()
                    + ": put one of " + String.join(", ", candidates) + " there");
        }
        // UEFI HTTP boot loads the binary itself over HTTP (UEFI 2.5 §24.7): the file field is a URL.
        if (arch.isHttpBoot() || request.httpClient()) {
            return BootFile.of(BootUrls.ipxeBinary(httpBase(server), binary.get()));
        }
        return BootFile.of(binary.get());
    }

    private String httpBase(Inet4Address server) {
        return BootUrls.httpBase(server.getHostAddress(), httpPort);
    }
}
