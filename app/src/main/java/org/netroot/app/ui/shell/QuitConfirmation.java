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

    /** True when the user confirmed. FX thread (waits in a nested event loop). */
    public static boolean ask(Window owner, boolean serverInThisWindow) {
        Alert alert = new Alert(serverInThisWindow ? Alert.AlertType.WARNING : Alert.AlertType.CONFIRMATION,
                message(serverInThisWindow), CLOSE, ButtonType.CANCEL);
        alert.initOwner(owner);
        alert.setTitle("Close Netroot");
        alert.setHeaderText(serverInThisWindow ? "Close Netroot and stop its server?" : "Close Netroot?");
        alert.getDialogPane().setId("quit-confirmation");
        alert.getDialogPane().setPrefWidth(480);
        ((Button) alert.getDialogPane().lookupButton(CLOSE)).setId("confirm-quit");
        ((Button) alert.getDialogPane().lookupButton(ButtonType.CANCEL)).setId("cancel-quit");
        return alert.showAndWait().filter(CLOSE::equals).isPresent();
    }

    static String message(boolean serverInThisWindow) {
        String noTray = "This desktop has no system tray, so Netroot cannot keep running in the background.";
        if (!serverInThisWindow) return noTray + " A system service or `netroot serve` keeps serving clients.";
        return noTray + " The server runs inside this window and stops too: clients booted from it lose their"
                + " disks until a server runs again.";
    }
}
