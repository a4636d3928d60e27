package org.netroot.server.iscsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.InputErrors;
import org.netroot.server.storage.BlockDevice;
import org.netroot.server.testing.Mutations;
import org.netroot.server.testing.RandomInputs;
import org.netroot.server.testing.Tries;

/**
 * The iSCSI PDU codec (framing, BHS, text parameters) and a fresh connection's login on random and
 * damaged input: a PDU or a {@link MalformedPduException} (the connection is dropped and counted),
 * nothing else; and what we encode reads back the same. Each property runs on {@link Tries}'s
 * seeded random inputs.
 */
class PduPropertyTest {
    private static final int MAX = SessionParameters.TARGET_MAX_RECV_DATA_SEGMENT_LENGTH;
    private static final String INITIATOR = "iqn.2026-01.org.netroot:initiator:pc1";
    private static final String TARGET = "iqn.2026-01.org.netroot:pc1";

    @Test
    void randomStreamsFrameAndParseOrAreMalformed() {
        Tries.run("randomStreamsFrameAndParseOrAreMalformed", 1000, r -> frameAll(RandomInputs.bytes(r, 400)));
    }

    @Test
    void damagedPdusFrameAndParseOrAreMalformed() {
        Tries.run("damagedPdusFrameAndParseOrAreMalformed", 1000, r -> frameAll(damagedLogin(r)));
    }

    @Test
    void randomTextParametersParseOrAreMalformed() {
        Tries.run("randomTextParametersParseOrAreMalformed", 1000, r -> {
            try {
                TextParameters.parse(RandomInputs.bytes(r, 300));
            } catch (MalformedPduException expected) {
                // the login is refused
            }
        });
    }

    @Test
    void textParametersRoundTrip() {
        Tries.run("textParametersRoundTrip", 1000, r -> {
            Map<String, String> pairs = keyValues(r);
            assertEquals(pairs, TextParameters.parse(TextParameters.encode(pairs)));
        });
    }

    @Test
    void aPduFramesAndParsesBackToItsHeaderAndData() {
        Tries.run("aPduFramesAndParsesBackToItsHeaderAndData", 1000, r -> {
            byte[] header = RandomInputs.bytes(r, 48, 48);
            int opcode = RandomInputs.oneOf(r, INITIATOR_OPCODES);
            int ahsWords = RandomInputs.between(r, 0, 15);
            byte[] data = RandomInputs.bytes(r, 600);
            Bhs h = new Bhs(header.clone());
            h.bytes()[0] = (byte) ((h.bytes()[0] & 0x40) | opcode);
            h.bytes()[4] = (byte) ahsWords;
            h.dataSegmentLength(data.length);
            byte[] frame = new byte[Bhs.LENGTH + ahsWords * 4 + PduFraming.padded(data.length)];
            System.arraycopy(h.bytes(), 0, frame, 0, Bhs.LENGTH);
            System.arraycopy(data, 0, frame, Bhs.LENGTH + ahsWords * 4, data.length);
            assertEquals(frame.length, PduFraming.frameLength(ByteBuffer.wrap(frame), MAX));
            Pdu pdu = PduFraming.parse(ByteBuffer.wrap(frame));
            assertArrayEquals(h.bytes(), pdu.bhs().bytes());
            assertArrayEquals(data, pdu.dataBytes());
            assertEquals(opcode, pdu.bhs().opcode());
        });
    }

    /**
     * A fresh connection (no login yet) fed whole PDUs built from random or damaged bytes: it answers,
     * rejects or closes, and throws nothing but MalformedPduException.
     */
    @Test
    void aConnectionTakesDamagedLoginsWithoutCrashing() {
        Tries.run("aConnectionTakesDamagedLoginsWithoutCrashing", 500, r -> {
            byte[] first = damagedLogin(r);
            byte[] second = damagedLogin(r);
            IscsiConnection conn = connection(new RecordingOutput());
            try {
                for (byte[] stream : List.of(first, second)) {
                    for (Pdu pdu : frameAll(stream)) conn.receive(pdu);
                }
            } catch (MalformedPduException expected) {
                // the service counts it and closes the connection
            } finally {
                conn.closed();
            }
        });
    }

    /**
     * A logged-in session (immediate data allowed) fed random PDUs: SCSI commands with random CDBs,
     * lengths and immediate data, Data-Out, NOP-Out, task management, text and logout with random
     * header bytes. It answers, rejects or closes; nothing but MalformedPduException escapes.
     */
    @Test
    void aLoggedInSessionTakesRandomCommandsWithoutCrashing() {
        Tries.run("aLoggedInSessionTakesRandomCommandsWithoutCrashing", 300, r -> {
            List<Pdu> pdus = sessionPdus(r);
            RecordingOutput out = new RecordingOutput();
            IscsiConnection conn = connection(out);
            try {
                conn.receive(login(0, 1, Map.of("InitiatorName", INITIATOR, "TargetName", TARGET, "SessionType", "Normal",
                        "AuthMethod", "None"), 1));
                conn.receive(login(1, 3, Map.of("InitialR2T", "No", "ImmediateData", "Yes",
                        "MaxRecvDataSegmentLength", "262144", "MaxBurstLength", "262144", "FirstBurstLength", "65536"), 1));
                assertEquals(true, conn.inFullFeaturePhase(), "the login itself failed: " + out.sent);
                for (Pdu pdu : pdus) conn.receive(pdu);
            } catch (MalformedPduException expected) {
                // the service counts it and closes the connection
            } finally {
                conn.closed();
            }
        });
    }

    /** the commands a disk sees */
    private static final Integer[] DISK_OPCODES = {0x00, 0x03, 0x12, 0x1a, 0x25, 0x28, 0x2a, 0x2f, 0x35, 0x5a, 0x88, 0x8a,
            0x9e, 0xa0, 0x91, 0x41, 0x93, 0x42};

    private static List<Pdu> sessionPdus(Random r) {
        int n = RandomInputs.length(r, 0, 12);
        List<Pdu> pdus = new ArrayList<>();
        for (int i = 0; i < n; i++) pdus.add(r.nextInt(5) < 4 ? scsiCommand(r) : otherPdu(r));
        return pdus;
    }

    private static Pdu scsiCommand(Random r) {
        // a disk's commands, and any other opcode byte
        int op = r.nextBoolean() ? RandomInputs.oneOf(r, DISK_OPCODES) : RandomInputs.between(r, 0, 255);
        byte[] c = RandomInputs.bytes(r, 16, 16);
        c[0] = (byte) op;
        if ((c[1] & 1) == 0) { // often an LBA and length near the 64 KiB volume
            c[2] = 0;
            c[3] = 0;
        }
        int flags = RandomInputs.between(r, 0, 255);
        int expected = RandomInputs.between(r, 0, 1 << 18);
        byte[] data = RandomInputs.bytes(r, 1024);
        int cmdSN = RandomInputs.between(r, 2, 40);
        Bhs h = Bhs.of(Bhs.SCSI_COMMAND).flags(flags).itt(cmdSN).int32(20, expected).int32(24, cmdSN);
        System.arraycopy(c, 0, h.bytes(), 32, 16);
        return Pdu.of(h, data);
    }

    private static Pdu otherPdu(Random r) {
        int op = RandomInputs.oneOf(r, Bhs.NOP_OUT, Bhs.TASK_MANAGEMENT, Bhs.DATA_OUT, Bhs.TEXT, Bhs.LOGOUT, Bhs.SNACK,
                Bhs.LOGIN);
        byte[] header = RandomInputs.bytes(r, Bhs.LENGTH, Bhs.LENGTH);
        byte[] data = RandomInputs.bytes(r, 600);
        Bhs h = new Bhs(header);
        h.bytes()[0] = (byte) ((header[0] & 0x40) | op);
        h.bytes()[4] = 0;
        return Pdu.of(h, data);
    }

    /** Cuts {@code stream} into PDUs as the service does; a malformed header ends the stream. */
    private static List<Pdu> frameAll(byte[] stream) {
        List<Pdu> out = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(stream);
        try {
            while (true) {
                int length = PduFraming.frameLength(in.slice(), MAX);
                if (length < 0 || in.remaining() < length) return out;
                Pdu pdu = PduFraming.parse(in.slice(in.position(), length));
                pdu.dataBytes();
                out.add(pdu);
                in.position(in.position() + length);
            }
        } catch (MalformedPduException expected) {
            return out;
        }
    }

    private static IscsiConnection connection(RecordingOutput out) throws IOException {
        java.nio.file.Path volume = java.nio.file.Files.createTempFile("pdu-properties", ".img");
        java.nio.file.Files.write(volume, new byte[64 * 1024]);
        volume.toFile().deleteOnExit();
        IscsiTarget target = new IscsiTarget(TARGET, INITIATOR, "pc1", "52:54:00:00:00:01", "pc1-disk", null, null);
        TargetCatalog catalog = new SingleTargetCatalog(target, volume);
        InetSocketAddress local = new InetSocketAddress(InetAddress.getLoopbackAddress(), 3260);
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
        return new IscsiConnection(out, new TargetServices(catalog, new ActiveSessions(), e -> { }, new PeerDirectory(),
                new InputErrors()), local, peer);
    }

    private static final Integer[] INITIATOR_OPCODES = {Bhs.NOP_OUT, Bhs.SCSI_COMMAND, Bhs.TASK_MANAGEMENT, Bhs.LOGIN,
            Bhs.TEXT, Bhs.DATA_OUT, Bhs.LOGOUT, Bhs.SNACK};

    private static Map<String, String> keyValues(Random r) {
        return new LinkedHashMap<>(RandomInputs.map(r, 8,
                k -> {
                    String key;
                    do {
                        key = RandomInputs.string(k, (char) 1, (char) 0xd7ff, 1, 20);
                    } while (key.indexOf('=') >= 0);
                    return key;
                },
                v -> RandomInputs.string(v, (char) 1, (char) 0xd7ff, 0, 40)));
    }

    /** Login requests (security then operational stage, as iPXE sends them) and text/nop PDUs, damaged. */
    private static byte[] damagedLogin(Random r) {
        int itt = RandomInputs.anyInt(r);
        byte[] valid = ConnectionTest.wire(switch (r.nextInt(4)) {
            case 0 -> login(0, 1, Map.of("InitiatorName", INITIATOR, "TargetName", TARGET,
                    "SessionType", "Normal", "AuthMethod", "None"), itt);
            case 1 -> login(1, 3, Map.of("HeaderDigest", "None", "DataDigest", "None",
                    "MaxRecvDataSegmentLength", "8192", "InitialR2T", "Yes", "ImmediateData", "No"), itt);
            case 2 -> login(0, 1, Map.of("InitiatorName", INITIATOR, "SessionType", "Discovery",
                    "AuthMethod", "CHAP,None"), itt);
            default -> Pdu.of(Bhs.of(Bhs.TEXT).flags(0x80).itt(itt), TextParameters.encode(Map.of("SendTargets", "All")));
        });
        return Mutations.of(valid, r);
    }

    private static Pdu login(int csg, int nsg, Map<String, String> keys, int itt) {
        Bhs h = Bhs.of(Bhs.LOGIN).immediate(true).flags(0x80 | (csg << 2) | nsg);
        h.lunField(0x400001370000L << 16);
        h.itt(itt).int32(24, 1);
        return Pdu.of(h, TextParameters.encode(keys));
    }
}
