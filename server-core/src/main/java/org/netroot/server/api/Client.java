package org.netroot.server.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A machine that boots from the server: identified by its MAC, booting its own volume.
 * CHAP fields are null when the client logs in without authentication. Lists and the live stream
 * carry no secrets ({@link #withoutSecrets}): {@code chap} and {@code mutualChap} still tell
 * whether CHAP is on; {@link NetrootControl#clientSecrets} gives the secrets.
 *
 * @param initiatorIqn       the initiator name iPXE presents (the first of {@link #initiatorIqns()})
 * @param otherInitiatorIqns more initiator names that may log in to this client's target: the booted
 *                           OS's own, or a second node's when the client's volume is shared
 */
public record Client(
        String name,
        String mac,
        String volumeName,
        BootMode bootMode,
        String initiatorIqn,
        String chapUser,
        String chapSecret,
        String mutualChapUser,
        String mutualChapSecret,
        String reservedIp,
        boolean chap,
        boolean mutualChap,
        List<String> otherInitiatorIqns) {

    public static final String IQN_PREFIX = "iqn.2026-01.org.netroot";

    public Client {
        mac = normalizeMac(mac);
        if (bootMode == null) bootMode = BootMode.SANBOOT;
        if (initiatorIqn == null || initiatorIqn.isBlank()) initiatorIqn = IQN_PREFIX + ":initiator:" + name;
        chap = chap || (chapSecret != null && !chapSecret.isEmpty());
        mutualChap = chap && (mutualChap || (mutualChapSecret != null && !mutualChapSecret.isEmpty()));
        otherInitiatorIqns = otherInitiatorIqns == null ? List.of() : List.copyOf(otherInitiatorIqns);
    }

    public Client(String name, String mac, String volumeName, BootMode bootMode, String initiatorIqn, String chapUser,
                  String chapSecret, String mutualChapUser, String mutualChapSecret, String reservedIp, boolean chap,
                  boolean mutualChap) {
        this(name, mac, volumeName, bootMode, initiatorIqn, chapUser, chapSecret, mutualChapUser, mutualChapSecret,
                reservedIp, chap, mutualChap, List.of());
    }

    public Client(String name, String mac, String volumeName, BootMode bootMode, String initiatorIqn, String chapUser,
                  String chapSecret, String mutualChapUser, String mutualChapSecret, String reservedIp) {
        this(name, mac, volumeName, bootMode, initiatorIqn, chapUser, chapSecret, mutualChapUser, mutualChapSecret,
                reservedIp, false, false);
    }

    /** This client as lists show it: CHAP on or off, but no secret. */
    public Client withoutSecrets() {
        return new Client(name, mac, volumeName, bootMode, initiatorIqn, chapUser, null, mutualChapUser, null,
                reservedIp, chap, mutualChap, otherInitiatorIqns);
    }

    /**
     * This client with {@code iqns} as its initiator names: the first is the one iPXE presents, all
     * may log in to its target. Null or empty: the name derived from the client's.
     */
    public Client withInitiatorIqns(List<String> iqns) {
        if (iqns == null || iqns.isEmpty()) {
            return new Client(name, mac, volumeName, bootMode, null, chapUser, chapSecret, mutualChapUser,
                    mutualChapSecret, reservedIp, chap, mutualChap, List.of());
        }
        return new Client(name, mac, volumeName, bootMode, iqns.get(0), chapUser, chapSecret, mutualChapUser,
                mutualChapSecret, reservedIp, chap, mutualChap, iqns.subList(1, iqns.size()));
    }

    /** Every initiator name that may log in to this client's target, the one iPXE presents first. */
    public List<String> initiatorIqns() {
        List<String> all = new ArrayList<>(1 + otherInitiatorIqns.size());
        all.add(initiatorIqn);
        all.addAll(otherInitiatorIqns);
        return all;
    }

    public ClientSecrets secrets() {
        return new ClientSecrets(name, chapUser, chapSecret, mutualChapUser, mutualChapSecret);
    }

    public static Client sanboot(String name, String mac, String volumeName) {
        return new Client(name, mac, volumeName, BootMode.SANBOOT, null, null, null, null, null, null);
    }

    /** The iSCSI target that exports this client's volume (one target per client, LUN 0). */
    public String targetIqn() {
        return IQN_PREFIX + ":" + name;
    }

    public boolean usesChap() {
        return chap;
    }

    public boolean usesMutualChap() {
        return mutualChap;
    }

    /** Lower-case, colon-separated, 6 octets: the one spelling stored and compared everywhere. */
    public static String normalizeMac(String mac) {
        if (mac == null) return null;
        String hex = mac.replaceAll("[^0-9A-Fa-f]", "").toLowerCase(Locale.ROOT);
        if (hex.length() != 12) throw new IllegalArgumentException("not a MAC address: " + mac);
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 12; i += 2) {
            if (i > 0) sb.append(':');
            sb.append(hex, i, i + 2);
        }
        return sb.toString();
    }

    /** Never the secrets: a client is logged and shown in errors; "***" says one is set. */
    @Override
    public String toString() {
        return "Client[name=" + name + ", mac=" + mac + ", volumeName=" + volumeName + ", bootMode=" + bootMode
                + ", initiatorIqn=" + initiatorIqn + ", chapUser=" + chapUser + ", chapSecret="
                + redacted(chapSecret) + ", mutualChapUser=" + mutualChapUser + ", mutualChapSecret="
                + redacted(mutualChapSecret) + ", reservedIp=" + reservedIp + ", chap=" + chap + ", mutualChap="
                + mutualChap + ", otherInitiatorIqns=" + otherInitiatorIqns + "]";
    }

    static String redacted(String secret) {
        return secret == null ? "null" : "***";
    }

    public static boolean isValidName(String name) {
        return name != null && name.matches("[a-z0-9][a-z0-9-]{0,62}");
    }
}
