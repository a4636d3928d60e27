package org.netroot.app.ui.volumes;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SizeInputTest {
    private static long bytes(String s) {
        SizeInput.Parsed p = SizeInput.parse(s);
        assertTrue(p.valid(), s + ": " + p.error());
        return p.bytes();
    }

    private static String error(String s) {
        SizeInput.Parsed p = SizeInput.parse(s);
        assertFalse(p.valid(), s + " should be refused");
        return p.error();
    }

    @Test
    void readsUnitsAsPeopleTypeThem() {
        assertEquals(64L << 30, bytes("64G"));
        assertEquals(64L << 30, bytes("64 GiB"));
        assertEquals(64L << 30, bytes(" 64gib "));
        assertEquals(500L << 20, bytes("500M"));
        assertEquals(3L << 39, bytes("1.5T"));
        assertEquals(1536L << 20, bytes("1,5G"));
        assertEquals(1_048_576, bytes("1048576"));
        assertEquals(4096, bytes("4096 B"));
        assertEquals(1_000_000_000L, bytes("1GB"), "GB is decimal");
    }

    @Test
    void saysWhyAValueIsWrong() {
        assertEquals("1000 bytes is not a multiple of 512 (a disk block): try 1024 bytes", error("1000"));
        assertTrue(error("1KB").contains("not a multiple of 512"));
        assertEquals("The size must be more than zero", error("0G"));
        assertTrue(error("").startsWith("Type a size"));
        assertTrue(error("big").contains("is not a size"));
        assertTrue(error("5 parsecs").startsWith("Unknown unit"));
        assertTrue(error("0.3 B").contains("whole number of bytes"));
        assertTrue(error("99999999T").contains("too large"));
    }
}
