package org.netroot.server.boot;

/**
 * What DHCP tells a network-booting machine: a TFTP file name or a URL for the {@code file} field;
 * or, when the binary its firmware needs is missing, why not ({@code missing}); or that the machine
 * is to get no answer at all ({@code ignored}, the reason for its boot event).
 *
 * @param uefiHttp the file is a URL that UEFI HTTP Boot firmware loads itself (UEFI 2.5 §24.7): the reply
 *                 must name itself {@code HTTPClient} in option 60 or the firmware drops it, and there is
 *                 no TFTP next-server to name
 */
public record BootFile(String file, String missing, String ignored, boolean uefiHttp) {
    /** What firmware echoes back in option 60 when it boots by URL (UEFI 2.5 §24.7.2). */
    public static final String HTTP_CLIENT = "HTTPClient";

    public static BootFile of(String file) {
        return new BootFile(file, null, null, false);
    }

    /** A URL for UEFI HTTP Boot firmware. */
    public static BootFile uefiHttp(String url) {
        return new BootFile(url, null, null, true);
    }

    public static BootFile missing(String reason) {
        return new BootFile(null, reason, null, false);
    }

    public static BootFile ignored(String reason) {
        return new BootFile(null, null, reason, false);
    }

    public boolean found() {
        return file != null;
    }

    public boolean isIgnored() {
        return ignored != null;
    }

    /** For boot events: what the reply hands the machine, naming UEFI HTTP Boot when it is that. */
    public String describe() {
        return uefiHttp ? "UEFI HTTP Boot, boot URL " + file : "boot file " + file;
    }
}
