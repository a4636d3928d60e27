package org.netroot.server.api;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a client's initiator names, CHAP users and secrets may hold, and the words for what is wrong.
 * The server checks a client against these when it is added or edited; the app checks its form with
 * the same rules as the user types, so both refuse the same values in the same words.
 */
public final class IscsiValues {
    private IscsiValues() {
    }

    /**
     * True for values iPXE takes literally in a {@code set} line: printable ASCII but space and
     * {@code $ { } # " ' \} (iPXE expands {@code ${...}} and splits on spaces).
     */
    public static boolean isSafe(String v) {
        return v != null && !v.isEmpty() && v.chars().allMatch(c -> c > 0x20 && c < 0x7f && "${}#\"'\\".indexOf(c) < 0);
    }

    /** What is wrong with {@code v} as {@code what} ("CHAP user"), null when nothing; never repeats the value (secrets). */
    public static String problem(String what, String v) {
        return isSafe(v) ? null : what + " may hold printable characters except spaces and $ { } # \" ' \\";
    }

    /**
     * The first thing wrong with a client's initiator names (the one iPXE presents first), null when
     * nothing: each is present and {@link #isSafe safe}, and none is listed twice (IQNs compare
     * case-insensitively, RFC 3722).
     */
    public static String initiatorIqnsProblem(List<String> iqns) {
        Set<String> seen = new HashSet<>();
        for (String iqn : iqns) {
            if (iqn == null || iqn.isBlank()) return "an initiator IQN may not be empty";
            if (!isSafe(iqn)) return problem("initiator IQN \"" + iqn + "\"", iqn);
            // one name listed twice is a typo
            if (!seen.add(iqn.toLowerCase(Locale.ROOT))) return "initiator IQN " + iqn + " is listed twice";
        }
        return null;
    }
}
