package org.netroot.server.iscsi;

import java.util.HashMap;
import java.util.Map;

/**
 * One writer per volume: at most one session per volume, whichever target exports it (two PCs
 * writing one ext4/NTFS volume destroy it). The same initiator logging in again replaces its old
 * session (iPXE hands over to the booted OS, which logs in anew while the old TCP connection may
 * still look alive); another initiator is refused.
 */
public final class ActiveSessions {
    /** A session that holds a target. */
    public interface Holder {
        String initiatorName();

        /** Drops the session's connection; called from another connection's thread. */
        void evict();
    }

    public enum Claim { GRANTED, REPLACED, BUSY }

    public record Outcome(Claim claim, String holder) {
    }

    private final Map<String, Holder> byVolume = new HashMap<>();

    public synchronized Outcome claim(String volumeName, Holder session) {
        String key = volumeName;
        Holder current = byVolume.get(key);
        if (current == null) {
            byVolume.put(key, session);
            return new Outcome(Claim.GRANTED, null);
        }
        if (current.initiatorName().equalsIgnoreCase(session.initiatorName())) {
            byVolume.put(key, session);
            current.evict();
            return new Outcome(Claim.REPLACED, current.initiatorName());
        }
        return new Outcome(Claim.BUSY, current.initiatorName());
    }

    public synchronized void release(String volumeName, Holder session) {
        byVolume.remove(volumeName, session);
    }

    public synchronized int count() {
        return byVolume.size();
    }
}
