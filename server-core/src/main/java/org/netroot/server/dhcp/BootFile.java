package org.netroot.server.dhcp;

/**
 * What a client is told to boot: a TFTP file name or a URL for the {@code file} field, or, when the
 * binary its firmware needs is missing, why not ({@code file} null).
 */
public record BootFile(String file, String missing) {
    public static BootFile of(String file) {
        return new BootFile(file, null);
    }

    public static BootFile missing(String reason) {
        return new BootFile(null, reason);
    }

    public boolean found() {
        return file != null;
    }
}
