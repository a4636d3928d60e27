package org.netroot.server.iscsi;

/**
 * One exported target as the iSCSI layer sees it: who may log in, with which CHAP secrets, and
 * which volume is LUN 0. {@code chap} null: no authentication. {@code mac} tags boot events.
 */
public record IscsiTarget(
        String iqn,
        String initiatorIqn,
        String clientName,
        String mac,
        String volumeName,
        Credentials chap,
        Credentials mutualChap) {

    /** A CHAP user name (may be null: any name) and secret. */
    public record Credentials(String user, String secret) {
    }

    public boolean allows(String initiatorName) {
        return initiatorIqn != null && initiatorIqn.equalsIgnoreCase(initiatorName);
    }
}
