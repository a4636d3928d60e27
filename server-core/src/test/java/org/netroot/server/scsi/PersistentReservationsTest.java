package org.netroot.server.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.storage.RawFileBlockDevice;

/**
 * Persistent reservations (SPC-4 §5.13) and SPC-2 RESERVE/RELEASE on bytes: three sessions (I_T
 * nexuses) of one volume share a {@link SharedUnit}, as the iSCSI sessions of a shared cluster
 * disk do. Every CDB and parameter list is built here byte by byte.
 */
class PersistentReservationsTest {
    static final InitiatorPort NODE1 = new InitiatorPort("iqn.1991-05.com.microsoft:node1", 0x400001370000L);
    static final InitiatorPort NODE2 = new InitiatorPort("iqn.1991-05.com.microsoft:node2", 0x400001370000L);
    /** node1's second session: another nexus of the same machine. */
    static final InitiatorPort NODE1_B = new InitiatorPort("iqn.1991-05.com.microsoft:node1", 0x400001370001L);

    @TempDir Path dir;
    RawFileBlockDevice device;
    SharedUnit shared;
    LogicalUnit a;
    LogicalUnit b;
    LogicalUnit c;
    ByteBuffer dataIn;

    @BeforeEach
    void open() throws Exception {
        Path file = dir.resolve("quorum.img");
        Files.write(file, new byte[1 << 20]);
        device = RawFileBlockDevice.open(file, false);
        shared = new SharedUnit();
        a = new LogicalUnit(device, UnitIdentity.forVolume("quorum"), shared, NODE1);
        b = new LogicalUnit(device, UnitIdentity.forVolume("quorum"), shared, NODE2);
        c = new LogicalUnit(device, UnitIdentity.forVolume("quorum"), shared, NODE1_B);
    }

    @AfterEach
    void close() throws Exception {
        device.close();
    }

    ScsiResult run(LogicalUnit unit, byte[] dataOut, int... cdb) {
        byte[] bytes = new byte[Math.max(cdb.length, 6)];
        for (int i = 0; i < cdb.length; i++) bytes[i] = (byte) cdb[i];
        dataIn = null;
        return unit.execute(0, bytes, dataOut == null ? null : ByteBuffer.wrap(dataOut), n -> dataIn = ByteBuffer.allocate(n));
    }

    byte[] data(ScsiResult r) {
        assertTrue(r.isGood(), "status " + r.status());
        return Arrays.copyOf(dataIn.array(), r.dataLength());
    }

    /** PERSISTENT RESERVE OUT with the 24-byte basic parameter list. */
    ScsiResult prout(LogicalUnit unit, int serviceAction, int type, long key, long serviceActionKey, int flags) {
        byte[] params = new byte[24];
        ByteBuffer.wrap(params).putLong(0, key).putLong(8, serviceActionKey);
        params[20] = (byte) flags;
        return run(unit, params, 0x5f, serviceAction, type, 0, 0, 0, 0, 0, 24, 0);
    }

    ScsiResult register(LogicalUnit unit, long key) {
        return prout(unit, Reservations.REGISTER_AND_IGNORE_EXISTING_KEY, 0, 0, key, 0);
    }

    ScsiResult reserve(LogicalUnit unit, long key, int type) {
        return prout(unit, Reservations.RESERVE, type, key, 0, 0);
    }

    byte[] prin(LogicalUnit unit, int serviceAction, int allocation) {
        return data(run(unit, null, 0x5e, serviceAction, 0, 0, 0, 0, 0, allocation >> 8, allocation & 0xff, 0));
    }

    ScsiResult read(LogicalUnit unit) {
        return run(unit, null, 0x28, 0, 0, 0, 0, 1, 0, 0, 1, 0);
    }

    ScsiResult write(LogicalUnit unit) {
        return run(unit, new byte[512], 0x2a, 0, 0, 0, 0, 1, 0, 0, 1, 0);
    }

    static void assertConflict(ScsiResult r) {
        assertEquals(ScsiResult.RESERVATION_CONFLICT, r.status(), "RESERVATION CONFLICT");
        assertNull(r.sense(), "no sense data with RESERVATION CONFLICT");
    }

    static void assertSense(Sense expected, ScsiResult r) {
        assertEquals(ScsiResult.CHECK_CONDITION, r.status(), "CHECK CONDITION");
        assertEquals(expected, Sense.parse(r.sense()));
    }

    int generation() {
        return generation(a);
    }

    int generation(LogicalUnit unit) {
        return ByteBuffer.wrap(prin(unit, 0, 8)).getInt(0);
    }

    /**
     * SBC-4 Table 13 / SPC-4 Table 66 for a port that does not hold the reservation, registered
     * or not: what libiscsi's ProutReserve.Access* tests check, for each of the six types Windows
     * failover clustering and Linux use.
     */
    @Test
    void eachTypeLetsTheRightPortsReadAndWrite() {
        // type, registered may read, may write, unregistered may read, may write
        int[][] table = {
                {Reservations.WRITE_EXCLUSIVE, 1, 0, 1, 0},
                {Reservations.EXCLUSIVE_ACCESS, 0, 0, 0, 0},
                {Reservations.WRITE_EXCLUSIVE_REGISTRANTS_ONLY, 1, 1, 1, 0},
                {Reservations.EXCLUSIVE_ACCESS_REGISTRANTS_ONLY, 1, 1, 0, 0},
                {Reservations.WRITE_EXCLUSIVE_ALL_REGISTRANTS, 1, 1, 1, 0},
                {Reservations.EXCLUSIVE_ACCESS_ALL_REGISTRANTS, 1, 1, 0, 0}};
        for (int[] row : table) {
            int type = row[0];
            assertTrue(register(a, 0xa1).isGood());
            assertTrue(register(b, 0xb2).isGood());
            assertTrue(reserve(a, 0xa1, type).isGood(), "type " + type);
            assertTrue(read(a).isGood() && write(a).isGood(), "the holder reads and writes, type " + type);
            assertAccess(row[1] == 1, read(b), "registered read, type " + type);
            assertAccess(row[2] == 1, write(b), "registered write, type " + type);
            assertAccess(row[3] == 1, read(c), "unregistered read, type " + type);
            assertAccess(row[4] == 1, write(c), "unregistered write, type " + type);
            assertTrue(run(c, null, 0x12, 0, 0, 0, 36, 0).isGood(), "INQUIRY passes any reservation");
            assertTrue(run(c, null, 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0).isGood(), "READ CAPACITY passes any reservation");
            assertTrue(run(c, null, 0x00, 0, 0, 0, 0, 0).isGood(), "TEST UNIT READY passes (ALLOW COMMANDS 001b)");
            assertTrue(prout(b, Reservations.REGISTER, 0, 0xb2, 0, 0).isGood(), "b unregisters");
            assertTrue(prout(a, Reservations.RELEASE, type, 0xa1, 0, 0).isGood());
            assertTrue(prout(a, Reservations.REGISTER, 0, 0xa1, 0, 0).isGood(), "a unregisters");
            assertTrue(write(c).isGood(), "nothing reserved any more");
        }
    }

    static void assertAccess(boolean allowed, ScsiResult r, String what) {
        if (allowed) {
            assertTrue(r.isGood(), what + ": allowed, got status " + r.status());
        } else {
            assertConflict(r);
        }
    }

    @Test
    void readKeysReadReservationAndTheGeneration() {
        byte[] none = prin(a, 0, 16384);
        assertArrayEquals(new byte[8], none, "generation 0, no keys");
        assertTrue(register(a, 0x1111).isGood());
        assertTrue(register(b, 0x2222).isGood());
        byte[] keys = prin(b, 0, 16384);
        assertEquals(24, keys.length);
        assertEquals(2, ByteBuffer.wrap(keys).getInt(0), "each registration bumps the generation");
        assertEquals(16, ByteBuffer.wrap(keys).getInt(4), "ADDITIONAL LENGTH: two keys");
        assertEquals(0x1111, ByteBuffer.wrap(keys).getLong(8), "in the order they registered");
        assertEquals(0x2222, ByteBuffer.wrap(keys).getLong(16));
        byte[] truncated = prin(a, 0, 8);
        assertEquals(8, truncated.length);
        assertEquals(16, ByteBuffer.wrap(truncated).getInt(4), "the length is not cut with the data (SPC-5 6.16.2)");

        assertEquals(8, prin(a, 1, 16384).length, "no reservation: the header only");
        assertTrue(reserve(a, 0x1111, Reservations.WRITE_EXCLUSIVE).isGood());
        assertEquals(2, generation(), "RESERVE leaves the generation alone");
        byte[] rr = prin(b, 1, 16384);
        assertEquals(24, rr.length);
        assertEquals(16, ByteBuffer.wrap(rr).getInt(4));
        assertEquals(0x1111, ByteBuffer.wrap(rr).getLong(8), "the holder's key");
        assertEquals(Reservations.WRITE_EXCLUSIVE, rr[21], "scope 0 (logical unit), type");

        assertTrue(register(a, 0x3333).isGood(), "the holder replaces its key...");
        assertEquals(0x3333, ByteBuffer.wrap(prin(b, 1, 24)).getLong(8), "...and keeps the reservation under it");
        assertTrue(prout(a, Reservations.RELEASE, Reservations.WRITE_EXCLUSIVE, 0x3333, 0, 0).isGood());
        assertTrue(reserve(b, 0x2222, Reservations.EXCLUSIVE_ACCESS_ALL_REGISTRANTS).isGood());
        byte[] all = prin(a, 1, 24);
        assertEquals(0, ByteBuffer.wrap(all).getLong(8), "all registrants: key 0");
        assertEquals(Reservations.EXCLUSIVE_ACCESS_ALL_REGISTRANTS, all[21]);
    }

    @Test
    void reportCapabilitiesAndFullStatus() {
        byte[] caps = prin(a, 2, 16384);
        assertArrayEquals(new byte[] {0, 8, 0x10, (byte) 0x90, (byte) 0xea, 0x01, 0, 0}, caps,
                "length 8, CRH, TMV, ALLOW COMMANDS 001b, all six types, no SIP_C/ATP_C/PTPL_C");
        assertTrue(register(a, 0xa1).isGood());
        assertTrue(register(b, 0xb2).isGood());
        assertTrue(reserve(b, 0xb2, Reservations.WRITE_EXCLUSIVE_REGISTRANTS_ONLY).isGood());
        byte[] full = prin(c, 3, 16384);
        ByteBuffer f = ByteBuffer.wrap(full);
        assertEquals(2, f.getInt(0));
        assertEquals(full.length - 8, f.getInt(4));
        int o = 8;
        assertEquals(0xa1, f.getLong(o));
        assertEquals(0, full[o + 12], "node1 does not hold it");
        assertEquals(1, f.getShort(o + 18), "relative target port 1");
        int tidLength = f.getInt(o + 20);
        assertEquals(0x45, full[o + 24], "TransportID: format 01b, iSCSI");
        String tid = new String(full, o + 28, tidLength - 4, StandardCharsets.UTF_8);
        assertEquals("iqn.1991-05.com.microsoft:node1,i,0x400001370000", tid.substring(0, tid.indexOf('\0')));
        assertEquals(0, tidLength % 4, "padded to 4 bytes");
        o += 24 + tidLength;
        assertEquals(0xb2, f.getLong(o));
        assertEquals(0x01, full[o + 12], "R_HOLDER");
        assertEquals(Reservations.WRITE_EXCLUSIVE_REGISTRANTS_ONLY, full[o + 13]);
        assertEquals(full.length, o + 24 + f.getInt(o + 20));
        assertSense(Sense.INVALID_FIELD_IN_CDB, run(a, null, 0x5e, 4, 0, 0, 0, 0, 0, 0x40, 0, 0));
    }

    @Test
    void registerNeedsTheKeyHeldAndUnregisterReleasesAHolder() {
        assertConflict(prout(a, Reservations.REGISTER, 0, 0x99, 0x1111, 0)); // unregistered, naming a key
        assertTrue(prout(a, Reservations.REGISTER, 0, 0, 0, 0).isGood(), "key 0 from an unregistered port: nothing");
        assertEquals(0, generation());
        assertTrue(prout(a, Reservations.REGISTER, 0, 0, 0x1111, 0).isGood());
        assertConflict(prout(a, Reservations.REGISTER, 0, 0, 0x1112, 0)); // libiscsi ProutRegister: re-register fails
        assertTrue(register(a, 0x1112).isGood(), "REGISTER AND IGNORE EXISTING KEY replaces it");
        assertTrue(register(b, 0x2222).isGood());
        assertTrue(reserve(a, 0x1112, Reservations.EXCLUSIVE_ACCESS_REGISTRANTS_ONLY).isGood());
        assertTrue(prout(a, Reservations.REGISTER, 0, 0x1112, 0, 0).isGood(), "the holder unregisters");
        assertEquals(8, prin(a, 1, 24).length, "its registrants-only reservation went with it");
        assertSense(Sense.RESERVATIONS_RELEASED, read(b));
        assertTrue(read(b).isGood(), "reported once");
        assertTrue(read(a).isGood(), "not to the port that unregistered");

        assertTrue(register(a, 0x1111).isGood());
        assertTrue(reserve(b, 0x2222, Reservations.WRITE_EXCLUSIVE_ALL_REGISTRANTS).isGood());
        assertTrue(prout(b, Reservations.REGISTER, 0, 0x2222, 0, 0).isGood());
        assertEquals(24, prin(c, 1, 24).length, "all registrants: it stays while one is left");
        assertTrue(prout(a, Reservations.REGISTER, 0, 0x1111, 0, 0).isGood());
        assertEquals(8, prin(c, 1, 24).length, "and goes with the last");
    }

    @Test
    void reserveAndReleaseRules() {
        assertConflict(reserve(a, 0x1111, Reservations.WRITE_EXCLUSIVE)); // not registered
        assertTrue(register(a, 0x1111).isGood());
        assertTrue(register(b, 0x2222).isGood());
        assertConflict(reserve(a, 0x9999, Reservations.WRITE_EXCLUSIVE)); // wrong key
        assertTrue(reserve(a, 0x1111, Reservations.WRITE_EXCLUSIVE).isGood());
        assertTrue(reserve(a, 0x1111, Reservations.WRITE_EXCLUSIVE).isGood(), "the holder again: no error");
        assertConflict(reserve(a, 0x1111, Reservations.EXCLUSIVE_ACCESS)); // another type
        assertConflict(reserve(b, 0x2222, Reservations.WRITE_EXCLUSIVE)); // someone else holds it
        assertTrue(prout(b, Reservations.RELEASE, Reservations.WRITE_EXCLUSIVE, 0x2222, 0, 0).isGood(),
                "a registrant that does not hold it: GOOD, nothing changes");
        assertEquals(24, prin(b, 1, 24).length);
        assertSense(Sense.INVALID_RELEASE_OF_PERSISTENT_RESERVATION,
                prout(a, Reservations.RELEASE, Reservations.EXCLUSIVE_ACCESS, 0x1111, 0, 0));
        assertConflict(prout(c, Reservations.RELEASE, Reservations.WRITE_EXCLUSIVE, 0, 0, 0)); // unregistered
        assertTrue(prout(a, Reservations.RELEASE, Reservations.WRITE_EXCLUSIVE, 0x1111, 0, 0).isGood());
        assertTrue(read(b).isGood(), "releasing Write Exclusive tells no one");
        assertSense(Sense.INVALID_FIELD_IN_CDB, reserve(a, 0x1111, 2)); // type 2 is obsolete
        assertSense(Sense.INVALID_FIELD_IN_CDB, reserve(a, 0x1111, 0x10 | Reservations.WRITE_EXCLUSIVE)); // scope 1
    }

    @Test
    void clearRemovesEverythingAndTellsTheOthers() {
        assertTrue(register(a, 0x1111).isGood());
        assertTrue(register(b, 0x2222).isGood());
        assertTrue(reserve(b, 0x2222, Reservations.EXCLUSIVE_ACCESS).isGood());
        int before = generation();
        assertConflict(prout(c, Reservations.CLEAR, 0, 0, 0, 0)); // not registered
        assertTrue(prout(a, Reservations.CLEAR, 0, 0x1111, 0, 0).isGood());
        assertEquals(before + 1, generation(), "once per CLEAR (libiscsi ProutClear)");
        assertEquals(8, prin(a, 0, 16384).length, "no keys");
        assertEquals(8, prin(a, 1, 16384).length, "no reservation");
        assertSense(Sense.RESERVATIONS_PREEMPTED, read(b));
        assertTrue(read(a).isGood(), "not the port that cleared");
    }

    @Test
    void preemptRemovesRegistrationsAndTakesTheReservation() {
        int[] aborted = new int[3];
        a.onTaskSetAborted(() -> aborted[0]++);
        b.onTaskSetAborted(() -> aborted[1]++);
        c.onTaskSetAborted(() -> aborted[2]++);
        assertTrue(register(a, 0x1111).isGood());
        assertTrue(register(b, 0x2222).isGood());
        int before = generation();
        assertSense(Sense.INVALID_FIELD_IN_PARAMETER_LIST, prout(b, Reservations.PREEMPT, 3, 0x2222, 0, 0));
        assertConflict(prout(b, Reservations.PREEMPT, 3, 0x2222, 0x7777, 0)); // no one has that key
        assertTrue(prout(b, Reservations.PREEMPT, 3, 0x2222, 0x1111, 0).isGood(), "no reservation: removes node1");
        assertEquals(before + 1, generation(b));
        assertEquals(16, prin(b, 0, 16384).length, "one key left");
        assertEquals(0x2222, ByteBuffer.wrap(prin(b, 0, 16384)).getLong(8));
        assertSense(Sense.REGISTRATIONS_PREEMPTED, run(a, null, 0x00, 0, 0, 0, 0, 0));
        assertArrayEquals(new int[3], aborted, "PREEMPT aborts no tasks");

        assertTrue(register(a, 0x1111).isGood());
        assertTrue(reserve(a, 0x1111, Reservations.WRITE_EXCLUSIVE).isGood());
        assertTrue(prout(b, Reservations.PREEMPT_AND_ABORT, Reservations.EXCLUSIVE_ACCESS, 0x2222, 0x1111, 0).isGood(),
                "node2 takes over from the holder (a failover)");
        assertArrayEquals(new int[] {1, 0, 0}, aborted, "PREEMPT AND ABORT aborts the preempted nexus's tasks, no other's");
        byte[] rr = prin(b, 1, 24);
        assertEquals(0x2222, ByteBuffer.wrap(rr).getLong(8));
        assertEquals(Reservations.EXCLUSIVE_ACCESS, rr[21]);
        assertSense(Sense.REGISTRATIONS_PREEMPTED, read(a));
        assertConflict(read(a));
        assertTrue(write(b).isGood());
    }

    @Test
    void parameterListsWeDoNotSupportAreRefused() {
        assertSense(Sense.INVALID_FIELD_IN_PARAMETER_LIST, prout(a, Reservations.REGISTER, 0, 0, 0x1111, 0x01)); // APTPL
        assertSense(Sense.INVALID_FIELD_IN_PARAMETER_LIST, prout(a, Reservations.REGISTER, 0, 0, 0x1111, 0x04)); // ALL_TG_PT
        assertSense(Sense.INVALID_FIELD_IN_PARAMETER_LIST, prout(a, Reservations.REGISTER, 0, 0, 0x1111, 0x08)); // SPEC_I_PT
        assertSense(Sense.PARAMETER_LIST_LENGTH_ERROR, run(a, new byte[24], 0x5f, 0, 0, 0, 0, 0, 0, 0, 23, 0));
        assertSense(Sense.PARAMETER_LIST_LENGTH_ERROR, run(a, new byte[16], 0x5f, 0, 0, 0, 0, 0, 0, 0, 24, 0));
        assertSense(Sense.INVALID_FIELD_IN_CDB, run(a, new byte[24], 0x5f, 7, 0, 0, 0, 0, 0, 0, 24, 0)); // REGISTER AND MOVE
        assertEquals(0, generation(), "nothing registered");
    }

    /** SPC-2 RESERVE(6)/RELEASE(6), libiscsi's Reserve6 suite, and the nexus loss and resets that end it. */
    @Test
    void spc2ReserveKeepsOthersOutUntilReleasedLostOrReset() {
        assertTrue(run(a, null, 0x16, 0, 0, 0, 0, 0).isGood());
        assertTrue(run(a, null, 0x16, 0, 0, 0, 0, 0).isGood(), "the holder again");
        assertConflict(run(b, null, 0x16, 0, 0, 0, 0, 0));
        assertTrue(run(b, null, 0x17, 0, 0, 0, 0, 0).isGood(), "RELEASE from another: GOOD, no effect");
        assertTrue(run(a, null, 0x1a, 0, 0x3f, 0, 255, 0).isGood(), "the holder's MODE SENSE");
        assertConflict(run(b, null, 0x1a, 0, 0x3f, 0, 255, 0));
        assertConflict(read(c));
        assertTrue(run(b, null, 0x12, 0, 0, 0, 36, 0).isGood(), "INQUIRY passes");
        assertConflict(run(a, null, 0x5e, 0, 0, 0, 0, 0, 0, 0, 8, 0)); // SPC-3 5.6.3: no PRIN under RESERVE
        assertSense(Sense.INVALID_FIELD_IN_CDB, run(a, null, 0x16, 0x01, 0, 0, 0, 0)); // extents
        assertTrue(run(a, null, 0x17, 0, 0, 0, 0, 0).isGood());
        assertTrue(run(b, null, 0x56, 0, 0, 0, 0, 0, 0, 0, 0, 0).isGood(), "RESERVE(10) once it is free");

        b.close(); // node2's session ends: the I_T nexus is lost
        assertTrue(run(a, null, 0x16, 0, 0, 0, 0, 0).isGood(), "released by the nexus loss");
        b = new LogicalUnit(device, UnitIdentity.forVolume("quorum"), shared, NODE2);
        a.reset();
        assertSense(Sense.RESET_OCCURRED, run(b, null, 0x16, 0, 0, 0, 0, 0));
        assertTrue(run(b, null, 0x16, 0, 0, 0, 0, 0).isGood(), "a LOGICAL UNIT RESET released it");
        assertSense(Sense.RESET_OCCURRED, run(a, null, 0x00, 0, 0, 0, 0, 0)); // every session is told, the resetter too
        assertTrue(run(b, null, 0x17, 0, 0, 0, 0, 0).isGood());
        assertEquals(Sense.RESET_OCCURRED, Sense.parse(data(run(c, null, 0x03, 0, 0, 0, 18, 0))),
                "REQUEST SENSE returns it as its data");
        assertTrue(run(c, null, 0x00, 0, 0, 0, 0, 0).isGood(), "and clears it");
    }

    /** SPC-4 §5.9.3 (CRH=1): with registrations, RESERVE and RELEASE follow the persistent reservation. */
    @Test
    void compatibleReservationHandling() {
        assertTrue(register(a, 0x1111).isGood());
        assertConflict(run(b, null, 0x16, 0, 0, 0, 0, 0)); // registrations exist and node2 has none
        assertConflict(run(a, null, 0x16, 0, 0, 0, 0, 0)); // registered, but nothing held
        assertTrue(reserve(a, 0x1111, Reservations.WRITE_EXCLUSIVE).isGood());
        assertTrue(run(a, null, 0x16, 0, 0, 0, 0, 0).isGood(), "the holder: GOOD...");
        assertTrue(run(a, null, 0x17, 0, 0, 0, 0, 0).isGood());
        assertEquals(24, prin(a, 1, 24).length, "...and the persistent reservation is untouched");
        assertTrue(write(a).isGood());
    }

    @Test
    void attentionsWaitOnlyForPortsWithASession() {
        assertTrue(register(a, 0x1111).isGood());
        assertTrue(register(b, 0x2222).isGood());
        b.close();
        assertTrue(prout(a, Reservations.CLEAR, 0, 0x1111, 0, 0).isGood());
        b = new LogicalUnit(device, UnitIdentity.forVolume("quorum"), shared, NODE2);
        assertTrue(read(b).isGood(), "a new nexus starts without the old one's conditions");
        for (int i = 0; i < 3 * UnitAttentions.MAX_PER_PORT; i++) a.reset();
        assertSense(Sense.RESET_OCCURRED, read(b));
        assertTrue(read(b).isGood(), "one condition of a kind waits, not one per reset");
    }

    /**
     * SPC-4 §5.13.11.2.4: PREEMPT AND ABORT ends the preempted nexus's tasks before its status. One that
     * had started (here a READ held inside its data buffer's allocation, as a slow disk would hold it)
     * ends first; the preemption's status waits for it.
     */
    @Test
    void preemptAndAbortAnswersOnlyOnceThePreemptedSessionsRunningCommandEnded() throws Exception {
        assertTrue(register(a, 0x1111).isGood());
        assertTrue(register(b, 0x2222).isGood());
        // resources close in reverse: the read is released before the preemption's thread is joined
        try (OwnThread<ScsiResult> preempt = new OwnThread<>(
                     () -> prout(a, Reservations.PREEMPT_AND_ABORT, Reservations.WRITE_EXCLUSIVE, 0x1111, 0x2222, 0));
             HeldRead running = new HeldRead(b)) {
            running.awaitInside();
            preempt.start();
            assertTrue(barrierWaitsFor(preempt), "the preemption waits for node2's running read");
            assertTrue(read(c).isGood(), "while it waits, other commands run: none waits behind it");
            running.release();
            assertTrue(preempt.get().isGood());
        }
        assertSense(Sense.REGISTRATIONS_PREEMPTED, read(b));
    }

    /**
     * SAM-5 §7.7: a LOGICAL UNIT RESET aborts the tasks of every other session (the asker's own are its
     * transport's: RFC 7143 §11.5 spares what it sent behind the request) and returns, so the initiator
     * hears "function complete", only once the commands running on the volume ended: here node2's READ,
     * held inside its data buffer's allocation as a slow disk would hold it.
     */
    @Test
    void resetAbortsTheOtherSessionsTaskSetsAndReturnsOnceTheirRunningCommandsEnded() throws Exception {
        java.util.List<String> aborted = new java.util.concurrent.CopyOnWriteArrayList<>();
        a.onTaskSetAborted(() -> {
            aborted.add("node1");
            return 1;
        });
        b.onTaskSetAborted(() -> {
            aborted.add("node2");
            return 1;
        });
        c.onTaskSetAborted(() -> {
            aborted.add("node1's second session");
            return 1;
        });
        try (OwnThread<Integer> reset = new OwnThread<>(a::reset); HeldRead running = new HeldRead(b)) {
            running.awaitInside();
            reset.start();
            assertTrue(barrierWaitsFor(reset), "the reset waits for node2's running read");
            assertEquals(java.util.List.of("node1's second session", "node2"), aborted.stream().sorted().toList(),
                    "every other session's task set is aborted, not the asker's");
            assertSense(Sense.RESET_OCCURRED, read(c));
            assertTrue(read(c).isGood(), "while it waits, other commands run (having heard of the reset): none waits behind it");
            running.release();
            assertEquals(2, reset.get(), "the tasks the others' transports said they aborted");
        }
        assertSense(Sense.RESET_OCCURRED, read(b));
        assertSense(Sense.RESET_OCCURRED, read(a));
    }

    /** True once the volume's barrier waits for its running commands while {@code call} has not returned (up to 10 s). */
    private boolean barrierWaitsFor(OwnThread<?> call) throws InterruptedException {
        RunningCommands commands = shared.running();
        for (int i = 0; i < 400 && !commands.barrierWaiting() && !call.isDone(); i++) Thread.sleep(25);
        return commands.barrierWaiting() && !call.isDone();
    }

    /** A READ of {@code unit} held inside its data buffer's allocation, as a slow disk would hold it, until released. */
    private static final class HeldRead implements AutoCloseable {
        private final java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.CountDownLatch finish = new java.util.concurrent.CountDownLatch(1);
        private final Thread thread;

        HeldRead(LogicalUnit unit) {
            byte[] read10 = {0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0};
            thread = Thread.ofPlatform().start(() -> unit.execute(0, read10, null, n -> {
                inside.countDown();
                try {
                    finish.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return ByteBuffer.allocate(n);
            }));
        }

        void awaitInside() throws InterruptedException {
            assertTrue(inside.await(10, java.util.concurrent.TimeUnit.SECONDS), "the read started");
        }

        void release() {
            finish.countDown();
        }

        @Override
        public void close() throws InterruptedException {
            finish.countDown();
            thread.join(10_000);
        }
    }

    /** A call that blocks, on its own platform thread: the common pool may have one thread (2 CPUs). */
    private static final class OwnThread<T> implements AutoCloseable {
        private final java.util.concurrent.FutureTask<T> task;
        private Thread thread;

        OwnThread(java.util.concurrent.Callable<T> call) {
            task = new java.util.concurrent.FutureTask<>(call);
        }

        void start() {
            thread = Thread.ofPlatform().start(task);
        }

        boolean isDone() {
            return task.isDone();
        }

        T get() throws Exception {
            return task.get(10, java.util.concurrent.TimeUnit.SECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            if (thread != null) thread.join(10_000);
        }
    }
}
