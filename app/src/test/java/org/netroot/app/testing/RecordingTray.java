package org.netroot.app.testing;

import javafx.stage.Stage;
import org.netroot.app.ui.tray.TrayActions;
import org.netroot.app.ui.tray.TrayIcon;

/** A tray that is "present" and records what the app shows in it; its menu is {@link #actions()}. */
public final class RecordingTray implements TrayIcon {
    private volatile TrayActions actions;
    private volatile Boolean running;
    private volatile boolean closed;
    private volatile String problem;

    public TrayIcon create(Stage stage, TrayActions menu) {
        this.actions = menu;
        return this;
    }

    public TrayActions actions() {
        return actions;
    }

    /** The last look: true for "services run", null before the first. */
    public Boolean running() {
        return running;
    }

    /** The last failure the tray told of (null: none). */
    public String problem() {
        return problem;
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public boolean present() {
        return true;
    }

    @Override
    public void showServicesRunning(boolean servicesRun) {
        running = servicesRun;
    }

    @Override
    public void showProblem(String words) {
        problem = words;
    }

    @Override
    public void close() {
        closed = true;
    }
}
