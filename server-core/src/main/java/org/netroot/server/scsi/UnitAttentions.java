package org.netroot.server.scsi;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Unit attention conditions waiting for their initiator port (SAM-5 §5.14): a reset, or another
 * initiator's reservation change. Each is reported once, on that port's next command, oldest
 * first. One per logical unit, shared by its sessions; thread-safe.
 */
final class UnitAttentions {
    /** SAM-5 lets a device server drop conditions it cannot keep: a port that never reads them holds no more. */
    static final int MAX_PER_PORT = 8;

    private final Map<InitiatorPort, ArrayDeque<Sense>> pending = new HashMap<>();
    /** Ports with a session on the unit, and how many (a reinstated session overlaps its old one). */
    private final Map<InitiatorPort, Integer> attached = new HashMap<>();
    /** How many conditions wait, for a check without the lock on every command. */
    private volatile int waiting;

    synchronized void attach(InitiatorPort port) {
        attached.merge(port, 1, Integer::sum);
    }

    /**
     * A session of {@code port} ended. When it was the port's last, what waited for it goes: the
     * nexus is lost, and a new one starts without another's conditions. So conditions only wait
     * for ports that have a session, and there are at most as many queues as sessions.
     */
    synchronized void detach(InitiatorPort port) {
        if (attached.computeIfPresent(port, (p, n) -> n <= 1 ? null : n - 1) == null) {
            ArrayDeque<Sense> q = pending.remove(port);
            if (q != null) waiting -= q.size();
        }
    }

    /** A condition for each of {@code ports} that has a session on the unit. */
    synchronized void post(Sense sense, Collection<InitiatorPort> ports) {
        for (InitiatorPort p : ports) {
            if (!attached.containsKey(p)) continue;
            ArrayDeque<Sense> q = pending.computeIfAbsent(p, x -> new ArrayDeque<>());
            if (q.contains(sense)) continue;
            if (q.size() >= MAX_PER_PORT) {
                q.removeFirst();
                waiting--;
            }
            q.addLast(sense);
            waiting++;
        }
    }

    /** A condition for every port that has a session on the unit now (a reset reaches all of them). */
    synchronized void postToAttached(Sense sense) {
        post(sense, attached.keySet());
    }

    /** The oldest condition for {@code port}, removed; null when none waits. */
    Sense take(InitiatorPort port) {
        if (waiting == 0) return null;
        synchronized (this) {
            ArrayDeque<Sense> q = pending.get(port);
            if (q == null) return null;
            Sense s = q.pollFirst();
            if (q.isEmpty()) pending.remove(port);
            if (s != null) waiting--;
            return s;
        }
    }
}
