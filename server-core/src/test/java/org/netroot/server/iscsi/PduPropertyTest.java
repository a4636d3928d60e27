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
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.InputErrors;
import org.netroot.server.storage.BlockDevice;
import org.netroot.server.storage.OpenVolumes;
import org.netroot.server.storage.RawFileBlockDevice;
import org.netroot.server.testing.Mutations;

/**
 * The iSCSI PDU codec (framing, BHS, text parameters) and a fresh connection's login on random and
 * damaged input: a PDU or a {@link MalformedPduException} (the connection is dropped and counted),
 * nothing else; and what we encode reads back the same.
 */
class PduPropertyTest {
    private static final int MAX = SessionParameters.TARGET_MAX_RECV_DATA_SEGMENT_LENGTH;
    private static final String INITIATOR = "iqn.2026-01.org.netroot:initiator:pc1";
    private static final String TARGET = "iqn.2026-01.org.netroot:pc1";

    @Property(tries = 1000)
    void randomStreamsFrameAndParseOrAreMalformed(@ForAll @Size(max = 400) byte[] stream) {
        frameAll(stream);
    }

    @Property(tries = 1000)
    void damagedPdusFrameAndParseOrAreMalformed(@ForAll("damagedLogins") byte[] stream) {
        frameAll(stream);
    }

    @Property(tries = 1000)
    void randomTextParametersParseOrAreMalformed(@ForAll @Size(max = 300) byte[] data) {
        try {
            TextParameters.parse(data);
        } catch (MalformedPduException expected) {
            // the login is refused
        }
    }

    @Property(tries = 1000)
    void textParametersRoundTrip(@ForAll("keyValues") Map<String, String> pairs) throws MalformedPduException {
        assertEquals(pairs, TextParameters.parse(TextParameters.encode(pairs)));
    }

    @Property(tries = 1000)
    void aPduFramesAndParsesBackToItsHeaderAndData(@ForAll @Size(48) byte[] header, @ForAll("initiatorOpcodes") int opcode,
                                                  @ForAll @IntRange(max = 15) int ahsWords,
                                                  @ForAll @Size(max = 600) byte[] data) throws MalformedPduException {
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
    }

    /**
     * A fresh connection (no login yet) fed whole PDUs built from random or damaged bytes: it answers,
     * rejects or closes, and throws nothing but MalformedPduException.
     */
    @Property(tries = 500)
    void aConnectionTakesDamagedLoginsWithoutCrashing(@ForAll("damagedLogins") byte[] first,
                                                      @ForAll("damagedLogins") byte[] second) throws IOException {
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
    }

    /**
     * A logged-in session (immediate data allowed) fed random PDUs: SCSI commands with random CDBs,
     * lengths and immediate data, Data-Out, NOP-Out, task management, text and logout with random
     * header bytes. It answers, rejects or closes; nothing but MalformedPduException escapes.
     */
    @Property(tries = 300)
    void aLoggedInSessionTakesRandomCommandsWithoutCrashing(@ForAll("sessionPdus") List<Pdu> pdus) throws IOException {
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
    }

    @Provide
    Arbitrary<List<Pdu>> sessionPdus() {
        // the commands a disk sees, and any other opcode byte
        Arbitrary<Integer> scsiOpcode = Arbitraries.oneOf(Arbitraries.of(0x00, 0x03, 0x12, 0x1a, 0x25, 0x28, 0x2a, 0x2f,
                0x35, 0x5a, 0x88, 0x8a, 0x9e, 0xa0, 0x91, 0x41, 0x93, 0x42), Arbitraries.integers().between(0, 255));
        Arbitrary<byte[]> cdb = Combinators.combine(scsiOpcode, Arbitraries.bytes().array(byte[].class).ofSize(16))
                .as((op, rest) -> {
                    rest[0] = (byte) (int) op;
                    if (rest.length > 2 && (rest[1] & 1) == 0) { // often an LBA and length near the 64 KiB volume
                        rest[2] = 0;
                        rest[3] = 0;
                    }
                    return rest;
                });
        Arbitrary<Pdu> command = Combinators.combine(cdb, Arbitraries.integers().between(0, 255),
                        Arbitraries.integers().between(0, 1 << 18), Arbitraries.bytes().array(byte[].class).ofMaxSize(1024),
                        Arbitraries.integers().between(2, 40))
                .as((c, flags, expected, data, cmdSN) -> {
                    Bhs h = Bhs.of(Bhs.SCSI_COMMAND).flags(flags).itt(cmdSN).int32(20, expected).int32(24, cmdSN);
                    System.arraycopy(c, 0, h.bytes(), 32, 16);
                    return Pdu.of(h, data);
                });
        Arbitrary<Pdu> other = Combinators.combine(
                        Arbitraries.of(Bhs.NOP_OUT, Bhs.TASK_MANAGEMENT, Bhs.DATA_OUT, Bhs.TEXT, Bhs.LOGOUT, Bhs.SNACK,
                                Bhs.LOGIN),
                        Arbitraries.bytes().array(byte[].class).ofSize(Bhs.LENGTH),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(600))
                .as((op, header, data) -> {
                    Bhs h = new Bhs(header);
                    h.bytes()[0] = (byte) ((header[0] & 0x40) | op);
                    h.bytes()[4] = 0;
                    return Pdu.of(h, data);
                });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, command), net.jqwik.api.Tuple.of(1, other))
                .list().ofMaxSize(12);
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
        TargetCatalog catalog = new TargetCatalog() {
            @Override
            public Optional<IscsiTarget> find(String iqn) {
                return iqn.equalsIgnoreCase(target.iqn()) ? Optional.of(target) : Optional.empty();
            }

            @Override
            public List<IscsiTarget> visibleTo(String initiator) {
                return target.allows(initiator) ? List.of(target) : List.of();
            }

            private final OpenVolumes volumes = new OpenVolumes(name -> RawFileBlockDevice.open(volume, false));

            @Override
            public OpenVolumes.Attachment attach(IscsiTarget t, OpenVolumes.User session) throws IOException {
                return volumes.attach(t.volumeName(), session);
            }
        };
        InetSocketAddress local = new InetSocketAddress(InetAddress.getLoopbackAddress(), 3260);
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
        return new IscsiConnection(out, new TargetServices(catalog, new ActiveSessions(), e -> { }, new PeerDirectory(),
                new InputErrors()), local, peer);
    }

    @Provide
    Arbitrary<Integer> initiatorOpcodes() {
        return Arbitraries.of(Bhs.NOP_OUT, Bhs.SCSI_COMMAND, Bhs.TASK_MANAGEMENT, Bhs.LOGIN, Bhs.TEXT, Bhs.DATA_OUT,
                Bhs.LOGOUT, Bhs.SNACK);
    }

    @Provide
    Arbitrary<Map<String, String>> keyValues() {
        Arbitrary<String> key = Arbitraries.strings().withCharRange((char) 1, (char) 0xd7ff)
                .ofMinLength(1).ofMaxLength(20).filter(s -> s.indexOf('=') < 0);
        Arbitrary<String> value = Arbitraries.strings().withCharRange((char) 1, (char) 0xd7ff).ofMaxLength(40);
        return Arbitraries.maps(key, value).ofMaxSize(8).map(LinkedHashMap::new);
    }

    /** Login requests (security then operational stage, as iPXE sends them) and text/nop PDUs, damaged. */
    @Provide
    Arbitrary<byte[]> damagedLogins() {
        Arbitrary<byte[]> valid = Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers())
                .as((kind, itt) -> wire(switch (kind) {
                    case 0 -> login(0, 1, Map.of("InitiatorName", INITIATOR, "TargetName", TARGET,
                            "SessionType", "Normal", "AuthMethod", "None"), itt);
                    case 1 -> login(1, 3, Map.of("HeaderDigest", "None", "DataDigest", "None",
                            "MaxRecvDataSegmentLength", "8192", "InitialR2T", "Yes", "ImmediateData", "No"), itt);
                    case 2 -> login(0, 1, Map.of("InitiatorName", INITIATOR, "SessionType", "Discovery",
                            "AuthMethod", "CHAP,None"), itt);
                    default -> Pdu.of(Bhs.of(Bhs.TEXT).flags(0x80).itt(itt), TextParameters.encode(Map.of("SendTargets", "All")));
                }));
        return Mutations.of(valid);
    }

    private static Pdu login(int csg, int nsg, Map<String, String> keys, int itt) {
        Bhs h = Bhs.of(Bhs.LOGIN).immediate(true).flags(0x80 | (csg << 2) | nsg);
        h.lunField(0x400001370000L << 16);
        h.itt(itt).int32(24, 1);
        return Pdu.of(h, TextParameters.encode(keys));
    }

    private static byte[] wire(Pdu pdu) {
        byte[] data = pdu.dataBytes();
        byte[] frame = new byte[Bhs.LENGTH + PduFraming.padded(data.length)];
        System.arraycopy(pdu.bhs().bytes(), 0, frame, 0, Bhs.LENGTH);
        System.arraycopy(data, 0, frame, Bhs.LENGTH, data.length);
        return frame;
    }
}
