package org.netroot.server.iscsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NegotiationTest {
    private final SessionParameters p = new SessionParameters();

    private String answer(String key, String value) {
        return Negotiation.answer(key, value, p);
    }

    @Test
    void digestsTakeTheFirstOfferedValueWeSupport() {
        assertEquals("CRC32C", answer("HeaderDigest", "CRC32C,None"));
        assertTrue(p.headerDigest);
        assertEquals("None", answer("DataDigest", "None,CRC32C"));
        assertFalse(p.dataDigest);
        assertEquals("CRC32C", answer("DataDigest", "CRC32C"));
        assertTrue(p.dataDigest);
        assertEquals("None", answer("HeaderDigest", "MD5,None"));
        assertFalse(p.headerDigest);
        assertEquals("Reject", answer("HeaderDigest", "MD5"));
    }

    @Test
    void numbersTakeMinimumOrMaximum() {
        assertEquals("1", answer("MaxConnections", "8"));
        assertEquals("262144", answer("MaxBurstLength", "262144"));
        assertEquals(262144, p.maxBurstLength);
        assertEquals("65536", answer("FirstBurstLength", "65536"));
        assertEquals("1", answer("MaxOutstandingR2T", "16"));
        assertEquals("0", answer("ErrorRecoveryLevel", "2"));
        assertEquals("0", answer("DefaultTime2Retain", "20"));
        assertEquals("2", answer("DefaultTime2Wait", "2"));
        assertEquals("Reject", answer("MaxBurstLength", "100"), "below the legal range of 512");
        assertEquals("Reject", answer("MaxConnections", "lots"));
    }

    @Test
    void firstBurstNeverExceedsMaxBurst() {
        answer("MaxBurstLength", "8192");
        assertEquals("8192", answer("FirstBurstLength", "65536"));
    }

    @Test
    void booleanOrAndAnd() {
        // InitialR2T is OR: our No yields to the initiator's Yes (iPXE), and stays No with No
        assertEquals("Yes", answer("InitialR2T", "Yes"));
        assertTrue(p.initialR2T);
        assertEquals("No", answer("InitialR2T", "No"));
        assertFalse(p.initialR2T);
        // ImmediateData is AND: our Yes yields to the initiator's No (iPXE)
        assertEquals("No", answer("ImmediateData", "No"));
        assertFalse(p.immediateData);
        assertEquals("Yes", answer("ImmediateData", "Yes"));
        assertEquals("Yes", answer("DataPDUInOrder", "No"), "OR with our Yes");
        assertEquals("Reject", answer("ImmediateData", "Maybe"));
    }

    @Test
    void markersAreAnsweredNo() {
        assertEquals("No", answer("IFMarker", "Yes"));
        assertEquals("No", answer("OFMarker", "No"));
        assertEquals("Irrelevant", answer("OFMarkInt", "2048~8192"));
    }

    @Test
    void maxRecvDataSegmentLengthIsDeclaredBothWays() {
        assertEquals(String.valueOf(SessionParameters.TARGET_MAX_RECV_DATA_SEGMENT_LENGTH),
                answer("MaxRecvDataSegmentLength", "8192"));
        assertEquals(8192, p.maxRecvDataSegmentLength, "Data-In is split at the initiator's value");
    }

    @Test
    void unknownKeysAreNotUnderstoodDeclarativeKeysTakeNoAnswer() {
        assertEquals("NotUnderstood", answer("X-com.example.Feature", "Yes"));
        assertNull(answer("InitiatorName", "iqn.x"));
        assertNull(answer("InitiatorAlias", "pc"));
        assertNull(answer("MaxBurstLength", "NotUnderstood"), "an answer is never answered");
    }

    @Test
    void textParametersRoundTripAndRejectJunk() throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("InitiatorName", "iqn.2026-01.org.netroot:initiator:pc1");
        m.put("SessionType", "Normal");
        byte[] bytes = TextParameters.encode(m);
        assertEquals("InitiatorName=iqn.2026-01.org.netroot:initiator:pc1\0SessionType=Normal\0",
                new String(bytes, StandardCharsets.UTF_8));
        assertEquals(m, TextParameters.parse(bytes));
        assertEquals(m, TextParameters.parse(("InitiatorName=iqn.2026-01.org.netroot:initiator:pc1\0SessionType=Normal\0\0\0")
                .getBytes(StandardCharsets.UTF_8)), "padding NULs are not keys");
        assertThrows(MalformedPduException.class, () -> TextParameters.parse("novalue\0".getBytes(StandardCharsets.UTF_8)));
        assertThrows(MalformedPduException.class, () -> TextParameters.parse("A=1\0A=2\0".getBytes(StandardCharsets.UTF_8)));
    }
}
