package org.netroot.server.iscsi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * CHAP for iSCSI (RFC 7143 §12.1.3, RFC 1994) with MD5 (CHAP_A=5), the one algorithm every
 * initiator offers. Binary values are written in hex {@code 0x...} and read in hex or base64
 * {@code 0b...} (§6.1: initiators may use either).
 */
public final class Chap {
    public static final String MD5 = "5";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Chap() {
    }

    public record Challenge(int id, byte[] bytes) {
    }

    public static Challenge newChallenge() {
        byte[] c = new byte[16];
        RANDOM.nextBytes(c);
        return new Challenge(RANDOM.nextInt(256), c);
    }

    /** MD5(id || secret || challenge) (RFC 1994 §4.1). */
    public static byte[] response(int id, String secret, byte[] challenge) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update((byte) id);
            md5.update(secret.getBytes(StandardCharsets.UTF_8));
            md5.update(challenge);
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison of the initiator's CHAP_R with the one its secret gives. */
    public static boolean verify(int id, String secret, byte[] challenge, byte[] received) {
        return MessageDigest.isEqual(response(id, secret, challenge), received);
    }

    public static String hex(byte[] b) {
        return "0x" + HexFormat.of().formatHex(b);
    }

    /** Decodes a binary value: {@code 0x}/{@code 0X} hex or {@code 0b}/{@code 0B} base64. */
    public static byte[] decode(String value) {
        if (value == null || value.length() < 3) throw new IllegalArgumentException("not a binary value: " + value);
        String prefix = value.substring(0, 2);
        String body = value.substring(2);
        if (prefix.equalsIgnoreCase("0x")) {
            if (body.length() % 2 == 1) body = "0" + body; // RFC 7143 §6.1: odd digit counts are allowed
            return HexFormat.of().parseHex(body);
        }
        if (prefix.equalsIgnoreCase("0b")) return Base64.getDecoder().decode(body);
        throw new IllegalArgumentException("binary values start with 0x or 0b: " + value);
    }

    /** True if the CHAP_A list (e.g. "5,7") offers MD5. */
    public static boolean offersMd5(String algorithms) {
        return Arrays.asList(algorithms.split(",")).contains(MD5);
    }
}
