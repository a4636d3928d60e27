package org.netroot.app.ui.volumes;

import atlantafx.base.theme.Styles;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.feather.Feather;
import org.netroot.app.ui.common.Columns;
import org.netroot.app.ui.common.Formats;
import org.netroot.app.ui.common.Icons;
import org.netroot.server.api.Snapshot;

import java.util.function.Function;

/**
 * A qcow2 volume's snapshots (name, when taken, size), following live changes, with Take snapshot
 * (also while the PC runs), Roll back (confirmed; refused in the server's words while the PC has the
 * volume open) and Remove (confirmed). Each action's own dialog shows the server's answer and stays
 * open until it agreed. Escape or Close closes it.
 */
final class SnapshotsDialog extends Dialog<Void> {
    private final SnapshotsViewModel viewModel;
    private final TableView<Snapshot> table = new TableView<>();
    /** The selection survives the list being read again after a change. */
    private String selectedName;

    SnapshotsDialog(Window owner, VolumesViewModel volumes, VolumeRow volume) {
        this.viewModel = new SnapshotsViewModel(volumes, volume.name());
        initOwner(owner);
        setTitle("Snapshots of " + volume.name());
        setHeaderText("Snapshots of " + volume.name());
        getDialogPane().setId("snapshots-dialog");

        table.setId("snapshots-table");
        table.setItems(viewModel.snapshots());
        table.setPlaceholder(new Label("No snapshots yet: Take snapshot keeps the volume as it is now"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPrefSize(480, 220);
        table.getColumns().add(column("Name", "name", Snapshot::name, s -> s));
        table.getColumns().add(column("Taken", "taken", Snapshot::takenAt, VolumesTable::when));
        table.getColumns().add(column("Size", "size", Snapshot::sizeBytes, Formats::bytes));
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null) selectedName = b.name();
        });
        viewModel.snapshots().addListener((ListChangeListener<Snapshot>) c -> keepSelection());

        Button take = button("snapshot-take", "_Take snapshot…", Feather.CAMERA);
        take.setOnAction(e -> new TakeSnapshotDialog(window(), viewModel).showAndWait());
        Button rollback = button("snapshot-rollback", "Roll _back…", Feather.ROTATE_CCW);
        rollback.setOnAction(e -> selected(this::confirmRollback));
        Button remove = button("snapshot-remove", "Re_move…", Feather.TRASH_2);
        remove.setOnAction(e -> selected(this::confirmRemove));
        var none = Bindings.isNull(table.getSelectionModel().selectedItemProperty());
        rollback.disableProperty().bind(none.or(viewModel.gone()));
        remove.disableProperty().bind(none.or(viewModel.gone()));
        take.disableProperty().bind(viewModel.gone());

        Label about = new Label("Snapshots live inside the volume's file. Taking one works while the PC runs;"
                + " rolling back needs it shut down.");
        about.setWrapText(true);
        about.setMinHeight(Region.USE_PREF_SIZE);
        about.getStyleClass().add(Styles.TEXT_MUTED);
        Label error = new Label();
        error.setId("snapshots-error");
        error.setWrapText(true);
        error.setMinHeight(Region.USE_PREF_SIZE);
        error.getStyleClass().add(Styles.DANGER);
        error.textProperty().bind(Bindings.when(viewModel.gone())
                .then("Volume " + volume.name() + " was removed.").otherwise(viewModel.error()));
        error.visibleProperty().bind(error.textProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());

        VBox content = new VBox(10, new HBox(8, take, rollback, remove), table, about, error);
        content.setPrefWidth(500);
        getDialogPane().setContent(content);
        getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        getDialogPane().lookupButton(ButtonType.CLOSE).setId("snapshots-close");
        setOnHidden(e -> viewModel.close());
    }

    SnapshotsViewModel viewModel() {
        return viewModel;
    }

    private void confirmRollback(Snapshot s) {
        VolumeRow row = viewModel.row().get();
        String v = viewModel.volume();
        new ConfirmDialog(window(), "Roll " + v + " back to " + s.name() + "?",
                "Everything written to " + v + " since " + VolumesTable.when(s.takenAt()) + " is gone: it reads"
                        + " as it did when " + s.name() + " was taken" + sizeNote(row, s) + ". The snapshot stays,"
                        + " so you can roll back to it again. This cannot be undone."
                        + (row != null && row.attached() ? " " + row.clientName() + " has it open: shut it down first." : ""),
                "Roll back", "rollback",
                (done, refused) -> viewModel.rollback(s.name(), r -> done.run(), refused)).showAndWait();
    }

    private static String sizeNote(VolumeRow row, Snapshot s) {
        if (row == null || row.sizeBytes() == s.sizeBytes()) return "";
        return ", and its size goes back to " + Formats.bytes(s.sizeBytes());
    }

    private void confirmRemove(Snapshot s) {
        String v = viewModel.volume();
        new ConfirmDialog(window(), "Remove snapshot " + s.name() + " of " + v + "?",
                v + " stays as it is now; only the way back to " + VolumesTable.when(s.takenAt()) + " is gone,"
                        + " and the space only this snapshot held goes back to the disk. This cannot be undone.",
                "Remove", "snapshot-remove",
                (done, refused) -> viewModel.remove(s.name(), r -> done.run(), refused)).showAndWait();
    }

    private void selected(java.util.function.Consumer<Snapshot> action) {
        Snapshot s = table.getSelectionModel().getSelectedItem();
        if (s != null) action.accept(s);
    }

    private void keepSelection() {
        if (selectedName == null || table.getSelectionModel().getSelectedItem() != null) return;
        viewModel.snapshots().stream().filter(s -> s.name().equals(selectedName)).findFirst()
                .ifPresent(s -> table.getSelectionModel().select(s));
    }

    private Window window() {
        return getDialogPane().getScene() == null ? null : getDialogPane().getScene().getWindow();
    }

    private static Button button(String id, String text, Ikon icon) {
        Button b = new Button(text, Icons.of(icon));
        b.setId(id);
        b.setMnemonicParsing(true);
        return b;
    }

    /** A column sorted by its values (instants, bytes) but showing them as people read them. */
    private static <T> TableColumn<Snapshot, T> column(String title, String id, Function<Snapshot, T> value,
                                                       Function<T, String> text) {
        TableColumn<Snapshot, T> c = new TableColumn<>(title);
        c.setId("snapshots-col-" + id);
        c.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(value.apply(f.getValue())));
        c.setCellFactory(col -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(T item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : text.apply(item));
            }
        });
        return Columns.headerFits(c);
    }
}
