package org.netroot.server.cli;

/** The message of an exception as a user should read it. */
final class UserMessages {
    private UserMessages() {
    }

    static String of(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) t = t.getCause();
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
