package org.netroot.app;

import java.util.Locale;

/** What the desktop tells about the user's taste: light or dark. JavaFX 21 has no API for it. */
final class DesktopPreferences {
    private DesktopPreferences() {
    }

    /** $NETROOT_THEME (light|dark) wins; else GTK_THEME naming a dark theme. */
    static boolean prefersDark() {
        String forced = System.getenv("NETROOT_THEME");
        if (forced != null && !forced.isBlank()) return forced.trim().equalsIgnoreCase("dark");
        String gtk = System.getenv("GTK_THEME");
        return gtk != null && gtk.toLowerCase(Locale.ROOT).contains("dark");
    }
}
