package org.netroot.app.ui.clients;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.event.ActionEvent;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.Separator;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.netroot.server.api.Asset;

/**
 * Add, adopt or edit a client: the {@link ClientForm}'s fields, its first problem under them, and
 * Save enabled only when there is none. Save keeps the dialog open until the server agreed; what the
 * server refused is shown in the dialog, as it said it.
 */
final class ClientDialog {
    /** Saves the form off the FX thread, then calls one of the two back on it. */
    interface Save {
        void save(ClientForm form, Runnable done, Consumer<String> failed);
    }

    static final String NO_VOLUME = "(no volume)";

    private ClientDialog() {
    }

    /**
     * @param volumes the volumes the client may use
     * @param assets the asset library, for the boot modes' choosers
     * @param macEditable false when adopting (the machine's MAC is the point)
     */
    static Dialog<ButtonType> open(Window owner, String title, String saveText, ClientForm form, List<String> volumes,
                                   List<Asset> assets, boolean macEditable, Save save) {
        Dialog<ButtonType> dialog = new Dialog<>();
        dialog.initOwner(owner);
        dialog.setTitle(title);
        dialog.setHeaderText(title);
        ButtonType saveType = new ButtonType(saveText, ButtonBar.ButtonData.OK_DONE);
        dialog.getDialogPane().getButtonTypes().addAll(saveType, ButtonType.CANCEL);
        dialog.getDialogPane().setId("client-dialog");

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE); // the fields give way, not the words saying what they are
        grid.getColumnConstraints().add(labels);
        int row = 0;
        TextField name = field("client-name", form.name().get());
        name.textProperty().bindBidirectional(form.name());
        name.setDisable(form.mode() == ClientForm.Mode.EDIT);
        grid.addRow(row++, new Label("Name"), name);
        TextField mac = field("client-mac", form.mac().get());
        mac.setPromptText("52:54:00:12:34:56");
        mac.textProperty().bindBidirectional(form.mac());
        mac.setDisable(!macEditable);
        grid.addRow(row++, new Label("MAC"), mac);
        row = volumeRows(grid, row, form, volumes);
        row = chapRows(grid, row, form);
        row = initiatorRows(grid, row, form);

        Label problem = new Label();
        problem.setId("client-problem");
        problem.getStyleClass().add("text-muted");
        problem.setWrapText(true);
        problem.setMinHeight(Region.USE_PREF_SIZE); // all of it: a refused initiator name is a long sentence
        problem.textProperty().bind(form.problem());
        Label refused = new Label();
        refused.setId("client-refused");
        refused.getStyleClass().add("danger");
        refused.setWrapText(true);
        form.problem().addListener((o, a, b) -> refused.setText(""));
        Node boot = BootSection.of(form.boot(), assets, () -> {
            if (dialog.getDialogPane().getScene() != null) dialog.getDialogPane().getScene().getWindow().sizeToScene();
        });
        // side by side, not one under the other: one column of both was taller than a 800-pixel screen
        HBox.setHgrow(grid, Priority.ALWAYS);
        HBox.setHgrow(boot, Priority.ALWAYS);
        HBox columns = new HBox(16, grid, new Separator(Orientation.VERTICAL), boot);
        VBox content = new VBox(10, columns, problem, refused);
        content.setPrefWidth(880);
        // neither column is squeezed: the dialog window otherwise opened narrower than the two
        columns.setMinWidth(Region.USE_PREF_SIZE);
        grid.setMinWidth(Region.USE_PREF_SIZE);
        dialog.getDialogPane().setContent(content);

        SimpleBooleanProperty busy = new SimpleBooleanProperty();
        Button ok = (Button) dialog.getDialogPane().lookupButton(saveType);
        ok.setId("client-save");
        ok.disableProperty().bind(form.problem().isNotNull().or(busy));
        ok.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume();
            busy.set(true);
            refused.setText("");
            save.save(form, () -> {
                dialog.setResult(saveType);
                dialog.close();
            }, words -> {
                busy.set(false);
                refused.setText(words);
            });
        });
        dialog.setOnShown(e -> (name.isDisabled() ? mac.isDisabled() ? ok : mac : name).requestFocus());
        dialog.show();
        return dialog;
    }

    private static int volumeRows(GridPane grid, int row, ClientForm form, List<String> volumes) {
        if (form.mode() == ClientForm.Mode.EDIT) {
            List<String> items = new ArrayList<>(volumes);
            items.add(NO_VOLUME);
            ComboBox<String> choice = new ComboBox<>();
            choice.getItems().setAll(items);
            choice.setId("volume-choice");
            choice.setValue(form.existingVolume().get() == null ? NO_VOLUME : form.existingVolume().get());
            choice.valueProperty().addListener((o, a, b) -> form.existingVolume().set(NO_VOLUME.equals(b) ? null : b));
            grid.addRow(row++, new Label("Volume"), choice);
            return row;
        }
        ToggleGroup group = new ToggleGroup();
        RadioButton blank = new RadioButton("New blank volume of");
        blank.setId("volume-new");
        blank.setToggleGroup(group);
        TextField size = field("volume-size", form.size().get());
        size.textProperty().bindBidirectional(form.size());
        size.setPrefColumnCount(8);
        RadioButton existing = new RadioButton("Existing volume");
        existing.setId("volume-existing");
        existing.setToggleGroup(group);
        existing.setDisable(volumes.isEmpty());
        ComboBox<String> choice = new ComboBox<>();
        choice.getItems().setAll(volumes);
        choice.setId("volume-choice");
        choice.valueProperty().bindBidirectional(form.existingVolume());
        group.selectToggle(form.newVolume().get() ? blank : existing);
        form.newVolume().bind(blank.selectedProperty());
        size.disableProperty().bind(blank.selectedProperty().not());
        choice.disableProperty().bind(existing.selectedProperty().not());
        grid.addRow(row++, new Label("Volume"), new HBox(8, blank, size));
        grid.add(new HBox(8, existing, choice), 1, row++);
        return row;
    }

    private static int chapRows(GridPane grid, int row, ClientForm form) {
        CheckBox chap = new CheckBox("Log in with CHAP (recommended)");
        chap.setId("chap-on");
        chap.selectedProperty().bindBidirectional(form.chap());
        TextField user = field("chap-user", form.chapUser().get());
        user.textProperty().bindBidirectional(form.chapUser());
        user.setPromptText("the client's name");
        PasswordField secret = new PasswordField();
        secret.setId("chap-secret");
        secret.textProperty().bindBidirectional(form.chapSecret());
        secret.setPromptText(form.mode() == ClientForm.Mode.EDIT && form.chap().get() ? "unchanged"
                : "generated (or 12 to 16 characters)");
        user.disableProperty().bind(chap.selectedProperty().not());
        secret.disableProperty().bind(chap.selectedProperty().not());
        grid.add(chap, 1, row++);
        grid.addRow(row++, new Label("CHAP user"), user);
        grid.addRow(row++, new Label("CHAP secret"), secret);
        TextField ip = field("reserved-ip", form.reservedIp().get());
        ip.textProperty().bindBidirectional(form.reservedIp());
        ip.setPromptText("none");
        grid.addRow(row++, new Label("Reserved IP"), ip);
        return row;
    }

    /**
     * The initiator names: the one iPXE presents (shown, not edited here), then the others
     * the user adds and removes (the booted OS's own name, a cluster node's). A name the server would
     * refuse cannot be added; the form's problem line says why, and the name stays in the field.
     */
    private static int initiatorRows(GridPane grid, int row, ClientForm form) {
        Label first = new Label();
        first.setId("initiator-first");
        first.textProperty().bind(form.initiatorIqn());
        first.setTooltip(new Tooltip("The initiator name iPXE logs in with"));
        Label firstNote = new Label("(iPXE)");
        firstNote.getStyleClass().add("text-muted");
        firstNote.setMinWidth(Region.USE_PREF_SIZE);
        ListView<String> others = new ListView<>(form.otherIqns());
        others.setId("initiator-list");
        others.setPlaceholder(new Label("No other initiator names"));
        others.setFixedCellSize(26);
        others.setPrefHeight(3 * 26 + 4); // three names without scrolling
        TextField typed = field("initiator-new", form.newIqn().get());
        typed.textProperty().bindBidirectional(form.newIqn());
        typed.setPromptText("another initiator name");
        typed.setTooltip(new Tooltip("e.g. the booted Windows' own, iqn.1991-05.com.microsoft:pc1"));
        typed.setOnAction(e -> form.addNewIqn()); // Enter adds the name (Save stays a click away)
        HBox.setHgrow(typed, Priority.ALWAYS);
        Button add = new Button("Add");
        add.setId("initiator-add");
        add.setMinWidth(Region.USE_PREF_SIZE); // the field gives way, not the buttons' words
        add.disableProperty().bind(form.canAddNewIqn().not());
        add.setOnAction(e -> {
            form.addNewIqn();
            typed.requestFocus();
        });
        Button remove = new Button("Remove");
        remove.setId("initiator-remove");
        remove.setMinWidth(Region.USE_PREF_SIZE);
        remove.disableProperty().bind(others.getSelectionModel().selectedItemProperty().isNull());
        remove.setOnAction(e -> form.otherIqns().remove(others.getSelectionModel().getSelectedIndex()));
        Label label = new Label("Initiators");
        label.setTooltip(new Tooltip("Initiator names that may log in to this client's disk: iPXE's, and others"
                + " such as the booted OS's own name or a second cluster node's"));
        grid.addRow(row++, label, new HBox(6, first, firstNote));
        grid.add(others, 1, row++);
        grid.add(new HBox(6, typed, add, remove), 1, row++);
        return row;
    }

    private static TextField field(String id, String text) {
        TextField f = new TextField(text);
        f.setId(id);
        return f;
    }
}
