package org.netroot.app.ui.tray;

/** A desktop without a tray (or a headless test): nothing shows; the window is the control point. */
public final class NoTray implements TrayIcon {
    /** The line the window shows so the user knows why closing it asks. */
    public static final String NOTE = "No system tray on this desktop: closing this window quits Netroot"
            + " (a server started from this window stops with it)";

    @Override
    public boolean present() {
        return false;
    }

    @Override
    public void showServicesRunning(boolean running) {
    }

    @Override
    public void showProblem(String words) {
        // The window is the control point and shows the error itself.
    }

    @Override
    public void close() {
    }
}
