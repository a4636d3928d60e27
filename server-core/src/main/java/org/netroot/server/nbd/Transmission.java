package org.netroot.server.nbd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;
import org.netroot.server.storage.BlockDevice;
import org.netroot.server.storage.DiskFullException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transmission phase of one connection: each request checked, run on the volume's device, and
 * answered. Requests run on several threads at once and their replies go out as each finishes
 * (the protocol lets a server reorder; a client that needs an order waits for a reply first, and
 * NBD_CMD_FLUSH covers the writes already answered). So this class keeps no per-request state.
 *
 * <p>Errors are the protocol's errno values: EINVAL for an unknown command or flag and a READ or
 * TRIM past the end, ENOSPC for a write past the end (the protocol asks for it, as qemu-nbd does) and
 * for a full disk, EPERM for writes to a read-only export, EIO for anything the device failed.
 */
public final class Transmission {
    private static final Logger log = LoggerFactory.getLogger(Transmission.class);
    /** Zeros for NBD_CMD_WRITE_ZEROES with NO_HOLE, written a megabyte at a time; never changed. */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();

    /** Reports a full disk (the connection turns it into a boot event); called from the request's thread. */
    @FunctionalInterface
    public interface DiskFullListener {
        void diskFull(DiskFullException e);
    }

    /** A request that cannot run, and what to answer. */
    public record Refusal(int error, String message) {
    }

    private final BlockDevice device;
    private final long size;
    private final int flags;
    private final boolean structured;
    private final ReplyOutput out;
    private final DiskFullListener diskFull;
    private final LongAdder bytesRead = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();

    public Transmission(Handshake.Session session, ReplyOutput out, DiskFullListener diskFull) {
        this(session.handle().device(), session.sizeBytes(), session.flags(), session.structuredReplies(), out, diskFull);
    }

    /** @param size the size the client was told: requests past it are refused, whatever the device says later */
    public Transmission(BlockDevice device, long size, int flags, boolean structured, ReplyOutput out,
                        DiskFullListener diskFull) {
        this.device = device;
        this.size = size;
        this.flags = flags;
        this.structured = structured;
        this.out = out;
        this.diskFull = diskFull;
    }

    /**
     * Runs one request and sends its reply; any thread. {@code payload} is a WRITE's data (null or
     * empty for the others). NBD_CMD_DISC never comes here: it is the connection's to handle.
     */
    public void execute(Request r, ByteBuffer payload) {
        Refusal no = check(r);
        if (no != null) {
            fail(r, no.error(), no.message());
            return;
        }
        switch (r.type()) {
            case NbdProtocol.CMD_READ -> read(r);
            case NbdProtocol.CMD_WRITE -> write(r, payload);
            case NbdProtocol.CMD_FLUSH -> flush(r);
            case NbdProtocol.CMD_TRIM -> trim(r);
            case NbdProtocol.CMD_WRITE_ZEROES -> writeZeroes(r);
            default -> throw new IllegalStateException("checked: " + r.type());
        }
    }

    /** Why {@code r} may not run, or null. */
    public Refusal check(Request r) {
        int allowed = switch (r.type()) {
            case NbdProtocol.CMD_READ -> NbdProtocol.CMD_FLAG_FUA | (structured ? NbdProtocol.CMD_FLAG_DF : 0);
            case NbdProtocol.CMD_WRITE, NbdProtocol.CMD_FLUSH, NbdProtocol.CMD_TRIM -> NbdProtocol.CMD_FLAG_FUA;
            case NbdProtocol.CMD_WRITE_ZEROES -> NbdProtocol.CMD_FLAG_FUA | NbdProtocol.CMD_FLAG_NO_HOLE;
            default -> -1;
        };
        String command = NbdProtocol.commandName(r.type());
        if (allowed < 0) return new Refusal(NbdProtocol.EINVAL, command + " is not supported");
        // FUA is allowed on every command once SEND_FUA is negotiated (the kernel sets it on reads too)
        if ((r.flags() & ~allowed) != 0) {
            return new Refusal(NbdProtocol.EINVAL, String.format("flags 0x%x are not valid for %s", r.flags() & ~allowed, command));
        }
        boolean writes = r.type() == NbdProtocol.CMD_WRITE || r.type() == NbdProtocol.CMD_TRIM
                || r.type() == NbdProtocol.CMD_WRITE_ZEROES;
        if (writes && (flags & NbdProtocol.FLAG_READ_ONLY) != 0) {
            return new Refusal(NbdProtocol.EPERM, "the export is read-only (a golden image): " + command + " refused");
        }
        if (r.type() == NbdProtocol.CMD_FLUSH) return null; // offset and length are reserved: not looked at
        // offset is unsigned: at 2^63 and above it reads as negative, far past any end
        if (r.offset() < 0 || r.length() > size - r.offset()) {
            int error = r.type() == NbdProtocol.CMD_WRITE || r.type() == NbdProtocol.CMD_WRITE_ZEROES
                    ? NbdProtocol.ENOSPC : NbdProtocol.EINVAL;
            return new Refusal(error, command + " at " + Long.toUnsignedString(r.offset()) + "+" + r.length()
                    + " is past the end of the " + size + "-byte export");
        }
        if (r.type() == NbdProtocol.CMD_READ && r.length() > NbdProtocol.MAX_PAYLOAD) {
            return new Refusal(NbdProtocol.EINVAL, "NBD_CMD_READ of " + r.length() + " bytes (at most "
                    + NbdProtocol.MAX_PAYLOAD + ", the maximum block size advertised)");
        }
        return null;
    }

    public long bytesRead() {
        return bytesRead.sum();
    }

    public long bytesWritten() {
        return bytesWritten.sum();
    }

    /**
     * The data goes from the device straight into the reply's buffer, after the header: one
     * buffer, one write to the socket. With structured replies it is one OFFSET_DATA chunk marked
     * done (so NBD_CMD_FLAG_DF holds too); a failure is an ERROR chunk and no data.
     */
    private void read(Request r) {
        int n = (int) r.length();
        if (n == 0) { // nothing to carry; structured replies may not answer a READ with a simple reply
            out.send(structured ? Replies.none(r.handle()) : Replies.simple(0, r.handle()));
            return;
        }
        int header = structured ? Replies.OFFSET_DATA_HEADER : NbdProtocol.SIMPLE_REPLY_HEADER;
        ReplyOutput.ReplyBuffer reply = out.allocate(header + n);
        try {
            ByteBuffer b = reply.nio();
            if (structured) Replies.offsetData(b.duplicate(), r.handle(), r.offset(), n);
            else Replies.simple(b.duplicate(), 0, r.handle());
            device.read(r.offset(), b.duplicate().position(header).limit(header + n));
        } catch (IOException | RuntimeException e) {
            reply.release();
            log.warn("NBD read of {} bytes at {} failed", n, r.offset(), e);
            fail(r, NbdProtocol.EIO, "read failed: " + e.getMessage());
            return;
        }
        bytesRead.add(n);
        out.send(reply);
    }

    private void write(Request r, ByteBuffer payload) {
        try {
            device.write(r.offset(), payload.duplicate());
            if (r.has(NbdProtocol.CMD_FLAG_FUA)) device.flush(); // durable before the reply
        } catch (IOException | RuntimeException e) {
            writeFailed(r, e);
            return;
        }
        bytesWritten.add(r.length());
        ok(r);
    }

    /** The protocol: no success reply before every write already answered is on stable storage. */
    private void flush(Request r) {
        try {
            device.flush();
        } catch (IOException | RuntimeException e) {
            writeFailed(r, e);
            return;
        }
        ok(r);
    }

    /** A hole where the device can punch one (its space goes back to the server's disk); reads as zeros after. */
    private void trim(Request r) {
        try {
            if (r.length() > 0) device.discard(r.offset(), r.length());
            if (r.has(NbdProtocol.CMD_FLAG_FUA)) device.flush();
        } catch (IOException | RuntimeException e) {
            writeFailed(r, e);
            return;
        }
        ok(r);
    }

    /**
     * Zeros: a discard, which reads as zeros and gives the space back, unless the client sets
     * NO_HOLE (it wants the blocks allocated, e.g. to not run out of space later): then zeros are
     * written.
     */
    private void writeZeroes(Request r) {
        try {
            if (r.has(NbdProtocol.CMD_FLAG_NO_HOLE)) {
                for (long done = 0; done < r.length(); ) {
                    int n = (int) Math.min(ZEROS.capacity(), r.length() - done);
                    device.write(r.offset() + done, ZEROS.duplicate().limit(n));
                    done += n;
                }
            } else if (r.length() > 0) {
                device.discard(r.offset(), r.length());
            }
            if (r.has(NbdProtocol.CMD_FLAG_FUA)) device.flush();
        } catch (IOException | RuntimeException e) {
            writeFailed(r, e);
            return;
        }
        ok(r);
    }

    /** A full host disk is ENOSPC (the client's file system sees "no space left"), anything else EIO. */
    private void writeFailed(Request r, Exception e) {
        if (e instanceof IOException io && DiskFullException.isDiskFull(io)) {
            diskFull.diskFull(io instanceof DiskFullException d ? d : new DiskFullException(null, io));
            fail(r, NbdProtocol.ENOSPC, "the server's disk is full");
            return;
        }
        log.warn("{} at {}+{} failed", NbdProtocol.commandName(r.type()), r.offset(), r.length(), e);
        fail(r, NbdProtocol.EIO, NbdProtocol.commandName(r.type()) + " failed: " + e.getMessage());
    }

    private void ok(Request r) {
        out.send(Replies.simple(0, r.handle())); // allowed with structured replies too: no payload
    }

    /** An error: a structured ERROR chunk with the message once negotiated, else a simple reply. */
    private void fail(Request r, int error, String message) {
        out.send(structured ? Replies.error(r.handle(), error, message) : Replies.simple(error, r.handle()));
    }
}
