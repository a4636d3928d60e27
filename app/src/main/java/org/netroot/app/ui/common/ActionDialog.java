package org.netroot.app.ui.common;

import atlantafx.base.theme.Styles;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.event.ActionEvent;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import java.util.function.Consumer;

/**
 * A dialog that asks the server to do something: its fields in a grid, a line that says what is
 * wrong with them (or what the server answered), and an apply button that stays disabled while the
 * input is invalid. Applying keeps the dialog open until the server agreed; a refusal is shown in
 * the dialog, in the server's words. Enter applies, Escape cancels.
 */
public abstract class ActionDialog extends Dialog<Void> {
    protected final GridPane form = new GridPane();
    protected final Label hint = new Label();
    protected final Label failure = new Label();
    protected final Button apply;
    private boolean busy;

    protected ActionDialog(Window owner, String title, String applyText, String idPrefix) {
        initOwner(owner);
        setTitle(title);
        setHeaderText(title);
        form.setHgap(10);
        form.setVgap(8);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE); // "Name", "Size": the fields and wrapped lines give way, not they
        form.getColumnConstraints().add(labels);
        hint.setId(idPrefix + "-hint");
        hint.setWrapText(true);
        hint.setMinHeight(Region.USE_PREF_SIZE); // wrapped lines take their height instead of an ellipsis
        hint.getStyleClass().add(Styles.TEXT_MUTED);
        failure.setId(idPrefix + "-error");
        failure.setWrapText(true);
        failure.setMinHeight(Region.USE_PREF_SIZE);
        failure.getStyleClass().add(Styles.DANGER);
        failure.managedProperty().bind(failure.visibleProperty());
        failure.setVisible(false);
        VBox content = new VBox(10, form, hint, failure);
        content.setPrefWidth(460);
        hint.textProperty().addListener((o, a, b) -> fit());
        getDialogPane().setContent(content);
        ButtonType applyType = new ButtonType(applyText, ButtonBar.ButtonData.OK_DONE);
        getDialogPane().getButtonTypes().addAll(applyType, ButtonType.CANCEL);
        apply = (Button) getDialogPane().lookupButton(applyType);
        apply.setId(idPrefix + "-apply");
        apply.setDefaultButton(true);
        getDialogPane().lookupButton(ButtonType.CANCEL).setId(idPrefix + "-cancel");
        apply.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume(); // closes only once the server agreed
            if (busy) return;
            busy = true;
            apply.setDisable(true);
            failure.setVisible(false);
            submit(this::succeeded, this::refused);
        });
    }

    /** Asks the server; calls exactly one of {@code done} or {@code refused} (with the reason), on the FX thread. */
    protected abstract void submit(Runnable done, Consumer<String> refused);

    /** Whether the input is good enough to submit; subclasses call {@link #revalidate()} as it changes. */
    protected abstract boolean inputValid();

    protected final void revalidate() {
        apply.setDisable(busy || !inputValid());
    }

    private void succeeded() {
        busy = false;
        setResult(null);
        close();
    }

    private void refused(String why) {
        busy = false;
        failure.setText(why);
        failure.setVisible(true);
        revalidate();
        fit();
    }

    /** Calls {@code onChange} when {@code value} changes, until the dialog closes (the view-model outlives it). */
    protected final void whileOpen(ObservableValue<?> value, Runnable onChange) {
        ChangeListener<Object> l = (o, a, b) -> onChange.run();
        value.addListener(l);
        setOnHidden(e -> value.removeListener(l));
    }

    /** Shows the hint as a warning (a size past the free space: allowed, but worth reading) or as a quiet note. */
    protected final void warn(boolean warning) {
        hint.getStyleClass().removeAll(Styles.TEXT_MUTED, Styles.WARNING);
        hint.getStyleClass().add(warning ? Styles.WARNING : Styles.TEXT_MUTED);
    }

    /** Grows the window to its content after a line appeared (a refusal, a confirmation), so no button is cut off. */
    protected final void fit() {
        Platform.runLater(() -> { // after the new text was laid out
            if (getDialogPane().getScene() != null && getDialogPane().getScene().getWindow() != null) {
                getDialogPane().getScene().getWindow().sizeToScene();
            }
        });
    }
}
