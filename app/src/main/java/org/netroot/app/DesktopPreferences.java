package org.netroot.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What the desktop tells about the user's taste: light or dark. JavaFX 21 has no API for it, so we
 * read, in order: $NETROOT_THEME (light|dark), $GTK_THEME naming a dark theme, GNOME's
 * {@code color-scheme} setting (GNOME 42+, also set by KDE's and Xfce's GTK bridges), then GNOME's
 * {@code gtk-theme} naming a dark theme. Light when nothing says dark.
 */
public final class DesktopPreferences {
    private static final long GSETTINGS_TIMEOUT_MS = 800;
    private static volatile Boolean detected;

    private DesktopPreferences() {
    }

    /** Asks the desktop (runs gsettings, bounded by a short timeout): call it before launch, off the FX thread. */
    public static void detect() {
        detected = prefersDark(System.getenv(), DesktopPreferences::gsettings);
    }

    /** The desktop's preference: what {@link #detect()} found, else what the environment alone says. */
    public static boolean prefersDark() {
        Boolean d = detected;
        return d != null ? d : prefersDark(System.getenv(), key -> Optional.empty());
    }

    /** The decision, with the desktop's settings passed in ({@code gsettings} maps a key to its printed value). */
    static boolean prefersDark(Map<String, String> env, Function<String, Optional<String>> gsettings) {
        String forced = env.get("NETROOT_THEME");
        if (forced != null && !forced.isBlank()) return forced.trim().equalsIgnoreCase("dark");
        String gtk = env.get("GTK_THEME");
        if (gtk != null && !gtk.isBlank()) return namesDark(gtk);
        Optional<String> scheme = gsettings.apply("color-scheme");
        if (scheme.isPresent()) {
            String s = scheme.get();
            if (s.contains("prefer-dark")) return true;
            if (s.contains("prefer-light")) return false;
        }
        return gsettings.apply("gtk-theme").map(DesktopPreferences::namesDark).orElse(false);
    }

    private static boolean namesDark(String theme) {
        return theme.toLowerCase(Locale.ROOT).contains("dark");
    }

    /** {@code gsettings get org.gnome.desktop.interface KEY}, or empty when there is no gsettings or it hangs. */
    static Optional<String> gsettings(String key) {
        Process p;
        try {
            p = new ProcessBuilder("gsettings", "get", "org.gnome.desktop.interface", key)
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            return Optional.empty(); // no gsettings on this desktop
        }
        try {
            p.getOutputStream().close();
            if (!p.waitFor(GSETTINGS_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            if (p.exitValue() != 0) return Optional.empty();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return out.isEmpty() ? Optional.empty() : Optional.of(out);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return Optional.empty();
        }
    }
}
