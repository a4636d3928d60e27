package org.netroot.server.iscsi;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SCSI commands of one connection handed to its command thread and not started yet: what task
 * management (RFC 7143 §11.5) and PREEMPT AND ABORT can still take back. A command is either started
 * or aborted, and one compare-and-set decides which, so the command thread and an abort from any
 * thread (a task management request on the event loop, another session's PREEMPT AND ABORT or
 * LOGICAL UNIT RESET on its own thread) never both win. A command that started runs to its end: a
 * write to a file cannot be stopped halfway safely.
 */
final class QueuedCommands {
    /** One queued SCSI command. */
    static final class Entry {
        private static final int QUEUED = 0;
        private static final int STARTED = 1;
        /** By an ABORT TASK naming it: that request answers "function complete" once the command is skipped. */
        private static final int ABORTED_ALONE = 2;
        /** With its task set by its own session's task management (ABORT TASK SET, its reset): silently. */
        private static final int ABORTED = 3;
        /**
         * With its task set by another I_T nexus's action (PREEMPT AND ABORT of this nexus, another session's
         * reset): TAS=1 (SAM-5 §5.6), so it ends with status TASK ABORTED, sent in its turn.
         */
        private static final int ABORTED_BY_ANOTHER_NEXUS = 4;
        final int itt;
        private final AtomicInteger state = new AtomicInteger(QUEUED);
        /** The task tag of the ABORT TASK that took this command back (set before the state says so). */
        private volatile int abortedBy;
        /**
         * Handled in its turn (queued for the command thread), not only read while its connection paused:
         * a task management request aborts only the commands before it (RFC 7143 §11.5: lower CmdSN), and
         * those still unread behind it are not yet handled when it is. Event loop only.
         */
        private boolean handled;

        private Entry(int itt) {
            this.itt = itt;
        }

        /** The command is handled in its turn: task management requests after it may abort it. Event loop only. */
        void handled() {
            handled = true;
        }

        /** True when the command may run; false when it was aborted first: it is skipped and answers nothing. */
        boolean start() {
            return state.compareAndSet(QUEUED, STARTED);
        }

        /** True when an ABORT TASK naming this command took it back (see {@link #start}). */
        boolean abortedAlone() {
            return state.get() == ABORTED_ALONE;
        }

        /** True when another I_T nexus's action took this command back: it answers TASK ABORTED (see {@link #start}). */
        boolean abortedByAnotherNexus() {
            return state.get() == ABORTED_BY_ANOTHER_NEXUS;
        }

        /** The task tag of the ABORT TASK that took this command back; meaningful when {@link #abortedAlone}. */
        int abortedBy() {
            return abortedBy;
        }

        private boolean abort(int how, int abortTaskTag) {
            if (state.get() != QUEUED) return false;
            // aborts come one at a time (QueuedCommands' monitor); only start() races them, and it reads no tag
            abortedBy = abortTaskTag;
            return state.compareAndSet(QUEUED, how);
        }
    }

    /** By initiator task tag: the tags of outstanding tasks are unique (RFC 7143 §11.2.1.8). */
    private final Map<Integer, Entry> byTag = new HashMap<>();
    /** Set by {@link #abortTaskSet} from any thread; the connection's thread takes it at its next PDU. */
    private final AtomicBoolean writesAborted = new AtomicBoolean();
    /** How many writes the connection holds waiting for their Data-Out: set on its thread, read by an abort (a count for events). */
    private volatile int writesWaiting;

    /**
     * A SCSI command with task tag {@code itt} goes to the command thread ({@code handled}), or waits unread
     * while its connection is paused (not yet {@link Entry#handled}): PREEMPT AND ABORT takes both back.
     */
    synchronized Entry add(int itt, boolean handled) {
        Entry e = new Entry(itt);
        e.handled = handled;
        byTag.put(itt, e);
        return e;
    }

    /** The command of {@code e} ran or was skipped: nothing is left to abort. */
    synchronized void done(Entry e) {
        byTag.remove(e.itt, e);
    }

    /**
     * A task management request arrived (it is immediate, RFC 7143 §11.5): aborts the queued commands it
     * covers. ABORT TASK the one with its Referenced Task Tag; ABORT TASK SET, CLEAR TASK SET, LOGICAL
     * UNIT RESET and the target resets this session's every queued command (the target has one logical
     * unit); a reset takes the other sessions' too, in its turn (LogicalUnit.reset). Other functions
     * abort nothing here, nor do those addressed to a LUN we do not have ({@link #toMissingLun}).
     * Returns how many were aborted.
     */
    synchronized int taskManagement(Bhs request) {
        if (toMissingLun(request)) return 0;
        return switch (TaskFunction.of(request)) {
            case TaskFunction.ABORT_TASK -> {
                Entry e = byTag.get(request.int32(20));
                yield e != null && e.handled && abort(e, Entry.ABORTED_ALONE, request.itt()) ? 1 : 0;
            }
            case TaskFunction.ABORT_TASK_SET, TaskFunction.CLEAR_TASK_SET, TaskFunction.LOGICAL_UNIT_RESET,
                 TaskFunction.TARGET_WARM_RESET, TaskFunction.TARGET_COLD_RESET -> abortAll(true, Entry.ABORTED);
            default -> 0; // CLEAR ACA (there is no ACA here), TASK REASSIGN, unknown
        };
    }

    /**
     * True for a request whose function acts on the logical unit its LUN field names (ABORT TASK SET,
     * CLEAR ACA, CLEAR TASK SET, LOGICAL UNIT RESET) when that is not LUN 0, our only one (REPORT LUNS
     * lists LUN 0 alone): it answers "LUN does not exist" (RFC 7143 §11.6.1) and aborts nothing.
     */
    static boolean toMissingLun(Bhs request) {
        int function = TaskFunction.of(request);
        return (function == TaskFunction.ABORT_TASK_SET || function == TaskFunction.CLEAR_ACA
                || function == TaskFunction.CLEAR_TASK_SET || function == TaskFunction.LOGICAL_UNIT_RESET)
                && request.lun() != 0;
    }

    /**
     * Aborts every queued command, those still unread too: this session's nexus was preempted with abort,
     * or another session reset the unit. The §11.5 rule that spares commands behind the request binds only
     * the session that sent it: for the others, every task that exists when the abort comes goes. Another
     * nexus's action: each answers TASK ABORTED in its turn ({@link Entry#abortedByAnotherNexus}).
     */
    synchronized int abortAll() {
        return abortAll(false, Entry.ABORTED_BY_ANOTHER_NEXUS);
    }

    private int abortAll(boolean handledOnly, int how) {
        int n = 0;
        for (Entry e : byTag.values().toArray(Entry[]::new)) {
            if ((!handledOnly || e.handled) && abort(e, how, 0)) n++;
        }
        return n;
    }

    /**
     * This session's nexus was preempted with abort, or another session reset the unit: every queued command
     * goes, and so do the writes the connection holds waiting for their Data-Out, which only its own thread
     * may touch: see {@link #takeWritesAborted}. Returns how many tasks that aborted (those writes counted as
     * last told by {@link #writesWaiting(int)}).
     */
    int abortTaskSet() {
        return abortAll() + (writesAborted.getAndSet(true) ? 0 : writesWaiting); // writes already told of: once
    }

    /** The connection now holds {@code n} writes waiting for their Data-Out (its own thread). */
    void writesWaiting(int n) {
        writesWaiting = n;
    }

    /**
     * True once after {@link #abortTaskSet}: the connection then answers its writes waiting for Data-Out with
     * TASK ABORTED (another nexus aborted them) and drops them.
     */
    boolean takeWritesAborted() {
        return writesAborted.get() && writesAborted.getAndSet(false);
    }

    private boolean abort(Entry e, int how, int abortTaskTag) {
        if (!e.abort(how, abortTaskTag)) return false;
        byTag.remove(e.itt, e);
        return true;
    }
}
