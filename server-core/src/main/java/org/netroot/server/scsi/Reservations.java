package org.netroot.server.scsi;

import static org.netroot.server.scsi.Bytes.put16;
import static org.netroot.server.scsi.Bytes.put32;
import static org.netroot.server.scsi.Bytes.put64;
import static org.netroot.server.scsi.Bytes.u16;
import static org.netroot.server.scsi.Bytes.u32;
import static org.netroot.server.scsi.Bytes.u64;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The reservations of one logical unit: SPC-4 persistent reservations (PERSISTENT RESERVE IN and
 * OUT, what Windows failover clustering and Linux's pacemaker fencing use) and the SPC-2 RESERVE /
 * RELEASE of older clusters, with the compatible handling of SPC-4 §5.9.3 between the two (CRH=1).
 * Registrations and the reservation belong to initiator ports (I_T nexuses), so two sessions of
 * one machine are two registrants. Kept in memory ({@link SharedUnit}); APTPL is refused.
 * Thread-safe: every session of a shared volume calls in.
 */
final class Reservations {
    // reservation types (SPC-4 §6.16.2 Table 170)
    static final int WRITE_EXCLUSIVE = 1;
    static final int EXCLUSIVE_ACCESS = 3;
    static final int WRITE_EXCLUSIVE_REGISTRANTS_ONLY = 5;
    static final int EXCLUSIVE_ACCESS_REGISTRANTS_ONLY = 6;
    static final int WRITE_EXCLUSIVE_ALL_REGISTRANTS = 7;
    static final int EXCLUSIVE_ACCESS_ALL_REGISTRANTS = 8;

    // PERSISTENT RESERVE OUT service actions (SPC-4 §6.17.2)
    static final int REGISTER = 0;
    static final int RESERVE = 1;
    static final int RELEASE = 2;
    static final int CLEAR = 3;
    static final int PREEMPT = 4;
    static final int PREEMPT_AND_ABORT = 5;
    static final int REGISTER_AND_IGNORE_EXISTING_KEY = 6;

    /** The PERSISTENT RESERVE OUT parameter list without SPEC_I_PT: always 24 bytes (SPC-4 §6.17.3). */
    static final int PARAMETER_LIST_LENGTH = 24;

    private final UnitAttentions attentions;
    /** Aborts the tasks of the ports a PREEMPT AND ABORT preempted. */
    private final Consumer<List<InitiatorPort>> abortTaskSets;
    /** Registered ports and their keys, in the order they registered (READ KEYS lists them so). */
    private final Map<InitiatorPort, Long> registrations = new LinkedHashMap<>();
    /** Bumped by every REGISTER, CLEAR and PREEMPT that succeeds (SPC-4 §6.16.2). */
    private int generation;
    /** The persistent reservation's type; 0: none. */
    private int type;
    /** The port holding it (types other than all-registrants, where every registrant holds it). */
    private InitiatorPort holder;
    /** The SPC-2 reservation's holder; null: none. */
    private InitiatorPort spc2Holder;
    /** Whether any reservation exists: every command asks, and nearly always the answer is no. */
    private volatile boolean reserved;

    Reservations(UnitAttentions attentions, Consumer<List<InitiatorPort>> abortTaskSets) {
        this.attentions = attentions;
        this.abortTaskSets = abortTaskSets;
    }

    /** How a command fares under a reservation it does not hold (SPC-4 §5.13.1 Table 66, SBC-4 §4.17 Table 13). */
    private enum Access {
        /** Runs whatever is reserved: INQUIRY, REPORT LUNS, READ CAPACITY, PERSISTENT RESERVE IN... */
        ALWAYS,
        /** Reads the medium: allowed through Write Exclusive, and to registrants through the registrants types. */
        READ,
        /** Changes the medium or its cache: only for the holder, and registrants of the registrants types. */
        WRITE,
        /** MODE SENSE/SELECT, LOG SELECT: for registrants. */
        REGISTERED,
        /** RESERVE and RELEASE (6/10): SPC-4 §5.9.3 decides. */
        SPC2,
        /** PERSISTENT RESERVE OUT: REGISTER always runs, the other actions need a registration. */
        PROUT
    }

    private static Access access(byte[] cdb) {
        int op = cdb[0] & 0xff;
        return switch (op) {
            case 0x12, 0xa0, 0x03, 0x00, 0x25, 0x5e, 0x4d, 0x1b, 0xa3, 0x1e -> Access.ALWAYS;
            case 0x9e -> (cdb[1] & 0x1f) == 0x10 ? Access.ALWAYS : Access.READ;   // READ CAPACITY(16) / GET LBA STATUS
            case 0x08, 0x28, 0xa8, 0x88, 0x2f, 0xaf, 0x8f, 0x34, 0x90, 0x37, 0xb7 -> Access.READ;
            case 0x15, 0x55, 0x1a, 0x5a, 0x4c -> Access.REGISTERED;
            case 0x16, 0x17, 0x56, 0x57 -> Access.SPC2;
            case 0x5f -> Access.PROUT;
            default -> Access.WRITE;
        };
    }

    /**
     * Null when {@code port} may run {@code cdb} now; RESERVATION CONFLICT when a reservation held
     * by another port keeps it out. The command's own checks come after this one.
     */
    ScsiResult check(InitiatorPort port, byte[] cdb) {
        return reserved ? checkReserved(port, cdb) : null;
    }

    private synchronized ScsiResult checkReserved(InitiatorPort port, byte[] cdb) {
        Access a = access(cdb);
        if (spc2Holder != null) {
            int op = cdb[0] & 0xff;
            // SPC-3 §5.6.3: under an SPC-2 reservation PERSISTENT RESERVE IN/OUT conflict for everyone
            if (op == 0x5e || op == 0x5f) return ScsiResult.conflict();
            if (spc2Holder.equals(port)) return null;
            boolean passes = op == 0x12 || op == 0xa0 || op == 0x03 || op == 0x17 || op == 0x57;
            return passes ? null : ScsiResult.conflict();
        }
        if (a == Access.SPC2 || type == 0) return null; // RESERVE/RELEASE decide themselves; nothing reserved
        Long key = registrations.get(port);
        boolean registered = key != null;
        if (holds(port)) return null;
        boolean allowed = switch (a) {
            case ALWAYS, SPC2 -> true;
            case REGISTERED -> registered;
            case PROUT -> {
                int sa = cdb[1] & 0x1f;
                yield sa == REGISTER || sa == REGISTER_AND_IGNORE_EXISTING_KEY || registered;
            }
            case READ -> type == WRITE_EXCLUSIVE
                    || (type == WRITE_EXCLUSIVE_REGISTRANTS_ONLY || type == WRITE_EXCLUSIVE_ALL_REGISTRANTS)
                    || registered && (type == EXCLUSIVE_ACCESS_REGISTRANTS_ONLY || type == EXCLUSIVE_ACCESS_ALL_REGISTRANTS);
            case WRITE -> registered && type >= WRITE_EXCLUSIVE_REGISTRANTS_ONLY;
        };
        return allowed ? null : ScsiResult.conflict();
    }

    /** Whether {@code port} holds the persistent reservation (every registrant does under the all-registrants types). */
    private boolean holds(InitiatorPort port) {
        if (type == 0) return false;
        if (allRegistrants(type)) return registrations.containsKey(port);
        return port.equals(holder);
    }

    private static boolean allRegistrants(int type) {
        return type == WRITE_EXCLUSIVE_ALL_REGISTRANTS || type == EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
    }

    private static boolean registrantsOnly(int type) {
        return type == WRITE_EXCLUSIVE_REGISTRANTS_ONLY || type == EXCLUSIVE_ACCESS_REGISTRANTS_ONLY;
    }

    private static boolean validType(int type) {
        return type == WRITE_EXCLUSIVE || type == EXCLUSIVE_ACCESS || (type >= 5 && type <= 8);
    }

    // ---- PERSISTENT RESERVE IN ------------------------------------------------------------------

    synchronized byte[] in(int serviceAction) {
        return switch (serviceAction) {
            case 0 -> readKeys();
            case 1 -> readReservation();
            case 2 -> reportCapabilities();
            case 3 -> readFullStatus();
            default -> null;
        };
    }

    /** READ KEYS (SPC-4 §6.16.2): the ADDITIONAL LENGTH counts every key, whatever the allocation length keeps. */
    private byte[] readKeys() {
        byte[] d = new byte[8 + 8 * registrations.size()];
        put32(d, 0, generation);
        put32(d, 4, 8 * registrations.size());
        int o = 8;
        for (long key : registrations.values()) {
            put64(d, o, key);
            o += 8;
        }
        return d;
    }

    /** READ RESERVATION: the holder's key (0 for all-registrants types), scope LU, the type. */
    private byte[] readReservation() {
        if (type == 0) {
            byte[] d = new byte[8];
            put32(d, 0, generation);
            return d;
        }
        byte[] d = new byte[24];
        put32(d, 0, generation);
        put32(d, 4, 16);
        put64(d, 8, allRegistrants(type) ? 0 : registrations.getOrDefault(holder, 0L));
        d[21] = (byte) type;                       // scope 0: logical unit
        return d;
    }

    /**
     * REPORT CAPABILITIES (SPC-4 §6.16.4): compatible reservation handling, no SPEC_I_PT, no
     * ALL_TG_PT, no persistence through power loss; TEST UNIT READY passes every reservation
     * (ALLOW COMMANDS 001b); all six types.
     */
    private static byte[] reportCapabilities() {
        byte[] d = new byte[8];
        put16(d, 0, 8);
        d[2] = 0x10;                               // CRH
        d[3] = (byte) (0x80 | 0x10);               // TMV, ALLOW COMMANDS 001b
        d[4] = (byte) (0x80 | 0x40 | 0x20 | 0x08 | 0x02); // WR_EX_AR, EX_AC_RO, WR_EX_RO, EX_AC, WR_EX
        d[5] = 0x01;                               // EX_AC_AR
        return d;
    }

    /** READ FULL STATUS (SPC-4 §6.16.5): one descriptor per registrant, with its TransportID. */
    private byte[] readFullStatus() {
        ByteArrayOutputStream descriptors = new ByteArrayOutputStream();
        for (Map.Entry<InitiatorPort, Long> r : registrations.entrySet()) {
            byte[] tid = r.getKey().transportId();
            byte[] d = new byte[24 + tid.length];
            put64(d, 0, r.getValue());
            boolean holds = holds(r.getKey());
            if (holds) {
                d[12] = 0x01;                      // R_HOLDER
                d[13] = (byte) type;               // scope 0: logical unit
            }
            put16(d, 18, 1);                       // relative target port identifier: our one portal group
            put32(d, 20, tid.length);
            System.arraycopy(tid, 0, d, 24, tid.length);
            descriptors.writeBytes(d);
        }
        byte[] list = descriptors.toByteArray();
        byte[] out = new byte[8 + list.length];
        put32(out, 0, generation);
        put32(out, 4, list.length);
        System.arraycopy(list, 0, out, 8, list.length);
        return out;
    }

    // ---- PERSISTENT RESERVE OUT -----------------------------------------------------------------

    /** Runs PERSISTENT RESERVE OUT for {@code port}; {@code params} holds the Data-Out (may be null). */
    synchronized ScsiResult out(InitiatorPort port, byte[] cdb, ByteBuffer params) {
        int sa = cdb[1] & 0x1f;
        int scope = (cdb[2] >> 4) & 0x0f;
        int newType = cdb[2] & 0x0f;
        if (sa > REGISTER_AND_IGNORE_EXISTING_KEY) return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB); // REGISTER AND MOVE
        if (u32(cdb, 5) != PARAMETER_LIST_LENGTH) return ScsiResult.check(Sense.PARAMETER_LIST_LENGTH_ERROR);
        if (params == null || params.remaining() < PARAMETER_LIST_LENGTH) return ScsiResult.check(Sense.PARAMETER_LIST_LENGTH_ERROR);
        byte[] p = new byte[PARAMETER_LIST_LENGTH];
        params.duplicate().get(p);
        long key = u64(p, 0);
        long serviceActionKey = u64(p, 8);
        // no SPEC_I_PT, ALL_TG_PT or APTPL: SIP_C, ATP_C and PTPL_C are 0 in REPORT CAPABILITIES
        if ((p[20] & 0x0d) != 0) return ScsiResult.check(Sense.INVALID_FIELD_IN_PARAMETER_LIST);
        boolean typed = sa == RESERVE || sa == RELEASE || sa == PREEMPT || sa == PREEMPT_AND_ABORT;
        if (typed && (scope != 0 || !validType(newType))) return ScsiResult.check(Sense.INVALID_FIELD_IN_CDB);
        ScsiResult r = switch (sa) {
            case REGISTER, REGISTER_AND_IGNORE_EXISTING_KEY -> register(port, key, serviceActionKey, sa == REGISTER);
            case RESERVE -> reserve(port, key, newType);
            case RELEASE -> release(port, key, newType);
            case CLEAR -> clear(port, key);
            default -> preempt(port, key, serviceActionKey, newType, sa == PREEMPT_AND_ABORT);
        };
        settle();
        return r;
    }

    private void settle() {
        reserved = type != 0 || spc2Holder != null;
    }

    /**
     * REGISTER and REGISTER AND IGNORE EXISTING KEY (SPC-4 §5.13.7): a new key registers the port,
     * another key replaces its own, key 0 unregisters it; REGISTER must name the key held.
     */
    private ScsiResult register(InitiatorPort port, long key, long newKey, boolean checkKey) {
        Long current = registrations.get(port);
        if (current == null) {
            if (checkKey && key != 0) return ScsiResult.conflict();
            if (newKey == 0) return ScsiResult.good(0);    // nothing to register, nothing changes
            registrations.put(port, newKey);
        } else {
            if (checkKey && key != current) return ScsiResult.conflict();
            if (newKey == 0) {
                unregister(port);
            } else {
                registrations.put(port, newKey);            // a holder keeps the reservation under its new key
            }
        }
        generation++;
        return ScsiResult.good(0);
    }

    /**
     * Removes a registration; a holder's reservation goes with it (an all-registrants one only with
     * the last registrant). A registrants-only reservation going tells the other registrants (SPC-4 §5.13.11.2.2).
     */
    private void unregister(InitiatorPort port) {
        boolean held = holds(port);
        registrations.remove(port);
        if (!held) return;
        if (allRegistrants(type)) {
            if (registrations.isEmpty()) clearReservation();
            return;
        }
        int released = type;
        clearReservation();
        if (registrantsOnly(released)) attentions.post(Sense.RESERVATIONS_RELEASED, others(port));
    }

    private ScsiResult reserve(InitiatorPort port, long key, int newType) {
        Long current = registrations.get(port);
        if (current == null || current != key) return ScsiResult.conflict();
        if (type != 0) {
            // the holder asking again for what it holds is no error; anything else conflicts
            return holds(port) && type == newType ? ScsiResult.good(0) : ScsiResult.conflict();
        }
        type = newType;
        holder = allRegistrants(newType) ? null : port;
        return ScsiResult.good(0);
    }

    private ScsiResult release(InitiatorPort port, long key, int releaseType) {
        Long current = registrations.get(port);
        if (current == null || current != key) return ScsiResult.conflict();
        if (type == 0 || !holds(port)) return ScsiResult.good(0);  // nothing of this port's to release
        if (type != releaseType) return ScsiResult.check(Sense.INVALID_RELEASE_OF_PERSISTENT_RESERVATION);
        int released = type;
        clearReservation();
        if (registrantsOnly(released) || allRegistrants(released)) {
            attentions.post(Sense.RESERVATIONS_RELEASED, others(port));
        }
        return ScsiResult.good(0);
    }

    private ScsiResult clear(InitiatorPort port, long key) {
        Long current = registrations.get(port);
        if (current == null || current != key) return ScsiResult.conflict();
        List<InitiatorPort> told = others(port);
        registrations.clear();
        clearReservation();
        generation++;
        attentions.post(Sense.RESERVATIONS_PREEMPTED, told);
        return ScsiResult.good(0);
    }

    /**
     * PREEMPT and PREEMPT AND ABORT (SPC-4 §5.13.11.4): removes the registrations of {@code victimKey}
     * (never the preempting port's own) and, when that key is the holder's or the reservation is
     * an all-registrants one preempted with key 0, takes the reservation with {@code newType}.
     * With {@code abort} the preempted ports' tasks are aborted too (SPC-4 §5.13.11.2.4, as by ABORT
     * TASK SET by another nexus, TAS=1: each ends with TASK ABORTED): those a transport holds queued,
     * as a started command here runs to completion.
     */
    private ScsiResult preempt(InitiatorPort port, long key, long victimKey, int newType, boolean abort) {
        Long current = registrations.get(port);
        if (current == null || current != key) return ScsiResult.conflict();
        List<InitiatorPort> removed;
        if (type != 0 && allRegistrants(type) && victimKey == 0) {
            removed = others(port);
            removed.forEach(registrations::remove);
            int old = type;
            type = newType;
            holder = allRegistrants(newType) ? null : port;
            if (old != newType) attentions.post(Sense.RESERVATIONS_RELEASED, others(port));
        } else if (type != 0 && !allRegistrants(type) && victimKey == registrations.getOrDefault(holder, 0L)) {
            removed = withKey(victimKey, port);
            removed.forEach(registrations::remove);
            int old = type;
            type = newType;
            holder = allRegistrants(newType) ? null : port;
            if (old != newType) {
                List<InitiatorPort> rest = others(port);
                rest.removeAll(removed);
                attentions.post(Sense.RESERVATIONS_RELEASED, rest);
            }
        } else {
            if (victimKey == 0) return ScsiResult.check(Sense.INVALID_FIELD_IN_PARAMETER_LIST);
            removed = withKey(victimKey, port);
            if (removed.isEmpty()) return ScsiResult.conflict();
            removed.forEach(this::unregister);
        }
        generation++;
        attentions.post(Sense.REGISTRATIONS_PREEMPTED, removed);
        if (abort) abortTaskSets.accept(removed);
        return ScsiResult.good(0);
    }

    private void clearReservation() {
        type = 0;
        holder = null;
    }

    /** The registered ports other than {@code port}. */
    private List<InitiatorPort> others(InitiatorPort port) {
        List<InitiatorPort> list = new ArrayList<>(registrations.keySet());
        list.remove(port);
        return list;
    }

    private List<InitiatorPort> withKey(long key, InitiatorPort except) {
        List<InitiatorPort> list = new ArrayList<>();
        for (Map.Entry<InitiatorPort, Long> r : registrations.entrySet()) {
            if (r.getValue() == key && !r.getKey().equals(except)) list.add(r.getKey());
        }
        return list;
    }

    // ---- SPC-2 RESERVE / RELEASE ------------------------------------------------------------------

    /**
     * RESERVE(6)/(10) (SPC-2 §7.21): the whole unit for {@code port}; the holder may reserve
     * again. With persistent reservations in use SPC-4 §5.9.3 applies: a holder, or a registrant
     * of a registrants-only reservation, gets GOOD and nothing changes; anyone else conflicts.
     */
    synchronized ScsiResult spc2Reserve(InitiatorPort port) {
        Boolean persistent = persistentAnswer(port);
        if (persistent != null) return persistent ? ScsiResult.good(0) : ScsiResult.conflict();
        if (spc2Holder != null && !spc2Holder.equals(port)) return ScsiResult.conflict();
        spc2Holder = port;
        settle();
        return ScsiResult.good(0);
    }

    /** RELEASE(6)/(10): the holder's reservation goes; from anyone else it is GOOD and changes nothing. */
    synchronized ScsiResult spc2Release(InitiatorPort port) {
        Boolean persistent = persistentAnswer(port);
        if (persistent != null) return persistent ? ScsiResult.good(0) : ScsiResult.conflict();
        if (port.equals(spc2Holder)) spc2Holder = null;
        settle();
        return ScsiResult.good(0);
    }

    /** SPC-4 §5.9.3 when registrations exist: true GOOD without effect, false conflict; null when SPC-2 rules apply. */
    private Boolean persistentAnswer(InitiatorPort port) {
        if (registrations.isEmpty()) return null;
        if (registrations.containsKey(port) && (holds(port) || registrantsOnly(type))) return true;
        return false;
    }

    /** The I_T nexus is gone (logout, dropped connection): its SPC-2 reservation ends; registrations stay. */
    synchronized void nexusLost(InitiatorPort port) {
        if (port.equals(spc2Holder)) spc2Holder = null;
        settle();
    }

    /** A LOGICAL UNIT RESET or target reset ends the SPC-2 reservation; persistent ones survive (SPC-4 §5.13.1). */
    synchronized void reset() {
        spc2Holder = null;
        settle();
    }
}
