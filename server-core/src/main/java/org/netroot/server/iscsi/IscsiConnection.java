package org.netroot.server.iscsi;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.scsi.DataIn;
import org.netroot.server.scsi.InitiatorPort;
import org.netroot.server.scsi.LogicalUnit;
import org.netroot.server.scsi.ScsiResult;
import org.netroot.server.scsi.Sense;
import org.netroot.server.scsi.SharedUnit;
import org.netroot.server.scsi.UnitIdentity;
import org.netroot.server.storage.BlockDevice;
import org.netroot.server.storage.DiskFullException;
import org.netroot.server.storage.OpenVolumes;
import org.netroot.server.storage.VolumeHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection to the target, which is one session (MaxConnections=1): login, then the
 * full feature phase (RFC 7143 §4). Plain Java over {@link Pdu}s; the Netty binding feeds it
 * PDUs from one thread and flushes after each read.
 *
 * <p>Rules from real initiators: never send NOP-In or Async on our own (iPXE cannot answer
 * them and gives up); status rides in the last Data-In only for GOOD; Data-In is cut at the
 * initiator's MaxRecvDataSegmentLength.
 */
public final class IscsiConnection implements OpenVolumes.User {
    private static final Logger log = LoggerFactory.getLogger(IscsiConnection.class);
    /** A client writing to a full disk fails every write: one event per session per minute says so. */
    static final long DISK_FULL_EVENT_EVERY_NANOS = 60_000_000_000L;
    /** How many commands an initiator may have outstanding (MaxCmdSN - ExpCmdSN + 1). */
    static final int COMMAND_WINDOW = 128;
    static final int MAX_WRITE_BYTES = LogicalUnit.MAX_TRANSFER_BLOCKS * BlockDevice.BLOCK_SIZE;
    /** Data-Out buffered for writes still waiting for data, per connection: bounds what one initiator can pin. */
    static final long MAX_PENDING_WRITE_BYTES = 256L << 20;
    /** SAM status TASK SET FULL: the initiator retries the command later. */
    static final int TASK_SET_FULL = 0x28;

    private final PduOutput out;
    private final TargetServices services;
    private final InetSocketAddress local;
    private final InetSocketAddress peer;

    private Login login;
    private SessionParameters params;
    private IscsiTarget target;
    private String initiatorName;
    /** The initiator's session ID: with its name, this session's I_T nexus (its SCSI initiator port). */
    private long isid;
    private boolean discovery;
    private VolumeHandle volume;
    private LogicalUnit unit;
    private int statSN;
    private int expCmdSN;
    private boolean readSeen;
    private boolean loggedOut;
    private boolean closing;
    private boolean closed;
    private volatile boolean evicted;
    /** The initiator whose TARGET COLD RESET ended this session, or null. */
    private volatile String coldResetBy;
    private boolean holdsTarget;
    private int tsih;
    /** Writes waiting for Data-Out, in the order the commands came. */
    private final Map<Integer, PendingWrite> writes = new LinkedHashMap<>();
    /** Commands waiting for the command thread: task management and PREEMPT AND ABORT take them back from any thread. */
    private final QueuedCommands queued = new QueuedCommands();
    /**
     * Commands an ABORT TASK took back before they started: the ABORT TASK's tag to the command's, until
     * that request answers (this thread only). Keyed by the request, so one that never answers (dropped)
     * leaves nothing another ABORT TASK of the same command tag could take for its own.
     */
    private final Map<Integer, Integer> abortedBeforeStart = new HashMap<>();
    /**
     * Writes aborted by another nexus while the initiator still owed Data-Out, by task tag: their TASK
     * ABORTED goes out once the last Data-Out of what was asked arrives (RFC 7143 §11.4.2: a response
     * waits for the data PDU with the F bit); their data goes nowhere. Touched only where the connection's
     * PDUs are handled, one at a time. At most {@link #MAX_ABORTED_WRITES}: past that an aborted write
     * answers at once, so an initiator that never sends its last Data-Out cannot grow it.
     */
    private final Map<Integer, AbortedWrite> abortedWrites = new HashMap<>();
    static final int MAX_ABORTED_WRITES = COMMAND_WINDOW;
    private long pendingWriteBytes;
    private int nextTransferTag = 1;
    private long lastDiskFullEvent;
    private boolean diskFullReported;

    public IscsiConnection(PduOutput out, TargetServices services, InetSocketAddress local, InetSocketAddress peer) {
        this.out = out;
        this.services = services;
        this.local = local;
        this.peer = peer;
        this.login = new Login(services, peer, this::admit);
    }

    /** Handles one PDU. Throws when the stream is not iSCSI we can follow: the caller drops the connection. */
    public void receive(Pdu pdu) throws MalformedPduException {
        // Evicted: another session of this initiator has the volume. PDUs read before the channel
        // closed still arrive here; none may run, or stale WRITEs would land after the new
        // session's (RFC 7143 §6.3.5: the old session's tasks end first).
        if (closing || evicted) return;
        if (login != null) {
            if (pdu.bhs().opcode() != Bhs.LOGIN) {
                throw new MalformedPduException(String.format("opcode 0x%02x before login completed", pdu.bhs().opcode()));
            }
            Login.Reply reply = login.handle(pdu);
            out.send(reply.header(), ByteBuffer.wrap(reply.data()));
            switch (reply.outcome()) {
                case FAILED -> closeAfterFlush();
                case FULL_FEATURE -> {
                    enterFullFeature();
                    out.startDigests(params.headerDigest, params.dataDigest); // the response above went without
                }
                case CONTINUE -> { }
            }
            return;
        }
        // another session's PREEMPT AND ABORT of this nexus, or its LOGICAL UNIT RESET or target reset (see admit)
        if (queued.takeWritesAborted()) abortPendingWritesForAnotherNexus();
        Bhs h = pdu.bhs();
        switch (h.opcode()) {
            case Bhs.SCSI_COMMAND -> {
                if (acceptCmdSN(h)) scsiCommand(pdu);
            }
            case Bhs.DATA_OUT -> dataOut(pdu);
            case Bhs.NOP_OUT -> {
                if (acceptCmdSN(h)) nopOut(pdu);
            }
            case Bhs.TASK_MANAGEMENT -> {
                if (acceptCmdSN(h)) taskManagement(h);
            }
            case Bhs.TEXT -> {
                if (acceptCmdSN(h)) text(pdu);
            }
            case Bhs.LOGOUT -> {
                acceptCmdSN(h);
                logout(h);
            }
            case Bhs.LOGIN -> reject(h, 0x04); // protocol error: login is over (§11.17.1)
            default -> reject(h, 0x05);        // SNACK: not supported at ErrorRecoveryLevel 0
        }
    }

    /** The commands of this connection that wait for its command thread (the Netty binding fills it). */
    QueuedCommands queued() {
        return queued;
    }

    /**
     * A SCSI command aborted while it waited for the command thread, skipped in its place in the order: it
     * does not run, but its CmdSN counts as received (RFC 7143 §4.2.2.1: the window moves past it).
     * {@code abortTask}: the tag of the ABORT TASK that named it, which then answers "function complete";
     * null when its task set was aborted. Aborted by this session's own task management, it answers nothing
     * and takes no StatSN; {@code byAnotherNexus} (PREEMPT AND ABORT of this nexus, another session's
     * reset), it answers TASK ABORTED (TAS=1, SAM-5 §5.6), so the initiator hears now rather than at its
     * timeout: here, in its turn, or for a write whose unsolicited Data-Out is still to come, once the
     * last of it has (RFC 7143 §11.4.2).
     */
    void abortedBeforeStart(Pdu pdu, Integer abortTask, boolean byAnotherNexus) {
        if (closing || evicted || login != null) return;
        if (queued.takeWritesAborted()) abortPendingWritesForAnotherNexus(); // they came before this one
        Bhs h = pdu.bhs();
        if (!acceptCmdSN(h)) return;
        if (abortTask != null) abortedBeforeStart.put(abortTask, h.itt());
        if (!byAnotherNexus) return;
        // a write with F=0 whose immediate data does not cover it: unsolicited Data-Out follows (§11.3.1)
        int expected = h.int32(20);
        boolean unsolicitedFollows = (h.flags() & 0x20) != 0 && (h.flags() & 0x80) == 0
                && expected > 0 && pdu.data().remaining() < expected;
        if (unsolicitedFollows) {
            answerAfterItsData(new AbortedWrite(h.copy(), true, false));
        } else {
            taskAborted(h);
        }
    }

    /** A write aborted by another nexus with Data-Out still to come: its TASK ABORTED waits for the last of it, room allowing. */
    private void answerAfterItsData(AbortedWrite w) {
        if (abortedWrites.size() >= MAX_ABORTED_WRITES) {
            taskAborted(w.command); // past the bound: at once, as a target that does not wait would
            return;
        }
        abortedWrites.put(w.command.itt(), w);
    }

    /** Status TASK ABORTED for the command of {@code h}, which did not run: no data, no sense. */
    private void taskAborted(Bhs h) {
        boolean read = (h.flags() & 0x40) != 0;
        sendStatus(h, new ScsiResult(ScsiResult.TASK_ABORTED, null, 0), read ? h.int32(20) : 0, 0);
    }

    /** The connection is gone (closed by either side): give back the volume and the target. */
    public void closed() {
        if (closed) return;
        closed = true;
        if (tsih != 0) services.sessions().forget(tsih, this);
        for (PendingWrite w : writes.values()) w.buffer.release();
        writes.clear();
        abortedWrites.clear();
        if (volume != null) {
            volume.removeListener(unit);
            unit.close();         // the I_T nexus is gone: its SPC-2 reservation with it
            volume.release(this); // the last user out closes the device
        }
        if (holdsTarget) {
            services.sessions().released(target.volumeName(), this);
            if (!loggedOut) {
                event(BootEventType.ISCSI_LOGOUT, coldResetBy != null
                        ? initiatorName + "'s session to " + target.iqn() + " ended: " + coldResetBy + " asked for a target cold reset"
                        : evicted
                        ? initiatorName + " logged in again to " + target.iqn() + ": old session closed"
                        : initiatorName + " left " + target.iqn() + " without logout (connection closed)");
            }
        }
    }

    public String initiatorName() {
        return initiatorName;
    }

    @Override
    public String identity() {
        return initiatorName;
    }

    /** The iSCSI initiator port name (RFC 7143 §10.1.1 / SPC-4 TransportID): "iqn...,i,0x" and the ISID. */
    @Override
    public String nexus() {
        return initiatorName + ",i,0x" + String.format("%012x", isid);
    }

    @Override
    public String clientName() {
        return target == null ? null : target.clientName();
    }

    @Override
    public String description() {
        return "client " + target.clientName() + " (" + initiatorName + ")";
    }

    @Override
    public String connection() {
        return "iSCSI session from " + peer.getAddress().getHostAddress();
    }

    @Override
    public void evict() {
        evicted = true;
        out.close();
    }

    public boolean inFullFeaturePhase() {
        return login == null;
    }

    // ---- login -----------------------------------------------------------------------------

    private int admit(Login l) {
        initiatorName = l.initiatorName;
        isid = l.isid();
        discovery = l.discovery;
        target = l.target;
        if (discovery) return LoginStatus.SUCCESS;
        OpenVolumes.Attachment claim;
        try {
            claim = services.catalog().attach(target, this);
        } catch (IOException | RuntimeException e) {
            event(BootEventType.ERROR, "could not open volume " + target.volumeName() + " for client "
                    + target.clientName() + ": " + e.getMessage());
            return LoginStatus.TARGET_ERROR;
        }
        if (claim.claim() == OpenVolumes.Claim.BUSY) {
            event(BootEventType.ERROR, "volume " + target.volumeName() + " of client " + target.clientName()
                    + " is in use by " + claim.holder() + "; refused login from " + initiatorName);
            return LoginStatus.SERVICE_UNAVAILABLE;
        }
        holdsTarget = true;
        services.sessions().holds(target.volumeName(), this);
        volume = claim.handle();
        // one SharedUnit per open volume: reservations and unit attentions reach every session of a shared one
        unit = new LogicalUnit(volume.device(), UnitIdentity.forVolume(target.volumeName()),
                volume.shared(SharedUnit.class, SharedUnit::new), new InitiatorPort(initiatorName, isid));
        volume.addListener(unit); // a resize raises UNIT ATTENTION in this session
        unit.onDiskFull(this::diskFull);
        // SPC-4 5.13.11.2.4: another session's PREEMPT AND ABORT of this nexus aborts its task set, and so
        // does its LOGICAL UNIT RESET or target reset (SAM-5 7.7). Called on that session's thread, before its
        // status or answer goes out: the queue is made for that (see QueuedCommands)
        unit.onTaskSetAborted(queued::abortTaskSet);
        event(BootEventType.ISCSI_LOGIN, initiatorName + " logged in to " + target.iqn() + " with " + l.authentication
                + (claim.claim() == OpenVolumes.Claim.REPLACED ? " (replacing its previous session)" : ""));
        return LoginStatus.SUCCESS;
    }

    private void enterFullFeature() {
        params = login.params;
        statSN = login.statSN;
        expCmdSN = login.expCmdSN;
        tsih = login.tsih();
        services.sessions().register(tsih, this);
        login = null;
    }

    // ---- command numbering -----------------------------------------------------------------

    /**
     * RFC 7143 §4.2.2.1: a non-immediate command must fall in [ExpCmdSN, MaxCmdSN]; outside it is
     * dropped silently. Immediate commands do not advance CmdSN.
     */
    private boolean acceptCmdSN(Bhs h) {
        if (h.immediate()) return true;
        int sn = h.int32(24);
        int ahead = sn - expCmdSN;
        if (ahead < 0 || ahead >= COMMAND_WINDOW) return false;
        expCmdSN = sn + 1;
        return true;
    }

    private Bhs response(int opcode, Bhs request, boolean takesStatSN) {
        Bhs r = Bhs.of(opcode).flags(0x80);
        r.itt(request.itt());
        r.int32(24, takesStatSN ? statSN++ : statSN);
        r.int32(28, expCmdSN);
        r.int32(32, expCmdSN + COMMAND_WINDOW - 1);
        return r;
    }

    // ---- SCSI ------------------------------------------------------------------------------

    private void scsiCommand(Pdu pdu) {
        Bhs h = pdu.bhs();
        if (unit == null) { // discovery sessions carry no SCSI (§4.3)
            reject(h, 0x09);
            return;
        }
        // a task tag used again: that aborted write is gone for the initiator (nearly always none: no lookup then)
        if (!abortedWrites.isEmpty()) abortedWrites.remove(h.itt());
        boolean write = (h.flags() & 0x20) != 0;
        int expected = h.int32(20);
        if (write && expected != 0) {
            startWrite(pdu, expected);
            return;
        }
        Command c = new Command();
        ScsiResult r = unit.execute(h.lun(), h.cdb(), null, c);
        if (!readSeen && r.isGood() && LogicalUnit.isRead(h.cdb())) {
            readSeen = true;
            event(BootEventType.ISCSI_FIRST_READ, initiatorName + " reads " + target.iqn());
        }
        complete(h, r, c);
    }

    /** A write: immediate data, unsolicited Data-Out, then R2Ts one burst at a time (MaxOutstandingR2T=1). */
    private void startWrite(Pdu pdu, int expected) {
        Bhs h = pdu.bhs();
        if (expected < 0 || expected > MAX_WRITE_BYTES) {
            sendStatus(h, ScsiResult.check(Sense.INVALID_FIELD_IN_CDB), 0, 0);
            return;
        }
        PendingWrite reused = writes.get(h.itt());
        if (reused != null) { // a task tag used again: the old write is gone for the initiator
            forget(reused);
            reused.buffer.release();
        }
        if (pendingWriteBytes + expected > MAX_PENDING_WRITE_BYTES) {
            sendStatus(h, new ScsiResult(TASK_SET_FULL, null, 0), 0, 0);
            return;
        }
        PendingWrite w = new PendingWrite(h.copy(), out.allocate(expected), expected);
        pendingWriteBytes += expected;
        ByteBuffer immediate = pdu.data().duplicate();
        int n = Math.min(immediate.remaining(), expected);
        immediate.limit(immediate.position() + n);
        w.buffer.nio().duplicate().put(immediate);
        w.received = n;
        w.awaitingUnsolicited = (h.flags() & 0x80) == 0; // F=0: unsolicited Data-Out follows (§11.3.1)
        writes.put(h.itt(), w);
        queued.writesWaiting(writes.size());
        advance(w);
    }

    private void dataOut(Pdu pdu) throws MalformedPduException {
        Bhs h = pdu.bhs();
        PendingWrite w = writes.get(h.itt());
        if (w == null) {
            AbortedWrite aborted = abortedWrites.get(h.itt());
            if (aborted != null && h.finalBit()) lastDataOfAbortedWrite(aborted, h);
            return; // aborted, or refused up front: its data goes nowhere
        }
        if (h.int32(36) != w.nextDataSN) {
            // a lost or repeated Data-Out: ErrorRecoveryLevel 0 cannot recover it, so the task ends
            // with CHECK CONDITION (the session survives); its remaining Data-Out is ignored
            forget(w);
            w.buffer.release();
            sendStatus(w.command, ScsiResult.check(Sense.DATA_PHASE_ERROR), 0, 0);
            return;
        }
        w.nextDataSN++;
        int offset = h.int32(40);
        ByteBuffer data = pdu.data();
        int n = data.remaining();
        if (offset < 0 || offset + n > w.expected || n < 0) {
            throw new MalformedPduException("Data-Out at " + offset + "+" + n + " outside the "
                    + w.expected + "-byte transfer of task " + Integer.toHexString(h.itt()));
        }
        w.buffer.nio().duplicate().position(offset).put(data.duplicate());
        w.received = Math.max(w.received, offset + n);
        if (h.finalBit()) {
            if (h.int32(20) == Bhs.NO_TAG) w.awaitingUnsolicited = false;
            else w.r2tOutstanding = false;
            advance(w);
        }
    }

    private void advance(PendingWrite w) {
        if (w.received >= w.expected) {
            forget(w);
            ByteBuffer data = w.buffer.nio().duplicate();
            data.position(0).limit(w.expected);
            Command c = new Command();
            ScsiResult r = unit.execute(w.command.lun(), w.command.cdb(), data, c);
            w.buffer.release();
            complete(w.command, r, c);
            return;
        }
        if (w.awaitingUnsolicited || w.r2tOutstanding) return;
        int length = Math.min(params.maxBurstLength, w.expected - w.received);
        int ttt = nextTransferTag++;
        if (nextTransferTag == Bhs.NO_TAG) nextTransferTag = 1;
        Bhs r2t = response(Bhs.R2T, w.command, false);
        r2t.lunField(w.command.lunField());
        r2t.int32(20, ttt);
        r2t.int32(36, w.r2tSN++);
        r2t.int32(40, w.received);
        r2t.int32(44, length);
        w.r2tOutstanding = true;
        w.nextDataSN = 0; // each R2T starts its own Data-Out sequence
        out.send(r2t, null);
    }

    /** Sends the command's data and status: Data-In with the status folded in if GOOD, else a SCSI Response. */
    private void complete(Bhs h, ScsiResult r, Command c) {
        boolean read = (h.flags() & 0x40) != 0;
        int expected = read ? h.int32(20) : 0;
        int produced = r.dataLength();
        int sent = Math.min(produced, expected);
        try {
            if (r.isGood() && sent > 0) {
                int residualFlags = 0;
                int residual = 0;
                if (produced < expected) {
                    residualFlags = 0x02;          // U: underflow
                    residual = expected - produced;
                } else if (produced > expected) {
                    residualFlags = 0x04;          // O: overflow
                    residual = produced - expected;
                }
                // §11.7.1/§13.14: a Data-In sequence (ended by F) is at most MaxBurstLength bytes;
                // DataSN keeps counting across sequences, S (status) only on the very last PDU
                int segment = params.maxRecvDataSegmentLength;
                long burst = params.maxBurstLength;
                int dataSN = 0;
                for (int offset = 0, n; offset < sent; offset += n) {
                    int burstEnd = (int) Math.min(sent, (offset / burst + 1) * burst);
                    n = Math.min(segment, burstEnd - offset);
                    boolean last = offset + n >= sent;
                    Bhs d = response(Bhs.DATA_IN, h, last);
                    d.lunField(h.lunField());
                    d.int32(20, Bhs.NO_TAG);
                    d.int32(36, dataSN++);
                    d.int32(40, offset);
                    if (last) {
                        d.flags(0x80 | 0x01 | residualFlags); // F + S: status GOOD rides along
                        d.byte3(ScsiResult.GOOD);
                        d.int32(44, residual);
                    } else {
                        d.flags(offset + n == burstEnd ? 0x80 : 0); // F: end of this burst
                        d.int32(24, 0);
                    }
                    out.send(d, c.buffer, offset, n);
                }
                return;
            }
            sendStatus(h, r, expected, produced);
        } finally {
            if (c.buffer != null) c.buffer.release();
        }
    }

    private void sendStatus(Bhs h, ScsiResult r, int expected, int produced) {
        Bhs s = response(Bhs.SCSI_RESPONSE, h, true);
        int flags = 0x80;
        int residual = 0;
        if (r.isGood() && produced < expected) {
            flags |= 0x02;
            residual = expected - produced;
        } else if (r.isGood() && produced > expected) {
            flags |= 0x04;
            residual = produced - expected;
        } else if (!r.isGood() && expected > 0) {
            flags |= 0x02;          // nothing was transferred
            residual = expected;
        }
        if (r.isGood() && (h.flags() & 0x20) != 0) {
            // writes: compare what the CDB asked for with what the initiator said it would send
            long needed = LogicalUnit.dataOutLength(h.cdb());
            long offered = h.int32(20) & 0xffffffffL;
            if (needed >= 0 && needed > offered) {
                flags |= 0x04;
                residual = (int) (needed - offered);
            } else if (needed >= 0 && needed < offered) {
                flags |= 0x02;
                residual = (int) (offered - needed);
            }
        }
        s.flags(flags);
        s.byte2(0);                 // command completed at target
        s.byte3(r.status());
        s.int32(44, residual);
        ByteBuffer sense = null;
        if (r.sense() != null) {
            sense = ByteBuffer.allocate(2 + r.sense().length);
            sense.putShort((short) r.sense().length).put(r.sense()).flip();
        }
        out.send(s, sense);
    }

    // ---- other PDUs --------------------------------------------------------------------------

    private void nopOut(Pdu pdu) {
        Bhs h = pdu.bhs();
        if (h.itt() == Bhs.NO_TAG) return; // a ping that wants no answer
        Bhs in = response(Bhs.NOP_IN, h, true);
        in.lunField(h.lunField());
        in.int32(20, Bhs.NO_TAG);
        ByteBuffer echo = pdu.data().duplicate();
        if (echo.remaining() > params.maxRecvDataSegmentLength) echo.limit(echo.position() + params.maxRecvDataSegmentLength);
        out.send(in, echo.hasRemaining() ? echo : null);
    }

    /**
     * Task management (RFC 7143 §11.5). A started command runs to completion, so what is left to
     * abort here are writes still waiting for Data-Out; commands still queued for the command thread
     * were taken back when the request arrived ({@link QueuedCommands#taskManagement}) and skipped in
     * their place ({@link #abortedBeforeStart}). This runs after them, in order, on the one thread
     * that owns the connection's state: the answer takes its StatSN after the responses of the
     * commands ahead of it, and for the tasks it aborted it comes once they are gone, with ExpCmdSN
     * past them (SAM-5: "function complete" means the task no longer exists). ABORT TASK of a task
     * that started, and so completed and answered before this runs, answers "task does not exist"
     * (§11.6.1; libiscsi's AbortTaskSimpleAsync expects it): its response is true (a write did land),
     * and suppressing it could not take back Data-In already on the wire.
     * LOGICAL UNIT RESET and TARGET WARM RESET (the target has one unit) reset the unit:
     * every other session of the volume loses its task set as by PREEMPT AND ABORT (SAM-5 §7.7: the
     * tasks of every I_T nexus; TAS=1, so each of theirs ends with TASK ABORTED: queued commands in
     * their turn, writes waiting for Data-Out after the last Data-Out still coming), its SPC-2
     * reservation ends and every session gets a unit attention; the answer waits until the commands running on the volume have ended (§11.5.1:
     * the response comes once the affected tasks, third-party ones included, are gone). That wait
     * is why task management never runs on the network thread ({@link PduPlacement}): it is this
     * connection's command thread that waits, and the answer keeps its place in the order. Only
     * with no command threads at all (-Dnetroot.iscsi.commandThreads=0, where flushes and
     * PREEMPT AND ABORT wait on the network thread too) does the reset wait there. TARGET
     * COLD RESET does all that and closes this connection after the answer (§11.5.1: the initiator
     * logs in again). ABORT TASK SET, CLEAR ACA, CLEAR TASK SET and LOGICAL UNIT RESET addressed to a
     * LUN other than 0 answer "LUN does not exist" (§11.6.1) and abort nothing.
     */
    private void taskManagement(Bhs h) {
        int function = TaskFunction.of(h);
        int response = 0;
        boolean close = false;
        if (QueuedCommands.toMissingLun(h)) function = -1; // answers 2 "LUN does not exist", aborts nothing
        switch (function) {
            case -1 -> response = 2;
            case TaskFunction.ABORT_TASK -> {
                int tag = h.int32(20);
                PendingWrite w = writes.get(tag);
                if (w != null) {
                    forget(w);
                    w.buffer.release();
                } else if (abortedWrites.remove(tag) != null) {
                    // aborted by another nexus and waiting for its last Data-Out: it goes without its TASK ABORTED
                } else if (!Integer.valueOf(tag).equals(abortedBeforeStart.remove(h.itt()))) {
                    response = 1;
                }
            }
            case TaskFunction.ABORT_TASK_SET, TaskFunction.CLEAR_TASK_SET -> {
                // CLEAR TASK SET too only this session's: TST 001b, a task set per I_T nexus
                dropPendingWrites();
                abortedBeforeStart.clear();
            }
            case TaskFunction.CLEAR_ACA -> { } // no command sets NACA here (it is refused): there is no ACA to clear
            case TaskFunction.LOGICAL_UNIT_RESET, TaskFunction.TARGET_WARM_RESET, TaskFunction.TARGET_COLD_RESET -> {
                dropPendingWrites();
                abortedBeforeStart.clear();
                // the other sessions' task sets too; waits for their running commands
                int othersAborted = unit == null ? 0 : unit.reset();
                if (othersAborted > 0) {
                    event(BootEventType.ISCSI_RESET, initiatorName + " reset " + target.iqn() + " ("
                            + TaskFunction.resetName(function) + "): " + othersAborted + (othersAborted == 1 ? " task" : " tasks")
                            + " of other sessions of volume " + target.volumeName() + " aborted");
                }
                close = function == TaskFunction.TARGET_COLD_RESET;
            }
            case TaskFunction.TASK_REASSIGN -> response = 4; // ErrorRecoveryLevel 0
            default -> response = 5;
        }
        Bhs r = response(Bhs.TASK_MANAGEMENT_RESPONSE, h, true);
        r.byte2(response);
        out.send(r, null);
        if (close) {
            endOtherSessionsOfThisTarget();
            closeAfterFlush();
        }
    }

    /**
     * TARGET COLD RESET ends every session of the target, not only the asking one (RFC 7143 §11.5.1):
     * on a shared volume, the other initiator names of this client.
     */
    private void endOtherSessionsOfThisTarget() {
        if (target == null) return;
        for (Object holder : services.sessions().holders(target.volumeName())) {
            if (holder != this && holder instanceof IscsiConnection other && other.target != null
                    && other.target.iqn().equals(target.iqn())) {
                other.endByColdReset(initiatorName);
            }
        }
    }

    /** Another session of this target asked for a TARGET COLD RESET: this one ends, without running what it still gets. */
    private void endByColdReset(String by) {
        coldResetBy = by;
        evicted = true;
        out.close();
    }

    /**
     * Another nexus aborted this one's task set (see admit): each write still waiting for its Data-Out is
     * dropped and answers TASK ABORTED (TAS=1) once the Data-Out the initiator is still sending for it has
     * come ({@link #lastDataOfAbortedWrite}); that data goes nowhere ({@link #dataOut}).
     */
    private void abortPendingWritesForAnotherNexus() {
        for (PendingWrite w : writes.values()) {
            w.buffer.release();
            if (w.awaitingUnsolicited || w.r2tOutstanding) {
                answerAfterItsData(new AbortedWrite(w.command, w.awaitingUnsolicited, w.r2tOutstanding));
            } else {
                taskAborted(w.command); // owes nothing (advance() leaves none such, but never wait for nothing)
            }
        }
        writes.clear();
        pendingWriteBytes = 0;
        queued.writesWaiting(0);
    }

    /** A Data-Out with the F bit for a write aborted by another nexus: once nothing more is owed, its TASK ABORTED. */
    private void lastDataOfAbortedWrite(AbortedWrite aborted, Bhs dataOut) {
        if (dataOut.int32(20) == Bhs.NO_TAG) aborted.awaitingUnsolicited = false;
        else aborted.r2tOutstanding = false;
        if (aborted.awaitingUnsolicited || aborted.r2tOutstanding) return;
        abortedWrites.remove(aborted.command.itt());
        taskAborted(aborted.command);
    }

    private void dropPendingWrites() {
        for (PendingWrite w : writes.values()) w.buffer.release();
        writes.clear();
        abortedWrites.clear(); // this session's own abort: they end without the TASK ABORTED they waited to send
        pendingWriteBytes = 0;
        queued.writesWaiting(0);
    }

    private void text(Pdu pdu) throws MalformedPduException {
        Bhs h = pdu.bhs();
        Map<String, String> keys = TextParameters.parse(pdu.dataBytes());
        List<Map.Entry<String, String>> answers = new ArrayList<>();
        for (Map.Entry<String, String> e : keys.entrySet()) {
            if (e.getKey().equals("SendTargets")) {
                answers.addAll(sendTargets(e.getValue()));
            } else {
                String a = Negotiation.answer(e.getKey(), e.getValue(), params);
                if (a != null) answers.add(Map.entry(e.getKey(), a));
            }
        }
        Bhs r = response(Bhs.TEXT_RESPONSE, h, true);
        r.lunField(h.lunField());
        r.int32(20, Bhs.NO_TAG);
        out.send(r, ByteBuffer.wrap(TextParameters.encode(answers)));
    }

    /** SendTargets (§13.3 / Appendix C): the targets this initiator may use, at this connection's address. */
    private List<Map.Entry<String, String>> sendTargets(String which) {
        List<IscsiTarget> targets;
        if (which.equals("All") && discovery) {
            targets = services.catalog().visibleTo(initiatorName);
        } else if (which.isEmpty()) {
            targets = target == null ? List.of() : List.of(target);
        } else {
            targets = services.catalog().visibleTo(initiatorName).stream()
                    .filter(t -> t.iqn().equalsIgnoreCase(which)).toList();
        }
        String address = portalAddress();
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (IscsiTarget t : targets) {
            out.add(Map.entry("TargetName", t.iqn()));
            out.add(Map.entry("TargetAddress", address));
        }
        return out;
    }

    /** The address the initiator reached us at, so it can come back the same way. */
    private String portalAddress() {
        String host = local.getAddress().getHostAddress();
        if (local.getAddress() instanceof Inet6Address) {
            int zone = host.indexOf('%');
            host = "[" + (zone >= 0 ? host.substring(0, zone) : host) + "]";
        }
        return host + ":" + local.getPort() + ",1";
    }

    private void logout(Bhs h) {
        Bhs r = response(Bhs.LOGOUT_RESPONSE, h, true);
        r.byte2(0);             // connection or session closed successfully
        r.int16(40, 0);         // Time2Wait
        r.int16(42, 0);         // Time2Retain
        if (unit != null) unit.loggedOut();
        out.send(r, null);
        if (holdsTarget) {
            loggedOut = true;
            event(BootEventType.ISCSI_LOGOUT, initiatorName + " logged out of " + target.iqn());
        }
        closeAfterFlush();
    }

    /** Only for PDUs iPXE never sends (SNACK, SCSI on discovery sessions): iPXE gives up on Reject. */
    private void reject(Bhs h, int reason) {
        Bhs r = Bhs.of(Bhs.REJECT).flags(0x80).byte2(reason);
        r.itt(Bhs.NO_TAG);
        r.int32(24, statSN++);
        r.int32(28, expCmdSN);
        r.int32(32, expCmdSN + COMMAND_WINDOW - 1);
        out.send(r, ByteBuffer.wrap(h.bytes().clone()));
    }

    private void forget(PendingWrite w) {
        writes.remove(w.command.itt());
        pendingWriteBytes -= w.expected;
        queued.writesWaiting(writes.size());
    }

    private void closeAfterFlush() {
        closing = true;
        out.close();
    }

    /** Runs on this connection's thread (from {@link LogicalUnit#execute}): no locking needed. */
    private void diskFull(DiskFullException e) {
        long now = System.nanoTime();
        if (diskFullReported && now - lastDiskFullEvent < DISK_FULL_EVENT_EVERY_NANOS) return;
        diskFullReported = true;
        lastDiskFullEvent = now;
        String where = e.file() == null ? "" : " (" + e.file().getParent() + ")";
        String detail = "the data folder's disk is full" + where + ": writes of client " + target.clientName()
                + " to volume " + target.volumeName() + " fail; free space on that disk or move volumes to a larger one"
                + " (the client sees \"space allocation failed\" and may need a restart)";
        log.warn("{}: {}", initiatorName, detail);
        event(BootEventType.ERROR, detail);
    }

    private void event(BootEventType type, String detail) {
        String mac = target != null && target.mac() != null ? target.mac() : services.peers().macOrNull(peer.getAddress());
        services.events().record(BootEvent.of(mac, type, detail));
    }

    /** The Data-In buffer of one command, taken from the output's pool when the command needs one. */
    private final class Command implements DataIn {
        PduOutput.DataBuffer buffer;

        @Override
        public ByteBuffer buffer(int length) {
            buffer = out.allocate(length);
            return buffer.nio();
        }
    }

    /** A write aborted by another nexus whose Data-Out the initiator still sends: what it still owes. */
    private static final class AbortedWrite {
        final Bhs command;
        boolean awaitingUnsolicited;
        boolean r2tOutstanding;

        AbortedWrite(Bhs command, boolean awaitingUnsolicited, boolean r2tOutstanding) {
            this.command = command;
            this.awaitingUnsolicited = awaitingUnsolicited;
            this.r2tOutstanding = r2tOutstanding;
        }
    }

    /** A write waiting for its Data-Out. */
    private static final class PendingWrite {
        final Bhs command;
        final PduOutput.DataBuffer buffer;
        final int expected;
        int received;
        int r2tSN;
        int nextDataSN;
        boolean awaitingUnsolicited;
        boolean r2tOutstanding;

        PendingWrite(Bhs command, PduOutput.DataBuffer buffer, int expected) {
            this.command = command;
            this.buffer = buffer;
            this.expected = expected;
        }
    }
}
