package org.netroot.server.iscsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ChapTest {
    private static final byte[] CHALLENGE = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");

    @Test
    void responseIsMd5OfIdSecretChallenge() {
        // vector computed independently (Python hashlib) for id 7, secret "secret-of-pc1"
        assertEquals("0x2e4d19c6c8da1b2e6447d1bd9d773851", Chap.hex(Chap.response(7, "secret-of-pc1", CHALLENGE)));
    }

    @Test
    void verifyAcceptsTheRightSecretOnly() {
        byte[] r = HexFormat.of().parseHex("2e4d19c6c8da1b2e6447d1bd9d773851");
        assertTrue(Chap.verify(7, "secret-of-pc1", CHALLENGE, r));
        assertFalse(Chap.verify(7, "secret-of-pc2", CHALLENGE, r));
        assertFalse(Chap.verify(8, "secret-of-pc1", CHALLENGE, r));
    }

    @Test
    void binaryValuesInHexAndBase64() {
        assertArrayEquals(new byte[] {10, 11, 12}, Chap.decode("0x0a0b0c"));
        assertArrayEquals(new byte[] {10, 11, 12}, Chap.decode("0X0A0B0C"));
        assertArrayEquals(new byte[] {10, 11, 12}, Chap.decode("0bCgsM"));
        assertArrayEquals(new byte[] {10, 11, 12}, Chap.decode("0BCgsM"));
        assertArrayEquals(new byte[] {0x0a, 0x0b}, Chap.decode("0xa0b"), "odd digit count: leading zero implied");
        assertThrows(IllegalArgumentException.class, () -> Chap.decode("2e4d19"));
        assertThrows(IllegalArgumentException.class, () -> Chap.decode("0xzz"));
    }

    @Test
    void algorithmListOffersMd5() {
        assertTrue(Chap.offersMd5("5"));
        assertTrue(Chap.offersMd5("7,5"));
        assertTrue(Chap.offersMd5("5,7"));
        assertFalse(Chap.offersMd5("6,7"));
        assertFalse(Chap.offersMd5("55"));
    }

    @Test
    void challengesDiffer() {
        assertFalse(java.util.Arrays.equals(Chap.newChallenge().bytes(), Chap.newChallenge().bytes()));
    }
}
