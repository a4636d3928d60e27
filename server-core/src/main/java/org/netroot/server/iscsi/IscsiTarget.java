package org.netroot.server.iscsi;

import java.util.List;

/**
 * One exported target as the iSCSI layer sees it: who may log in (any of {@code initiatorIqns}),
 * with which CHAP secrets, and which volume is LUN 0. {@code chap} null: no authentication.
 * {@code mac} tags boot events.
 */
public record IscsiTarget(
        String iqn,
        List<String> initiatorIqns,
        String clientName,
        String mac,
        String volumeName,
        Credentials chap,
        Credentials mutualChap) {

    public IscsiTarget {
        initiatorIqns = List.copyOf(initiatorIqns);
    }

    /** A target one initiator may log in to. */
    public IscsiTarget(String iqn, String initiatorIqn, String clientName, String mac, String volumeName,
                       Credentials chap, Credentials mutualChap) {
        this(iqn, List.of(initiatorIqn), clientName, mac, volumeName, chap, mutualChap);
    }

    /** A CHAP user name (may be null: any name) and secret. */
    public record Credentials(String user, String secret) {
    }

    /** IQNs compare case-insensitively (RFC 3722 stringprep lower-cases them). */
    public boolean allows(String initiatorName) {
        for (String iqn : initiatorIqns) if (iqn.equalsIgnoreCase(initiatorName)) return true;
        return false;
    }
}
