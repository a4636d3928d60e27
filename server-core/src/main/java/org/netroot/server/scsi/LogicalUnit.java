package org.netroot.server.scsi;

import static org.netroot.server.scsi.Bytes.put16;
import static org.netroot.server.scsi.Bytes.put32;
import static org.netroot.server.scsi.Bytes.put64;
import static org.netroot.server.scsi.Bytes.u16;
import static org.netroot.server.scsi.Bytes.u32;
import static org.netroot.server.scsi.Bytes.u64;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.function.IntSupplier;
import org.netroot.server.storage.BlockDevice;
import org.netroot.server.storage.CapacityListener;
import org.netroot.server.storage.DiskFullException;

/**
 * A direct-access block device (SBC-3) over a {@link BlockDevice}: the commands boot firmware,
 * Linux, Windows and libiscsi send. Knows nothing of iSCSI: the transport hands in the CDB, the
 * Data-Out bytes and a {@link DataIn} to fill. LUN 0 is the volume; other LUNs do not exist.
 * Nothing here logs per command: this is the I/O path.
 */
public final class LogicalUnit implements CapacityListener {
    /** VPD 0xb0 maximum transfer length in blocks (16 MiB); the transport caps commands near this. */
    public static final int MAX_TRANSFER_BLOCKS = 32768;
    /** VPD 0xb0 maximum WRITE SAME length: a WRITE SAME with data writes it all before answering. */
    static final int MAX_WRITE_SAME_BLOCKS = MAX_TRANSFER_BLOCKS;
    /**
     * VPD 0xb0 maximum unmap LBA count, for one UNMAP command (all its descriptors): 512 MiB, the
     * most libiscsi's BlockLimits test accepts. A qcow2 discard of 256 MiB takes about 0.1 s, a
     * hole punch less; Linux splits larger discards.
     */
    static final int MAX_UNMAP_BLOCKS = 1 << 20;
    /** VPD 0xb0 maximum unmap block descriptor count (Linux sends one per command, Windows a few). */
    static final int MAX_UNMAP_DESCRIPTORS = 256;
    /** VPD 0xb0 maximum COMPARE AND WRITE length (the most its one-byte field holds). */
    static final int MAX_COMPARE_AND_WRITE_BLOCKS = 255;
    /**
     * READ CAPACITY(16) logical blocks per physical block exponent: 4 KiB physical blocks, what the
     * host's file systems allocate and qcow2 clusters are multiples of. Initiators then align and
     * size their writes to 4 KiB instead of making the host read, merge and write back.
     */
    static final int PHYSICAL_BLOCK_EXPONENT = 3;
    private static final int BS = BlockDevice.BLOCK_SIZE;

    private final BlockDevice device;
    private final UnitIdentity identity;
    /** What this volume's other sessions share with this one: reservations, unit attentions, write order. */
    private final SharedUnit shared;
    /** This session's I_T nexus: what its reservations are held by. */
    private final InitiatorPort port;
    /** A capacity change this I_T nexus has not been told of yet (SAM-5 §5.14 unit attention). */
    private final AtomicBoolean capacityChanged = new AtomicBoolean();
    private volatile DiskFullListener diskFullListener = e -> { };
    /** Aborts this session's tasks that have not started (another initiator's PREEMPT AND ABORT or reset). */
    private volatile IntSupplier taskSetAbort = () -> 0;

    /** Told when a write fails because the host's disk is full (the transport turns it into an event). */
    @FunctionalInterface
    public interface DiskFullListener {
        void diskFull(DiskFullException e);
    }

    /** A unit no other session shares (tests and tools). */
    public LogicalUnit(BlockDevice device, UnitIdentity identity) {
        this(device, identity, new SharedUnit(), InitiatorPort.LOCAL);
    }

    /**
     * The unit as the session of {@code port} sees it; {@code shared} is the volume's one
     * {@link SharedUnit}. {@link #close} when the session ends.
     */
    public LogicalUnit(BlockDevice device, UnitIdentity identity, SharedUnit shared, InitiatorPort port) {
        this.device = device;
        this.identity = identity;
        this.shared = shared;
        this.port = port;
        shared.attentions().attach(port);
        shared.opened(this);
    }

    public void onDiskFull(DiskFullListener listener) {
        this.diskFullListener = listener;
    }

    /**
     * How to abort this session's task set: the transport's commands queued and not started. Called
     * when PERSISTENT RESERVE OUT PREEMPT AND ABORT preempts this nexus (SPC-4 §5.13.11.2.4) or another
     * session resets the unit (SAM-5 §7.7), on that session's thread and before its status or answer
     * is returned: {@code abort} must be thread-safe, and returns how many tasks it aborted.
     */
    public void onTaskSetAborted(IntSupplier abort) {
        this.taskSetAbort = abort;
    }

    InitiatorPort port() {
        return port;
    }

    int abortTaskSet() {
        return taskSetAbort.getAsInt();
    }

    /**
     * The volume's size changed: the next command, except INQUIRY, REPORT LUNS and REQUEST
     * SENSE, ends in CHECK CONDITION, UNIT ATTENTION, CAPACITY DATA HAS CHANGED (SBC-3 §4.8,
     * SPC-4 ASC 2Ah/09h), once; Linux then rereads the capacity (sd_revalidate_disk).
     */
    @Override
    public void capacityChanged(long newSizeBytes) {
        capacityChanged.set(true);
    }

    /**
     * LOGICAL UNIT RESET (and a target reset: the target has this one unit), asked by this session:
     * every task of every other session of the volume is aborted (SAM-5 §7.7), the SPC-2 reservation
     * ends, persistent ones stay, and every session is told once, by a unit attention (SAM-5 §6.3.3).
     * Commands here run to completion, so what can be aborted is what the transports still hold
     * (see {@link #onTaskSetAborted}; this session's own are the caller's, RFC 7143 §11.5 limits them
     * to those ahead of the request), and the started ones are waited for: returns once every
     * command that was running on the volume has ended, so the initiator hears "function complete"
     * only when no task of before the reset can still write. We do not also wait, as RFC 7143
     * §4.2.3.3 asks, for each affected session to acknowledge (ExpStatSN) the StatSN of its last
     * response: the answer goes once the tasks are gone, not once their initiators know it. With
     * TAS=1 (our Control mode page) the aborted tasks of other initiators end with TASK ABORTED.
     * May wait as long as the volume's longest running command (a SYNCHRONIZE CACHE of a large
     * qcow2). It does not run on the network (event loop) thread, but on the asker's command
     * thread; those threads are shared round-robin by many connections (Netty's
     * DefaultEventExecutorGroup), so for that long the other connections on the same command
     * thread, of other volumes too, wait with it (16 threads by default; with
     * -Dnetroot.iscsi.commandThreads=0 the wait is on the network thread itself).
     * The attention is posted before the wait, so a command of another session that starts after the
     * wait began (sent meanwhile, or a write whose last Data-Out was being read as the abort came)
     * hears of the reset rather than running as if none had happened. Returns how many tasks of other
     * sessions it aborted (a transport event: a cluster's nodes resetting each other show there).
     */
    public int reset() {
        int othersAborted = shared.abortTaskSetsOtherThan(this);
        shared.reservations().reset();
        shared.attentions().postToAttached(Sense.RESET_OCCURRED);
        shared.running().awaitRunning();
        return othersAborted;
    }

    /** The session ended (the I_T nexus is gone): its SPC-2 reservation ends; its registrations stay (SPC-4 §5.13.1). */
    /** Set by {@link #loggedOut} (the connection's thread). */
    private boolean loggedOut;

    /**
     * The initiator logged out: its SPC-2 reservation ends now, before the Logout Response goes out (it may
     * reserve from another nexus as soon as it reads that); {@link #close} follows when the connection does.
     */
    public void loggedOut() {
        shared.reservations().nexusLost(port);
        loggedOut = true;
    }

    /**
     * The I_T nexus is gone (the connection closed): its SPC-2 reservation with it, unless a logout
     * released it already (a new session of the same initiator port may hold one by now).
     */
    public void close() {
        if (!loggedOut) shared.reservations().nexusLost(port);
        shared.attentions().detach(port);
        shared.closed(this);
    }

    private long blocks() {
        return device.blockCount();
    }

    public BlockDevice device() {
        return device;
    }

    public UnitIdentity identity() {
        return identity;
    }

    /** True for opcodes that read blocks from the medium (the first one in a session is a boot event). */
    public static boolean isRead(byte[] cdb) {
        int op = cdb[0] & 0xff;
        return op == 0x08 || op == 0x28 || op == 0xa8 || op == 0x88;
    }

    /**
     * Runs one command. {@code dataOut} holds the bytes the initiator sent (position..limit), or
     * null. The returned length says how much of the {@code dataIn} buffer to send.
     */
    public ScsiResult execute(long lun, byte[] cdb, ByteBuffer dataOut, DataIn dataIn) {
        int op = cdb[0] & 0xff;
        if (lun != 0) return otherLun(op, cdb, dataIn);
        int entered = shared.running().enter();
        ScsiResult result;
        try {
            result = executeChecked(op, cdb, dataOut, dataIn);
        } finally {
            shared.running().exit(entered);
        }
        // PREEMPT AND ABORT: the preempted sessions' commands that had started end before its status
        if (op == 0x5f && (cdb[1] & 0x1f) == Reservations.PREEMPT_AND_ABORT && result.status() == 0) {
            shared.running().awaitRunning();
        }
        return result;
    }

    private ScsiResult executeChecked(int op, byte[] cdb, ByteBuffer dataOut, DataIn dataIn) {
        try {
            // SAM-5 §5.14 as Linux's initiator and LIO apply it: INQUIRY and REPORT LUNS run without
            // reporting the attention, REQUEST SENSE returns (and clears) it, anything else reports it
            if (op != 0x12 && op != 0xa0) {
                Sense attention = capacityChanged.get() && capacityChanged.compareAndSet(true, false)
                        ? Sense.CAPACITY_DATA_HAS_CHANGED : shared.attentions().take(port);
                if (attention != null) return op == 0x03 ? senseData(attention, cdb, dataIn) : ScsiResult.check(attention);
            }
            ScsiResult conflict = shared.reservations().check(port, cdb);
            if (conflict != null) return conflict;
            return switch (op) {
                case 0x00 -> ScsiResult.good(0);                                    // TEST UNIT READY
                case 0x03 -> requestSense(cdb, dataIn);
                case 0x12 -> inquiry(cdb, dataIn);
                case 0x25 -> readCapacity10(cdb, dataIn);
                case 0x9e -> serviceActionIn16(cdb, dataIn);
                case 0x08 -> read(lba6(cdb), len6(cdb), dataIn, cdb, false);
                case 0x28 -> read(u32(cdb, 2), u16(cdb, 7), dataIn, cdb, true);
                case 0xa8 -> read(u32(cdb, 2), u32(cdb, 6), dataIn, cdb, true);
                case 0x88 -> read(u64(cdb, 2), u32(cdb, 10), dataIn, cdb, true);
                case 0x0a -> write(lba6(cdb), len6(cdb), dataOut, cdb, false);
                case 0x2a, 0x2e -> write(u32(cdb, 2), u16(cdb, 7), dataOut, cdb, true);
                case 0xaa, 0xae -> write(u32(cdb, 2), u32(cdb, 6), dataOut, cdb, true);
                case 0x8a, 0x8e -> write(u64(cdb, 2), u32(cdb, 10), dataOut, cdb, true);
                case 0x89 -> compareAndWrite(cdb, dataOut);
                case 0x8b -> orWrite(u64(cdb, 2), u32(cdb, 10), dataOut, cdb);
                case 0x42 -> unmap(cdb, dataOut);
                case 0x2f -> verify(u32(cdb, 2), u16(cdb, 7), dataOut, cdb);
                case 0xaf -> verify(u32(cdb, 2), u32(cdb, 6), dataOut, cdb);
                case 0x8f -> verify(u64(cdb, 2), u32(cdb, 10), dataOut, cdb);
                case 0x41 -> writeSame(u32(cdb, 2), u16(cdb, 7), dataOut, cdb);
                case 0x93 -> writeSame(u64(cdb, 2), u32(cdb, 10), dataOut, cdb);
                case 0x34 -> preFetch(u32(cdb, 2), u16(cdb, 7));
                case 0x90 -> preFetch(u64(cdb, 2), u32(cdb, 10));
                case 0x35 -> synchronizeCache(u32(cdb, 2), u16(cdb, 7));
                case 0x91 -> synchronizeCache(u64(cdb, 2), u32(cdb, 10));
                case 0x37 -> readDefectData(cdb, dataIn, false);
                case 0xb7 -> readDefectData(cdb, dataIn, true);
                case 0xa0 -> reportLuns(cdb, dataIn);
                case 0xa3 -> maintenanceIn(cdb, dataIn);
                case 0x1a -> modeSense(cdb, dataIn, false);
                case 0x5a -> modeSense(cdb, dataIn, true);
                case 0x15, 0x55 -> ScsiResult.good(0);  // MODE SELECT: nothing is changeable; accept
                case 0x1b, 0x1e -> ScsiResult.good(0);  // START STOP UNIT, PREVENT ALLOW MEDIUM REMOVAL
                case 0x5e -> persistentReserveIn(cdb, dataIn);
                case 0x5f -> shared.reservations().out(port, cdb, dataOut);
                case 0x16 -> (cdb[1] & 0x1f) != 0 ? ScsiResult.check(Sense.INVALID_FIELD_IN_CDB)   // third party, extents
                        : shared.reservations().spc2Reserve(port);
                case 0x56 -> (cdb[1] & 0x12) != 0 ? ScsiResult.check(Sense.INVALID_FIELD_IN_CDB)   // 3RDPTY, LONGID
                        : shared.reservations().spc2Reserve(port);
                case 0x17, 0x57 -> shared.reservations().spc2Release(port);
                default -> ScsiResult.check(Sense.INVALID_OPCODE);
            };
        } catch (ArrayIndexOutOfBoundsException e) {
            return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB); // CDB shorter than its opcode needs
        }
    }

    /** A LUN that does not exist: INQUIRY says so (SPC-4 qualifier 011b), REPORT LUNS still works. */
    private ScsiResult otherLun(int op, byte[] cdb, DataIn dataIn) {
        if (op == 0xa0) return reportLuns(cdb, dataIn);
        if (op == 0x12 && (cdb[1] & 1) == 0) {
            byte[] d = standardInquiry();
            d[0] = 0x7f;
            return copyOut(d, u16(cdb, 3), dataIn);
        }
        if (op == 0x03) return copyOut(Sense.LUN_NOT_SUPPORTED.fixedFormat(), cdb[4] & 0xff, dataIn);
        return ScsiResult.check(Sense.LUN_NOT_SUPPORTED);
    }

    // ---- data transfer --------------------------------------------------------------------

    private ScsiResult read(long lba, long count, DataIn dataIn, byte[] cdb, boolean checkProtect) {
        if (checkProtect && (cdb[1] & 0xe0) != 0) return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB); // no PI
        ScsiResult bad = checkRange(lba, count);
        if (bad != null) return bad;
        if (count == 0) return ScsiResult.good(0);
        if (count > MAX_TRANSFER_BLOCKS) return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB);
        int length = (int) count * BS;
        ByteBuffer buf = dataIn.buffer(length);
        try {
            device.read(lba * BS, buf);
        } catch (IOException e) {
            return ScsiResult.check(Sense.UNRECOVERED_READ_ERROR);
        }
        return ScsiResult.good(length);
    }

    /**
     * Writes what arrived, at most the CDB's length: when the transport's expected length is
     * shorter than the CDB's, only the whole blocks sent are written (the transport reports the
     * residual; libiscsi's iSCSIResiduals tests hold this). GOOD means durable when FUA is set
     * (WRITE 10/12/16) and for WRITE AND VERIFY, whose verification is against the medium: both
     * flush before answering, and a flush that fails fails the command.
     */
    /**
     * What WRITE and ORWRITE check before touching the volume: no protection information asked for
     * (byte 1 bits 7-5, where the CDB has them), a writable volume, the range inside it and not over
     * the transfer limit. Returns the refusal, or null.
     */
    private ScsiResult refuseWrite(long lba, long count, byte[] cdb, boolean checkProtect) {
        if (checkProtect && (cdb[1] & 0xe0) != 0) return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB);
        if (device.readOnly()) return ScsiResult.check(Sense.WRITE_PROTECTED);
        ScsiResult bad = checkRange(lba, count);
        if (bad != null) return bad;
        return count > MAX_TRANSFER_BLOCKS ? ScsiResult.check(Sense.INVALID_FIELD_IN_CDB) : null;
    }

    /** Bytes of the whole blocks of {@code dataOut}, at most {@code count} of them: only those are written. */
    private static int wholeBlocksSent(long count, ByteBuffer dataOut) {
        long blocksSent = dataOut == null ? 0 : dataOut.remaining() / BS;
        return (int) Math.min(count, blocksSent) * BS;
    }

    private ScsiResult write(long lba, long count, ByteBuffer dataOut, byte[] cdb, boolean checkProtect) {
        ScsiResult refused = refuseWrite(lba, count, cdb, checkProtect);
        if (refused != null) return refused;
        int length = wholeBlocksSent(count, dataOut);
        if (length == 0) return ScsiResult.good(0);
        ByteBuffer src = dataOut.duplicate();
        src.limit(src.position() + length);
        Lock order = shared.writeOrder().readLock();
        order.lock();
        try {
            device.write(lba * BS, src);
            if (checkProtect && fua(cdb) || isWriteAndVerify(cdb)) device.flush(); // durable before GOOD
        } catch (IOException e) {
            return writeFailed(e);
        } finally {
            order.unlock();
        }
        return ScsiResult.good(0);
    }

    /** FUA (force unit access, byte 1 bit 3 of the 10/12/16-byte writes): GOOD only once the data is on the disk. */
    private static boolean fua(byte[] cdb) {
        return (cdb[1] & 0x08) != 0;
    }

    /**
     * COMPARE AND WRITE (SBC-4 §5.3): compares the first half of the Data-Out with the blocks and,
     * when all of it matches, writes the second half; atomic against every other session's writes
     * to the volume (VMware's ATS locking and cluster file systems build on that). A miscompare
     * says at which byte (the INFORMATION field) and writes nothing. The Data-Out must be exactly
     * twice the blocks named (as LIO: anything else is INVALID FIELD IN CDB).
     */
    private ScsiResult compareAndWrite(byte[] cdb, ByteBuffer dataOut) {
        if ((cdb[1] & 0xe0) != 0) return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB);       // WRPROTECT: no PI
        if (device.readOnly()) return ScsiResult.check(Sense.WRITE_PROTECTED);
        long lba = u64(cdb, 2);
        int count = cdb[13] & 0xff;
        if (count > MAX_COMPARE_AND_WRITE_BLOCKS) return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB);
        int half = count * BS;
        if ((dataOut == null ? 0 : dataOut.remaining()) != 2 * half) return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB);
        ScsiResult bad = checkRange(lba, count);
        if (bad != null) return bad;
        if (count == 0) return ScsiResult.good(0);
        ByteBuffer expected = dataOut.duplicate();
        expected.limit(expected.position() + half);
        ByteBuffer replacement = dataOut.duplicate();
        replacement.position(replacement.position() + half);
        ByteBuffer medium = ByteBuffer.allocate(half);
        Lock order = shared.writeOrder().writeLock();
        order.lock();
        try {
            device.read(lba * BS, medium);
            medium.flip();
            int at = medium.mismatch(expected);
            if (at >= 0) return ScsiResult.check(Sense.MISCOMPARE_DURING_VERIFY.fixedFormat(at));
            device.write(lba * BS, replacement);
            if (fua(cdb)) device.flush();
        } catch (IOException e) {
            return writeFailed(e);
        } finally {
            order.unlock();
        }
        return ScsiResult.good(0);
    }

    /**
     * ORWRITE(16) (SBC-4 §5.10): each block becomes itself OR the Data-Out, atomic against other
     * sessions' writes. As WRITE, only whole blocks that arrived are used.
     */
    private ScsiResult orWrite(long lba, long count, ByteBuffer dataOut, byte[] cdb) {
        ScsiResult refused = refuseWrite(lba, count, cdb, true); // ORPROTECT sits where WRPROTECT does
        if (refused != null) return refused;
        int length = wholeBlocksSent(count, dataOut);
        if (length == 0) return ScsiResult.good(0);
        ByteBuffer mask = dataOut.duplicate();
        ByteBuffer blocks = ByteBuffer.allocate(length);
        Lock order = shared.writeOrder().writeLock();
        order.lock();
        try {
            device.read(lba * BS, blocks);
            for (int i = 0; i < length; i++) blocks.put(i, (byte) (blocks.get(i) | mask.get(mask.position() + i)));
            blocks.clear();
            device.write(lba * BS, blocks);
            if (fua(cdb)) device.flush();
        } catch (IOException e) {
            return writeFailed(e);
        } finally {
            order.unlock();
        }
        return ScsiResult.good(0);
    }

    /**
     * PRE-FETCH (SBC-4 §5.11): the host's page cache reads ahead on its own, so there is nothing to
     * do beyond checking the range; GOOD (not CONDITION MET) says the cache made no promise.
     */
    private ScsiResult preFetch(long lba, long count) {
        ScsiResult bad = checkRange(lba, count);
        return bad != null ? bad : ScsiResult.good(0);
    }

    /**
     * READ DEFECT DATA (10) and (12) (SBC-4 §5.19/5.20): a virtual disk has no defects; both lists
     * are valid and empty, in the format asked for.
     */
    private ScsiResult readDefectData(byte[] cdb, DataIn dataIn, boolean twelve) {
        int request = twelve ? cdb[1] & 0x1f : cdb[2] & 0x1f;
        byte[] d = new byte[twelve ? 8 : 4];
        d[1] = (byte) request;                   // PLISTV and GLISTV as requested, the format asked for
        return copyOut(d, twelve ? u32(cdb, 6) : u16(cdb, 7), dataIn);
    }

    /** MAINTENANCE IN: REPORT SUPPORTED OPERATION CODES is its one service action here. */
    private ScsiResult maintenanceIn(byte[] cdb, DataIn dataIn) {
        if ((cdb[1] & 0x1f) != 0x0c) return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB);
        byte[] d = SupportedCommands.report(cdb);
        // the REPORTING OPTIONS asked of is wrong, not the command: say which byte
        if (d == null) return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB.fixedFormatPointingAt(2));
        return copyOut(d, u32(cdb, 6), dataIn);
    }

    /** PERSISTENT RESERVE IN (SPC-4 §6.16): READ KEYS, READ RESERVATION, REPORT CAPABILITIES, READ FULL STATUS. */
    private ScsiResult persistentReserveIn(byte[] cdb, DataIn dataIn) {
        byte[] d = shared.reservations().in(cdb[1] & 0x1f);
        if (d == null) return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB);
        return copyOut(d, u16(cdb, 7), dataIn);
    }

    private static boolean isWriteAndVerify(byte[] cdb) {
        int op = cdb[0] & 0xff;
        return op == 0x2e || op == 0xae || op == 0x8e;
    }

    /**
     * A write, discard or flush the device refused: a full host disk is DATA PROTECT, SPACE
     * ALLOCATION FAILED WRITE PROTECT (what LIO answers for ENOSPC), anything else MEDIUM ERROR,
     * WRITE ERROR. Never GOOD: an error swallowed here would be data the initiator thinks is safe.
     */
    private ScsiResult writeFailed(IOException e) {
        if (DiskFullException.isDiskFull(e)) {
            DiskFullException full = e instanceof DiskFullException d ? d : new DiskFullException(null, e);
            diskFullListener.diskFull(full);
            return ScsiResult.check(Sense.SPACE_ALLOCATION_FAILED);
        }
        return ScsiResult.check(Sense.WRITE_ERROR);
    }

    /** How many Data-Out bytes a command's CDB asks for (0 for commands that take none we know of). */
    public static long dataOutLength(byte[] cdb) {
        return switch (cdb[0] & 0xff) {
            case 0x0a -> len6(cdb) * BS;
            case 0x2a, 0x2e -> (long) u16(cdb, 7) * BS;
            case 0xaa, 0xae -> u32(cdb, 6) * BS;
            case 0x8a, 0x8e -> u32(cdb, 10) * BS;
            case 0x42 -> u16(cdb, 7);   // UNMAP: the parameter list length
            case 0x89 -> 2L * (cdb[13] & 0xff) * BS;                      // COMPARE AND WRITE: compare + write halves
            case 0x8b -> u32(cdb, 10) * BS;                               // ORWRITE(16)
            case 0x41 -> BS;                                              // WRITE SAME(10): one block
            case 0x93 -> (cdb[1] & 0x01) != 0 ? 0 : BS;                   // WRITE SAME(16), none with NDOB
            case 0x5f -> u32(cdb, 5);                                     // PERSISTENT RESERVE OUT: parameter list
            default -> -1;
        };
    }

    /** VERIFY: BYTCHK 0 checks the range only; BYTCHK 1 compares the Data-Out with the medium. */
    private ScsiResult verify(long lba, long count, ByteBuffer dataOut, byte[] cdb) {
        if ((cdb[1] & 0xe0) != 0) return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB);
        ScsiResult bad = checkRange(lba, count);
        if (bad != null) return bad;
        int bytchk = (cdb[1] >> 1) & 3;
        if (bytchk == 0 || count == 0) return ScsiResult.good(0);
        if (bytchk != 1 || count > MAX_TRANSFER_BLOCKS) return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB);
        int length = (int) count * BS;
        if (dataOut == null || dataOut.remaining() < length) return ScsiResult.check(Sense.DATA_PHASE_ERROR);
        ByteBuffer medium = ByteBuffer.allocate(length);
        try {
            device.read(lba * BS, medium);
        } catch (IOException e) {
            return ScsiResult.check(Sense.UNRECOVERED_READ_ERROR);
        }
        medium.flip();
        ByteBuffer expected = dataOut.duplicate();
        expected.limit(expected.position() + length);
        return medium.equals(expected) ? ScsiResult.good(0) : ScsiResult.check(Sense.MISCOMPARE_DURING_VERIFY);
    }

    /**
     * WRITE SAME: one block of Data-Out repeated over the range (NDOB: zeros). With UNMAP set and a
     * block of zeros the range is discarded instead (SBC-4 §5.48: LBPRZ=1, so discarded blocks read
     * as the zeros asked for); UNMAP with any other block writes it (later reads must return the
     * block written; libiscsi's UnmapUntilEnd expects zeros there and is listed as a known failure).
     * ANCHOR is refused (ANC_SUP=0 in VPD 0xb2), as tgt and LIO do. A block count of 0 runs to
     * the last block (WSNZ=0 in VPD 0xb0), within the MAXIMUM WRITE SAME LENGTH.
     */
    private ScsiResult writeSame(long lba, long count, ByteBuffer dataOut, byte[] cdb) {
        if ((cdb[1] & 0xe0) != 0) return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB);
        if (device.readOnly()) return ScsiResult.check(Sense.WRITE_PROTECTED);
        ScsiResult bad = checkRange(lba, count);
        if (bad != null) return bad;
        if ((cdb[1] & 0x10) != 0) return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB);  // ANCHOR
        if (count == 0) count = blocks() - lba;                                          // WSNZ=0: to the last block
        if (count > MAX_WRITE_SAME_BLOCKS) return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB); // as LIO
        if (count == 0) return ScsiResult.good(0);
        boolean unmap = (cdb[1] & 0x08) != 0;
        boolean ndob = (cdb[0] & 0xff) == 0x93 && (cdb[1] & 0x01) != 0;
        byte[] block = new byte[BS];
        if (!ndob) {
            // exactly one block, as LIO: a shorter or longer Data-Out is an initiator's mistake
            if (dataOut == null || dataOut.remaining() != BS) return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB);
            dataOut.duplicate().get(block);
        }
        Lock order = shared.writeOrder().readLock();
        order.lock();
        try {
            return writeSame(lba, count, block, unmap);
        } finally {
            order.unlock();
        }
    }

    private ScsiResult writeSame(long lba, long count, byte[] block, boolean unmap) {
        if (unmap && isZero(block)) {
            try {
                device.discard(lba * BS, count * BS);
            } catch (IOException e) {
                return writeFailed(e);
            }
            return ScsiResult.good(0);
        }
        int perChunk = 256;
        ByteBuffer chunk = ByteBuffer.allocate(perChunk * BS);
        for (int i = 0; i < perChunk; i++) chunk.put(block);
        try {
            for (long done = 0; done < count; ) {
                int n = (int) Math.min(perChunk, count - done);
                chunk.clear().limit(n * BS);
                device.write((lba + done) * BS, chunk);
                done += n;
            }
        } catch (IOException e) {
            return writeFailed(e);
        }
        return ScsiResult.good(0);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) if (b != 0) return false;
        return true;
    }

    /**
     * UNMAP (SBC-4 §5.31): discards the ranges of its block descriptors, which then read as zeros.
     * Every descriptor is checked before any range is discarded, so a refused command changes
     * nothing. The parameter list as LIO reads it: length 0 is no error; 1..7 bytes is a
     * PARAMETER LIST LENGTH ERROR; a block descriptor data length longer than the list that came
     * uses what came; a truncated last descriptor is ignored.
     */
    private ScsiResult unmap(byte[] cdb, ByteBuffer dataOut) {
        if ((cdb[1] & 0x01) != 0) return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB); // ANCHOR: ANC_SUP=0
        if (device.readOnly()) return ScsiResult.check(Sense.WRITE_PROTECTED);
        int listLength = u16(cdb, 7);
        if (listLength == 0) return ScsiResult.good(0);
        int received = dataOut == null ? 0 : Math.min(dataOut.remaining(), listLength);
        if (listLength < 8) return ScsiResult.check(Sense.PARAMETER_LIST_LENGTH_ERROR);
        if (received < 8) return ScsiResult.check(Sense.DATA_PHASE_ERROR);
        byte[] list = new byte[received];
        dataOut.duplicate().get(list);
        int descriptorBytes = Math.min(u16(list, 2), received - 8);
        int descriptors = descriptorBytes / 16;
        if (descriptors > MAX_UNMAP_DESCRIPTORS) return ScsiResult.check(Sense.INVALID_FIELD_IN_PARAMETER_LIST);
        long total = 0;
        for (int i = 0; i < descriptors; i++) {
            long lba = u64(list, 8 + 16 * i);
            long count = u32(list, 16 + 16 * i);
            total += count;
            if (total > MAX_UNMAP_BLOCKS) return ScsiResult.check(Sense.INVALID_FIELD_IN_PARAMETER_LIST);
            ScsiResult bad = checkRange(lba, count);
            if (bad != null) return bad;
        }
        Lock order = shared.writeOrder().readLock();
        order.lock();
        try {
            for (int i = 0; i < descriptors; i++) {
                long lba = u64(list, 8 + 16 * i);
                long count = u32(list, 16 + 16 * i);
                if (count > 0) device.discard(lba * BS, count * BS);
            }
        } catch (IOException e) {
            return writeFailed(e);
        } finally {
            order.unlock();
        }
        return ScsiResult.good(0);
    }

    private ScsiResult synchronizeCache(long lba, long count) {
        ScsiResult bad = checkRange(lba, count);
        if (bad != null) return bad;
        try {
            device.flush();
        } catch (IOException e) {
            return writeFailed(e);
        }
        return ScsiResult.good(0);
    }

    private ScsiResult checkRange(long lba, long count) {
        long blocks = blocks();
        if (lba < 0 || count < 0 || lba > blocks || count > blocks - lba) return ScsiResult.check(Sense.LBA_OUT_OF_RANGE);
        return null;
    }

    // ---- inquiry and friends ----------------------------------------------------------------

    private ScsiResult inquiry(byte[] cdb, DataIn dataIn) {
        boolean evpd = (cdb[1] & 0x01) != 0;
        int page = cdb[2] & 0xff;
        int alloc = u16(cdb, 3);
        if ((cdb[1] & 0xfe) != 0) return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB); // obsolete CMDDT
        if (!evpd) {
            if (page != 0) return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB);
            return copyOut(standardInquiry(), alloc, dataIn);
        }
        byte[] d = switch (page) {
            case 0x00 -> vpd(0x00, new byte[] {0x00, (byte) 0x80, (byte) 0x83, (byte) 0xb0, (byte) 0xb1, (byte) 0xb2});
            case 0x80 -> vpd(0x80, ascii(identity.serial(), identity.serial().length()));
            case 0x83 -> vpd(0x83, deviceIdentification());
            case 0xb0 -> vpd(0xb0, blockLimits());
            case 0xb1 -> vpd(0xb1, blockDeviceCharacteristics());
            case 0xb2 -> vpd(0xb2, logicalBlockProvisioning());
            default -> null;
        };
        if (d == null) return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB);
        return copyOut(d, alloc, dataIn);
    }

    byte[] standardInquiry() {
        byte[] d = new byte[96];
        d[0] = 0x00;                        // connected, direct-access block device
        d[2] = 0x06;                        // SPC-4
        d[3] = 0x12;                        // HISUP, response data format 2
        d[4] = (byte) (d.length - 5);
        d[7] = 0x02;                        // CMDQUE: initiators may queue (QD32 benchmarks)
        System.arraycopy(ascii(identity.vendor(), 8), 0, d, 8, 8);
        System.arraycopy(ascii(identity.product(), 16), 0, d, 16, 16);
        System.arraycopy(ascii(identity.revision(), 4), 0, d, 32, 4);
        int[] versions = {0x00a0 /* SAM-5 */, 0x0960 /* iSCSI */, 0x0460 /* SPC-4 */, 0x04c0 /* SBC-3 */};
        for (int i = 0; i < versions.length; i++) put16(d, 58 + 2 * i, versions[i]);
        return d;
    }

    private byte[] deviceIdentification() {
        // NAA designator: binary, associated with the logical unit, type 3 (NAA)
        byte[] naa = new byte[4 + 8];
        naa[0] = 0x01;
        naa[1] = 0x03;
        naa[3] = 8;
        for (int i = 0; i < 8; i++) naa[4 + i] = (byte) (identity.naa() >>> (56 - 8 * i));
        // T10 vendor ID designator: ASCII, vendor (8 bytes) + serial
        byte[] t10Id = ascii(identity.vendor(), 8);
        byte[] serial = identity.serial().getBytes(StandardCharsets.US_ASCII);
        byte[] t10 = new byte[4 + 8 + serial.length];
        t10[0] = 0x02;
        t10[1] = 0x01;
        t10[3] = (byte) (8 + serial.length);
        System.arraycopy(t10Id, 0, t10, 4, 8);
        System.arraycopy(serial, 0, t10, 12, serial.length);
        byte[] out = new byte[naa.length + t10.length];
        System.arraycopy(naa, 0, out, 0, naa.length);
        System.arraycopy(t10, 0, out, naa.length, t10.length);
        return out;
    }

    private byte[] blockLimits() {
        byte[] p = new byte[0x3c];
        // WSNZ 0: WRITE SAME with no block count writes to the last block
        p[5 - 4] = (byte) MAX_COMPARE_AND_WRITE_BLOCKS;
        put16(p, 6 - 4, 1 << PHYSICAL_BLOCK_EXPONENT);  // optimal transfer length granularity: a physical block
        put32(p, 8 - 4, MAX_TRANSFER_BLOCKS);           // maximum transfer length
        put32(p, 12 - 4, 128 * 1024 / BS);              // optimal transfer length: 128 KiB
        put32(p, 20 - 4, MAX_UNMAP_BLOCKS);             // maximum unmap LBA count
        put32(p, 24 - 4, MAX_UNMAP_DESCRIPTORS);        // maximum unmap block descriptor count
        // optimal unmap granularity: what frees space (a qcow2 cluster, a file system block);
        // UGAVALID with alignment 0: those units start at LBA 0
        put32(p, 28 - 4, Math.max(1, device.discardGranularityBytes() / BS));
        put32(p, 32 - 4, 0x80000000);
        put64(p, 36 - 4, MAX_WRITE_SAME_BLOCKS);        // maximum WRITE SAME length
        return p;
    }

    private static byte[] blockDeviceCharacteristics() {
        byte[] p = new byte[0x3c];
        put16(p, 0, 1);                                 // medium rotation rate 1: non-rotating
        return p;
    }

    /**
     * SBC-4 §6.6.6: UNMAP (LBPU), WRITE SAME 16 and 10 with UNMAP (LBPWS, LBPWS10), discarded
     * blocks read as zeros (LBPRZ 001b: true of raw holes and qcow2 clusters alike), no ANCHOR,
     * thin provisioned (type 010b). Matches LBPME=1 and LBPRZ=1 in READ CAPACITY 16.
     */
    private static byte[] logicalBlockProvisioning() {
        byte[] p = new byte[4];
        p[1] = (byte) (0x80 | 0x40 | 0x20 | 0x04);
        p[2] = 0x02;
        return p;
    }

    private static byte[] vpd(int page, byte[] payload) {
        byte[] d = new byte[4 + payload.length];
        d[1] = (byte) page;
        put16(d, 2, payload.length);
        System.arraycopy(payload, 0, d, 4, payload.length);
        return d;
    }

    private ScsiResult readCapacity10(byte[] cdb, DataIn dataIn) {
        byte[] d = new byte[8];
        long last = blocks() - 1;
        put32(d, 0, last > 0xffffffffL ? 0xffffffff : (int) last); // > 2 TiB: ask READ CAPACITY 16
        put32(d, 4, BS);
        return copyOut(d, 8, dataIn);
    }

    private ScsiResult serviceActionIn16(byte[] cdb, DataIn dataIn) {
        if ((cdb[1] & 0x1f) == 0x12) return getLbaStatus(cdb, dataIn);
        if ((cdb[1] & 0x1f) != 0x10) return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB);
        byte[] d = new byte[32];
        put64(d, 0, blocks() - 1);
        put32(d, 8, BS);
        d[13] = PHYSICAL_BLOCK_EXPONENT;                // logical blocks per physical block: 2^3 (4 KiB)
        d[14] = (byte) 0xc0;                            // LBPME: thin provisioned; LBPRZ: unmapped blocks read zeros
        return copyOut(d, u32(cdb, 10), dataIn);
    }

    /**
     * GET LBA STATUS (SBC-4 §5.8), which SBC asks of a unit with LBPME=1 and QEMU's iSCSI driver
     * sends for every block-status query: one descriptor from the LBA to the end, provisioning
     * status 0, "mapped or unknown". True for every block; it only tells the initiator nothing it
     * could skip (a qcow2 L2 lookup or SEEK_HOLE could say which ranges are deallocated).
     */
    private ScsiResult getLbaStatus(byte[] cdb, DataIn dataIn) {
        long lba = u64(cdb, 2);
        long alloc = u32(cdb, 10);
        if (lba < 0 || lba >= blocks()) return ScsiResult.check(Sense.LBA_OUT_OF_RANGE); // lba < 0: past 2^63, unsigned
        byte[] d = new byte[24];
        put32(d, 0, d.length - 4);
        put64(d, 8, lba);
        put32(d, 16, (int) Math.min(blocks() - lba, 0xffffffffL));
        return copyOut(d, alloc, dataIn);
    }

    private ScsiResult requestSense(byte[] cdb, DataIn dataIn) {
        // no deferred errors are kept: every error went out with its own CHECK CONDITION
        boolean desc = (cdb[1] & 0x01) != 0;
        byte[] d;
        if (desc) {
            d = new byte[8];
            d[0] = 0x72;
        } else {
            d = new Sense(Sense.NO_SENSE, 0, 0).fixedFormat();
        }
        return copyOut(d, cdb[4] & 0xff, dataIn);
    }

    /** REQUEST SENSE while a unit attention waits: the attention is the sense data (SPC-4 §6.39), in the format asked for. */
    private ScsiResult senseData(Sense attention, byte[] cdb, DataIn dataIn) {
        boolean desc = (cdb[1] & 0x01) != 0;
        byte[] d = desc ? attention.descriptorFormat() : attention.fixedFormat();
        return copyOut(d, cdb[4] & 0xff, dataIn);
    }

    private ScsiResult reportLuns(byte[] cdb, DataIn dataIn) {
        int select = cdb[2] & 0xff;
        long alloc = u32(cdb, 6);
        if (alloc < 16) return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB); // SPC-4 6.33
        if (select > 2 && select != 0x10 && select != 0x11 && select != 0x12) return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB);
        byte[] d = new byte[16];
        put32(d, 0, 8);                                 // one LUN: 0
        return copyOut(d, alloc, dataIn);
    }

    // ---- mode pages --------------------------------------------------------------------------

    private ScsiResult modeSense(byte[] cdb, DataIn dataIn, boolean ten) {
        boolean dbd = (cdb[1] & 0x08) != 0;
        boolean llbaa = ten && (cdb[1] & 0x10) != 0;
        int pc = (cdb[2] >> 6) & 3;
        int page = cdb[2] & 0x3f;
        int subpage = cdb[3] & 0xff;
        int alloc = ten ? u16(cdb, 7) : cdb[4] & 0xff;
        if (pc == 3) return ScsiResult.check(Sense.SAVING_PARAMETERS_NOT_SUPPORTED);
        boolean changeable = pc == 1;
        byte[] pages;
        if (page == 0x3f && (subpage == 0 || subpage == 0xff)) {
            pages = concat(cachingPage(changeable), controlPage(changeable), informationalExceptionsPage(changeable));
        } else if (subpage != 0) {
            return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB);
        } else if (page == 0x08) {
            pages = cachingPage(changeable);
        } else if (page == 0x0a) {
            pages = controlPage(changeable);
        } else if (page == 0x1c) {
            pages = informationalExceptionsPage(changeable);
        } else {
            return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB);
        }
        byte[] descriptor = dbd ? new byte[0] : blockDescriptor(llbaa);
        int header = ten ? 8 : 4;
        byte[] d = new byte[header + descriptor.length + pages.length];
        int deviceSpecific = (device.readOnly() ? 0x80 : 0) | 0x10;   // WP only when read-only; DPOFUA
        if (ten) {
            put16(d, 0, d.length - 2);
            d[3] = (byte) deviceSpecific;
            if (llbaa && !dbd) d[4] = 0x01;
            put16(d, 6, descriptor.length);
        } else {
            d[0] = (byte) (d.length - 1);
            d[2] = (byte) deviceSpecific;
            d[3] = (byte) descriptor.length;
        }
        System.arraycopy(descriptor, 0, d, header, descriptor.length);
        System.arraycopy(pages, 0, d, header + descriptor.length, pages.length);
        return copyOut(d, alloc, dataIn);
    }

    private byte[] blockDescriptor(boolean longLba) {
        if (longLba) {
            byte[] b = new byte[16];
            put64(b, 0, blocks());
            put32(b, 12, BS);
            return b;
        }
        byte[] b = new byte[8];
        long blocks = blocks();
        put32(b, 0, blocks > 0xffffffffL ? 0xffffffff : (int) blocks);
        put32(b, 4, BS); // density code 0, block length in bytes 5..7
        return b;
    }

    private static byte[] cachingPage(boolean changeable) {
        byte[] p = new byte[20];
        p[0] = 0x08;
        p[1] = 0x12;
        if (!changeable) p[2] = 0x04;   // WCE: writes sit in the page cache until SYNCHRONIZE CACHE
        return p;
    }

    private static byte[] controlPage(boolean changeable) {
        byte[] p = new byte[12];
        p[0] = 0x0a;
        p[1] = 0x0a;
        if (!changeable) {
            // TST 001b: one task set per I_T nexus, as the transport keeps them (a queue per session); under
            // 000b, one task set shared by all, CLEAR TASK SET would have to abort every nexus's tasks
            p[2] = 0x20;
            p[3] = 0x10;                // queue algorithm modifier 1: unrestricted reordering
            // TAS: a task aborted by another I_T nexus's reset or PREEMPT AND ABORT ends with TASK ABORTED
            // (SAM-5 §5.6), as LIO's default emulate_tas=1; without it the initiator only finds out at its
            // timeout, its ABORT TASK finds no task, and Linux escalates to a reset of its own
            p[5] = 0x40;
            put16(p, 8, 0xffff);        // busy timeout: unlimited
        }
        return p;
    }

    private static byte[] informationalExceptionsPage(boolean changeable) {
        byte[] p = new byte[12];
        p[0] = 0x1c;
        p[1] = 0x0a;
        return p;
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static ScsiResult copyOut(byte[] d, long alloc, DataIn dataIn) {
        int n = (int) Math.min(d.length, alloc);
        if (n == 0) return ScsiResult.good(0);
        ByteBuffer b = dataIn.buffer(n);
        b.put(d, 0, n);
        return ScsiResult.good(n);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    private static byte[] ascii(String s, int width) {
        byte[] out = new byte[width];
        java.util.Arrays.fill(out, (byte) ' ');
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, out, 0, Math.min(width, b.length));
        return out;
    }

    private static long lba6(byte[] c) {
        return ((c[1] & 0x1fL) << 16) | ((c[2] & 0xffL) << 8) | (c[3] & 0xffL);
    }

    private static long len6(byte[] c) {
        int n = c[4] & 0xff;
        return n == 0 ? 256 : n; // SBC-3: 0 means 256 blocks for READ/WRITE 6
    }
}
