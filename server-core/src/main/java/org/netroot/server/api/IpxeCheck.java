package org.netroot.server.api;

import java.util.List;

/**
 * Whether the iPXE boot files firmware is handed are in {@code folder}: {@code bios} (undionly.kpxe)
 * and {@code uefi} (snponly.efi or ipxe.efi). {@code problems} say what is missing in words, and
 * {@code fix} where to get the files; both empty when everything is there.
 */
public record IpxeCheck(String folder, boolean bios, boolean uefi, List<String> present, List<String> problems,
                        String fix) {
    public IpxeCheck {
        present = present == null ? List.of() : List.copyOf(present);
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    public boolean ready() {
        return bios && uefi;
    }
}
