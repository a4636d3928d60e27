package org.netroot.server.tftp;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One read request from OACK to the last ACK: which blocks to send when, as a state machine that
 * knows nothing of sockets or clocks. The caller feeds it the client's packets and tells it when
 * the timeout passed; it writes datagrams through {@link Datagrams}.
 *
 * <p>Blocks are counted with a {@code long} index (1 = first DATA) so files past 65535 blocks work;
 * the wire number is the index modulo 65536, i.e. 65535 is followed by 0 (the rollover every common
 * client expects, e.g. a 64 MiB file at blksize 512 is 131073 blocks).
 *
 * <p>The hot path allocates nothing and makes few system calls: each window is read from the file
 * in one positional read into a buffer owned by the transfer, and each DATA goes out as one
 * gathering write of a 4-byte header and a view of that buffer.
 */
public final class ReadTransfer {

    /** The file's bytes. Fills {@code dst} from {@code offset} as far as it can; -1 at end of file. */
    @FunctionalInterface
    public interface FileBlocks {
        int read(long offset, ByteBuffer dst) throws IOException;
    }

    /** Sends datagrams to the client; the buffers are reused after each call returns. */
    public interface Datagrams {
        void send(ByteBuffer datagram) throws IOException;

        /** One DATA packet: its 4-byte header followed by its payload, as one datagram. */
        void sendData(ByteBuffer header, ByteBuffer payload) throws IOException;
    }

    public enum Outcome {
        RUNNING,
        /** the client acknowledged the last block */
        COMPLETE,
        /** options asked with tsize, then an ERROR instead of ACK 0: UEFI reading the size (normal) */
        PROBED,
        /** the client sent an ERROR during the transfer */
        CLIENT_ABORTED,
        /** no progress after the allowed retransmissions */
        TIMED_OUT
    }

    private final TransferOptions options;
    private final long fileSize;
    private final FileBlocks file;
    private final Datagrams out;
    private final int maxRetries;
    private final long lastBlock;
    /** the file bytes of the window in flight */
    private final ByteBuffer window;
    /** a view of {@link #window} for one block; positioned, never reallocated */
    private final ByteBuffer payload;
    private final ByteBuffer header = ByteBuffer.allocateDirect(4);
    private long windowFirst;
    private final ByteBuffer oack;

    private boolean awaitingOackAck;
    /** highest block the client acknowledged in order; everything up to it is delivered */
    private long acked;
    /** last block of the window in flight */
    private long windowEnd;
    private int retries;
    private long blocksSent;
    private Outcome outcome = Outcome.RUNNING;
    private TftpPacket.Error clientError;
    /** volatile: the request listener reads it to decide whether a repeated RRQ may join this transfer */
    private volatile boolean clientAcknowledged;

    public ReadTransfer(TransferOptions options, long fileSize, FileBlocks file, Datagrams out, int maxRetries) {
        this.options = options;
        this.fileSize = fileSize;
        this.file = file;
        this.out = out;
        this.maxRetries = maxRetries;
        // RFC 1350 §6: a block shorter than blksize (possibly empty) ends the transfer
        this.lastBlock = fileSize / options.blockSize() + 1;
        long windowBytes = Math.min((long) options.windowSize() * options.blockSize(), Math.max(fileSize, 1));
        this.window = ByteBuffer.allocateDirect((int) windowBytes);
        this.payload = window.duplicate();
        this.oack = options.sendsOack() ? TftpPacket.encode(new TftpPacket.OptionAck(options.oack())) : null;
    }

    /** Sends the OACK when options were accepted (RFC 2347), else DATA 1 at once. */
    public Outcome start() throws IOException {
        if (oack != null) {
            awaitingOackAck = true;
            out.send(oack.rewind());
        } else {
            sendWindowFrom(1);
        }
        return outcome;
    }

    public Outcome onPacket(TftpPacket packet) throws IOException {
        if (outcome != Outcome.RUNNING) return outcome;
        switch (packet) {
            case TftpPacket.Ack ack -> acknowledge(ack.block());
            case TftpPacket.Error error -> {
                clientError = error;
                outcome = awaitingOackAck && options.tsizeAsked() ? Outcome.PROBED : Outcome.CLIENT_ABORTED;
            }
            default -> { } // a stray packet on this TID: not ours to act on
        }
        return outcome;
    }

    /**
     * An ACK of the given 16-bit block number: what {@link #onPacket} does with a {@link TftpPacket.Ack},
     * for callers that read the 4-byte ACK in place instead of parsing it into a record (the per-block path).
     */
    public Outcome onAck(int wireBlock) throws IOException {
        if (outcome != Outcome.RUNNING) return outcome;
        acknowledge(wireBlock);
        return outcome;
    }

    /** The timeout passed with no progress: retransmit the OACK or the whole window, a bounded number of times. */
    public Outcome onTimeout() throws IOException {
        if (outcome != Outcome.RUNNING) return outcome;
        if (++retries > maxRetries) {
            outcome = Outcome.TIMED_OUT;
        } else if (awaitingOackAck) {
            out.send(oack.rewind());
        } else {
            sendWindowFrom(acked + 1);
        }
        return outcome;
    }

    private void acknowledge(int wireBlock) throws IOException {
        if (awaitingOackAck) {
            if (wireBlock != 0) return;
            awaitingOackAck = false;
            clientAcknowledged = true;
            retries = 0;
            sendWindowFrom(1);
            return;
        }
        // which block of the window in flight does this 16-bit number name?
        long ahead = (wireBlock - acked) & 0xFFFF;
        // ahead == 0: a duplicate ACK. Answering it would double every later block (the Sorcerer's
        // Apprentice bug, RFC 1123 §4.2.3.1): only the timeout retransmits.
        if (ahead == 0 || acked + ahead > windowEnd) return;
        acked += ahead;
        clientAcknowledged = true;
        retries = 0;
        if (acked == lastBlock) {
            outcome = Outcome.COMPLETE;
        } else {
            // RFC 7440 §4: the ACK of the window's last block opens the next window; the ACK of an
            // earlier one means the client lost the block after it: restart from there
            sendWindowFrom(acked + 1);
        }
    }

    private void sendWindowFrom(long first) throws IOException {
        windowEnd = Math.min(first + options.windowSize() - 1, lastBlock);
        windowFirst = first;
        long offset = (first - 1) * options.blockSize();
        long end = Math.min(windowEnd * options.blockSize(), fileSize);
        window.clear().limit((int) (end - offset));
        while (window.hasRemaining()) {
            if (file.read(offset + window.position(), window) < 0) throw new IOException("file shrank during the transfer");
        }
        for (long block = first; block <= windowEnd; block++) sendBlock(block);
    }

    private void sendBlock(long block) throws IOException {
        int start = (int) ((block - windowFirst) * options.blockSize());
        int length = Math.min(options.blockSize(), window.limit() - start);
        payload.limit(start + length).position(start);
        header.clear();
        header.putShort((short) TftpPacket.DATA).putShort((short) block).flip();
        out.sendData(header, payload);
        blocksSent++;
    }

    /**
     * Whether the client has acknowledged anything (the OACK or a DATA block). Until then a repeated
     * read request is the same request arriving twice; after it, the client started over.
     */
    public boolean clientAcknowledged() {
        return clientAcknowledged;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** The client's ERROR when it aborted or ended a probe. */
    public TftpPacket.Error clientError() {
        return clientError;
    }

    public TransferOptions options() {
        return options;
    }

    public long fileSize() {
        return fileSize;
    }

    /** DATA packets sent, retransmissions included. */
    public long blocksSent() {
        return blocksSent;
    }

    /** Current retransmission timeout in milliseconds (RFC 2349 timeout option or the server default). */
    public long timeoutMillis() {
        return options.timeoutMillis();
    }
}
