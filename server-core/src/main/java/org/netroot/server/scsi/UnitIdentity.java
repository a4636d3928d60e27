package org.netroot.server.scsi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * What a logical unit tells initiators about itself. The NAA identifier and serial come from the
 * volume name, so every volume has its own (Windows refuses two disks with one NAA id, VPD 0x83)
 * and a volume keeps its identity across restarts.
 */
public record UnitIdentity(String vendor, String product, String revision, String serial, long naa) {
    public static final String VENDOR = "NETROOT";
    public static final String PRODUCT = "VIRTUAL DISK";
    public static final String REVISION = "0001";

    public static UnitIdentity forVolume(String volumeName) {
        byte[] h = sha256("netroot-volume:" + volumeName);
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (h[i] & 0xff);
        // NAA 3 = locally assigned (SPC-4 7.8.6.6.4): top nibble 3, 60 bits of our own
        long naa = (3L << 60) | (v & 0x0fff_ffff_ffff_ffffL);
        String serial = String.format("%016x", v);
        return new UnitIdentity(VENDOR, PRODUCT, REVISION, serial, naa);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
