package org.netroot.server.boot;

/**
 * What DHCP tells a network-booting machine: a TFTP file name or a URL for the {@code file} field;
 * or, when the binary its firmware needs is missing, why not ({@code missing}); or that the machine
 * is to get no answer at all ({@code ignored}, the reason for its boot event).
 */
public record BootFile(String file, String missing, String ignored) {
    public static BootFile of(String file) {
        return new BootFile(file, null, null);
    }

    public static BootFile missing(String reason) {
        return new BootFile(null, reason, null);
    }

    public static BootFile ignored(String reason) {
        return new BootFile(null, null, reason);
    }

    public boolean found() {
        return file != null;
    }

    public boolean isIgnored() {
        return ignored != null;
    }
}
