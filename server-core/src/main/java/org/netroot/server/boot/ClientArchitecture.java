package org.netroot.server.boot;

/** Client system architecture types that matter for boot (RFC 4578 §2.1, IANA "Processor Architecture Types"). */
public enum ClientArchitecture {
    BIOS(0x00, "BIOS"),
    EFI_IA32(0x06, "EFI IA32"),
    EFI_X64(0x07, "EFI x64"),
    /** Sent by some x64 firmware (IANA calls it EFI BC); boots the same binaries as 7. */
    EFI_BC(0x09, "EFI x64 (type 9)"),
    EFI_ARM32(0x0a, "EFI ARM32"),
    EFI_ARM64(0x0b, "EFI ARM64"),
    /** UEFI HTTP Boot (UEFI 2.5 §24.7): the firmware loads its boot file by URL. */
    HTTP_IA32(0x0f, "EFI IA32 HTTP boot"),
    HTTP_X64(0x10, "EFI x64 HTTP boot"),
    HTTP_ARM64(0x13, "EFI ARM64 HTTP boot"),
    UNKNOWN(-1, "unknown");

    public final int code;
    public final String label;

    ClientArchitecture(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public static ClientArchitecture of(int code) {
        for (ClientArchitecture a : values()) if (a.code == code) return a;
        return UNKNOWN;
    }

    public boolean isUefi() {
        return this != BIOS && this != UNKNOWN;
    }

    public boolean isHttpBoot() {
        return this == HTTP_IA32 || this == HTTP_X64 || this == HTTP_ARM64;
    }
}
