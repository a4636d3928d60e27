package org.netroot.app.ui.volumes;

import org.netroot.app.ui.common.Formats;
import org.netroot.server.api.DiskSpace;

/**
 * What the resize dialog says about the size typed, before asking the server: invalid (why),
 * unchanged, a grow (which a running client sees at once) or a shrink (data past the new end is
 * lost: it needs the user's confirmation, and the server refuses it while a client is attached).
 * A grow past the data folder's free space is allowed (volumes are sparse) with a warning
 * ({@code pastFreeSpace}). Pure Java: unit-tested without a screen.
 */
public record ResizeCheck(long newSizeBytes, boolean shrink, boolean canApply, String message, boolean pastFreeSpace) {

    public static ResizeCheck of(String typed, long currentBytes, String clientName, boolean shrinkConfirmed) {
        return of(typed, currentBytes, clientName, shrinkConfirmed, null);
    }

    /** As above, and warns when growing past {@code space}'s free bytes (null: unknown, no warning). */
    public static ResizeCheck of(String typed, long currentBytes, String clientName, boolean shrinkConfirmed,
                                 DiskSpace space) {
        SizeInput.Parsed p = SizeInput.parse(typed);
        if (!p.valid()) return new ResizeCheck(-1, false, false, p.error(), false);
        long n = p.bytes();
        String from = Formats.bytes(currentBytes);
        String to = Formats.bytes(n);
        if (n == currentBytes) {
            return new ResizeCheck(n, false, false, "That is the size it has now (" + from + ")", false);
        }
        if (n > currentBytes) {
            String past = FreeSpace.pastFree(n, space);
            return new ResizeCheck(n, false, true, "Grows from " + from + " to " + to
                    + (past != null ? ", " + past : "") + "."
                    + (clientName != null ? " " + clientName + " is running from it: the client sees the new size at once."
                    : ""), past != null);
        }
        String message = "Smaller than now (" + from + "): shrinking to " + to + " loses the data past " + to + "."
                + (clientName != null ? " " + clientName + " is using it: the server refuses a shrink until it is shut down."
                : "");
        return new ResizeCheck(n, true, shrinkConfirmed, message, false);
    }

    /** The confirmation a shrink needs. */
    public static String confirmation(long newSizeBytes) {
        return "I understand data past " + Formats.bytes(newSizeBytes) + " is lost";
    }
}
