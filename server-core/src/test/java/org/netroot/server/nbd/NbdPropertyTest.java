package org.netroot.server.nbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.storage.RawFileBlockDevice;
import org.netroot.server.testing.Mutations;
import org.netroot.server.testing.RandomInputs;
import org.netroot.server.testing.Tries;

/**
 * NBD's parsers and decisions on random and damaged input, each property on {@link Tries}'s seeded
 * inputs: the framer frames or calls the input malformed (the connection is dropped and counted),
 * nothing else; the handshake answers every option with well-formed replies; every request gets
 * exactly one reply with its handle and an errno the protocol defines, and what reads back is what a
 * model of the disk says.
 */
class NbdPropertyTest {
    static final Set<Integer> ERRNOS = Set.of(0, NbdProtocol.EPERM, NbdProtocol.EIO, NbdProtocol.EINVAL, NbdProtocol.ENOSPC);
    static final int SIZE = 256 << 10;

    @TempDir
    Path dir;

    @Test
    void randomStreamsFrameOrAreMalformedInEveryPhase() {
        Tries.run("randomStreamsFrameOrAreMalformedInEveryPhase", 1000, r -> {
            NbdFraming.Phase phase = RandomInputs.oneOf(r, NbdFraming.Phase.values());
            frameAll(phase, RandomInputs.bytes(r, 200));
        });
    }

    @Test
    void damagedOptionsAndRequestsFrameOrAreMalformed() {
        Tries.run("damagedOptionsAndRequestsFrameOrAreMalformed", 1000, r -> {
            boolean options = r.nextBoolean();
            byte[] valid = options ? validOption(r).encode() : validRequestBytes(r);
            frameAll(options ? NbdFraming.Phase.OPTIONS : NbdFraming.Phase.TRANSMISSION, Mutations.of(valid, r));
        });
    }

    /** Frames {@code bytes} message by message: each frame is at least a header long, or the input is malformed. */
    private static void frameAll(NbdFraming.Phase phase, byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            while (in.hasRemaining()) {
                int n = NbdFraming.frameLength(phase, in.duplicate().limit(Math.min(in.limit(), in.position() + 28)));
                if (n < 0 || n > in.remaining()) return; // waits for more
                int header = switch (phase) {
                    case CLIENT_FLAGS -> NbdFraming.CLIENT_FLAGS;
                    case OPTIONS -> NbdProtocol.OPTION_HEADER;
                    case TRANSMISSION -> NbdProtocol.REQUEST_HEADER;
                };
                assertTrue(n >= header && n <= header + Math.max(NbdProtocol.MAX_OPTION_DATA, NbdProtocol.MAX_PAYLOAD), "frame of " + n);
                ByteBuffer frame = in.slice(in.position(), n);
                if (phase == NbdFraming.Phase.OPTIONS) assertEquals(n - 16, OptionRequest.parse(frame).data().length);
                if (phase == NbdFraming.Phase.TRANSMISSION) {
                    Request q = Request.parse(frame);
                    assertEquals(n - 28, Request.payload(frame).remaining());
                    if (q.type() != NbdProtocol.CMD_WRITE) assertEquals(28, n, "only a WRITE carries data");
                }
                in.position(in.position() + n);
            }
        } catch (MalformedNbdException expected) {
            // the connection is dropped and counted
        }
    }

    @Test
    void requestsAndOptionsRoundTrip() {
        Tries.run("requestsAndOptionsRoundTrip", 1000, r -> {
            Request q = new Request(r.nextInt(1 << 16), r.nextInt(1 << 16), r.nextLong(), r.nextLong(),
                    RandomInputs.between(r, 0L, 0xffffffffL));
            byte[] wire = q.encode();
            assertEquals(q, Request.parse(ByteBuffer.wrap(wire)));
            OptionRequest o = new OptionRequest(RandomInputs.anyInt(r), RandomInputs.bytes(r, 300));
            OptionRequest back = OptionRequest.parse(ByteBuffer.wrap(o.encode()));
            assertEquals(o.option(), back.option());
            assertArrayEquals(o.data(), back.data());
        });
    }

    @Test
    void damagedOptionsGetWellFormedRepliesFromTheHandshake() throws Exception {
        FixedCatalog catalog = new FixedCatalog()
                .add(new NbdExport("pc1-disk", "pc1", "52:54:00:00:00:01", SIZE, false, false), file("pc1.img"), "127.0.0.1")
                .add(new NbdExport("golden", "pc2", "52:54:00:00:00:02", SIZE, true, false), file("golden.img"), "10.0.0.2");
        Tries.run("damagedOptionsGetWellFormedRepliesFromTheHandshake", 1000, r -> {
            HandshakeTest.User user = new HandshakeTest.User("try");
            Handshake h = new Handshake(catalog, InetAddress.getLoopbackAddress(), user, (mac, reason) -> { });
            h.clientFlags(ByteBuffer.allocate(4).putInt(0, NbdProtocol.FLAG_C_FIXED_NEWSTYLE | (r.nextBoolean() ? 2 : 0)));
            byte[] bytes = r.nextInt(4) == 0 ? validOption(r).encode() : Mutations.of(validOption(r).encode(), r);
            int n;
            try {
                n = NbdFraming.frameLength(NbdFraming.Phase.OPTIONS, ByteBuffer.wrap(bytes));
            } catch (MalformedNbdException dropped) {
                return;
            }
            if (n < 0 || n > bytes.length) return;
            OptionRequest o = OptionRequest.parse(ByteBuffer.wrap(bytes, 0, n).slice());
            Handshake.Step step = h.option(ByteBuffer.wrap(bytes, 0, n).slice());
            try {
                assertNotNull(step.outcome());
                if (o.option() == NbdProtocol.OPT_EXPORT_NAME) {
                    if (step.outcome() == Handshake.Outcome.TRANSMISSION) {
                        assertTrue(step.replies().get(0).length == 10 || step.replies().get(0).length == 134);
                    } else {
                        assertTrue(step.replies().isEmpty());
                    }
                    return;
                }
                assertTrue(!step.replies().isEmpty() || step.outcome() == Handshake.Outcome.DROP, "every option is answered");
                for (byte[] reply : step.replies()) {
                    RecordingReplies.OptionReply p = RecordingReplies.parseOption(reply);
                    assertEquals(o.option(), p.option(), "each reply names the option it answers");
                }
                int last = RecordingReplies.parseOption(step.replies().get(step.replies().size() - 1)).type();
                assertTrue(last == NbdProtocol.REP_ACK || last < 0, "the last reply is ACK or an error: " + last);
            } finally {
                if (h.session() != null) h.session().handle().release(user);
            }
        });
        assertTrue(catalog.volumes.find("pc1-disk").isEmpty(), "every attached volume was given back");
    }

    @Test
    void everyRequestGetsOneReplyAndReadsMatchAModelOfTheDisk() throws Exception {
        Path f = file("model.img");
        byte[] model = new byte[SIZE];
        new Random(3).nextBytes(model);
        Files.write(f, model);
        try (RawFileBlockDevice device = RawFileBlockDevice.open(f, false)) {
            Tries.run("everyRequestGetsOneReplyAndReadsMatchAModelOfTheDisk", 1000, r -> {
                boolean structured = r.nextBoolean();
                boolean readOnly = r.nextInt(5) == 0;
                RecordingReplies out = new RecordingReplies();
                Transmission t = new Transmission(device, SIZE, Handshake.transmissionFlags(readOnly, false, structured),
                        structured, out, e -> { });
                Request q = randomRequest(r);
                byte[] payload = q.type() == NbdProtocol.CMD_WRITE && q.length() <= 65536 ? RandomInputs.bytes(r,
                        (int) q.length(), (int) q.length()) : null;
                if (q.type() == NbdProtocol.CMD_WRITE && payload == null) return; // the framer never lets it through
                t.execute(q, payload == null ? null : ByteBuffer.wrap(payload));
                assertEquals(1, out.count(), "one reply per request");
                assertTrue(out.balanced(), "every reply buffer went out or back");
                RecordingReplies.Parsed p = RecordingReplies.parse(out.last());
                assertEquals(q.handle(), p.handle());
                assertTrue(ERRNOS.contains(p.error()), "errno " + p.error());
                if (structured && p.error() != 0) assertEquals(NbdProtocol.REPLY_TYPE_ERROR, p.type());
                if (!structured) assertTrue(!p.structured(), "no structured reply unless negotiated");
                if (p.error() != 0) return;
                int at = (int) q.offset();
                int n = (int) q.length();
                switch (q.type()) {
                    case NbdProtocol.CMD_WRITE -> System.arraycopy(payload, 0, model, at, n);
                    case NbdProtocol.CMD_TRIM, NbdProtocol.CMD_WRITE_ZEROES -> Arrays.fill(model, at, at + n, (byte) 0);
                    case NbdProtocol.CMD_READ -> {
                        byte[] data = structured && n > 0 ? Arrays.copyOfRange(p.payload(), 8, p.payload().length) : p.payload();
                        if (structured && n > 0) assertEquals(q.offset(), ByteBuffer.wrap(p.payload()).getLong());
                        assertArrayEquals(Arrays.copyOfRange(model, at, at + n), data, "read " + at + "+" + n);
                    }
                    default -> { }
                }
            });
            byte[] all = new byte[SIZE];
            device.read(0, ByteBuffer.wrap(all));
            assertArrayEquals(model, all, "the volume is what the answered requests made it");
        }
    }

    /** Mostly valid requests near the edges of a 256 KiB volume, some with odd types, flags and ranges. */
    private static Request randomRequest(Random r) {
        int type = r.nextInt(10) == 0 ? RandomInputs.between(r, 0, 0xffff) : RandomInputs.oneOf(r, List.of(
                NbdProtocol.CMD_READ, NbdProtocol.CMD_WRITE, NbdProtocol.CMD_FLUSH, NbdProtocol.CMD_TRIM,
                NbdProtocol.CMD_WRITE_ZEROES));
        if (type == NbdProtocol.CMD_DISC) type = NbdProtocol.CMD_READ; // the connection's own, never a Transmission's
        int flags = r.nextInt(6) == 0 ? RandomInputs.between(r, 0, 0xffff) : r.nextInt(4) == 0 ? NbdProtocol.CMD_FLAG_FUA
                : r.nextInt(4) == 0 ? NbdProtocol.CMD_FLAG_NO_HOLE : 0;
        long offset = switch (r.nextInt(6)) {
            case 0 -> r.nextLong();
            case 1 -> SIZE - RandomInputs.between(r, 0, 4096);
            default -> RandomInputs.between(r, 0, SIZE - 1);
        };
        long length = switch (r.nextInt(6)) {
            case 0 -> RandomInputs.between(r, 0L, 0xffffffffL);
            case 1 -> 0;
            default -> RandomInputs.between(r, 1, 65536);
        };
        return new Request(flags, type, r.nextLong(), offset, length);
    }

    private static OptionRequest validOption(Random r) {
        String name = RandomInputs.oneOf(r, "pc1-disk", "golden", "", "nope");
        return switch (r.nextInt(7)) {
            case 0 -> new OptionRequest(NbdProtocol.OPT_GO, RawNbdClient.goData(name, NbdProtocol.INFO_BLOCK_SIZE));
            case 1 -> new OptionRequest(NbdProtocol.OPT_INFO, RawNbdClient.goData(name, 0, 1, 2, 3));
            case 2 -> new OptionRequest(NbdProtocol.OPT_LIST, new byte[0]);
            case 3 -> new OptionRequest(NbdProtocol.OPT_STRUCTURED_REPLY, new byte[0]);
            case 4 -> new OptionRequest(NbdProtocol.OPT_EXPORT_NAME, name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            case 5 -> new OptionRequest(NbdProtocol.OPT_ABORT, new byte[0]);
            default -> new OptionRequest(RandomInputs.anyInt(r), RandomInputs.bytes(r, 40));
        };
    }

    private static byte[] validRequestBytes(Random r) {
        Request q = randomRequest(r);
        if (q.type() != NbdProtocol.CMD_WRITE) return q.encode();
        int n = (int) Math.min(q.length(), 100);
        q = new Request(q.flags(), q.type(), q.handle(), q.offset(), n);
        return ByteBuffer.allocate(28 + n).put(q.encode()).put(RandomInputs.bytes(r, n, n)).array();
    }

    private Path file(String name) throws Exception {
        Path f = dir.resolve(name);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(SIZE);
        }
        return f;
    }
}
