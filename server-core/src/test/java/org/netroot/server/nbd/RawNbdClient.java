package org.netroot.server.nbd;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An NBD client over a plain socket, for tests that need what real clients do not show: the exact
 * replies, requests pipelined or malformed, a connection held open while another client tries.
 */
final class RawNbdClient implements AutoCloseable {
    /** One option reply: its option, type and data. */
    record OptionReply(int option, int type, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** One transmission reply: simple (type -1) or one structured chunk. */
    record Reply(boolean structured, int flags, int type, long handle, int error, byte[] data) {
    }

    final Socket socket;
    final DataInputStream in;
    final DataOutputStream out;
    long size;
    int transmissionFlags;

    private RawNbdClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(socket.getOutputStream());
    }

    /** Connected, greeting read and checked, nothing sent yet. */
    static RawNbdClient connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(20_000);
        RawNbdClient c = new RawNbdClient(s);
        if (c.in.readLong() != NbdProtocol.NBDMAGIC || c.in.readLong() != NbdProtocol.IHAVEOPT) {
            throw new IOException("not an NBD newstyle greeting");
        }
        c.in.readUnsignedShort();
        return c;
    }

    /** Connected and past the client flags (fixed newstyle, no zeroes). */
    static RawNbdClient handshake(int port) throws IOException {
        RawNbdClient c = connect(port);
        c.out.writeInt(NbdProtocol.FLAG_C_FIXED_NEWSTYLE | NbdProtocol.FLAG_C_NO_ZEROES);
        c.out.flush();
        return c;
    }

    /** In transmission on {@code name} (structured replies when asked), or an exception with the server's refusal. */
    static RawNbdClient open(int port, String name, boolean structured) throws IOException {
        RawNbdClient c = handshake(port);
        if (structured) {
            OptionReply r = c.option(NbdProtocol.OPT_STRUCTURED_REPLY, new byte[0]).get(0);
            if (r.type() != NbdProtocol.REP_ACK) throw new IOException("structured replies refused");
        }
        List<OptionReply> go = c.option(NbdProtocol.OPT_GO, goData(name, NbdProtocol.INFO_BLOCK_SIZE));
        OptionReply last = go.get(go.size() - 1);
        if (last.type() != NbdProtocol.REP_ACK) {
            c.close();
            throw new IOException("NBD_OPT_GO refused (" + Integer.toHexString(last.type()) + "): " + last.text());
        }
        for (OptionReply r : go) {
            ByteBuffer b = ByteBuffer.wrap(r.data());
            if (r.type() == NbdProtocol.REP_INFO && b.getShort(0) == NbdProtocol.INFO_EXPORT) {
                c.size = b.getLong(2);
                c.transmissionFlags = b.getShort(10) & 0xffff;
            }
        }
        return c;
    }

    static byte[] goData(String name, int... infos) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(6 + n.length + 2 * infos.length).putInt(n.length).put(n).putShort((short) infos.length);
        for (int i : infos) b.putShort((short) i);
        return b.array();
    }

    /** Sends an option and reads its replies up to the last one (ACK or an error). */
    List<OptionReply> option(int option, byte[] data) throws IOException {
        out.write(new OptionRequest(option, data).encode());
        out.flush();
        List<OptionReply> replies = new ArrayList<>();
        while (true) {
            OptionReply r = readOptionReply();
            replies.add(r);
            if (r.type() == NbdProtocol.REP_ACK || r.type() < 0) return replies;
        }
    }

    OptionReply readOptionReply() throws IOException {
        if (in.readLong() != NbdProtocol.OPTION_REPLY_MAGIC) throw new IOException("bad option reply magic");
        int option = in.readInt();
        int type = in.readInt();
        byte[] data = new byte[in.readInt()];
        in.readFully(data);
        return new OptionReply(option, type, data);
    }

    void send(Request r, byte[] payload) throws IOException {
        out.write(r.encode());
        if (payload != null) out.write(payload);
        out.flush();
    }

    /**
     * The next reply. A simple reply's data cannot be told from the stream alone: {@code readLength}
     * says how many bytes follow a simple reply without error (a READ's length, else 0).
     */
    Reply reply(int readLength) throws IOException {
        int magic = in.readInt();
        if (magic == NbdProtocol.SIMPLE_REPLY_MAGIC) {
            int error = in.readInt();
            long handle = in.readLong();
            byte[] data = new byte[error == 0 ? readLength : 0];
            in.readFully(data);
            return new Reply(false, 0, -1, handle, error, data);
        }
        if (magic != NbdProtocol.STRUCTURED_REPLY_MAGIC) throw new IOException("bad reply magic " + Integer.toHexString(magic));
        int flags = in.readUnsignedShort();
        int type = in.readUnsignedShort();
        long handle = in.readLong();
        byte[] payload = new byte[in.readInt()];
        in.readFully(payload);
        int error = (type & 0x8000) != 0 ? ByteBuffer.wrap(payload).getInt() : 0;
        return new Reply(true, flags, type, handle, error, payload);
    }

    /** True once the server closed the connection (reads to the end). */
    boolean closedByServer() throws IOException {
        byte[] buf = new byte[4096];
        while (in.read(buf) >= 0) { }
        return true;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
