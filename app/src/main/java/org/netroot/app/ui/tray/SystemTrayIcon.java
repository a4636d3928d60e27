package org.netroot.app.ui.tray;

import com.dustinredmond.fxtrayicon.FXTrayIcon;
import javafx.scene.control.MenuItem;
import javafx.stage.Stage;

import java.awt.EventQueue;
import java.awt.Image;

/**
 * The desktop's tray through FXTrayIcon (AWT's SystemTray with a JavaFX menu). FXTrayIcon is built
 * and its menu filled on the FX thread (it moves the AWT work to the AWT thread and runs the items'
 * actions on the FX thread); the icon's image is swapped on the AWT thread.
 */
final class SystemTrayIcon implements TrayIcon {
    private final FXTrayIcon icon;
    private final Image running = TrayImages.running();
    private final Image stopped = TrayImages.stopped();
    private Boolean shownRunning;

    SystemTrayIcon(Stage stage, TrayActions actions) {
        icon = new FXTrayIcon(stage, stopped, 22, 22);
        icon.setApplicationTitle("Netroot");
        icon.setTrayIconTooltip("Netroot: services stopped");
        icon.addMenuItem(item("Open window", actions.openWindow()));
        icon.addSeparator();
        icon.addMenuItem(item("Start all services", actions.startAll()));
        icon.addMenuItem(item("Stop all services", actions.stopAll()));
        icon.addSeparator();
        icon.addMenuItem(item("Quit Netroot", actions.quit()));
        icon.setOnAction(e -> actions.openWindow().run());
        icon.show();
    }

    private static MenuItem item(String text, Runnable action) {
        MenuItem item = new MenuItem(text);
        item.setOnAction(e -> action.run());
        return item;
    }

    @Override
    public boolean present() {
        return true;
    }

    @Override
    public void showServicesRunning(boolean servicesRun) {
        if (shownRunning != null && shownRunning == servicesRun) return;
        shownRunning = servicesRun;
        Image image = servicesRun ? running : stopped;
        String tip = servicesRun ? "Netroot: services running" : "Netroot: services stopped";
        EventQueue.invokeLater(() -> icon.setGraphic(image, 22, 22));
        icon.setTrayIconTooltip(tip);
    }

    @Override
    public void showProblem(String words) {
        icon.showErrorMessage("Netroot", words);
    }

    @Override
    public void close() {
        icon.hide();
    }
}
