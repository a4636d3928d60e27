package org.netroot.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules the server checks a client's iSCSI values with, and the app its form. */
class IscsiValuesTest {
    @Test
    void valuesIpxeWouldExpandOrSplitAreNotSafe() {
        assertTrue(IscsiValues.isSafe("iqn.2026-01.org.netroot:c1"));
        assertFalse(IscsiValues.isSafe("has space"));
        assertFalse(IscsiValues.isSafe("${net0/mac}"));
        assertFalse(IscsiValues.isSafe("a#comment"));
        assertFalse(IscsiValues.isSafe("caf\u00e9"));
        assertFalse(IscsiValues.isSafe(""));
        assertFalse(IscsiValues.isSafe(null));
    }

    @Test
    void aSecretsProblemNeverRepeatsTheSecret() {
        assertNull(IscsiValues.problem("CHAP secret", "a-good-secret1"));
        String p = IscsiValues.problem("CHAP secret", "my secret$1234");
        assertEquals("CHAP secret may hold printable characters except spaces and $ { } # \" ' \\", p);
    }

    @Test
    void initiatorNamesArePresentSafeAndListedOnce() {
        assertNull(IscsiValues.initiatorIqnsProblem(List.of("iqn.2026-01.org.netroot:initiator:pc1",
                "iqn.1991-05.com.microsoft:pc1")));
        assertEquals("an initiator IQN may not be empty",
                IscsiValues.initiatorIqnsProblem(List.of("iqn.x:a", " ")));
        assertEquals("an initiator IQN may not be empty", IscsiValues.initiatorIqnsProblem(Arrays.asList("iqn.x:a", null)));
        assertEquals("initiator IQN \"iqn.x:a b\" may hold printable characters except spaces and $ { } # \" ' \\",
                IscsiValues.initiatorIqnsProblem(List.of("iqn.x:ok", "iqn.x:a b")), "the bad one is named");
        assertEquals("initiator IQN IQN.X:A is listed twice", IscsiValues.initiatorIqnsProblem(List.of("iqn.x:a", "IQN.X:A")),
                "names compare case-insensitively");
    }
}
