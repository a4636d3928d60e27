package org.netroot.server.nbd;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.netroot.server.storage.OpenVolumes;
import org.netroot.server.storage.VolumeHandle;

/**
 * The fixed newstyle handshake of one connection, as decisions over bytes: the client's flags,
 * then its options one at a time, each answered with the replies to send and what happens next.
 * qemu and nbd-client ask NBD_OPT_STRUCTURED_REPLY, then NBD_OPT_GO with NBD_INFO_BLOCK_SIZE;
 * the kernel's older tools NBD_OPT_EXPORT_NAME; {@code nbd-client -l} NBD_OPT_LIST and
 * NBD_OPT_ABORT. Any other option (STARTTLS, meta contexts, extended headers) gets
 * NBD_REP_ERR_UNSUP and the client carries on without it. Not thread-safe: the binding passes one
 * message at a time and waits for the answer.
 */
public final class Handshake {
    /** What the connection does after a step's replies went out. */
    public enum Outcome {
        /** Wait for the next option. */
        CONTINUE,
        /** The export is attached: requests follow ({@link #session()}). */
        TRANSMISSION,
        /** Close after the replies (NBD_OPT_ABORT, or an NBD_OPT_EXPORT_NAME we cannot grant). */
        CLOSE,
        /** The client broke the protocol: count it, close ({@link Step#reason()}). */
        DROP
    }

    /** The replies to send, in order, then the outcome; {@code reason} says why for CLOSE and DROP. */
    public record Step(List<byte[]> replies, Outcome outcome, String reason) {
        static Step of(Outcome outcome, byte[]... replies) {
            return new Step(List.of(replies), outcome, null);
        }

        static Step drop(String reason) {
            return new Step(List.of(), Outcome.DROP, reason);
        }
    }

    /** The export a connection attached, and how its transmission goes. */
    public record Session(NbdExport export, VolumeHandle handle, long sizeBytes, int flags, boolean structuredReplies) {
        public boolean readOnly() {
            return (flags & NbdProtocol.FLAG_READ_ONLY) != 0;
        }
    }

    /** Where a handshake reports refusals: a boot event with the reason, on {@code mac}'s timeline. */
    @FunctionalInterface
    public interface Refusals {
        void refused(String mac, String reason);
    }

    /** All a refused peer is told: the reason (client, MAC, addresses) goes to the boot event only. */
    static final String NOT_AVAILABLE = "export not available to this address";

    private final ExportCatalog catalog;
    private final InetAddress peer;
    private final OpenVolumes.User user;
    private final Refusals refusals;
    private boolean flagsSeen;
    private boolean noZeroes;
    private boolean structuredReplies;
    private Session session;

    /** @param user who attaches to the export's volume (the connection) */
    public Handshake(ExportCatalog catalog, InetAddress peer, OpenVolumes.User user, Refusals refusals) {
        this.catalog = catalog;
        this.peer = peer;
        this.user = user;
        this.refusals = refusals;
    }

    /**
     * The client's answer to the greeting. Only fixed newstyle: a client that does not set
     * NBD_FLAG_C_FIXED_NEWSTYLE, or sets a flag we do not know, is dropped (the protocol: the server
     * MUST close on flags it does not recognise).
     */
    public Step clientFlags(ByteBuffer frame) {
        int flags = frame.getInt(frame.position());
        int known = NbdProtocol.FLAG_C_FIXED_NEWSTYLE | NbdProtocol.FLAG_C_NO_ZEROES;
        if ((flags & ~known) != 0) return Step.drop(String.format("unknown client flags 0x%08x", flags));
        if ((flags & NbdProtocol.FLAG_C_FIXED_NEWSTYLE) == 0) {
            return Step.drop("the client does not speak fixed newstyle NBD (client flags 0x" + Integer.toHexString(flags)
                    + "), the only handshake served");
        }
        flagsSeen = true;
        noZeroes = (flags & NbdProtocol.FLAG_C_NO_ZEROES) != 0;
        return Step.of(Outcome.CONTINUE);
    }

    /** One option (a whole frame from {@link NbdFraming}), after the client flags. */
    public Step option(ByteBuffer frame) {
        if (!flagsSeen || session != null) throw new IllegalStateException("no option expected now");
        OptionRequest o = OptionRequest.parse(frame);
        int op = o.option();
        return switch (op) {
            case NbdProtocol.OPT_EXPORT_NAME -> exportName(o.data());
            case NbdProtocol.OPT_ABORT -> Step.of(Outcome.CLOSE, OptionReplies.ack(op));
            case NbdProtocol.OPT_LIST -> list(o.data());
            case NbdProtocol.OPT_STRUCTURED_REPLY -> {
                if (o.data().length != 0) yield invalid(op, "NBD_OPT_STRUCTURED_REPLY carries no data");
                structuredReplies = true;
                yield Step.of(Outcome.CONTINUE, OptionReplies.ack(op));
            }
            case NbdProtocol.OPT_INFO, NbdProtocol.OPT_GO -> infoOrGo(op, o.data());
            default -> Step.of(Outcome.CONTINUE, OptionReplies.error(op, NbdProtocol.REP_ERR_UNSUP,
                    NbdProtocol.optionName(op) + " is not supported by this server"));
        };
    }

    /** Set once a step ended in {@link Outcome#TRANSMISSION}. */
    public Session session() {
        return session;
    }

    public boolean structuredReplies() {
        return structuredReplies;
    }

    /**
     * HAS_FLAGS and FLUSH always; a writable export takes FUA, TRIM and WRITE_ZEROES, a read-only one
     * (a golden image) says READ_ONLY. DF once structured replies are on (a READ is always one chunk).
     * CAN_MULTI_CONN only on a shared volume: there every connection reaches the one open device, so a
     * flush on one covers writes done on another; elsewhere a second connection is refused anyway.
     */
    public static int transmissionFlags(boolean readOnly, boolean shared, boolean structuredReplies) {
        int f = NbdProtocol.FLAG_HAS_FLAGS | NbdProtocol.FLAG_SEND_FLUSH;
        f |= readOnly ? NbdProtocol.FLAG_READ_ONLY
                : NbdProtocol.FLAG_SEND_FUA | NbdProtocol.FLAG_SEND_TRIM | NbdProtocol.FLAG_SEND_WRITE_ZEROES;
        if (structuredReplies) f |= NbdProtocol.FLAG_SEND_DF;
        if (shared) f |= NbdProtocol.FLAG_CAN_MULTI_CONN;
        return f;
    }

    private Step list(byte[] data) {
        if (data.length != 0) return invalid(NbdProtocol.OPT_LIST, "NBD_OPT_LIST carries no data");
        List<byte[]> replies = new ArrayList<>();
        for (NbdExport e : catalog.visibleTo(peer)) {
            replies.add(OptionReplies.server(e.name(), "client " + e.clientName() + (e.readOnly() ? ", read-only" : "")));
        }
        replies.add(OptionReplies.ack(NbdProtocol.OPT_LIST));
        return new Step(replies, Outcome.CONTINUE, null);
    }

    /**
     * NBD_OPT_INFO and NBD_OPT_GO: a 32-bit name length, the name, a 16-bit count of information
     * requests and the requests. NBD_INFO_EXPORT goes first, NBD_INFO_BLOCK_SIZE whether asked or
     * not (allowed: qemu and the kernel then keep to 512-byte multiples), then NBD_REP_ACK. Other
     * information requests are ignored, as the protocol allows.
     */
    private Step infoOrGo(int op, byte[] data) {
        ByteBuffer d = ByteBuffer.wrap(data);
        if (data.length < 6) return invalid(op, NbdProtocol.optionName(op) + " needs at least 6 bytes of data");
        long nameLength = Integer.toUnsignedLong(d.getInt(0));
        if (nameLength > data.length - 6) return invalid(op, "the export name runs past the option's data");
        int n = d.getShort(4 + (int) nameLength) & 0xffff;
        if (data.length != 6 + nameLength + 2L * n) {
            return invalid(op, "the option's length does not match its " + n + " information requests");
        }
        String name = utf8(data, 4, (int) nameLength);
        if (name == null) return invalid(op, "the export name is not UTF-8");
        ExportCatalog.Lookup found = catalog.find(name, peer);
        if (found.status() != ExportCatalog.Status.FOUND) return refuse(op, found);
        NbdExport e = found.export();
        if (op == NbdProtocol.OPT_INFO) {
            return Step.of(Outcome.CONTINUE,
                    OptionReplies.infoExport(op, e.sizeBytes(), transmissionFlags(e.readOnly(), e.shared(), structuredReplies)),
                    OptionReplies.infoBlockSize(op), OptionReplies.ack(op));
        }
        Refusal refused = attach(e);
        if (refused != null) return Step.of(Outcome.CONTINUE, OptionReplies.error(op, refused.type(), refused.reason()));
        return Step.of(Outcome.TRANSMISSION, OptionReplies.infoExport(op, session.sizeBytes(), session.flags()),
                OptionReplies.infoBlockSize(op), OptionReplies.ack(op));
    }

    /**
     * NBD_OPT_EXPORT_NAME: the name is the whole data; the reply has no header and there is no way to
     * say no, so a refusal closes the connection (the protocol: the server MUST terminate the session).
     */
    private Step exportName(byte[] data) {
        String name = utf8(data, 0, data.length);
        if (name == null) return Step.drop("NBD_OPT_EXPORT_NAME with a name that is not UTF-8");
        ExportCatalog.Lookup found = catalog.find(name, peer);
        if (found.status() != ExportCatalog.Status.FOUND) {
            refusals.refused(found.mac(), "NBD from " + peer.getHostAddress() + " refused: " + found.reason());
            return new Step(List.of(), Outcome.CLOSE, found.reason()); // for the log: the peer gets no reply at all
        }
        Refusal refused = attach(found.export());
        if (refused != null) return new Step(List.of(), Outcome.CLOSE, refused.reason());
        return Step.of(Outcome.TRANSMISSION, OptionReplies.exportName(session.sizeBytes(), session.flags(), noZeroes));
    }

    /** Why an attach failed, and the option reply type that says so. */
    private record Refusal(int type, String reason) {
    }

    /** Attaches the export's volume; null when it worked ({@link #session} is set), else why not (reported). */
    private Refusal attach(NbdExport e) {
        OpenVolumes.Attachment a;
        Refusal refusal;
        try {
            a = catalog.attach(e, user);
            refusal = a.claim() != OpenVolumes.Claim.BUSY ? null : new Refusal(NbdProtocol.REP_ERR_POLICY, e.describe()
                    + " is in use by " + a.holder() + ": one writer at a time (two machines writing one disk destroy"
                    + " it); shut the other one down first");
        } catch (IOException | RuntimeException failed) {
            a = null;
            refusal = new Refusal(NbdProtocol.REP_ERR_UNKNOWN, "could not open " + e.describe() + ": " + failed.getMessage());
        }
        if (refusal != null) {
            refusals.refused(e.mac(), "NBD from " + peer.getHostAddress() + " refused: " + refusal.reason());
            return refusal;
        }
        VolumeHandle h = a.handle();
        boolean readOnly = h.device().readOnly();
        session = new Session(e, h, h.device().sizeBytes(), transmissionFlags(readOnly, e.shared(), structuredReplies),
                structuredReplies);
        return null;
    }

    /**
     * The peer hears only {@link #NOT_AVAILABLE}, as NBD_REP_ERR_UNKNOWN ("the export is not
     * available"), whether the name exists or belongs to another address: the detailed reason names
     * the owning client, its MAC and addresses, which are the admin's to read (the boot event, the
     * log), not an unknown caller's; and one answer for both keeps a scan from telling which volume
     * names exist.
     */
    private Step refuse(int op, ExportCatalog.Lookup found) {
        refusals.refused(found.mac(), "NBD from " + peer.getHostAddress() + " refused: " + found.reason());
        return Step.of(Outcome.CONTINUE, OptionReplies.error(op, NbdProtocol.REP_ERR_UNKNOWN, NOT_AVAILABLE));
    }

    private static Step invalid(int op, String message) {
        return Step.of(Outcome.CONTINUE, OptionReplies.error(op, NbdProtocol.REP_ERR_INVALID, message));
    }

    /** Strings are UTF-8 without NUL (the protocol's conventions); null when these bytes are not one. */
    private static String utf8(byte[] b, int from, int length) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, from, length)).toString();
            return s.indexOf('\0') >= 0 ? null : s;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
