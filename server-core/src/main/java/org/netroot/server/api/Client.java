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
 * @param boot               the options of the boot modes that take some ({@link BootOptions#NONE} when none)
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
        List<String> otherInitiatorIqns,
        BootOptions boot) {

    public static final String IQN_PREFIX = "iqn.2026-01.org.netroot";

    public Client {
        mac = normalizeMac(mac);
        if (bootMode == null) bootMode = BootMode.SANBOOT;
        if (initiatorIqn == null || initiatorIqn.isBlank()) initiatorIqn = defaultInitiatorIqn(name);
        chap = chap || (chapSecret != null && !chapSecret.isEmpty());
        mutualChap = chap && (mutualChap || (mutualChapSecret != null && !mutualChapSecret.isEmpty()));
        otherInitiatorIqns = otherInitiatorIqns == null ? List.of() : List.copyOf(otherInitiatorIqns);
        if (boot == null) boot = BootOptions.NONE;
    }

    public Client(String name, String mac, String volumeName, BootMode bootMode, String initiatorIqn, String chapUser,
                  String chapSecret, String mutualChapUser, String mutualChapSecret, String reservedIp, boolean chap,
                  boolean mutualChap, List<String> otherInitiatorIqns) {
        this(name, mac, volumeName, bootMode, initiatorIqn, chapUser, chapSecret, mutualChapUser, mutualChapSecret,
                reservedIp, chap, mutualChap, otherInitiatorIqns, BootOptions.NONE);
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

    /** Length of a generated CHAP secret: within the 12 to 16 characters Windows' initiator accepts. */
    public static final int GENERATED_SECRET_LENGTH = 16;
    private static final String SECRET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /**
     * A new random CHAP secret: 16 letters and digits (about 93 bits; no look-alikes such as O and 0,
     * and nothing an iPXE script or a shell would read as syntax).
     */
    public static String newChapSecret() {
        StringBuilder b = new StringBuilder(GENERATED_SECRET_LENGTH);
        for (int i = 0; i < GENERATED_SECRET_LENGTH; i++) b.append(SECRET_ALPHABET.charAt(RANDOM.nextInt(SECRET_ALPHABET.length())));
        return b.toString();
    }

    /**
     * This client with CHAP both ways, as new clients get it by default: a generated secret for the
     * initiator and another for the target (mutual CHAP, the target's name as its user), unless it has a
     * CHAP secret already (then it is returned as it is). iPXE gets both through the client's script and
     * hands them to the booted OS in the iBFT.
     */
    public Client withGeneratedChap() {
        if (chapSecret != null && !chapSecret.isEmpty()) return this;
        String secret = newChapSecret();
        String mutual;
        do {
            mutual = newChapSecret();
        } while (mutual.equals(secret));
        return new Client(name, mac, volumeName, bootMode, initiatorIqn, chapUser, secret, mutualChapUser, mutual,
                reservedIp, true, true, otherInitiatorIqns, boot);
    }

    /** This client as lists show it: CHAP on or off, but no secret. */
    public Client withoutSecrets() {
        return new Client(name, mac, volumeName, bootMode, initiatorIqn, chapUser, null, mutualChapUser, null,
                reservedIp, chap, mutualChap, otherInitiatorIqns, boot);
    }

    /**
     * This client with {@code iqns} as its initiator names: the first is the one iPXE presents, all
     * may log in to its target. Null or empty: the name derived from the client's.
     */
    public Client withInitiatorIqns(List<String> iqns) {
        if (iqns == null || iqns.isEmpty()) {
            return new Client(name, mac, volumeName, bootMode, null, chapUser, chapSecret, mutualChapUser,
                    mutualChapSecret, reservedIp, chap, mutualChap, List.of(), boot);
        }
        return new Client(name, mac, volumeName, bootMode, iqns.get(0), chapUser, chapSecret, mutualChapUser,
                mutualChapSecret, reservedIp, chap, mutualChap, iqns.subList(1, iqns.size()), boot);
    }

    /** This client booting in {@code mode} with {@code options} (null: the ones it has). */
    public Client withBoot(BootMode mode, BootOptions options) {
        return new Client(name, mac, volumeName, mode, initiatorIqn, chapUser, chapSecret, mutualChapUser,
                mutualChapSecret, reservedIp, chap, mutualChap, otherInitiatorIqns, options == null ? boot : options);
    }

    /** The initiator name iPXE presents for client {@code name} when none was given. */
    public static String defaultInitiatorIqn(String name) {
        return IQN_PREFIX + ":initiator:" + name;
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
                + mutualChap + ", otherInitiatorIqns=" + otherInitiatorIqns + ", boot=" + boot + "]";
    }

    static String redacted(String secret) {
        return secret == null ? "null" : "***";
    }

    public static boolean isValidName(String name) {
        return name != null && name.matches("[a-z0-9][a-z0-9-]{0,62}");
    }
}
