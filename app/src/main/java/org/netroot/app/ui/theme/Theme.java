package org.netroot.app.ui.theme;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;

/**
 * The app's look: AtlantaFX Primer, light or dark. {@link #dark()} switches it at runtime (the View
 * menu's toggle binds to it); every window of the app follows, since the theme is the user-agent
 * stylesheet. FX thread.
 */
public final class Theme {
    private final BooleanProperty dark = new SimpleBooleanProperty();

    public Theme(boolean startDark) {
        dark.addListener((o, was, now) -> apply(now));
        dark.set(startDark);
        apply(startDark);
    }

    public BooleanProperty dark() {
        return dark;
    }

    public String name() {
        return dark.get() ? "dark" : "light";
    }

    private static void apply(boolean dark) {
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
    }
}
