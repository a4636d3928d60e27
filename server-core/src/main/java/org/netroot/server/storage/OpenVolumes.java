package org.netroot.server.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The volumes in use, one {@link VolumeHandle} each, and the one-writer rule: at most one user
 * per volume, whichever target or protocol exports it (two PCs writing one ext4/NTFS volume
 * destroy it). The same identity attaching again replaces its old user (iPXE hands over to the
 * booted OS, which logs in anew while the old TCP connection may still look alive); anyone else
 * is refused. A volume marked shared (a cluster disk whose users coordinate through SCSI
 * reservations) takes any number of users; there only the same {@link User#nexus() nexus}
 * attaching again replaces its old user (RFC 7143 §6.3.5 session reinstatement). iSCSI sessions
 * are users today, NBD connections will be.
 */
public final class OpenVolumes {
    /** Someone using a volume: an iSCSI session, later an NBD connection. */
    public interface User {
        /** Who is on the other end (the initiator IQN for iSCSI); the same identity may replace this user. */
        String identity();

        /**
         * The connection's own identity on a shared volume, where one initiator may hold several
         * (the iSCSI initiator port: name and ISID); by default the identity.
         */
        default String nexus() {
            return identity();
        }

        /** The Netroot client this user is (its name), or null when it is no client. */
        default String clientName() {
            return null;
        }

        /** For messages: "client pc1 (iqn...)". */
        default String description() {
            return identity();
        }

        /** For messages about the connection: "iSCSI session from 10.0.0.5". */
        default String connection() {
            return description();
        }

        /**
         * Drops the user's connection; called from another thread. From then on the user runs no
         * more commands (those already running finish), then releases its handle.
         */
        void evict();
    }

    /** A change made under the registry's lock. */
    @FunctionalInterface
    public interface Change<X extends Exception> {
        void run() throws X;
    }

    public enum Claim { GRANTED, REPLACED, BUSY }

    /** {@code handle} is null when BUSY; {@code holder} is the identity that held the volume (null when GRANTED). */
    public record Attachment(Claim claim, String holder, VolumeHandle handle) {
    }

    /** Opens a volume's device for reading and writing. */
    @FunctionalInterface
    public interface Opener {
        BlockDevice open(String volumeName) throws IOException;
    }

    private final Opener opener;
    private final Opener forResize;
    private final Predicate<String> shared;
    private final Map<String, VolumeHandle> open = new HashMap<>();

    public OpenVolumes(Opener opener) {
        this(opener, opener, name -> false);
    }

    /**
     * @param opener    opens a volume for its users (a golden image read-only)
     * @param forResize opens a closed volume read-write for a resize
     * @param shared    whether a volume is shared; asked when a user attaches (under this lock, so
     *                  whoever changes it {@link #whileClosed while closed} cannot race an attach)
     */
    public OpenVolumes(Opener opener, Opener forResize, Predicate<String> shared) {
        this.opener = opener;
        this.forResize = forResize;
        this.shared = shared;
    }

    /**
     * Gives {@code user} the volume, opening it when no one has it open. Throws when it cannot be
     * opened. An evicted user still counts until its connection is closed: commands it had read
     * may still be running, so only its own identity may attach meanwhile (RFC 7143 §6.3.5: the
     * old session's tasks end before another initiator's begin).
     */
    public synchronized Attachment attach(String volumeName, User user) throws IOException {
        boolean isShared = shared.test(volumeName);
        VolumeHandle h = open.get(volumeName);
        if (h == null) {
            h = new VolumeHandle(volumeName, opener.open(volumeName), this);
            open.put(volumeName, h);
        }
        if (isShared) {
            User same = h.activeWithNexus(user.nexus());
            h.join(user);
            if (same == null) return new Attachment(Claim.GRANTED, null, h);
            h.deactivate(same);
            same.evict();
            return new Attachment(Claim.REPLACED, same.identity(), h);
        }
        User current = h.writer();
        if (current != null && current.identity().equalsIgnoreCase(user.identity())) {
            h.grant(user);
            current.evict();
            return new Attachment(Claim.REPLACED, current.identity(), h);
        }
        User other = current != null ? current : h.userOtherThan(user.identity());
        if (other != null) return new Attachment(Claim.BUSY, other.identity(), null);
        h.grant(user);
        return new Attachment(Claim.GRANTED, null, h);
    }

    /** The handle of a volume someone has open. */
    public synchronized Optional<VolumeHandle> find(String volumeName) {
        return Optional.ofNullable(open.get(volumeName));
    }

    /**
     * One open volume as the activity sampler sees it: the handle (a volume closed and opened again
     * gets a new one, with counters from zero), the client that has it (null while only a closing
     * session is left), and its counters.
     */
    public record Usage(VolumeHandle handle, String clientName, long bytesRead, long bytesWritten) {
        public String volumeName() {
            return handle.name();
        }
    }

    /** Every open volume with its counters now. Cheap: no I/O, a short hold of the lock. */
    public synchronized List<Usage> usage() {
        List<Usage> list = new ArrayList<>(open.size());
        for (VolumeHandle h : open.values()) {
            User w = h.writer();
            list.add(new Usage(h, w == null ? null : w.clientName(), h.counters().bytesRead(),
                    h.counters().bytesWritten()));
        }
        return list;
    }

    /** How many volumes have a writer. */
    public synchronized int count() {
        return (int) open.values().stream().filter(h -> h.writer() != null).count();
    }

    /**
     * Resizes a volume's device under the registry's lock, so no user attaches between the check
     * and the change. Grow or shrink is decided on the device's real size (a closed volume is
     * opened for it), not on what the caller believes. Shrinking needs {@code allowShrink} and no
     * one attached. Then {@code record} runs (the database update); when it throws, the device
     * gets its old size back. Every listener of an open volume hears each change.
     */
    public synchronized void resize(String volumeName, long newSizeBytes, boolean allowShrink,
                                    Change<? extends RuntimeException> record) throws IOException {
        VolumeHandle h = open.get(volumeName);
        BlockDevice opened = h == null ? forResize.open(volumeName) : null;
        try {
            BlockDevice device = h != null ? h.device() : opened;
            long oldSize = device.sizeBytes();
            if (newSizeBytes < oldSize) {
                refuseIfInUse(volumeName, "shrink"); // first: --shrink would not help
                if (!allowShrink) {
                    throw new IllegalArgumentException("shrinking volume " + volumeName + " from " + oldSize + " to "
                            + newSizeBytes + " bytes destroys the data past the new end: pass --shrink to confirm");
                }
                var end = PartitionTable.lastPartitionEnd(device);
                if (end.isPresent() && newSizeBytes < end.getAsLong()) {
                    throw new IllegalArgumentException("volume " + volumeName + "'s last partition ends at byte "
                            + end.getAsLong() + " (" + mib(end.getAsLong()) + "): shrink that partition inside the"
                            + " client first, or choose a size of at least " + mib(end.getAsLong()));
                }
            }
            if (newSizeBytes != oldSize) resize(h, device, newSizeBytes);
            try {
                record.run();
            } catch (RuntimeException e) {
                if (newSizeBytes != oldSize) {
                    try {
                        resize(h, device, oldSize);
                    } catch (IOException | RuntimeException rollback) {
                        e.addSuppressed(rollback);
                    }
                }
                throw e;
            }
        } finally {
            if (opened != null) opened.close();
        }
    }

    private static String mib(long bytes) {
        return (bytes + (1 << 20) - 1 >> 20) + " MiB";
    }

    private static void resize(VolumeHandle h, BlockDevice device, long newSizeBytes) throws IOException {
        if (h != null) h.resize(newSizeBytes);
        else device.resize(newSizeBytes);
    }

    /**
     * Runs {@code change} (removing the volume, or its client) under the registry's lock, unless
     * someone has the volume open: then it throws {@code refusal(writer)} as an
     * IllegalArgumentException (the writer is null when only evicted sessions are left, closing).
     * A removed volume's file is thus never deleted under an open handle, and a volume created
     * again under the same name is opened afresh.
     */
    public synchronized <X extends Exception> void whileClosed(String volumeName, Function<User, String> refusal,
                                                               Change<X> change) throws X {
        VolumeHandle h = open.get(volumeName);
        if (h != null) throw new IllegalArgumentException(refusal.apply(h.writer()));
        change.run();
    }

    /** Work on a volume's device that may need the device's own type (a qcow2 snapshot). */
    @FunctionalInterface
    public interface DeviceWork<T> {
        T run(BlockDevice device) throws IOException;
    }

    /**
     * Runs {@code work} on the volume's device, under the registry's lock (no client attaches or
     * leaves meanwhile): on the device its clients use when it is open, so they see the change at
     * once, otherwise on one {@code closed} opens for it, closed afterwards. The device given is the
     * format's own (not the counting wrapper clients write through).
     */
    public synchronized <T> T withDevice(String volumeName, Opener closed, DeviceWork<T> work) throws IOException {
        VolumeHandle h = open.get(volumeName);
        if (h != null) {
            BlockDevice d = h.device();
            return work.run(d instanceof CountingBlockDevice c ? c.inner() : d);
        }
        try (BlockDevice d = closed.open(volumeName)) {
            return work.run(d);
        }
    }

    /** "client pc1 (iqn...)", or for null (only evicted sessions left) "a session that is closing". */
    public static String describe(User user) {
        return user != null ? user.description() : "a session that is closing";
    }

    private void refuseIfInUse(String volumeName, String what) {
        VolumeHandle h = open.get(volumeName);
        if (h == null) return;
        throw new IllegalArgumentException("volume " + volumeName + " is in use by " + describe(h.writer())
                + ": shut it down first, then " + what + " it");
    }

    synchronized void release(VolumeHandle h, User user) {
        if (open.get(h.name()) != h || !h.inUse()) return;
        if (h.leave(user)) {
            open.remove(h.name());
            try {
                h.device().close();
            } catch (IOException ignored) {
                // positional writes went to the page cache already; close has nothing left to lose
            }
        }
    }
}
