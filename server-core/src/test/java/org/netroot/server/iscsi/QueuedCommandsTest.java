package org.netroot.server.iscsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What task management takes back from a connection's queue: only commands not started, and only those it covers. */
class QueuedCommandsTest {
    final QueuedCommands queue = new QueuedCommands();

    static Bhs request(int function, int referencedTag) {
        Bhs h = Bhs.of(Bhs.TASK_MANAGEMENT).immediate(true).flags(0x80 | function);
        h.itt(0x999).int32(20, referencedTag);
        return h;
    }

    @Test
    void abortTaskTakesBackOnlyTheQueuedCommandItNames() {
        QueuedCommands.Entry running = queue.add(1, true);
        QueuedCommands.Entry named = queue.add(2, true);
        QueuedCommands.Entry other = queue.add(3, true);
        assertTrue(running.start());
        assertEquals(0, queue.taskManagement(request(1, 1)), "a started command runs to its end");
        assertEquals(1, queue.taskManagement(request(1, 2)));
        assertFalse(named.start(), "an aborted command never starts");
        assertTrue(named.abortedAlone(), "its ABORT TASK answers function complete");
        assertEquals(0, queue.taskManagement(request(1, 2)), "aborted once");
        assertEquals(0, queue.taskManagement(request(1, 77)), "no such task");
        assertTrue(other.start());
    }

    @Test
    void taskSetFunctionsTakeBackEveryQueuedCommandAndOthersNone() {
        for (int function : new int[] {3, 8, 9}) { // CLEAR ACA (RFC 7143 §11.5.1: 3), TASK REASSIGN, unknown
            queue.add(1, true);
            assertEquals(0, queue.taskManagement(request(function, 1)), "function " + function);
        }
        for (int function : new int[] {2, 4, 5, 6, 7}) { // ABORT TASK SET, CLEAR TASK SET (4), LUN, warm and cold reset
            QueuedCommands.Entry started = queue.add(1, true);
            started.start();
            QueuedCommands.Entry a = queue.add(2, true);
            QueuedCommands.Entry b = queue.add(3, true);
            assertEquals(2, queue.taskManagement(request(function, Bhs.NO_TAG)), "function " + function);
            assertFalse(a.start());
            assertFalse(b.start());
            assertFalse(a.abortedAlone(), "aborted with the task set, not by an ABORT TASK");
            assertFalse(a.abortedByAnotherNexus(), "by its own session's request: it answers nothing");
            queue.done(started);
        }
    }

    @Test
    void taskSetFunctionsAddressedToAnotherLunTakeBackNothing() {
        QueuedCommands.Entry e = queue.add(1, true);
        for (int function : new int[] {2, 3, 4, 5}) { // ABORT TASK SET, CLEAR ACA, CLEAR TASK SET, LOGICAL UNIT RESET
            Bhs toLun1 = request(function, Bhs.NO_TAG).lunField(0x0001_0000_0000_0000L);
            assertTrue(QueuedCommands.toMissingLun(toLun1), "function " + function);
            assertEquals(0, queue.taskManagement(toLun1), "function " + function + " to LUN 1");
        }
        assertTrue(e.start(), "LUN 0's command was not the request's to abort");
        assertFalse(QueuedCommands.toMissingLun(request(5, Bhs.NO_TAG).lunField(0x4000_0000_0000_0000L)),
                "LUN 0 in flat addressing is LUN 0");
        assertTrue(QueuedCommands.toMissingLun(request(5, Bhs.NO_TAG).lunField(0x8000_0000_0000_0000L)),
                "logical unit addressing (10b) is not a form of our LUN 0");
        assertTrue(QueuedCommands.toMissingLun(request(5, Bhs.NO_TAG).lunField(0xc000_0000_0000_0000L)),
                "nor is extended addressing (11b)");
    }

    @Test
    void aPreemptedTaskSetTellsTheConnectionOnceToDropItsWritesWaitingForData() {
        QueuedCommands.Entry e = queue.add(1, true);
        assertFalse(queue.takeWritesAborted());
        queue.abortTaskSet();
        assertFalse(e.start());
        assertTrue(e.abortedByAnotherNexus(), "another nexus's action: it answers TASK ABORTED");
        assertTrue(queue.takeWritesAborted());
        assertFalse(queue.takeWritesAborted(), "once");
        assertEquals(0, queue.taskManagement(request(2, Bhs.NO_TAG)));
        assertFalse(queue.takeWritesAborted(), "task management drops them itself, in its turn");
    }

    @Test
    void aCommandDoneIsNoLongerThereToAbort() {
        QueuedCommands.Entry e = queue.add(5, true);
        assertTrue(e.start());
        queue.done(e);
        QueuedCommands.Entry reused = queue.add(5, true); // the initiator may use a tag again once its task ended
        queue.done(e);                            // a late done of the old one leaves the new one be
        assertEquals(1, queue.abortAll());
        assertFalse(reused.start());
    }

    /**
     * A command read while its connection was paused, behind a task management request, comes after that
     * request (a higher CmdSN): the request must not take it back (RFC 7143 §11.5). PREEMPT AND ABORT,
     * which comes from another session, takes it all the same.
     */
    @Test
    void taskManagementLeavesTheCommandsBehindItAndPreemptAndAbortTakesThemToo() {
        QueuedCommands.Entry ahead = queue.add(1, true);
        QueuedCommands.Entry behind = queue.add(2, false);
        assertEquals(1, queue.taskManagement(request(2, Bhs.NO_TAG)), "ABORT TASK SET: the one ahead of it");
        assertEquals(0, queue.taskManagement(request(1, 2)), "ABORT TASK of one sent after it: not yet");
        assertFalse(ahead.start());
        behind.handled();
        assertEquals(1, queue.taskManagement(request(1, 2)), "once handled in its turn, a later request may");
        QueuedCommands.Entry unread = queue.add(3, false);
        queue.abortTaskSet();
        assertFalse(unread.start(), "PREEMPT AND ABORT takes back what is still unread too");
    }
}
