package org.netroot.app.ui.volumes;

import org.netroot.app.ui.common.ActionDialog;
import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import javafx.stage.Window;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Asks before an action that cannot be taken back (make golden, reset): what it does in words, then
 * the server is asked and the dialog stays open until it agreed. A refusal (a client has the volume
 * open) shows in the dialog in the server's words. Cancel has the focus, so Enter alone does nothing
 * harmful: the user tabs to, or clicks, the action.
 */
final class ConfirmDialog extends ActionDialog {
    private final BiConsumer<Runnable, Consumer<String>> action;

    /** @param action asks the server; calls the runnable once done, or the consumer with the refusal */
    ConfirmDialog(Window owner, String title, String what, String applyText, String idPrefix,
                  BiConsumer<Runnable, Consumer<String>> action) {
        super(owner, title, applyText, idPrefix);
        this.action = action;
        Label text = new Label(what);
        text.setId(idPrefix + "-text");
        text.setWrapText(true);
        text.setMinHeight(Region.USE_PREF_SIZE);
        text.setMaxWidth(440);
        form.add(text, 0, 0);
        hint.managedProperty().bind(hint.textProperty().isNotEmpty());
        apply.setDefaultButton(false);
        revalidate();
        Platform.runLater(() -> getDialogPane().lookupButton(javafx.scene.control.ButtonType.CANCEL).requestFocus());
    }

    @Override
    protected boolean inputValid() {
        return true;
    }

    @Override
    protected void submit(Runnable done, Consumer<String> refused) {
        action.accept(done, refused);
    }
}
