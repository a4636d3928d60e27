package org.netroot.server.boot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The iPXE binaries firmware is handed, by name (the one place these names live), and the ones
 * found in the iPXE folder, looked up once when a service starts: DHCP must answer within iPXE's
 * ~2 s proxy window, so no file system access happens per packet. Names are relative to the folder
 * (what TFTP serves).
 */
public final class IpxeBinaries {
    /** Where Debian and Ubuntu install the iPXE binaries (package ipxe); a constant for picocli's default. */
    public static final String DEFAULT_DIR_NAME = "/usr/lib/ipxe";
    public static final Path DEFAULT_DIR = Path.of(DEFAULT_DIR_NAME);

    /** Candidates per firmware, best first. snponly.efi uses the firmware's own NIC driver (SNP). */
    public static final List<String> BIOS = List.of("undionly.kpxe");
    public static final List<String> EFI_IA32 = List.of("i386-efi/snponly.efi", "snponly-i386.efi", "ipxe-i386.efi",
            "i386-efi/ipxe.efi", "ipxe.efi");
    public static final List<String> EFI_X64 = List.of("snponly.efi", "ipxe.efi");
    public static final List<String> EFI_ARM64 = List.of("arm64-efi/snponly.efi", "snponly-arm64.efi", "ipxe-arm64.efi",
            "arm64-efi/ipxe.efi");
    public static final List<String> EFI_ARM32 = List.of("arm32-efi/snponly.efi", "snponly-arm32.efi", "ipxe-arm32.efi",
            "arm32-efi/ipxe.efi");

    private final Path folder;
    private final Set<String> present;

    private IpxeBinaries(Path folder, Set<String> present) {
        this.folder = folder;
        this.present = present;
    }

    public static IpxeBinaries scan(Path folder) {
        Set<String> found = new TreeSet<>();
        for (List<String> names : List.of(BIOS, EFI_IA32, EFI_X64, EFI_ARM64, EFI_ARM32)) {
            for (String name : names) if (Files.isRegularFile(folder.resolve(name))) found.add(name);
        }
        return new IpxeBinaries(folder, found);
    }

    public Path folder() {
        return folder;
    }

    public Set<String> present() {
        return present;
    }

    /** The first candidate present in the folder. */
    public Optional<String> first(List<String> candidates) {
        return candidates.stream().filter(present::contains).findFirst();
    }

    /** The candidates for a firmware, best first; empty for one we have no binary for. */
    public static List<String> candidatesFor(ClientArchitecture arch) {
        return switch (arch) {
            case BIOS -> BIOS;
            case EFI_IA32, HTTP_IA32 -> EFI_IA32;
            case EFI_X64, EFI_BC, HTTP_X64 -> EFI_X64;
            case EFI_ARM64, HTTP_ARM64 -> EFI_ARM64;
            case EFI_ARM32 -> EFI_ARM32;
            case UNKNOWN -> List.of();
        };
    }

    /**
     * The iPXE binary firmware of {@code arch} is handed: a TFTP name, or for UEFI HTTP Boot (which loads
     * it itself over HTTP, UEFI 2.5 §24.7) a URL under {@code httpBase} to the same binary TFTP would
     * serve; missing, saying what to install, when the folder has none. {@code httpBoot} is option 60
     * "HTTPClient": firmware that says so gets a URL whatever its option 93 says, since it has no TFTP.
     * {@code described} is the architecture as the request told it, for the reason.
     */
    public BootFile forFirmware(ClientArchitecture arch, boolean httpBoot, String httpBase, String described) {
        List<String> candidates = candidatesFor(arch);
        if (candidates.isEmpty()) return BootFile.missing("no iPXE binary for " + described);
        Optional<String> binary = first(candidates);
        if (binary.isEmpty()) {
            return BootFile.missing("no iPXE binary for " + arch.label + " in " + folder + ": put one of "
                    + String.join(", ", candidates) + " there");
        }
        if (arch.isHttpBoot() || httpBoot) return BootFile.uefiHttp(BootUrls.ipxeBinary(httpBase, binary.get()));
        return BootFile.of(binary.get());
    }

    /** Whether one of the candidates is in the folder. */
    public boolean hasAny(List<String> candidates) {
        return first(candidates).isPresent();
    }
}
