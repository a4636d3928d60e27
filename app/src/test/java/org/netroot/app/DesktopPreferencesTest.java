package org.netroot.app;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Light or dark, from what the environment and GNOME's settings say, in that order. */
class DesktopPreferencesTest {
    private static Function<String, Optional<String>> gsettings(String colorScheme, String gtkTheme) {
        return key -> Optional.ofNullable(switch (key) {
            case "color-scheme" -> colorScheme;
            case "gtk-theme" -> gtkTheme;
            default -> null;
        });
    }

    @Test
    void netrootThemeWinsOverEverything() {
        assertFalse(DesktopPreferences.prefersDark(Map.of("NETROOT_THEME", "light", "GTK_THEME", "Adwaita:dark"),
                gsettings("'prefer-dark'", null)));
        assertTrue(DesktopPreferences.prefersDark(Map.of("NETROOT_THEME", "Dark"), gsettings("'prefer-light'", null)));
    }

    @Test
    void gtkThemeVariableComesBeforeGsettings() {
        assertTrue(DesktopPreferences.prefersDark(Map.of("GTK_THEME", "Adwaita:dark"), gsettings("'default'", null)));
        assertFalse(DesktopPreferences.prefersDark(Map.of("GTK_THEME", "Adwaita"), gsettings("'prefer-dark'", null)));
    }

    @Test
    void gnomeColorSchemeDecidesThenTheGtkThemeName() {
        assertTrue(DesktopPreferences.prefersDark(Map.of(), gsettings("'prefer-dark'", "'Adwaita'")));
        assertFalse(DesktopPreferences.prefersDark(Map.of(), gsettings("'prefer-light'", "'Yaru-dark'")));
        assertTrue(DesktopPreferences.prefersDark(Map.of(), gsettings("'default'", "'Yaru-dark'")));
        assertFalse(DesktopPreferences.prefersDark(Map.of(), gsettings("'default'", "'Yaru'")));
    }

    @Test
    void lightWhenNothingSaysDark() {
        assertFalse(DesktopPreferences.prefersDark(Map.of(), gsettings(null, null)));
    }

    @Test
    void aMissingGsettingsIsNoError() {
        // Whatever this machine has: the call returns within its timeout and never throws.
        long start = System.nanoTime();
        DesktopPreferences.gsettings("color-scheme");
        assertTrue(System.nanoTime() - start < 5_000_000_000L);
    }
}
