package org.netroot.server.iscsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.scsi.ScsiResult;
import org.netroot.server.scsi.Sense;
import org.netroot.server.service.InputErrors;
import org.netroot.server.storage.OpenVolumes;
import org.netroot.server.storage.RawFileBlockDevice;

/**
 * The connection state machine on bytes: an initiator that speaks like iPXE (InitialR2T=Yes,
 * ImmediateData=No, MaxRecvDataSegmentLength=8192) and like libiscsi/Linux (immediate data).
 */
class ConnectionTest {
    static final String INITIATOR = "iqn.2026-01.org.netroot:initiator:pc1";
    static final String TARGET = "iqn.2026-01.org.netroot:pc1";

    @TempDir
    Path dir;
    final List<BootEvent> events = new ArrayList<>();
    final InputErrors errors = new InputErrors();
    IscsiTarget target;
    ActiveSessions sessions = new ActiveSessions();
    OpenVolumes volumes = new OpenVolumes(name -> RawFileBlockDevice.open(this.volume, false));
    RecordingOutput out = new RecordingOutput();
    IscsiConnection conn;
    Path volume;
    int cmdSN = 1;
    int itt = 0x100;

    @BeforeEach
    void setUp() throws IOException {
        volume = dir.resolve("pc1.img");
        Files.write(volume, new byte[1 << 20]);
        target = new IscsiTarget(TARGET, INITIATOR, "pc1", "52:54:00:00:00:01", "pc1-disk", null, null);
        conn = newConnection(out);
    }

    IscsiConnection newConnection(RecordingOutput o) {
        TargetCatalog catalog = new SingleTargetCatalog(() -> target, volumes); // the target a test set last
        InetSocketAddress local = new InetSocketAddress(InetAddress.getLoopbackAddress(), 3260);
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
        return new IscsiConnection(o, new TargetServices(catalog, sessions, events::add, new PeerDirectory(), errors), local, peer);
    }

    // ---- building initiator PDUs -----------------------------------------------------------

    static Pdu login(int csg, int nsg, boolean transit, Map<String, String> keys, int itt, int cmdSN) {
        Bhs h = Bhs.of(Bhs.LOGIN).immediate(true).flags((transit ? 0x80 : 0) | (csg << 2) | (transit ? nsg : 0));
        h.lunField(0x400001370000L << 16 >>> 16 << 16); // ISID 0x400001370000, TSIH 0
        h.itt(itt).int32(24, cmdSN);
        return Pdu.of(h, TextParameters.encode(keys));
    }

    /** {@code pdu} as it goes on the wire: header, data, padding to a multiple of 4 (RFC 7143 §11.1). */
    static byte[] wire(Pdu pdu) {
        byte[] data = pdu.dataBytes();
        byte[] frame = new byte[Bhs.LENGTH + PduFraming.padded(data.length)];
        System.arraycopy(pdu.bhs().bytes(), 0, frame, 0, Bhs.LENGTH);
        System.arraycopy(data, 0, frame, Bhs.LENGTH, data.length);
        return frame;
    }

    static Map<String, String> keys(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    static Map<String, String> text(RecordingOutput.Sent s) throws MalformedPduException {
        return TextParameters.parse(s.data());
    }

    static int status(RecordingOutput.Sent s) {
        return s.bhs().int16(36);
    }

    RecordingOutput.Sent send(Pdu pdu) throws MalformedPduException {
        conn.receive(pdu);
        return out.last();
    }

    /** iPXE's login: security (AuthMethod=None) then operational keys, T bit set throughout. */
    void loginLikeIpxe() throws MalformedPduException {
        RecordingOutput.Sent r1 = send(login(0, 1, true, keys("InitiatorName", INITIATOR, "TargetName", TARGET,
                "SessionType", "Normal", "AuthMethod", "None"), 1, cmdSN));
        assertEquals(0, status(r1));
        assertTrue(r1.bhs().finalBit());
        RecordingOutput.Sent r2 = send(login(1, 3, true, keys("HeaderDigest", "None", "DataDigest", "None",
                "InitialR2T", "Yes", "ImmediateData", "No", "MaxRecvDataSegmentLength", "8192",
                "MaxBurstLength", "262144", "FirstBurstLength", "65536", "DefaultTime2Wait", "0",
                "DefaultTime2Retain", "0", "MaxOutstandingR2T", "1", "DataPDUInOrder", "Yes",
                "DataSequenceInOrder", "Yes", "ErrorRecoveryLevel", "0"), 1, cmdSN));
        assertEquals(0, status(r2));
        assertTrue(conn.inFullFeaturePhase());
        out.take();
    }

    /** libiscsi-like: immediate data allowed, InitialR2T=No. */
    void loginWithImmediateData(int firstBurst) throws MalformedPduException {
        send(login(0, 1, true, keys("InitiatorName", INITIATOR, "TargetName", TARGET, "AuthMethod", "None"), 1, cmdSN));
        send(login(1, 3, true, keys("InitialR2T", "No", "ImmediateData", "Yes", "MaxRecvDataSegmentLength", "262144",
                "MaxBurstLength", "262144", "FirstBurstLength", String.valueOf(firstBurst)), 1, cmdSN));
        assertTrue(conn.inFullFeaturePhase());
        out.take();
    }

    Pdu scsi(byte[] cdb, int flags, int expectedLength, byte[] immediate) {
        Bhs h = Bhs.of(Bhs.SCSI_COMMAND).flags(flags);
        h.itt(++itt).int32(20, expectedLength).int32(24, cmdSN++);
        System.arraycopy(cdb, 0, h.bytes(), 32, cdb.length);
        return Pdu.of(h, immediate == null ? new byte[0] : immediate);
    }

    static byte[] read10(long lba, int blocks) {
        return new byte[] {0x28, 0, (byte) (lba >>> 24), (byte) (lba >>> 16), (byte) (lba >>> 8), (byte) lba, 0,
                (byte) (blocks >>> 8), (byte) blocks, 0};
    }

    static byte[] write10(long lba, int blocks) {
        byte[] c = read10(lba, blocks);
        c[0] = 0x2a;
        return c;
    }

    /** An immediate task management request of {@code function} with task tag {@code tag}, naming {@code referencedTag}. */
    Pdu taskManagement(int function, int tag, int referencedTag) {
        Bhs h = Bhs.of(Bhs.TASK_MANAGEMENT).immediate(true).flags(0x80 | function);
        h.itt(tag).int32(20, referencedTag).int32(24, cmdSN);
        return Pdu.of(h, new byte[0]);
    }

    Pdu dataOut(int taskTag, int ttt, int dataSN, int offset, byte[] data, boolean last) {
        Bhs h = Bhs.of(Bhs.DATA_OUT).flags(last ? 0x80 : 0);
        h.itt(taskTag).int32(20, ttt).int32(36, dataSN).int32(40, offset);
        return Pdu.of(h, data);
    }

    // ---- login -----------------------------------------------------------------------------

    @Test
    void ipxeLoginAnswersOnlyOfferedKeysPlusOurDeclarations() throws Exception {
        RecordingOutput.Sent r1 = send(login(0, 1, true, keys("InitiatorName", INITIATOR, "TargetName", TARGET,
                "SessionType", "Normal", "AuthMethod", "None"), 1, 1));
        Map<String, String> a1 = text(r1);
        assertEquals("1", a1.get("TargetPortalGroupTag"), "TPGT in the first login response");
        assertEquals("None", a1.get("AuthMethod"));
        assertEquals(2, a1.size(), "nothing else: " + a1);
        assertEquals(Bhs.LOGIN_RESPONSE, r1.opcode());
        assertEquals(0x81, r1.bhs().flags(), "T=1, CSG=0, NSG=1");
        assertEquals(0x400001370000L, r1.bhs().lunField() >>> 16, "ISID echoed");

        RecordingOutput.Sent r2 = send(login(1, 3, true, keys("HeaderDigest", "None", "DataDigest", "None",
                "IFMarker", "No", "OFMarker", "No", "X-com.example.Feature", "1", "InitialR2T", "Yes",
                "ImmediateData", "No", "MaxRecvDataSegmentLength", "8192"), 1, 1));
        Map<String, String> a2 = text(r2);
        assertEquals(keys("HeaderDigest", "None", "DataDigest", "None", "IFMarker", "No", "OFMarker", "No",
                "X-com.example.Feature", "NotUnderstood", "InitialR2T", "Yes", "ImmediateData", "No",
                "MaxRecvDataSegmentLength", "262144"), a2);
        assertEquals(0x87, r2.bhs().flags(), "T=1, CSG=1, NSG=3");
        assertNotEquals(0, r2.bhs().int16(14), "a TSIH once the session exists");
        assertEquals(r1.bhs().int32(24) + 1, r2.bhs().int32(24), "StatSN counts login responses");
        assertTrue(conn.inFullFeaturePhase());
        assertEquals(BootEventType.ISCSI_LOGIN, events.get(0).type());
        assertTrue(events.get(0).detail().contains(INITIATOR) && events.get(0).detail().contains(TARGET));
        assertEquals("52:54:00:00:00:01", events.get(0).mac());
    }

    @Test
    void operationalStageAloneDeclaresMaxRecvDataSegmentLength() throws Exception {
        // an initiator that skips the security stage and offers no MaxRecvDataSegmentLength
        RecordingOutput.Sent r = send(login(1, 3, true, keys("InitiatorName", INITIATOR, "TargetName", TARGET), 1, 1));
        assertEquals(keys("TargetPortalGroupTag", "1", "MaxRecvDataSegmentLength", "262144"), text(r));
    }

    @Test
    void continuedLoginTextIsBoundedFailedAndCounted() throws Exception {
        // a peer that never clears C: without a bound every PDU grows the heap (RFC 7143 §6.1)
        byte[] chunk = new byte[8192];
        Arrays.fill(chunk, (byte) 'a');
        int pdus = 0;
        RecordingOutput.Sent r;
        do {
            Bhs h = Bhs.of(Bhs.LOGIN).immediate(true).flags(0x40 | (0 << 2)); // C=1, T=0, CSG=0
            h.lunField(0x400001370000L << 16).itt(1).int32(24, 1);
            r = send(Pdu.of(h, chunk));
            pdus++;
        } while (status(r) == 0 && pdus < 100);
        assertEquals(LoginStatus.INITIATOR_ERROR, status(r));
        assertEquals(65536 / chunk.length + 1, pdus, "refused as soon as the text passes 64 KiB");
        assertTrue(out.closed);
        assertEquals(1, errors.count("iSCSI"));
    }

    @Test
    void malformedLoginTextFailsTheLoginAndIsCounted() throws Exception {
        Bhs h = Bhs.of(Bhs.LOGIN).immediate(true).flags(0x81); // T=1, CSG=0, NSG=1
        h.lunField(0x400001370000L << 16).itt(1).int32(24, 1);
        RecordingOutput.Sent r = send(Pdu.of(h, "InitiatorName\0".getBytes()));
        assertEquals(LoginStatus.INITIATOR_ERROR, status(r));
        assertTrue(out.closed);
        assertEquals(1, errors.count("iSCSI"), "counted through InputErrors");
    }

    @Test
    void nonZeroTsihOfAnUnknownSessionIsRefused() throws Exception {
        // RFC 7143 §6.3.1: a TSIH names an existing session; one we never handed out does not exist
        Pdu first = login(0, 1, true, keys("InitiatorName", INITIATOR, "TargetName", TARGET, "AuthMethod", "None"), 1, 1);
        first.bhs().lunField((0x400001370000L << 16) | 0x1234);
        RecordingOutput.Sent r = send(first);
        assertEquals(LoginStatus.SESSION_DOES_NOT_EXIST, status(r));
        assertEquals(0, r.bhs().int16(14), "the unknown TSIH is not echoed");
        assertTrue(out.closed);
        assertFalse(conn.inFullFeaturePhase());
    }

    @Test
    void tsihOfALiveSessionIsKnownUntilItCloses() throws Exception {
        send(login(0, 1, true, keys("InitiatorName", INITIATOR, "TargetName", TARGET, "AuthMethod", "None"), 1, 1));
        int tsih = send(login(1, 3, true, keys("MaxRecvDataSegmentLength", "8192"), 1, 1)).bhs().int16(14);
        assertTrue(conn.inFullFeaturePhase());
        Pdu again = login(0, 1, true, keys("InitiatorName", INITIATOR, "TargetName", TARGET, "AuthMethod", "None"), 1, 1);
        again.bhs().lunField((0x400001370000L << 16) | tsih);
        RecordingOutput o2 = new RecordingOutput();
        newConnection(o2).receive(again);
        assertEquals(0, status(o2.last()), "the session exists");
        conn.closed();
        RecordingOutput o3 = new RecordingOutput();
        newConnection(o3).receive(again);
        assertEquals(LoginStatus.SESSION_DOES_NOT_EXIST, status(o3.last()), "a closed session is forgotten");
    }

    @Test
    void unknownTargetAndForeignInitiatorAreRefused() throws Exception {
        RecordingOutput.Sent r = send(login(0, 1, true, keys("InitiatorName", INITIATOR, "TargetName",
                "iqn.2026-01.org.netroot:nobody", "AuthMethod", "None"), 1, 1));
        assertEquals(LoginStatus.NOT_FOUND, status(r));
        assertTrue(out.closed);

        out = new RecordingOutput();
        conn = newConnection(out);
        r = send(login(0, 1, true, keys("InitiatorName", "iqn.2026-01.org.example:intruder", "TargetName", TARGET,
                "AuthMethod", "None"), 1, 1));
        assertEquals(LoginStatus.AUTHORIZATION_FAILURE, status(r));
        assertTrue(out.closed);
        assertTrue(events.stream().anyMatch(e -> e.type() == BootEventType.ERROR
                && e.detail().contains("iqn.2026-01.org.example:intruder may not log in")));
    }

    @Test
    void chapWithMutualAuthentication() throws Exception {
        target = new IscsiTarget(TARGET, INITIATOR, "pc1", "52:54:00:00:00:01", "pc1-disk",
                new IscsiTarget.Credentials("pc1user", "initiator-secret"),
                new IscsiTarget.Credentials("target-user", "target-secret"));
        RecordingOutput.Sent r1 = send(login(0, 1, true, keys("InitiatorName", INITIATOR, "TargetName", TARGET,
                "AuthMethod", "CHAP,None"), 1, 1));
        assertEquals("CHAP", text(r1).get("AuthMethod"));
        assertFalse(r1.bhs().finalBit(), "no transit before CHAP is done");
        RecordingOutput.Sent r2 = send(login(0, 1, true, keys("CHAP_A", "7,5"), 1, 1));
        Map<String, String> c = text(r2);
        assertEquals("5", c.get("CHAP_A"));
        int id = Integer.parseInt(c.get("CHAP_I"));
        byte[] challenge = Chap.decode(c.get("CHAP_C"));
        assertFalse(r2.bhs().finalBit());
        byte[] myChallenge = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        // the initiator answers in base64 and sends its own challenge along (mutual CHAP)
        RecordingOutput.Sent r3 = send(login(0, 1, true, keys("CHAP_N", "pc1user",
                "CHAP_R", "0b" + java.util.Base64.getEncoder().encodeToString(Chap.response(id, "initiator-secret", challenge)),
                "CHAP_I", "77", "CHAP_C", Chap.hex(myChallenge)), 1, 1));
        assertEquals(0, status(r3));
        assertTrue(r3.bhs().finalBit(), "the target's CHAP_R rides in the PDU that sets T");
        Map<String, String> m = text(r3);
        assertEquals("target-user", m.get("CHAP_N"));
        assertArrayEquals(Chap.response(77, "target-secret", myChallenge), Chap.decode(m.get("CHAP_R")));
    }

    @Test
    void wrongChapSecretIsRefusedWithAnEvent() throws Exception {
        target = new IscsiTarget(TARGET, INITIATOR, "pc1", "52:54:00:00:00:01", "pc1-disk",
                new IscsiTarget.Credentials("pc1user", "initiator-secret"), null);
        send(login(0, 1, true, keys("InitiatorName", INITIATOR, "TargetName", TARGET, "AuthMethod", "CHAP,None"), 1, 1));
        Map<String, String> c = text(send(login(0, 1, true, keys("CHAP_A", "5"), 1, 1)));
        byte[] wrong = Chap.response(Integer.parseInt(c.get("CHAP_I")), "guess", Chap.decode(c.get("CHAP_C")));
        RecordingOutput.Sent r = send(login(0, 1, true, keys("CHAP_N", "pc1user", "CHAP_R", Chap.hex(wrong)), 1, 1));
        assertEquals(LoginStatus.AUTHENTICATION_FAILURE, status(r));
        assertTrue(out.closed);
        BootEvent e = events.get(events.size() - 1);
        assertEquals(BootEventType.ERROR, e.type());
        assertEquals("wrong CHAP secret for client pc1", e.detail());
        assertEquals("52:54:00:00:00:01", e.mac());
    }

    @Test
    void clientWithSecretRefusesAuthMethodNone() throws Exception {
        target = new IscsiTarget(TARGET, INITIATOR, "pc1", null, "pc1-disk",
                new IscsiTarget.Credentials(null, "initiator-secret"), null);
        RecordingOutput.Sent r = send(login(0, 1, true, keys("InitiatorName", INITIATOR, "TargetName", TARGET,
                "AuthMethod", "None"), 1, 1));
        assertEquals(LoginStatus.AUTHENTICATION_FAILURE, status(r));
    }

    @Test
    void mutualChapWithoutATargetSecretIsRefused() throws Exception {
        target = new IscsiTarget(TARGET, INITIATOR, "pc1", null, "pc1-disk",
                new IscsiTarget.Credentials(null, "initiator-secret"), null);
        send(login(0, 1, true, keys("InitiatorName", INITIATOR, "TargetName", TARGET, "AuthMethod", "CHAP"), 1, 1));
        Map<String, String> c = text(send(login(0, 1, true, keys("CHAP_A", "5"), 1, 1)));
        byte[] right = Chap.response(Integer.parseInt(c.get("CHAP_I")), "initiator-secret", Chap.decode(c.get("CHAP_C")));
        RecordingOutput.Sent r = send(login(0, 1, true, keys("CHAP_N", "x", "CHAP_R", Chap.hex(right),
                "CHAP_I", "1", "CHAP_C", "0x0102030405060708"), 1, 1));
        assertEquals(LoginStatus.AUTHENTICATION_FAILURE, status(r));
    }

    @Test
    void discoveryListsTargetsAtTheConnectionsAddress() throws Exception {
        send(login(0, 1, true, keys("InitiatorName", INITIATOR, "SessionType", "Discovery", "AuthMethod", "None"), 1, 1));
        RecordingOutput.Sent r = send(login(1, 3, true, keys("MaxRecvDataSegmentLength", "8192"), 1, 1));
        assertFalse(text(r).containsKey("TargetPortalGroupTag"));
        Bhs h = Bhs.of(Bhs.TEXT).immediate(true).flags(0x80);
        h.itt(5).int32(20, Bhs.NO_TAG).int32(24, 1);
        RecordingOutput.Sent t = send(Pdu.of(h, TextParameters.encode(keys("SendTargets", "All"))));
        assertEquals(Bhs.TEXT_RESPONSE, t.opcode());
        assertEquals("TargetName=" + TARGET + "\0TargetAddress=127.0.0.1:3260,1\0", new String(t.data()));
        assertTrue(events.stream().noneMatch(e -> e.type() == BootEventType.ISCSI_LOGIN), "discovery is not a boot step");
    }

    @Test
    void firstPduMustBeALogin() {
        Pdu nop = Pdu.of(Bhs.of(Bhs.NOP_OUT).flags(0x80), new byte[0]);
        assertThrows(MalformedPduException.class, () -> conn.receive(nop));
    }

    // ---- full feature phase ----------------------------------------------------------------

    @Test
    void readIsSplitAtTheInitiatorsSegmentLengthWithStatusInTheLastDataIn() throws Exception {
        byte[] content = new byte[20000 / 512 * 512 + 512];
        for (int i = 0; i < content.length; i++) content[i] = (byte) (i * 7);
        try (var ch = java.nio.channels.FileChannel.open(volume, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(content), 4096);
        }
        loginLikeIpxe();
        int blocks = content.length / 512;
        conn.receive(scsi(read10(8, blocks), 0xc0, content.length, null));
        List<RecordingOutput.Sent> pdus = out.take();
        assertEquals(3, pdus.size(), "20480 bytes in 8192-byte segments");
        ByteBuffer all = ByteBuffer.allocate(content.length);
        for (int i = 0; i < pdus.size(); i++) {
            RecordingOutput.Sent d = pdus.get(i);
            assertEquals(Bhs.DATA_IN, d.opcode());
            assertTrue(d.data().length <= 8192);
            assertEquals(i, d.bhs().int32(36), "DataSN");
            assertEquals(all.position(), d.bhs().int32(40), "buffer offset");
            boolean last = i == pdus.size() - 1;
            assertEquals(last ? 0x81 : 0x00, d.bhs().flags(), "F and S only on the last");
            all.put(d.data());
        }
        assertArrayEquals(content, all.array());
        assertEquals(BootEventType.ISCSI_FIRST_READ, events.get(events.size() - 1).type());
        assertEquals(out.allocated, out.released, "every read buffer goes back to the pool");
    }

    @Test
    void dataInSequencesEndAtEachMaxBurstLength() throws Exception {
        // RFC 7143 §11.7.1/§13.14: F ends each MaxBurstLength sequence; DataSN runs on, S only at the end
        send(login(0, 1, true, keys("InitiatorName", INITIATOR, "TargetName", TARGET, "AuthMethod", "None"), 1, cmdSN));
        send(login(1, 3, true, keys("MaxRecvDataSegmentLength", "8192", "MaxBurstLength", "20000"), 1, cmdSN));
        assertTrue(conn.inFullFeaturePhase());
        out.take();
        conn.receive(scsi(read10(0, 96), 0xc0, 96 * 512, null));
        List<RecordingOutput.Sent> pdus = out.take();
        int[] lengths = {8192, 8192, 3616, 8192, 8192, 3616, 8192, 960};
        int[] flags = {0, 0, 0x80, 0, 0, 0x80, 0, 0x81};
        assertEquals(lengths.length, pdus.size());
        int offset = 0;
        for (int i = 0; i < pdus.size(); i++) {
            RecordingOutput.Sent d = pdus.get(i);
            assertEquals(Bhs.DATA_IN, d.opcode());
            assertEquals(lengths[i], d.data().length, "PDU " + i);
            assertEquals(flags[i], d.bhs().flags(), "F at each 20000-byte boundary, S only on the last: PDU " + i);
            assertEquals(i, d.bhs().int32(36), "DataSN counts on across sequences");
            assertEquals(offset, d.bhs().int32(40), "buffer offset");
            offset += lengths[i];
        }
    }

    @Test
    void errorsGoInAScsiResponseWithSense() throws Exception {
        loginLikeIpxe();
        conn.receive(scsi(read10(1 << 20, 1), 0xc0, 512, null)); // past the 1 MiB volume
        RecordingOutput.Sent r = out.last();
        assertEquals(Bhs.SCSI_RESPONSE, r.opcode());
        assertEquals(0x02, r.bhs().byte3(), "CHECK CONDITION");
        assertEquals(18, ((r.data()[0] & 0xff) << 8) | (r.data()[1] & 0xff), "SenseLength");
        assertEquals(Sense.LBA_OUT_OF_RANGE, Sense.parse(Arrays.copyOfRange(r.data(), 2, 20)));
        assertEquals(1, out.sent.size(), "no Data-In for a failed command");
    }

    @Test
    void ipxeWriteIsSolicitedByR2TInBurstsOfMaxBurstLength() throws Exception {
        send(login(0, 1, true, keys("InitiatorName", INITIATOR, "TargetName", TARGET, "AuthMethod", "None"), 1, 1));
        send(login(1, 3, true, keys("InitialR2T", "Yes", "ImmediateData", "No", "MaxBurstLength", "4096",
                "MaxRecvDataSegmentLength", "8192"), 1, 1));
        out.take();
        byte[] data = new byte[10240];
        Arrays.fill(data, (byte) 0x5a);
        conn.receive(scsi(write10(16, 20), 0xa0, data.length, null));
        int task = itt;
        int offset = 0;
        for (int burst = 0; burst < 3; burst++) {
            RecordingOutput.Sent r2t = out.last();
            assertEquals(Bhs.R2T, r2t.opcode());
            assertEquals(burst, r2t.bhs().int32(36), "R2TSN");
            assertEquals(offset, r2t.bhs().int32(40));
            int len = r2t.bhs().int32(44);
            assertEquals(Math.min(4096, data.length - offset), len);
            // one burst in two Data-Out PDUs, DataSN from 0 within each burst
            int half = len / 2;
            conn.receive(dataOut(task, r2t.bhs().int32(20), 0, offset, Arrays.copyOfRange(data, offset, offset + half), false));
            conn.receive(dataOut(task, r2t.bhs().int32(20), 1, offset + half,
                    Arrays.copyOfRange(data, offset + half, offset + len), true));
            offset += len;
        }
        RecordingOutput.Sent status = out.last();
        assertEquals(Bhs.SCSI_RESPONSE, status.opcode());
        assertEquals(0, status.bhs().byte3());
        assertArrayEquals(data, Arrays.copyOfRange(Files.readAllBytes(volume), 16 * 512, 16 * 512 + data.length));
    }

    @Test
    void immediateAndUnsolicitedDataThenR2TForTheRest() throws Exception {
        loginWithImmediateData(4096);
        byte[] data = new byte[8192];
        for (int i = 0; i < data.length; i++) data[i] = (byte) i;
        // 1024 immediate bytes, F=0: unsolicited Data-Out follows up to FirstBurstLength (4096)
        conn.receive(scsi(write10(0, 16), 0x20, data.length, Arrays.copyOf(data, 1024)));
        assertTrue(out.sent.isEmpty(), "no R2T while unsolicited data is due");
        conn.receive(dataOut(itt, Bhs.NO_TAG, 0, 1024, Arrays.copyOfRange(data, 1024, 4096), true));
        RecordingOutput.Sent r2t = out.last();
        assertEquals(Bhs.R2T, r2t.opcode());
        assertEquals(4096, r2t.bhs().int32(40));
        assertEquals(4096, r2t.bhs().int32(44));
        conn.receive(dataOut(itt, r2t.bhs().int32(20), 0, 4096, Arrays.copyOfRange(data, 4096, 8192), true));
        assertEquals(Bhs.SCSI_RESPONSE, out.last().opcode());
        assertEquals(0, out.last().bhs().byte3());
        assertArrayEquals(data, Arrays.copyOf(Files.readAllBytes(volume), data.length));
    }

    @Test
    void writeWhollyInImmediateDataNeedsNoR2T() throws Exception {
        loginWithImmediateData(65536);
        byte[] data = new byte[1024];
        Arrays.fill(data, (byte) 0xab);
        conn.receive(scsi(write10(2, 2), 0xa0, data.length, data));
        assertEquals(1, out.sent.size());
        assertEquals(Bhs.SCSI_RESPONSE, out.last().opcode());
        assertArrayEquals(data, Arrays.copyOfRange(Files.readAllBytes(volume), 1024, 2048));
    }

    @Test
    void dataOutOutsideTheTransferDropsTheConnection() throws Exception {
        loginLikeIpxe();
        conn.receive(scsi(write10(0, 2), 0xa0, 1024, null));
        int ttt = out.last().bhs().int32(20);
        int task = itt;
        assertThrows(MalformedPduException.class, () -> conn.receive(dataOut(task, ttt, 0, 1000, new byte[512], true)));
    }

    @Test
    void dataOutOutOfSequenceFailsOnlyItsTask() throws Exception {
        loginLikeIpxe();
        conn.receive(scsi(write10(0, 2), 0xa0, 1024, null));
        int ttt = out.last().bhs().int32(20);
        int task = itt;
        conn.receive(dataOut(task, ttt, 5, 0, new byte[512], false)); // DataSN 5 where 0 is due
        RecordingOutput.Sent r = out.last();
        assertEquals(Bhs.SCSI_RESPONSE, r.opcode());
        assertEquals(0x02, r.bhs().byte3());
        assertEquals(Sense.DATA_PHASE_ERROR, Sense.parse(Arrays.copyOfRange(r.data(), 2, 20)));
        out.take();
        conn.receive(dataOut(task, ttt, 1, 512, new byte[512], true)); // the rest of the dead task
        assertTrue(out.sent.isEmpty());
        conn.receive(scsi(new byte[6], 0x80, 0, null));
        assertEquals(0, out.last().bhs().byte3(), "the session goes on");
        assertEquals(out.allocated, out.released);
    }

    @Test
    void nopOutPingIsAnsweredAndNothingIsSentUnasked() throws Exception {
        loginLikeIpxe();
        Bhs h = Bhs.of(Bhs.NOP_OUT).immediate(true).flags(0x80);
        h.itt(0x77).int32(20, Bhs.NO_TAG).int32(24, cmdSN);
        conn.receive(Pdu.of(h, "ping".getBytes()));
        RecordingOutput.Sent in = out.last();
        assertEquals(Bhs.NOP_IN, in.opcode());
        assertEquals(0x77, in.bhs().itt());
        assertEquals(Bhs.NO_TAG, in.bhs().int32(20), "a reply, not a ping of ours");
        assertEquals("ping", new String(in.data()));
        out.take();
        Bhs noReply = Bhs.of(Bhs.NOP_OUT).immediate(true).flags(0x80);
        noReply.itt(Bhs.NO_TAG).int32(20, Bhs.NO_TAG).int32(24, cmdSN);
        conn.receive(Pdu.of(noReply, new byte[0]));
        assertTrue(out.sent.isEmpty());
    }

    @Test
    void cmdSnWindowDropsCommandsOutsideAndImmediateOnesDoNotAdvance() throws Exception {
        loginLikeIpxe();
        byte[] tur = new byte[6];
        conn.receive(scsi(tur, 0x80, 0, null)); // CmdSN 1
        assertEquals(2, out.last().bhs().int32(28), "ExpCmdSN advanced");
        assertEquals(2 + IscsiConnection.COMMAND_WINDOW - 1, out.last().bhs().int32(32), "MaxCmdSN");
        Pdu immediate = scsi(tur, 0x80, 0, null);
        immediate.bhs().immediate(true).int32(24, 2);
        cmdSN = 2;
        conn.receive(immediate);
        assertEquals(2, out.last().bhs().int32(28), "immediate commands do not advance CmdSN");
        out.take();
        Pdu old = scsi(tur, 0x80, 0, null);
        old.bhs().int32(24, 1); // already used
        conn.receive(old);
        Pdu far = scsi(tur, 0x80, 0, null);
        far.bhs().int32(24, 2 + IscsiConnection.COMMAND_WINDOW);
        conn.receive(far);
        assertTrue(out.sent.isEmpty(), "commands outside [ExpCmdSN, MaxCmdSN] are dropped");
    }

    @Test
    void statSnCountsEveryStatus() throws Exception {
        loginLikeIpxe();
        byte[] tur = new byte[6];
        conn.receive(scsi(tur, 0x80, 0, null));
        int first = out.last().bhs().int32(24);
        conn.receive(scsi(tur, 0x80, 0, null));
        assertEquals(first + 1, out.last().bhs().int32(24));
    }

    @Test
    void taskManagementAbortsWhatWaitsAndResetsTheUnit() throws Exception {
        loginLikeIpxe();
        conn.receive(scsi(write10(0, 8), 0xa0, 4096, null)); // waits for Data-Out
        conn.receive(taskManagement(TaskFunction.ABORT_TASK, 0x999, itt));
        assertEquals(Bhs.TASK_MANAGEMENT_RESPONSE, out.last().opcode());
        assertEquals(0, out.last().bhs().byte2(), "function complete");
        assertEquals(out.allocated, out.released, "the aborted write's buffer is released");
        conn.receive(taskManagement(TaskFunction.ABORT_TASK, 0x99b, itt)); // the same task again
        assertEquals(1, out.last().bhs().byte2(), "RFC 7143 11.6.1: a task that ended already does not exist");

        conn.receive(taskManagement(TaskFunction.LOGICAL_UNIT_RESET, 0x99a, Bhs.NO_TAG));
        assertEquals(0, out.last().bhs().byte2());
        conn.receive(scsi(new byte[6], 0x80, 0, null)); // TEST UNIT READY
        RecordingOutput.Sent ua = out.last();
        assertEquals(Bhs.SCSI_RESPONSE, ua.opcode());
        assertEquals(ScsiResult.CHECK_CONDITION, ua.bhs().byte3());
        assertEquals(Sense.RESET_OCCURRED, Sense.parse(Arrays.copyOfRange(ua.data(), 2, ua.data().length)),
                "SAM-5: the reset is reported to the session, once");
        conn.receive(scsi(new byte[6], 0x80, 0, null));
        assertEquals(0, out.last().bhs().byte3());

        conn.receive(taskManagement(TaskFunction.TARGET_COLD_RESET, 0x99c, Bhs.NO_TAG));
        assertEquals(0, out.last().bhs().byte2());
        assertTrue(out.closed, "a cold reset ends the connection after its answer");
    }

    @Test
    void clearAcaWithNoAcaAnswersCompleteAndAbortsNothing() throws Exception {
        loginLikeIpxe();
        conn.receive(scsi(write10(0, 1), 0xa0, 512, null)); // waits for Data-Out
        int write = itt;
        assertEquals(Bhs.R2T, out.last().opcode());
        int ttt = out.last().bhs().int32(20);
        conn.receive(taskManagement(TaskFunction.CLEAR_ACA, 0x99d, Bhs.NO_TAG));
        assertEquals(Bhs.TASK_MANAGEMENT_RESPONSE, out.last().opcode());
        assertEquals(0, out.last().bhs().byte2(), "function complete: there is no ACA to clear");
        byte[] block = new byte[512];
        Arrays.fill(block, (byte) 0x3c);
        conn.receive(dataOut(write, ttt, 0, 0, block, true));
        assertEquals(Bhs.SCSI_RESPONSE, out.last().opcode(), "the write waiting for its Data-Out was not aborted");
        assertEquals(0, out.last().bhs().byte3());
        assertArrayEquals(block, Arrays.copyOf(Files.readAllBytes(volume), 512), "and it landed");
    }

    @Test
    void clearTaskSetAbortsTheWriteWaitingForDataOut() throws Exception {
        loginLikeIpxe();
        conn.receive(scsi(write10(0, 1), 0xa0, 512, null)); // waits for Data-Out
        int write = itt;
        int ttt = out.last().bhs().int32(20);
        conn.receive(taskManagement(TaskFunction.CLEAR_TASK_SET, 0x99e, Bhs.NO_TAG));
        assertEquals(Bhs.TASK_MANAGEMENT_RESPONSE, out.last().opcode());
        assertEquals(0, out.last().bhs().byte2(), "function complete");
        assertEquals(out.allocated, out.released, "the aborted write's buffer is released");
        byte[] block = new byte[512];
        Arrays.fill(block, (byte) 0x3c);
        conn.receive(dataOut(write, ttt, 0, 0, block, true));
        assertEquals(Bhs.TASK_MANAGEMENT_RESPONSE, out.last().opcode(), "the aborted write answers nothing");
        assertArrayEquals(new byte[512], Arrays.copyOf(Files.readAllBytes(volume), 512), "and nothing landed");
    }

    /** TASK ABORTED (another nexus's abort, TAS=1) of a write whose Data-Out is still coming waits for the last of it (§11.4.2). */
    @Test
    void aSkippedWriteWithUnsolicitedDataToComeAnswersAfterTheLastOfIt() throws Exception {
        loginWithImmediateData(65536);
        byte[] first = new byte[512];
        Pdu write = scsi(write10(0, 2), 0x20, 1024, first); // F=0: the second block comes as unsolicited Data-Out
        conn.abortedBeforeStart(write, null, true); // skipped in its turn: another nexus aborted it
        assertEquals(List.of(), out.take(), "nothing while its data is still coming");
        conn.receive(dataOut(itt, Bhs.NO_TAG, 0, 512, new byte[512], true));
        List<RecordingOutput.Sent> sent = out.take();
        assertEquals(1, sent.size(), sent.toString());
        assertEquals(Bhs.SCSI_RESPONSE, sent.get(0).opcode());
        assertEquals(itt, sent.get(0).bhs().itt());
        assertEquals(ScsiResult.TASK_ABORTED, sent.get(0).bhs().byte3());
    }

    @Test
    void aWriteAbortedByAnotherNexusThenByItsOwnRequestAnswersOnlyThatRequest() throws Exception {
        loginLikeIpxe();
        conn.receive(scsi(write10(0, 1), 0xa0, 512, null)); // waits for Data-Out
        int named = itt;
        int namedTtt = out.last().bhs().int32(20);
        conn.receive(scsi(write10(1, 1), 0xa0, 512, null));
        int other = itt;
        int otherTtt = out.last().bhs().int32(20);
        out.take();
        conn.queued().abortTaskSet(); // another nexus: both now wait for their last Data-Out to answer TASK ABORTED

        conn.receive(taskManagement(TaskFunction.ABORT_TASK, 0x9a0, named));
        assertEquals(0, out.last().bhs().byte2(), "ABORT TASK of a write waiting to answer: function complete");
        conn.receive(taskManagement(TaskFunction.ABORT_TASK_SET, 0x9a1, Bhs.NO_TAG));
        assertEquals(0, out.last().bhs().byte2());
        out.take();
        conn.receive(dataOut(named, namedTtt, 0, 0, new byte[512], true));
        conn.receive(dataOut(other, otherTtt, 0, 0, new byte[512], true));
        assertEquals(List.of(), out.take(), "the session's own requests took both: no TASK ABORTED after their answers");
        assertEquals(out.allocated, out.released, "no buffer kept");
    }

    @Test
    void writesAbortedByAnotherNexusWaitForTheirDataOnlyUpToABound() throws Exception {
        loginLikeIpxe();
        int writes = IscsiConnection.MAX_ABORTED_WRITES + 2;
        for (int i = 0; i < writes; i++) conn.receive(scsi(write10(i, 1), 0xa0, 512, null)); // each waits for Data-Out
        out.take();
        conn.queued().abortTaskSet();
        conn.receive(scsi(new byte[6], 0x80, 0, null)); // the next PDU: the connection drops them
        List<RecordingOutput.Sent> sent = out.take();
        long answeredAtOnce = sent.stream().filter(x -> x.opcode() == Bhs.SCSI_RESPONSE
                && x.bhs().byte3() == ScsiResult.TASK_ABORTED).count();
        assertEquals(2, answeredAtOnce, "past the bound an aborted write answers at once: " + sent.size() + " sent");
        assertEquals(out.allocated, out.released, "their buffers are released");
    }

    @Test
    void logoutAnswersClosesAndFreesTheTarget() throws Exception {
        loginLikeIpxe();
        Bhs h = Bhs.of(Bhs.LOGOUT).immediate(true).flags(0x80);
        h.itt(0x55).int32(24, cmdSN);
        conn.receive(Pdu.of(h, new byte[0]));
        assertEquals(Bhs.LOGOUT_RESPONSE, out.last().opcode());
        assertEquals(0, out.last().bhs().byte2());
        assertTrue(out.closed);
        conn.closed();
        assertEquals(0, volumes.count());
        assertEquals(0, sessions.count());
        assertTrue(volumes.find("pc1-disk").isEmpty(), "the last session out closes the volume");
        assertEquals(1, events.stream().filter(e -> e.type() == BootEventType.ISCSI_LOGOUT).count());
    }

    /**
     * Review finding 2: PDUs an evicted session had already read ran on until its connection
     * closed, so its stale WRITEs landed after the new session's (RFC 7143 §6.3.5).
     */
    @Test
    void anEvictedSessionRunsNoMoreCommands() throws Exception {
        loginWithImmediateData(65536);
        conn.evict();
        assertTrue(out.closed);
        byte[] data = new byte[1024];
        Arrays.fill(data, (byte) 0xab);
        conn.receive(scsi(write10(2, 2), 0xa0, data.length, data));
        conn.receive(scsi(read10(0, 1), 0xc0, 512, null));
        assertEquals(List.of(), out.sent, "nothing answered");
        assertArrayEquals(new byte[1 << 20], Files.readAllBytes(volume), "nothing written");
    }

    @Test
    void sameInitiatorReplacesItsSessionAnotherIsRefused() throws Exception {
        loginLikeIpxe();
        RecordingOutput second = new RecordingOutput();
        IscsiConnection again = newConnection(second);
        again.receive(login(0, 1, true, keys("InitiatorName", INITIATOR, "TargetName", TARGET, "AuthMethod", "None"), 1, 1));
        again.receive(login(1, 3, true, keys("MaxRecvDataSegmentLength", "8192"), 1, 1));
        assertEquals(0, status(second.last()));
        assertTrue(out.closed, "the old session is dropped (iPXE -> booted OS reconnect)");
        conn.closed();
        assertEquals(1, volumes.count(), "the new session keeps the target");
        assertEquals(1, sessions.count());

        // an initiator the catalog lets in but that is not the holder (e.g. the client's IQN changed)
        target = new IscsiTarget(TARGET, "iqn.2026-01.org.netroot:initiator:other", "pc1", null, "pc1-disk", null, null);
        RecordingOutput third = new RecordingOutput();
        IscsiConnection other = newConnection(third);
        other.receive(login(0, 1, true, keys("InitiatorName", "iqn.2026-01.org.netroot:initiator:other",
                "TargetName", TARGET, "AuthMethod", "None"), 1, 1));
        other.receive(login(1, 3, true, keys("MaxRecvDataSegmentLength", "8192"), 1, 1));
        assertEquals(LoginStatus.SERVICE_UNAVAILABLE, status(third.last()));
        assertFalse(second.closed);
    }

    @Test
    void onlyPdusIpxeNeverSendsAreRejected() throws Exception {
        loginLikeIpxe();
        Bhs snack = Bhs.of(Bhs.SNACK).flags(0x80);
        snack.itt(0x42);
        conn.receive(Pdu.of(snack, new byte[0]));
        RecordingOutput.Sent r = out.last();
        assertEquals(Bhs.REJECT, r.opcode());
        assertEquals(0x05, r.bhs().byte2(), "command not supported");
        assertArrayEquals(snack.bytes(), r.data(), "the rejected header comes back");
        out.take();
        // everything iPXE sends in a boot gets a proper answer, never a Reject
        conn.receive(scsi(new byte[6], 0x80, 0, null));
        conn.receive(scsi(read10(0, 1), 0xc0, 512, null));
        Bhs logout = Bhs.of(Bhs.LOGOUT).immediate(true).flags(0x80);
        logout.itt(0x56).int32(24, cmdSN);
        conn.receive(Pdu.of(logout, new byte[0]));
        assertTrue(out.sent.stream().noneMatch(s -> s.opcode() == Bhs.REJECT));
    }
}
