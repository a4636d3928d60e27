package org.netroot.app.ui.clients;

/** Option 93's architecture code (RFC 4578 §2.1) in the words a card shows. */
public final class Firmwares {
    private Firmwares() {
    }

    public static String ofArchitecture(int code) {
        return switch (code) {
            case 0 -> "BIOS";
            case 6 -> "UEFI (x86)";
            case 7, 9 -> "UEFI (x64)";
            case 10, 11 -> "ARM UEFI";
            case 16 -> "UEFI HTTP (x64)";
            case 19 -> "ARM UEFI HTTP";
            case -1 -> "unknown";
            default -> "architecture " + code;
        };
    }
}
