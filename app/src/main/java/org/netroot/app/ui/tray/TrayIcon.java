package org.netroot.app.ui.tray;

import javafx.stage.Stage;

import java.awt.GraphicsEnvironment;
import java.awt.SystemTray;

/**
 * The app's place in the desktop's system tray: an icon that shows whether the services run, with
 * start all, stop all, open window and quit. Where the desktop has no tray, {@link NoTray} stands in
 * and the window stays the control point. Methods are called on the FX thread.
 */
public interface TrayIcon extends AutoCloseable {
    /** True when an icon really shows, so closing the window may keep the app running. */
    boolean present();

    /** Switches the icon between its "services run" and "services stopped" looks. */
    void showServicesRunning(boolean running);

    /** Tells of a failure while the window may be hidden (a desktop notification from the icon). */
    void showProblem(String words);

    /** Removes the icon (the app quits). */
    @Override
    void close();

    /** The desktop's tray when it has one, else {@link NoTray}. FX thread. */
    static TrayIcon forDesktop(Stage stage, TrayActions actions) {
        if (!desktopHasTray()) return new NoTray();
        try {
            return new SystemTrayIcon(stage, actions);
        } catch (RuntimeException | LinkageError e) {
            return new NoTray();
        }
    }

    /** False under java.awt.headless (tests) and on desktops without a tray protocol. */
    static boolean desktopHasTray() {
        if (GraphicsEnvironment.isHeadless()) return false;
        try {
            return SystemTray.isSupported();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
