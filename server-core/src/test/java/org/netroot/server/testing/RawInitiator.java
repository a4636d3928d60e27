package org.netroot.server.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The smallest real iSCSI initiator: a TCP session that logs in without authentication (straight to
 * the operational stage, as iPXE may) and reads blocks with READ(10), bytes on the wire written by
 * hand (RFC 7143). It stays logged in until closed, unlike libiscsi's command-line tools. Writes can be
 * pipelined: {@link #sendWrite} several, then {@link #awaitWrite} each (the target's command window is
 * far wider than a bench's queue depth).
 */
public final class RawInitiator implements AutoCloseable {
    private static final int BHS = 48;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int cmdSN = 1;
    private int expStatSN;
    private int itt = 1;
    /** CRC32C header and data digests, each on after a login that negotiated it (both ways) */
    private boolean headerDigests;
    private boolean dataDigests;

    private RawInitiator(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to the loopback portal on {@code port} and logs in to {@code targetIqn}; throws when refused. */
    public static RawInitiator login(int port, String initiatorIqn, String targetIqn) throws IOException {
        return login(port, initiatorIqn, targetIqn, false);
    }

    /**
     * As {@link #login(int, String, String)}; with {@code digests} it offers only CRC32C header and data digests,
     * fails unless the target accepts both, and from then on sends and checks them on every PDU.
     */
    public static RawInitiator login(int port, String initiatorIqn, String targetIqn, boolean digests) throws IOException {
        return login(port, initiatorIqn, targetIqn, digests, digests);
    }

    /** As {@link #login(int, String, String, boolean)}, header and data digests asked for each on its own. */
    public static RawInitiator login(int port, String initiatorIqn, String targetIqn, boolean headerDigest,
                                     boolean dataDigest) throws IOException {
        RawInitiator i = new RawInitiator(new Socket(InetAddress.getLoopbackAddress(), port));
        try {
            i.doLogin(initiatorIqn, targetIqn, headerDigest, dataDigest);
            return i;
        } catch (IOException | RuntimeException e) {
            i.close();
            throw e;
        }
    }

    private void doLogin(String initiatorIqn, String targetIqn, boolean headerDigest, boolean dataDigest) throws IOException {
        byte[] data = ("InitiatorName=" + initiatorIqn + "\0TargetName=" + targetIqn + "\0SessionType=Normal\0"
                + "HeaderDigest=" + (headerDigest ? "CRC32C" : "None") + "\0DataDigest=" + (dataDigest ? "CRC32C" : "None")
                + "\0MaxRecvDataSegmentLength=65536\0")
                .getBytes(StandardCharsets.UTF_8);
        ByteBuffer h = ByteBuffer.allocate(BHS);
        h.put(0, (byte) 0x43);          // Login, immediate
        h.put(1, (byte) 0x87);          // T, CSG operational (1), NSG full feature (3)
        h.putInt(4, data.length);       // TotalAHSLength 0, DataSegmentLength
        h.put(8, (byte) 0x40).put(9, (byte) 0x00).put(10, (byte) 0x01).put(11, (byte) 0x37); // ISID
        h.putInt(16, itt++);
        h.putInt(24, cmdSN);
        h.putInt(28, expStatSN);
        send(h.array(), data);
        Response r = receive();
        if ((r.header[0] & 0x3f) != 0x23) throw new IOException("expected a login response, got opcode " + r.header[0]);
        int status = ByteBuffer.wrap(r.header).getShort(36) & 0xffff;
        if (status != 0) throw new IOException(String.format("login refused: status 0x%04x", status));
        expStatSN = ByteBuffer.wrap(r.header).getInt(24) + 1;
        String answers = new String(r.data, StandardCharsets.UTF_8);
        if (headerDigest && !answers.contains("HeaderDigest=CRC32C") || dataDigest && !answers.contains("DataDigest=CRC32C")) {
            throw new IOException("the target did not take CRC32C digests: " + answers.replace('\0', ' '));
        }
        headerDigests = headerDigest;
        dataDigests = dataDigest;
    }

    /** READ(10) of {@code blocks} 512-byte blocks at {@code lba}; returns the bytes read. */
    public byte[] read(long lba, int blocks) throws IOException {
        int length = blocks * 512;
        ByteBuffer h = ByteBuffer.allocate(BHS);
        h.put(0, (byte) 0x01);          // SCSI Command
        h.put(1, (byte) 0xc1);          // F, R, simple task
        h.putInt(16, itt++);
        h.putInt(20, length);
        h.putInt(24, cmdSN++);
        h.putInt(28, expStatSN);
        h.put(32, (byte) 0x28);
        h.putInt(34, (int) lba);
        h.putShort(39, (short) blocks);
        send(h.array(), new byte[0]);
        ByteBuffer result = ByteBuffer.allocate(length);
        while (true) {
            Response r = receive();
            int opcode = r.header[0] & 0x3f;
            ByteBuffer rh = ByteBuffer.wrap(r.header);
            if (opcode == 0x25) { // Data-In
                result.put(rh.getInt(40), r.data);
                if ((r.header[1] & 0x01) == 0) continue;
            } else if (opcode != 0x21) {
                throw new IOException("unexpected opcode " + opcode + " during READ");
            }
            expStatSN = rh.getInt(24) + 1;
            int status = r.header[3] & 0xff;
            if (status != 0) throw new IOException("READ ended with SCSI status " + status);
            return result.array();
        }
    }

    /**
     * Sends WRITE(10) of {@code data} (whole 512-byte blocks) at {@code lba} as immediate data, without
     * waiting for the answer; returns the command's task tag. Immediate data is allowed without
     * negotiation (ImmediateData=Yes is the RFC 7143 §13.11 default) up to the target's
     * MaxRecvDataSegmentLength, at least 8192 bytes (§13.12).
     */
    public int sendWrite(long lba, byte[] data) throws IOException {
        return sendWrite(lba, data, false);
    }

    /** As {@link #sendWrite(long, byte[])}; with {@code fua} (Force Unit Access) the target acknowledges it only once it is on the medium. */
    public int sendWrite(long lba, byte[] data, boolean fua) throws IOException {
        if (data.length == 0 || data.length % 512 != 0 || data.length > 8192) {
            throw new IllegalArgumentException("write 512 to 8192 bytes in whole blocks, not " + data.length);
        }
        int tag = itt++;
        ByteBuffer h = ByteBuffer.allocate(BHS);
        h.put(0, (byte) 0x01);          // SCSI Command
        h.put(1, (byte) 0xa1);          // F, W, simple task
        h.putInt(4, data.length);       // TotalAHSLength 0, DataSegmentLength: all of it immediate
        h.putInt(16, tag);
        h.putInt(20, data.length);      // Expected Data Transfer Length
        h.putInt(24, cmdSN++);
        h.putInt(28, expStatSN);
        h.put(32, (byte) 0x2a);         // WRITE(10)
        if (fua) h.put(33, (byte) 0x08);
        h.putInt(34, (int) lba);
        h.putShort(39, (short) (data.length / 512));
        send(h.array(), data);
        return tag;
    }

    /**
     * Sends SYNCHRONIZE CACHE(10) of the whole volume without waiting; its answer comes through
     * {@link #awaitWrite} like a write's. GOOD means every write acknowledged before it was sent is on the medium.
     */
    public int sendSynchronizeCache() throws IOException {
        int tag = itt++;
        ByteBuffer h = ByteBuffer.allocate(BHS);
        h.put(0, (byte) 0x01);          // SCSI Command
        h.put(1, (byte) 0x81);          // F, simple task, no data
        h.putInt(16, tag);
        h.putInt(24, cmdSN++);
        h.putInt(28, expStatSN);
        h.put(32, (byte) 0x35);         // SYNCHRONIZE CACHE(10), LBA 0 and 0 blocks: all of it
        send(h.array(), new byte[0]);
        return tag;
    }

    /**
     * Sends a Task Management Function Request (RFC 7143 §11.5: 1 ABORT TASK, 5 LOGICAL UNIT RESET,
     * 6 TARGET WARM RESET, 7 TARGET COLD RESET), as an immediate command, and returns its response code.
     */
    public int taskManagement(int function, int referencedTag) throws IOException {
        sendTaskManagement(function, referencedTag);
        Response r = receive();
        int opcode = r.header[0] & 0x3f;
        if (opcode != 0x22) throw new IOException("unexpected opcode 0x" + Integer.toHexString(opcode) + " for a task management request");
        expStatSN = ByteBuffer.wrap(r.header).getInt(24) + 1;
        return r.header[2] & 0xff;
    }

    /**
     * Sends a Task Management Function Request as {@link #taskManagement} does, without waiting for its
     * response (it may come after the answers of commands sent before it); returns its task tag.
     */
    public int sendTaskManagement(int function, int referencedTag) throws IOException {
        return sendTaskManagement(function, referencedTag, 0);
    }

    /** As {@link #sendTaskManagement(int, int)}, addressed to the LUN of {@code lunField} (BHS bytes 8..15). */
    public int sendTaskManagement(int function, int referencedTag, long lunField) throws IOException {
        int tag = itt++;
        ByteBuffer h = ByteBuffer.allocate(BHS);
        h.put(0, (byte) 0x42);          // Task Management Function Request, immediate
        h.put(1, (byte) (0x80 | function));
        h.putLong(8, lunField);
        h.putInt(16, tag);
        h.putInt(20, referencedTag);
        h.putInt(24, cmdSN);            // immediate: CmdSN does not advance
        h.putInt(28, expStatSN);
        h.putInt(32, -1);               // RefCmdSN: not used here
        send(h.array(), new byte[0]);
        return tag;
    }

    /**
     * Sends a SCSI command with {@code cdb} (up to 16 bytes), {@code dataOut} as its immediate data (up to
     * 8192 bytes; null: none) and room for {@code dataIn} bytes back, without waiting; returns its task tag.
     */
    public int sendCommand(byte[] cdb, byte[] dataOut, int dataIn) throws IOException {
        return sendCommand(cdb, dataOut, dataIn, dataOut == null ? 0 : dataOut.length);
    }

    /** As {@link #sendCommand(byte[], byte[], int)}, announcing {@code dataOutLength} bytes to write: the rest follows by {@link #sendDataOut}. */
    public int sendCommand(byte[] cdb, byte[] dataOut, int dataIn, int dataOutLength) throws IOException {
        byte[] data = dataOut == null ? new byte[0] : dataOut;
        int tag = itt++;
        ByteBuffer h = ByteBuffer.allocate(BHS);
        h.put(0, (byte) 0x01);          // SCSI Command
        h.put(1, (byte) (0x81 | (dataOutLength > 0 ? 0x20 : 0) | (dataIn > 0 ? 0x40 : 0))); // F, W, R, simple task
        h.putInt(4, data.length);
        h.putInt(16, tag);
        h.putInt(20, Math.max(dataOutLength, dataIn));
        h.putInt(24, cmdSN++);
        h.putInt(28, expStatSN);
        h.put(32, cdb);
        send(h.array(), data);
        return tag;
    }

    /** A final Data-Out PDU of task {@code tag} answering the R2T with transfer tag {@code ttt}. */
    public void sendDataOut(int tag, int ttt, int offset, byte[] data) throws IOException {
        sendDataOut(tag, ttt, 0, offset, data, true); // DataSN 0: first of this R2T's sequence
    }

    /** A Data-Out PDU of task {@code tag} for transfer tag {@code ttt}, number {@code dataSN} of its sequence; {@code last}: the F bit. */
    public void sendDataOut(int tag, int ttt, int dataSN, int offset, byte[] data, boolean last) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(BHS);
        h.put(0, (byte) 0x05);          // SCSI Data-Out
        h.put(1, (byte) (last ? 0x80 : 0));
        h.putInt(4, data.length);
        h.putInt(16, tag);
        h.putInt(20, ttt);
        h.putInt(28, expStatSN);
        h.putInt(36, dataSN);
        h.putInt(40, offset);
        send(h.array(), data);
    }

    /** The CmdSN the next non-immediate command will carry. */
    public int nextCmdSN() {
        return cmdSN;
    }

    /** One PDU from the target as a test looks at it; {@code response} is byte 2 (iSCSI or TMF response). */
    public record Reply(int opcode, int itt, int response, int status, int statSN, int expCmdSN, byte[] header, byte[] data) {
        /** The 4-byte field at {@code offset} of the header (an R2T's Target Transfer Tag is at 20). */
        public int int32(int offset) {
            return ByteBuffer.wrap(header).getInt(offset);
        }

        @Override
        public String toString() {
            return String.format("opcode 0x%02x itt %d response %d status %d StatSN %d ExpCmdSN %d", opcode, itt,
                    response, status, statSN, expCmdSN);
        }
    }

    /** The next PDU the target sends, whatever it is. */
    public Reply next() throws IOException {
        Response r = receive();
        ByteBuffer rh = ByteBuffer.wrap(r.header);
        int opcode = r.header[0] & 0x3f;
        // status and responses take a StatSN; Data-In without status and R2T only show the next one
        if (opcode != 0x31 && (opcode != 0x25 || (r.header[1] & 0x01) != 0)) expStatSN = rh.getInt(24) + 1;
        return new Reply(opcode, rh.getInt(16), r.header[2] & 0xff, r.header[3] & 0xff, rh.getInt(24), rh.getInt(28), r.header, r.data);
    }

    /** True once the target has closed this connection (reads end), false if it still answers within {@code millis}. */
    public boolean closedByTarget(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return in.read() < 0;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    /** Waits for the next write's (or cache flush's) SCSI Response and returns its task tag; throws unless its status is GOOD. */
    public int awaitWrite() throws IOException {
        Response r = receive();
        ByteBuffer rh = ByteBuffer.wrap(r.header);
        int opcode = r.header[0] & 0x3f;
        if (opcode != 0x21) throw new IOException("unexpected opcode 0x" + Integer.toHexString(opcode) + " during WRITE");
        expStatSN = rh.getInt(24) + 1;
        int response = r.header[2] & 0xff;
        int status = r.header[3] & 0xff;
        if (response != 0 || status != 0) {
            throw new IOException("WRITE ended with iSCSI response " + response + ", SCSI status " + status);
        }
        return rh.getInt(16);
    }

    private record Response(byte[] header, byte[] data) {
    }

    private void send(byte[] header, byte[] data) throws IOException {
        out.write(header);
        if (headerDigests) out.write(crc32c(header));
        byte[] padded = java.util.Arrays.copyOf(data, (data.length + 3) & ~3);
        out.write(padded);
        if (dataDigests && data.length > 0) out.write(crc32c(padded));
        out.flush();
    }

    private Response receive() throws IOException {
        byte[] header = new byte[BHS];
        in.readFully(header);
        if (headerDigests) expectDigest(header, "header");
        int length = ByteBuffer.wrap(header).getInt(4) & 0xffffff;
        byte[] padded = new byte[(length + 3) & ~3];
        in.readFully(padded);
        if (dataDigests && length > 0) expectDigest(padded, "data");
        return new Response(header, java.util.Arrays.copyOf(padded, length));
    }

    /** CRC32C as iSCSI sends it: least significant byte first. */
    private static byte[] crc32c(byte[] bytes) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes);
        int v = (int) crc.getValue();
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    private void expectDigest(byte[] covered, String what) throws IOException {
        byte[] got = in.readNBytes(4);
        if (!java.util.Arrays.equals(got, crc32c(covered))) throw new IOException("the target's " + what + " digest does not match");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
