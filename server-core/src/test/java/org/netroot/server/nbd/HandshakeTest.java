package org.netroot.server.nbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.storage.OpenVolumes;

/** The fixed newstyle handshake on bytes: client flags, each option's replies, what happens next. */
class HandshakeTest {
    static final String HERE = "127.0.0.1";
    static final long SIZE = 8L << 20;

    @TempDir
    Path dir;
    FixedCatalog catalog;
    final List<String> refusals = new ArrayList<>();
    final List<Handshake> opened = new ArrayList<>();

    /** A user that attaches as one connection would. */
    static final class User implements OpenVolumes.User {
        final String id;

        User(String id) {
            this.id = id;
        }

        @Override
        public String identity() {
            return id;
        }

        @Override
        public void evict() {
        }
    }

    @BeforeEach
    void exports() throws Exception {
        catalog = new FixedCatalog()
                .add(new NbdExport("pc1-disk", "pc1", "52:54:00:00:00:01", SIZE, false, false), file("pc1.img"), HERE)
                .add(new NbdExport("golden", "pc2", "52:54:00:00:00:02", SIZE, true, false), file("golden.img"), HERE)
                .add(new NbdExport("quorum", "node1", "52:54:00:00:00:03", SIZE, false, true), file("quorum.img"), HERE)
                .add(new NbdExport("other-disk", "pc9", "52:54:00:00:00:09", SIZE, false, false), file("other.img"), "10.0.0.9");
    }

    @AfterEach
    void release() {
        for (Handshake h : opened) if (h.session() != null) h.session().handle().release(user(h));
    }

    private final java.util.Map<Handshake, User> users = new java.util.HashMap<>();

    private User user(Handshake h) {
        return users.get(h);
    }

    Path file(String name) throws Exception {
        Path f = dir.resolve(name);
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(SIZE);
        }
        return f;
    }

    Handshake handshake(String id, int clientFlags) {
        User u = new User(id);
        Handshake h = new Handshake(catalog, address(HERE), u, (mac, reason) -> refusals.add(mac + " " + reason));
        users.put(h, u);
        opened.add(h);
        assertEquals(Handshake.Outcome.CONTINUE, h.clientFlags(ByteBuffer.allocate(4).putInt(0, clientFlags)).outcome());
        return h;
    }

    Handshake handshake(String id) {
        return handshake(id, NbdProtocol.FLAG_C_FIXED_NEWSTYLE | NbdProtocol.FLAG_C_NO_ZEROES);
    }

    static InetAddress address(String a) {
        try {
            return InetAddress.getByName(a);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Handshake.Step option(Handshake h, int option, byte[] data) {
        return h.option(ByteBuffer.wrap(new OptionRequest(option, data).encode()));
    }

    static List<RecordingReplies.OptionReply> replies(Handshake.Step s) {
        return s.replies().stream().map(RecordingReplies::parseOption).toList();
    }

    @Test
    void theGreetingIsFixedNewstyleWithNoZeroes() {
        ByteBuffer g = ByteBuffer.wrap(OptionReplies.greeting());
        assertEquals(NbdProtocol.NBDMAGIC, g.getLong());
        assertEquals(NbdProtocol.IHAVEOPT, g.getLong(), "newstyle: never the oldstyle greeting");
        assertEquals(NbdProtocol.FLAG_FIXED_NEWSTYLE | NbdProtocol.FLAG_NO_ZEROES, g.getShort());
        assertEquals(0, g.remaining());
    }

    @Test
    void clientFlagsWithoutFixedNewstyleOrUnknownBitsAreDropped() {
        Handshake h = new Handshake(catalog, address(HERE), new User("x"), (m, r) -> { });
        Handshake.Step plain = h.clientFlags(ByteBuffer.allocate(4).putInt(0, 0));
        assertEquals(Handshake.Outcome.DROP, plain.outcome());
        assertTrue(plain.reason().contains("fixed newstyle"), plain.reason());
        Handshake.Step unknown = h.clientFlags(ByteBuffer.allocate(4).putInt(0, 1 | 4));
        assertEquals(Handshake.Outcome.DROP, unknown.outcome());
        assertTrue(unknown.reason().contains("0x00000005"), unknown.reason());
    }

    @Test
    void goAnswersExportInfoThenBlockSizeThenAckAndEntersTransmission() {
        Handshake h = handshake("a");
        Handshake.Step s = option(h, NbdProtocol.OPT_GO, RawNbdClient.goData("pc1-disk", NbdProtocol.INFO_BLOCK_SIZE));
        assertEquals(Handshake.Outcome.TRANSMISSION, s.outcome());
        List<RecordingReplies.OptionReply> r = replies(s);
        assertEquals(3, r.size());
        ByteBuffer export = ByteBuffer.wrap(r.get(0).data());
        assertEquals(NbdProtocol.REP_INFO, r.get(0).type());
        assertEquals(NbdProtocol.INFO_EXPORT, export.getShort());
        assertEquals(SIZE, export.getLong());
        int flags = export.getShort() & 0xffff;
        assertEquals(NbdProtocol.FLAG_HAS_FLAGS | NbdProtocol.FLAG_SEND_FLUSH | NbdProtocol.FLAG_SEND_FUA
                | NbdProtocol.FLAG_SEND_TRIM | NbdProtocol.FLAG_SEND_WRITE_ZEROES, flags, "no DF without structured replies,"
                + " no MULTI_CONN for a volume one writer has");
        ByteBuffer block = ByteBuffer.wrap(r.get(1).data());
        assertEquals(NbdProtocol.INFO_BLOCK_SIZE, block.getShort());
        assertEquals(512, block.getInt());
        assertEquals(4096, block.getInt());
        assertEquals(32 << 20, block.getInt());
        assertEquals(NbdProtocol.REP_ACK, r.get(2).type());
        assertTrue(r.stream().allMatch(x -> x.option() == NbdProtocol.OPT_GO));
        assertNotNull(h.session());
        assertEquals(flags, h.session().flags());
        assertEquals(SIZE, h.session().sizeBytes());
    }

    @Test
    void structuredRepliesAddDfAGoldenImageIsReadOnlyASharedVolumeTakesSeveralConnections() {
        Handshake h = handshake("a");
        assertEquals(NbdProtocol.REP_ACK, replies(option(h, NbdProtocol.OPT_STRUCTURED_REPLY, new byte[0])).get(0).type());
        assertEquals(NbdProtocol.REP_ERR_INVALID,
                replies(option(h, NbdProtocol.OPT_STRUCTURED_REPLY, new byte[1])).get(0).type(), "it carries no data");
        option(h, NbdProtocol.OPT_GO, RawNbdClient.goData("golden"));
        assertTrue(h.session().structuredReplies());
        assertTrue(h.session().readOnly());
        assertEquals(NbdProtocol.FLAG_HAS_FLAGS | NbdProtocol.FLAG_READ_ONLY | NbdProtocol.FLAG_SEND_FLUSH
                | NbdProtocol.FLAG_SEND_DF, h.session().flags());

        Handshake n1 = handshake("node1-a");
        Handshake n2 = handshake("node1-b");
        assertEquals(Handshake.Outcome.TRANSMISSION, option(n1, NbdProtocol.OPT_GO, RawNbdClient.goData("quorum")).outcome());
        assertEquals(Handshake.Outcome.TRANSMISSION, option(n2, NbdProtocol.OPT_GO, RawNbdClient.goData("quorum")).outcome(),
                "a shared volume: a second connection joins");
        assertTrue((n2.session().flags() & NbdProtocol.FLAG_CAN_MULTI_CONN) != 0);
    }

    @Test
    void aSecondWriterIsRefusedWithTheHolderNamedAndMayTryAgain() {
        Handshake first = handshake("nbd://127.0.0.1:1000");
        option(first, NbdProtocol.OPT_GO, RawNbdClient.goData("pc1-disk"));
        Handshake second = handshake("nbd://127.0.0.1:2000");
        Handshake.Step s = option(second, NbdProtocol.OPT_GO, RawNbdClient.goData("pc1-disk"));
        assertEquals(Handshake.Outcome.CONTINUE, s.outcome(), "an error reply, the handshake goes on");
        RecordingReplies.OptionReply r = replies(s).get(0);
        assertEquals(NbdProtocol.REP_ERR_POLICY, r.type());
        assertTrue(r.text().contains("volume pc1-disk of client pc1 is in use by nbd://127.0.0.1:1000"), r.text());
        assertNull(second.session());
        assertEquals(1, refusals.size());
        assertTrue(refusals.get(0).startsWith("52:54:00:00:00:01 NBD from 127.0.0.1 refused: "), refusals.get(0));
        first.session().handle().release(user(first));
        assertEquals(Handshake.Outcome.TRANSMISSION, option(second, NbdProtocol.OPT_GO, RawNbdClient.goData("pc1-disk")).outcome(),
                "once the first is gone");
    }

    @Test
    void unknownExportsAndOtherAddressesExportsGetTheSameNeutralAnswerTheEventTheDetail() {
        Handshake h = handshake("a");
        RecordingReplies.OptionReply unknown = replies(option(h, NbdProtocol.OPT_GO, RawNbdClient.goData("nope"))).get(0);
        RecordingReplies.OptionReply other = replies(option(h, NbdProtocol.OPT_INFO, RawNbdClient.goData("other-disk"))).get(0);
        for (RecordingReplies.OptionReply r : List.of(unknown, other)) {
            assertEquals(NbdProtocol.REP_ERR_UNKNOWN, r.type(), "no hint whether the name exists");
            assertEquals(Handshake.NOT_AVAILABLE, r.text());
        }
        assertEquals(2, refusals.size(), refusals.toString());
        assertTrue(refusals.get(1).startsWith("52:54:00:00:00:09 NBD from 127.0.0.1 refused: not for 127.0.0.1"),
                "the detail goes to the owner's timeline: " + refusals);
    }

    @Test
    void infoTellsWithoutAttachingListShowsOnlyThisAddressesExports() {
        Handshake h = handshake("a");
        Handshake.Step info = option(h, NbdProtocol.OPT_INFO, RawNbdClient.goData("pc1-disk"));
        assertEquals(Handshake.Outcome.CONTINUE, info.outcome());
        assertEquals(List.of(NbdProtocol.REP_INFO, NbdProtocol.REP_INFO, NbdProtocol.REP_ACK),
                replies(info).stream().map(RecordingReplies.OptionReply::type).toList());
        assertTrue(catalog.volumes.find("pc1-disk").isEmpty(), "INFO opens nothing");

        List<RecordingReplies.OptionReply> list = replies(option(h, NbdProtocol.OPT_LIST, new byte[0]));
        List<String> names = new ArrayList<>();
        for (RecordingReplies.OptionReply r : list.subList(0, list.size() - 1)) {
            assertEquals(NbdProtocol.REP_SERVER, r.type());
            ByteBuffer b = ByteBuffer.wrap(r.data());
            int n = b.getInt();
            names.add(new String(r.data(), 4, n, StandardCharsets.UTF_8));
        }
        assertEquals(List.of("pc1-disk", "golden", "quorum"), names, "not other-disk, which is another address's");
        assertEquals(NbdProtocol.REP_ACK, list.get(list.size() - 1).type());
        assertEquals(NbdProtocol.REP_ERR_INVALID, replies(option(h, NbdProtocol.OPT_LIST, new byte[] {1})).get(0).type());
    }

    @Test
    void unknownOptionsAnswerErrUnsupAndTheHandshakeGoesOn() {
        Handshake h = handshake("a");
        for (int op : new int[] {NbdProtocol.OPT_STARTTLS, 4, 9, 10, 11, 0, 0x7fffffff, -1}) {
            Handshake.Step s = option(h, op, new byte[] {1, 2, 3});
            assertEquals(Handshake.Outcome.CONTINUE, s.outcome());
            RecordingReplies.OptionReply r = replies(s).get(0);
            assertEquals(NbdProtocol.REP_ERR_UNSUP, r.type());
            assertEquals(op, r.option(), "the reply names the option");
        }
        assertEquals(Handshake.Outcome.TRANSMISSION, option(h, NbdProtocol.OPT_GO, RawNbdClient.goData("pc1-disk")).outcome());
    }

    @Test
    void malformedInfoAndGoDataAreErrInvalid() {
        Handshake h = handshake("a");
        byte[] good = RawNbdClient.goData("pc1-disk", NbdProtocol.INFO_BLOCK_SIZE);
        List<byte[]> bad = List.of(new byte[5], java.util.Arrays.copyOf(good, good.length - 1),
                java.util.Arrays.copyOf(good, good.length + 2), ByteBuffer.allocate(6).putInt(0, 100).array(),
                ByteBuffer.allocate(8).putInt(2).put((byte) 0xc3).put((byte) 0x28).putShort((short) 0).array()); // not UTF-8
        for (byte[] data : bad) {
            Handshake.Step s = option(h, NbdProtocol.OPT_GO, data);
            assertEquals(Handshake.Outcome.CONTINUE, s.outcome());
            assertEquals(NbdProtocol.REP_ERR_INVALID, replies(s).get(0).type(), java.util.Arrays.toString(data));
        }
        assertNull(h.session());
        assertTrue(refusals.isEmpty(), "malformed options are no refusal of an export");
    }

    @Test
    void exportNameAnswersSizeAndFlagsWithOrWithoutZeroesAndClosesOnARefusal() {
        Handshake h = handshake("a", NbdProtocol.FLAG_C_FIXED_NEWSTYLE);
        Handshake.Step s = option(h, NbdProtocol.OPT_EXPORT_NAME, "pc1-disk".getBytes(StandardCharsets.UTF_8));
        assertEquals(Handshake.Outcome.TRANSMISSION, s.outcome());
        byte[] reply = s.replies().get(0);
        assertEquals(8 + 2 + 124, reply.length, "the 124 zeros, since the client did not ask for none");
        assertEquals(SIZE, ByteBuffer.wrap(reply).getLong());
        assertArrayEquals(new byte[124], java.util.Arrays.copyOfRange(reply, 10, reply.length));

        Handshake noZeroes = handshake("b");
        byte[] short10 = option(noZeroes, NbdProtocol.OPT_EXPORT_NAME, "golden".getBytes(StandardCharsets.UTF_8)).replies().get(0);
        assertEquals(10, short10.length);

        Handshake refused = handshake("c");
        Handshake.Step no = option(refused, NbdProtocol.OPT_EXPORT_NAME, "other-disk".getBytes(StandardCharsets.UTF_8));
        assertEquals(Handshake.Outcome.CLOSE, no.outcome(), "EXPORT_NAME cannot answer an error: the session ends");
        assertTrue(no.replies().isEmpty());
        Handshake busy = handshake("d");
        assertEquals(Handshake.Outcome.CLOSE,
                option(busy, NbdProtocol.OPT_EXPORT_NAME, "pc1-disk".getBytes(StandardCharsets.UTF_8)).outcome());
    }

    @Test
    void abortIsAcknowledgedThenTheConnectionCloses() {
        Handshake h = handshake("a");
        Handshake.Step s = option(h, NbdProtocol.OPT_ABORT, new byte[0]);
        assertEquals(Handshake.Outcome.CLOSE, s.outcome());
        assertEquals(NbdProtocol.REP_ACK, replies(s).get(0).type());
    }
}
