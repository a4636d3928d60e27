package org.netroot.server.iscsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.Client;
import org.netroot.server.scsi.ScsiResult;
import org.netroot.server.scsi.Sense;
import org.netroot.server.testing.RawInitiator;
import org.netroot.server.testing.RawInitiator.Reply;

/**
 * Tasks aborted while queued on the connection's command thread, over real sessions on loopback: by
 * task management (ABORT TASK, ABORT TASK SET), by another initiator's PERSISTENT RESERVE OUT
 * PREEMPT AND ABORT and by another initiator's LOGICAL UNIT RESET. An aborted task never runs and its
 * CmdSN still counts. Aborted by its own session's task management it never answers (SAM-5, RFC 7143
 * §11.5.1); aborted by another I_T nexus it answers TASK ABORTED, in its turn (TAS=1, SAM-5 §5.6). The commands are held queued by {@link IscsiService#handOff}, so nothing here
 * depends on how fast a disk is.
 */
class QueuedTaskAbortTest {
    static final String NODE1 = "iqn.1991-05.com.microsoft:node1";
    static final String NODE2 = "iqn.1991-05.com.microsoft:node2";
    static final int TASK_MANAGEMENT_RESPONSE = 0x22;
    static final int SCSI_RESPONSE = 0x21;

    @TempDir Path dir;
    IscsiLab lab;
    Gate gate;

    @BeforeEach
    void start() throws Exception {
        lab = new IscsiLab(dir);
    }

    @AfterEach
    void stop() {
        if (gate != null) gate.release(); // a test that failed while holding: what is held must run for the close
        lab.close();
    }

    @Test
    void abortTaskOfAQueuedWriteDropsItAndAnswersFunctionComplete() throws Exception {
        Client pc = lab.addClient("pc1", "52:54:00:00:00:01", 1 << 20);
        try (RawInitiator i = RawInitiator.login(lab.service.port(), pc.initiatorIqn(), pc.targetIqn())) {
            hold();
            int sync = i.sendSynchronizeCache(); // goes to the command thread: what follows queues behind it
            int write = i.sendWrite(5, SharedVolumeTest.block(0x5a));
            int afterWrite = i.nextCmdSN();
            int abort = i.sendTaskManagement(1, write);
            gate.awaitHeld(3); // the request was handed on, so it was looked at
            gate.release();

            Reply synced = i.next();
            assertEquals(sync, synced.itt(), "the command ahead still answers: " + synced);
            assertEquals(ScsiResult.GOOD, synced.status());
            Reply answer = i.next();
            assertEquals(TASK_MANAGEMENT_RESPONSE, answer.opcode(), "no SCSI response for the aborted write: " + answer);
            assertEquals(abort, answer.itt());
            assertEquals(0, answer.response(), "function complete");
            assertEquals(synced.statSN() + 1, answer.statSN(), "the aborted write took no StatSN");
            assertEquals(afterWrite, answer.expCmdSN(), "its CmdSN counts as received: the window moved past it");

            int later = i.sendWrite(6, SharedVolumeTest.block(0x66));
            Reply written = i.next();
            assertEquals(later, written.itt(), "later commands are answered: " + written);
            assertEquals(ScsiResult.GOOD, written.status());
            assertEquals(afterWrite + 1, written.expCmdSN());
            assertEquals(answer.statSN() + 1, written.statSN());
            assertArrayEquals(new byte[512], block(lab.volumeFile(pc), 5), "the aborted write never reached the volume");
            assertArrayEquals(SharedVolumeTest.block(0x66), block(lab.volumeFile(pc), 6));
            assertEquals(1, i.taskManagement(1, write), "once gone, the task does not exist");
        }
    }

    @Test
    void abortTaskSetDropsEveryQueuedCommandOfTheSession() throws Exception {
        Client pc = lab.addClient("pc1", "52:54:00:00:00:01", 1 << 20);
        try (RawInitiator i = RawInitiator.login(lab.service.port(), pc.initiatorIqn(), pc.targetIqn())) {
            hold();
            i.sendSynchronizeCache();
            i.sendWrite(7, SharedVolumeTest.block(0x11));
            i.sendWrite(8, SharedVolumeTest.block(0x22));
            int afterWrites = i.nextCmdSN();
            int abort = i.sendTaskManagement(2, -1); // ABORT TASK SET
            gate.awaitHeld(4);
            gate.release();

            Reply answer = i.next();
            assertEquals(TASK_MANAGEMENT_RESPONSE, answer.opcode(), "none of the queued commands answers: " + answer);
            assertEquals(abort, answer.itt());
            assertEquals(0, answer.response());
            assertEquals(afterWrites, answer.expCmdSN());
            assertArrayEquals(new byte[1024], Arrays.copyOfRange(Files.readAllBytes(lab.volumeFile(pc)), 7 * 512, 9 * 512));
            assertEquals(512, i.read(0, 1).length, "the session goes on");
        }
    }

    /**
     * A cluster failover: node1 fences node2 with PREEMPT AND ABORT while node2 has a write queued. SPC-4
     * §5.13.11.2.4: the preempted nexus's tasks are aborted as by ABORT TASK SET; another nexus aborted
     * them, so each answers TASK ABORTED (TAS=1, SAM-5 §5.6), and it hears why by a unit attention on its
     * next command.
     */
    @Test
    void preemptAndAbortDropsThePreemptedSessionsQueuedWrite() throws Exception {
        Client pc = lab.addSharedClient("cluster", "52:54:00:00:00:01", 1 << 20, List.of(NODE1, NODE2));
        try (RawInitiator a = RawInitiator.login(lab.service.port(), NODE1, pc.targetIqn());
             RawInitiator b = RawInitiator.login(lab.service.port(), NODE2, pc.targetIqn())) {
            assertGood(command(a, prout(0, 0), 0, 0xa));            // REGISTER
            assertGood(command(b, prout(0, 0), 0, 0xb));
            assertGood(command(b, prout(1, 1), 0xb, 0));            // RESERVE, Write Exclusive
            hold();
            int write = b.sendWrite(9, SharedVolumeTest.block(0x77), true); // FUA: to the command thread
            gate.awaitHeld(1);
            gate.stopHolding(); // node1's command runs while node2's write stays queued
            assertGood(command(a, prout(5, 1), 0xa, 0xb));          // PREEMPT AND ABORT node2, Write Exclusive
            gate.release();

            int afterWrite = b.nextCmdSN();
            Reply aborted = b.next();
            assertTaskAborted(write, aborted);
            assertEquals(afterWrite, aborted.expCmdSN(), "its CmdSN counts as received");
            Reply r = testUnitReady(b, "");
            assertEquals(aborted.statSN() + 1, r.statSN(), "the TASK ABORTED status took its StatSN");
            assertEquals(ScsiResult.CHECK_CONDITION, r.status());
            assertEquals(Sense.REGISTRATIONS_PREEMPTED, sense(r));
            assertArrayEquals(new byte[512], block(lab.volumeFile(pc), 9), "the preempted write never lands");
        }
    }

    /**
     * A write of the preempted session that had not even reached the command thread: its connection held
     * it back (the command thread already had 8 MiB of its work, a long read), so it waited unread in the
     * target's buffer. It is aborted too, and the read ahead of it with it: both answer TASK ABORTED, in order.
     */
    @Test
    void preemptAndAbortDropsAWriteThatWaitedBehindAPausedConnection() throws Exception {
        Client pc = lab.addSharedClient("cluster", "52:54:00:00:00:01", 16 << 20, List.of(NODE1, NODE2));
        try (RawInitiator a = RawInitiator.login(lab.service.port(), NODE1, pc.targetIqn());
             RawInitiator b = RawInitiator.login(lab.service.port(), NODE2, pc.targetIqn())) {
            assertGood(command(a, prout(0, 0), 0, 0xa));
            assertGood(command(b, prout(0, 0), 0, 0xb));
            hold();
            int blocks = (int) (IscsiService.MAX_HANDED_OFF_BYTES / 512);
            byte[] read10 = {0x28, 0, 0, 0, 0, 0, 0, (byte) (blocks >> 8), (byte) blocks, 0};
            int read = b.sendCommand(read10, null, blocks * 512);
            gate.awaitHeld(1);
            int write = b.sendWrite(9, SharedVolumeTest.block(0x79)); // waits: the command thread holds 8 MiB
            for (int i = 0; i < 400 && lab.service.pausedConnections() == 0; i++) Thread.sleep(25);
            assertEquals(1, lab.service.pausedConnections(), "node2's write waits in the target's buffer");
            gate.stopHolding(); // node1's command runs while node2's read stays queued and its write waits
            assertGood(command(a, prout(5, 1), 0xa, 0xb));          // PREEMPT AND ABORT node2, Write Exclusive
            gate.release();

            assertTaskAborted(read, b.next());
            assertTaskAborted(write, b.next());
            Reply r = testUnitReady(b, "");
            assertEquals(Sense.REGISTRATIONS_PREEMPTED, sense(r));
            assertArrayEquals(new byte[512], block(lab.volumeFile(pc), 9), "the waiting write never lands");
        }
    }

    /**
     * A write the preempted session started but whose Data-Out had not all come is aborted too (it never ran):
     * it answers TASK ABORTED when the session's next PDU comes, and its Data-Out goes nowhere.
     */
    @Test
    void preemptAndAbortDropsTheWriteThePreemptedSessionIsStillSendingDataFor() throws Exception {
        Client pc = lab.addSharedClient("cluster", "52:54:00:00:00:01", 1 << 20, List.of(NODE1, NODE2));
        try (RawInitiator a = RawInitiator.login(lab.service.port(), NODE1, pc.targetIqn());
             RawInitiator b = RawInitiator.login(lab.service.port(), NODE2, pc.targetIqn())) {
            assertGood(command(a, prout(0, 0), 0, 0xa));
            assertGood(command(b, prout(0, 0), 0, 0xb));
            AwaitingData write = writeOfBlocks9And10AwaitingData(b);
            assertGood(command(a, prout(5, 1), 0xa, 0xb));          // PREEMPT AND ABORT node2
            b.sendDataOut(write.tag(), write.ttt(), 512, SharedVolumeTest.block(0x78));

            assertTaskAborted(write.tag(), b.next());
            Reply r = testUnitReady(b, "one answer for the write, none for its Data-Out");
            assertEquals(Sense.REGISTRATIONS_PREEMPTED, sense(r));
            assertArrayEquals(new byte[1024], blocks9And10(pc));
        }
    }

    /**
     * SAM-5 §7.7: a LOGICAL UNIT RESET aborts the tasks of every I_T nexus, not only the asking one's. node2's
     * queued write goes (TAS=1: it answers TASK ABORTED), node2 hears why by a unit attention on its next command,
     * and node1's answer is "function complete", given once node2's task is gone (RFC 7143 §11.5.1). A TARGET
     * WARM RESET does the same: the target has this one unit.
     */
    @ParameterizedTest(name = "function {0}")
    @ValueSource(ints = {5, 6}) // LOGICAL UNIT RESET, TARGET WARM RESET
    void logicalUnitResetDropsTheOtherSessionsQueuedWrite(int function) throws Exception {
        Client pc = lab.addSharedClient("cluster", "52:54:00:00:00:01", 1 << 20, List.of(NODE1, NODE2));
        try (RawInitiator a = RawInitiator.login(lab.service.port(), NODE1, pc.targetIqn());
             RawInitiator b = RawInitiator.login(lab.service.port(), NODE2, pc.targetIqn())) {
            hold();
            int write = b.sendWrite(9, SharedVolumeTest.block(0x77), true); // FUA: to the command thread
            gate.awaitHeld(1);
            gate.stopHolding(); // node1's request runs while node2's write stays queued
            assertEquals(0, a.taskManagement(function, -1), "function complete");
            gate.release();

            assertTaskAborted(write, b.next());
            Reply r = testUnitReady(b, "");
            assertEquals(ScsiResult.CHECK_CONDITION, r.status());
            assertEquals(Sense.RESET_OCCURRED, sense(r));
            assertArrayEquals(new byte[512], block(lab.volumeFile(pc), 9), "the aborted write never lands");
            assertEquals(512, b.read(0, 1).length, "node2's session goes on");
        }
        assertTrue(lab.awaitEvent(BootEventType.ISCSI_RESET, NODE1 + " reset " + pc.targetIqn() + " ("
                + (function == 5 ? "LOGICAL UNIT RESET" : "TARGET WARM RESET") + "): 1 task of other sessions of volume "));
    }

    /** node2's write still waiting for its Data-Out when node1 resets the unit is aborted too (TASK ABORTED): its data never lands. */
    @Test
    void logicalUnitResetDropsTheOtherSessionsWriteWaitingForDataOut() throws Exception {
        Client pc = lab.addSharedClient("cluster", "52:54:00:00:00:01", 1 << 20, List.of(NODE1, NODE2));
        try (RawInitiator a = RawInitiator.login(lab.service.port(), NODE1, pc.targetIqn());
             RawInitiator b = RawInitiator.login(lab.service.port(), NODE2, pc.targetIqn())) {
            AwaitingData write = writeOfBlocks9And10AwaitingData(b);
            assertEquals(0, a.taskManagement(5, -1), "LOGICAL UNIT RESET: function complete");
            b.sendDataOut(write.tag(), write.ttt(), 512, SharedVolumeTest.block(0x78));

            assertTaskAborted(write.tag(), b.next());
            Reply r = testUnitReady(b, "one answer for the write, none for its Data-Out");
            assertEquals(Sense.RESET_OCCURRED, sense(r));
            assertArrayEquals(new byte[1024], blocks9And10(pc));
        }
        assertTrue(lab.awaitEvent(BootEventType.ISCSI_RESET, "LOGICAL UNIT RESET): 1 task of other sessions"),
                "the write waiting for its Data-Out counts");
    }

    /**
     * RFC 7143 §11.4.2: a response waits for the Data-Out with the F bit of what the initiator still owes.
     * node2's write, aborted by node1's reset while node2 sends the R2T's data in two PDUs, answers TASK
     * ABORTED only after the second (last) one: a command node2 sends between them is answered first.
     */
    @Test
    void aWriteAbortedByAnotherNexusAnswersOnlyAfterItsLastDataOut() throws Exception {
        Client pc = lab.addSharedClient("cluster", "52:54:00:00:00:01", 1 << 20, List.of(NODE1, NODE2));
        try (RawInitiator a = RawInitiator.login(lab.service.port(), NODE1, pc.targetIqn());
             RawInitiator b = RawInitiator.login(lab.service.port(), NODE2, pc.targetIqn())) {
            AwaitingData write = writeOfBlocks9And10AwaitingData(b);
            assertEquals(0, a.taskManagement(5, -1), "LOGICAL UNIT RESET: function complete");
            byte[] half = Arrays.copyOf(SharedVolumeTest.block(0x78), 256);
            b.sendDataOut(write.tag(), write.ttt(), 0, 512, half, false);
            Reply first = testUnitReady(b, "nothing for the write while its data is still coming");
            assertEquals(Sense.RESET_OCCURRED, sense(first));
            b.sendDataOut(write.tag(), write.ttt(), 1, 768, half, true);
            assertTaskAborted(write.tag(), b.next());
            assertArrayEquals(new byte[1024], blocks9And10(pc));
            assertEquals(512, b.read(0, 1).length, "node2's session goes on");
        }
    }

    /**
     * The asker's own commands sent behind its reset are not the reset's to abort (RFC 7143 §11.5: lower
     * CmdSN only), though another session's reset would take them: node1's write queued after its own
     * LOGICAL UNIT RESET is not aborted: it answers, after the reset's answer. Its write queued ahead of
     * the reset is aborted, silently (the asker's own task management: TAS does not apply), and node2
     * hears of the reset by a unit attention.
     */
    @Test
    void logicalUnitResetKeepsTheAskersCommandsSentBehindIt() throws Exception {
        Client pc = lab.addSharedClient("cluster", "52:54:00:00:00:01", 1 << 20, List.of(NODE1, NODE2));
        try (RawInitiator a = RawInitiator.login(lab.service.port(), NODE1, pc.targetIqn());
             RawInitiator b = RawInitiator.login(lab.service.port(), NODE2, pc.targetIqn())) {
            hold();
            int ahead = a.sendWrite(8, SharedVolumeTest.block(0x44), true); // FUA: to the command thread
            int reset = a.sendTaskManagement(5, -1);
            int write = a.sendWrite(9, SharedVolumeTest.block(0x55), true);
            gate.awaitHeld(3);
            gate.release();

            Reply answer = a.next();
            assertEquals(reset, answer.itt(), "the write ahead of the reset (" + ahead + ") gets no response: " + answer);
            assertEquals(TASK_MANAGEMENT_RESPONSE, answer.opcode());
            assertEquals(0, answer.response());
            Reply written = a.next();
            assertEquals(write, written.itt(), "the write behind the reset answers: " + written);
            assertEquals(answer.statSN() + 1, written.statSN());
            assertEquals(Sense.RESET_OCCURRED, sense(written),
                    "with the reset's unit attention, as every command after it");
            assertArrayEquals(new byte[512], block(lab.volumeFile(pc), 8), "the write ahead of the reset never lands");

            Reply r = testUnitReady(b, "");
            assertEquals(ScsiResult.CHECK_CONDITION, r.status());
            byte[] sense = Arrays.copyOfRange(r.data(), 2, r.data().length);
            assertEquals(Sense.RESET_OCCURRED, Sense.parse(sense), "the other session hears of the reset");
            assertEquals(0x29, sense[12] & 0xff, "ASC 29h: power on, reset or bus device reset occurred");
        }
    }

    /**
     * ABORT TASK SET, CLEAR ACA, CLEAR TASK SET and LOGICAL UNIT RESET act on the logical unit their LUN field names:
     * addressed to LUN 1, which REPORT LUNS does not list, they answer "LUN does not exist" (RFC 7143
     * §11.6.1) and abort nothing: the asker's write queued ahead and the other session's both land, and
     * no one gets a reset unit attention.
     */
    @ParameterizedTest(name = "function {0}")
    @ValueSource(ints = {2, 3, 4, 5}) // ABORT TASK SET, CLEAR ACA, CLEAR TASK SET, LOGICAL UNIT RESET
    void taskSetFunctionsAddressedToAMissingLunAnswerLunDoesNotExistAndAbortNothing(int function) throws Exception {
        Client pc = lab.addSharedClient("cluster", "52:54:00:00:00:01", 1 << 20, List.of(NODE1, NODE2));
        try (RawInitiator a = RawInitiator.login(lab.service.port(), NODE1, pc.targetIqn());
             RawInitiator b = RawInitiator.login(lab.service.port(), NODE2, pc.targetIqn())) {
            hold();
            int other = b.sendWrite(8, SharedVolumeTest.block(0x88), true); // FUA: to the command thread
            gate.awaitHeld(1);
            int ahead = a.sendWrite(9, SharedVolumeTest.block(0x99), true);
            gate.awaitHeld(2);
            int request = a.sendTaskManagement(function, -1, 0x0001_0000_0000_0000L); // LUN 1, peripheral addressing
            gate.awaitHeld(3);
            gate.release();

            Reply written = a.next();
            assertEquals(ahead, written.itt(), "the write ahead of the request still answers: " + written);
            assertEquals(ScsiResult.GOOD, written.status());
            Reply answer = a.next();
            assertEquals(TASK_MANAGEMENT_RESPONSE, answer.opcode(), answer.toString());
            assertEquals(request, answer.itt());
            assertEquals(2, answer.response(), "LUN does not exist");
            Reply others = b.next();
            assertEquals(other, others.itt(), others.toString());
            assertEquals(ScsiResult.GOOD, others.status());
            assertArrayEquals(SharedVolumeTest.block(0x88), block(lab.volumeFile(pc), 8));
            assertArrayEquals(SharedVolumeTest.block(0x99), block(lab.volumeFile(pc), 9));
            assertGood(command(a, new byte[6], null));
            assertGood(command(b, new byte[6], null));
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Holds the commands handed to command threads from now on, until released. */
    Gate hold() {
        gate = new Gate();
        lab.service.handOff = gate;
        return gate;
    }

    /** PERSISTENT RESERVE OUT with service action {@code sa} and reservation type {@code type}, 24 bytes of parameters. */
    static byte[] prout(int sa, int type) {
        byte[] cdb = new byte[10];
        cdb[0] = 0x5f;
        cdb[1] = (byte) sa;
        cdb[2] = (byte) type;
        cdb[8] = 24;
        return cdb;
    }

    static Reply command(RawInitiator i, byte[] proutCdb, long key, long serviceActionKey) throws IOException {
        ByteBuffer params = ByteBuffer.allocate(24).putLong(0, key).putLong(8, serviceActionKey);
        int tag = i.sendCommand(proutCdb, params.array(), 0);
        Reply r = i.next();
        assertEquals(tag, r.itt(), r.toString());
        return r;
    }

    /** Sends {@code cdb} with {@code dataOut} (null: none) and returns its answer. */
    static Reply command(RawInitiator i, byte[] cdb, byte[] dataOut) throws IOException {
        int tag = i.sendCommand(cdb, dataOut, 0);
        Reply r = i.next();
        assertEquals(tag, r.itt(), r.toString());
        return r;
    }

    /** The SCSI Response of task {@code tag}: status TASK ABORTED, no sense data (SAM-5 §5.6, TAS=1). */
    static void assertTaskAborted(int tag, Reply r) {
        assertEquals(SCSI_RESPONSE, r.opcode(), r.toString());
        assertEquals(tag, r.itt(), r.toString());
        assertEquals(ScsiResult.TASK_ABORTED, r.status(), r.toString());
        assertEquals(0, r.data().length, "no sense data: " + r);
    }

    /** A TEST UNIT READY of {@code i} and its answer, checked to be that command's ({@code why}: what a mismatch means). */
    static Reply testUnitReady(RawInitiator i, String why) throws IOException {
        int tur = i.sendCommand(new byte[6], null, 0);
        Reply r = i.next();
        assertEquals(tur, r.itt(), why.isEmpty() ? r.toString() : why + ": " + r);
        return r;
    }

    /** The sense data a reply carries (after its two-byte length). */
    static Sense sense(Reply r) {
        return Sense.parse(Arrays.copyOfRange(r.data(), 2, r.data().length));
    }

    /** A write of {@code i} waiting for its Data-Out: its task tag and the R2T's transfer tag. */
    record AwaitingData(int tag, int ttt) {
    }

    /** WRITE(10) of blocks 9 and 10 with the first as immediate data: the second waits for Data-Out on the R2T. */
    static AwaitingData writeOfBlocks9And10AwaitingData(RawInitiator i) throws IOException {
        byte[] write10 = {0x2a, 0, 0, 0, 0, 9, 0, 0, 2, 0};
        int write = i.sendCommand(write10, SharedVolumeTest.block(0x77), 0, 1024);
        Reply r2t = i.next();
        assertEquals(0x31, r2t.opcode(), r2t.toString());
        return new AwaitingData(write, r2t.int32(20));
    }

    byte[] blocks9And10(Client pc) throws IOException {
        return Arrays.copyOfRange(Files.readAllBytes(lab.volumeFile(pc)), 9 * 512, 11 * 512);
    }

    static void assertGood(Reply r) {
        assertEquals(SCSI_RESPONSE, r.opcode(), r.toString());
        assertEquals(ScsiResult.GOOD, r.status(), r.toString());
    }

    static byte[] block(Path file, long lba) throws IOException {
        return Arrays.copyOfRange(Files.readAllBytes(file), (int) lba * 512, (int) lba * 512 + 512);
    }

    /** Keeps the hand-offs to command threads until {@link #release}, then lets them go in order. */
    static final class Gate implements Consumer<Runnable> {
        private final List<Runnable> held = new ArrayList<>();
        private boolean holding = true;

        @Override
        public synchronized void accept(Runnable handOver) {
            if (holding) {
                held.add(handOver);
                notifyAll();
            } else {
                handOver.run();
            }
        }

        synchronized void awaitHeld(int n) throws InterruptedException {
            long end = System.nanoTime() + 10_000_000_000L;
            while (held.size() < n) {
                long left = end - System.nanoTime();
                assertTrue(left > 0, "only " + held.size() + " of " + n + " commands reached the command thread");
                wait(Math.max(1, left / 1_000_000));
            }
        }

        /** New hand-offs go straight through; those held stay. */
        synchronized void stopHolding() {
            holding = false;
        }

        synchronized void release() {
            holding = false;
            held.forEach(Runnable::run);
            held.clear();
        }
    }
}
