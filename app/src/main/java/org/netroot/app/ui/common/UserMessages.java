package org.netroot.app.ui.common;

/** A failure in words a user can act on: the API's own messages are written for people already. */
public final class UserMessages {
    private UserMessages() {
    }

    public static String of(Throwable e) {
        Throwable t = e;
        while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) t = t.getCause();
        String m = t.getMessage();
        if (m == null || m.isBlank()) return "Something went wrong (" + t.getClass().getSimpleName() + ")";
        return Character.toUpperCase(m.charAt(0)) + m.substring(1);
    }
}
