package org.netroot.app.ui.shell;

import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;

/**
 * Asks before the window closes the app for good (a desktop without a tray): says that nothing
 * keeps running, and warns when the server runs inside this window. Escape cancels.
 */
public final class QuitConfirmation {
    static final ButtonType CLOSE = new ButtonType("Close Netroot", ButtonBar.ButtonData.OK_DONE);

    private QuitConfirmation() {
    }

    /** Which server serves the clients now: it decides what closing does to them. */
    public enum Server { IN_THIS_WINDOW, ELSEWHERE, NONE }

    /** True when the user confirmed. FX thread (waits in a nested event loop). */
    public static boolean ask(Window owner, Server server) {
        boolean serverInThisWindow = server == Server.IN_THIS_WINDOW;
        Alert alert = new Alert(serverInThisWindow ? Alert.AlertType.WARNING : Alert.AlertType.CONFIRMATION,
                message(server), CLOSE, ButtonType.CANCEL);
        alert.initOwner(owner);
        alert.setTitle("Close Netroot");
        alert.setHeaderText(serverInThisWindow ? "Close Netroot and stop its server?" : "Close Netroot?");
        alert.getDialogPane().setId("quit-confirmation");
        alert.getDialogPane().setPrefWidth(480);
        ((Button) alert.getDialogPane().lookupButton(CLOSE)).setId("confirm-quit");
        ((Button) alert.getDialogPane().lookupButton(ButtonType.CANCEL)).setId("cancel-quit");
        return alert.showAndWait().filter(CLOSE::equals).isPresent();
    }

    static String message(Server server) {
        String noTray = "This desktop has no system tray, so Netroot cannot keep running in the background.";
        return switch (server) {
            case IN_THIS_WINDOW -> noTray + " The server runs inside this window and stops too: clients booted"
                    + " from it lose their disks until a server runs again.";
            case ELSEWHERE -> noTray + " The server (system service or `netroot serve`) keeps serving clients.";
            case NONE -> noTray;
        };
    }
}
