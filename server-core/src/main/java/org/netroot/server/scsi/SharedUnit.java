package org.netroot.server.scsi;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * What every session of one volume shares, however many initiators have it open (a shared cluster
 * disk has several): its reservations, the unit attentions waiting for each initiator port, and
 * the lock that makes COMPARE AND WRITE and ORWRITE atomic against the other sessions' writes.
 * Kept in memory while the volume is open: when its last session ends it goes, as it would in a
 * target that lost power (persistent reservations are not kept across that: APTPL is refused).
 */
public final class SharedUnit {
    private final UnitAttentions attentions = new UnitAttentions();
    /** The sessions' units open on this volume: PREEMPT AND ABORT reaches the preempted ones, a reset all of them. */
    private final Set<LogicalUnit> units = ConcurrentHashMap.newKeySet();
    private final Reservations reservations = new Reservations(attentions, this::abortTaskSets);
    /**
     * The commands running on the volume, from their reservation check to their end: PREEMPT AND ABORT
     * waits for those running before its status, so no command of a preempted session that passed the
     * check before the preemption (a write, say) completes after it (SPC-4 §5.13.11.2.4: the tasks end first).
     * A LOGICAL UNIT RESET waits for them before its answer for the same reason (SAM-5 §7.7).
     */
    private final RunningCommands running = new RunningCommands();
    /** Writes take the read side (they run side by side); read-modify-write commands the write side. */
    private final ReadWriteLock writeOrder = new ReentrantReadWriteLock();

    UnitAttentions attentions() {
        return attentions;
    }

    Reservations reservations() {
        return reservations;
    }

    ReadWriteLock writeOrder() {
        return writeOrder;
    }

    RunningCommands running() {
        return running;
    }

    void opened(LogicalUnit unit) {
        units.add(unit);
    }

    void closed(LogicalUnit unit) {
        units.remove(unit);
    }

    /**
     * A LOGICAL UNIT RESET (or a target reset) from the session of {@code asker} aborts the task sets of
     * every other session of the volume, as PREEMPT AND ABORT does those of the preempted ones (SAM-5 §7.7:
     * all tasks of every I_T nexus). The asker's own are its transport's to abort: only those ahead of the
     * request go there (RFC 7143 §11.5), and a command it queued behind the request must still run.
     * Returns how many tasks of the others it aborted.
     */
    int abortTaskSetsOtherThan(LogicalUnit asker) {
        int n = 0;
        for (LogicalUnit unit : units) {
            if (unit != asker) n += unit.abortTaskSet();
        }
        return n;
    }

    /** Aborts the task sets of the sessions of {@code ports} (SPC-4 §5.13.11.2.4, preempting with abort). */
    private void abortTaskSets(Collection<InitiatorPort> ports) {
        for (LogicalUnit unit : units) {
            if (ports.contains(unit.port())) unit.abortTaskSet();
        }
    }
}
