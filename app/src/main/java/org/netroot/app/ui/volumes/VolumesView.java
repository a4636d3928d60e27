package org.netroot.app.ui.volumes;

import atlantafx.base.theme.Styles;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.feather.Feather;
import org.netroot.app.AppContext;
import org.netroot.app.ui.common.Icons;
import org.netroot.app.ui.common.View;

import java.util.function.Predicate;

/**
 * The volumes: a live table (golden image or overlay, shared, format, size, space on disk, which client
 * has it, its I/O rate), the data folder's free space, and the actions on them: create, import and
 * export (with progress and cancel), resize, sharing, remove (confirmed); make golden, new overlay of a
 * golden image, reset and promote an overlay (a job with progress and cancel); a qcow2 volume's
 * snapshots (take, roll back, remove). Each action button is
 * enabled only for a selected volume it applies to; the server's refusals show in its words.
 */
public final class VolumesView implements View {
    private final VolumesViewModel viewModel;
    private final BorderPane root = new BorderPane();
    private final VolumesTable table;
    /** The selection survives the list being rebuilt when another volume comes or goes. */
    private String selectedName;
    /** The selected volume's row as it is now: follows live changes (a volume made golden) without a reselect. */
    private final ObjectProperty<VolumeRow> selectedRow = new SimpleObjectProperty<>();

    public VolumesView(AppContext context) {
        viewModel = new VolumesViewModel(context.model());
        table = new VolumesTable(viewModel);
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            selectedRow.unbind();
            if (b == null) selectedRow.set(null);
            else selectedRow.bind(b.rowProperty());
        });
        root.setId("volumes-view");
        root.getStylesheets().add(VolumesView.class.getResource("/org/netroot/app/volumes.css").toExternalForm());
        root.setTop(toolbar());
        root.setCenter(table);
        Label error = new Label();
        error.setId("volumes-error");
        error.setWrapText(true);
        error.getStyleClass().add(Styles.DANGER);
        error.textProperty().bind(viewModel.error());
        error.visibleProperty().bind(viewModel.error().isNotNull());
        error.managedProperty().bind(error.visibleProperty());
        VBox bottom = new VBox(8, new JobsPane(viewModel), error);
        bottom.setPadding(new Insets(8, 0, 0, 0));
        root.setBottom(bottom);
        root.getStyleClass().add("volumes-view");
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null) selectedName = b.name();
        });
        viewModel.entries().addListener((ListChangeListener<VolumeEntry>) c -> keepSelection());
    }

    private VBox toolbar() {
        Button create = button("volume-create", "_Create…", Feather.PLUS);
        create.setOnAction(e -> new CreateVolumeDialog(window(), viewModel).showAndWait());
        Button importButton = button("volume-import", "_Import…", Feather.DOWNLOAD);
        importButton.setOnAction(e -> new ImportDialog(window(), viewModel).showAndWait());
        Button export = button("volume-export", "E_xport…", Feather.UPLOAD);
        export.setOnAction(e -> selected(r -> new ExportDialog(window(), viewModel, r).showAndWait()));
        Button resize = button("volume-resize", "_Resize…", Feather.MAXIMIZE_2);
        resize.setOnAction(e -> selected(r -> new ResizeDialog(window(), viewModel, r).showAndWait()));
        Button remove = button("volume-remove", "Re_move…", Feather.TRASH_2);
        remove.setOnAction(e -> selected(this::confirmRemove));
        Button sharing = button("volume-sharing", "S_haring…", Feather.USERS);
        sharing.setOnAction(e -> selected(r -> new SharingDialog(window(), viewModel, r).showAndWait()));
        var none = Bindings.isNull(table.getSelectionModel().selectedItemProperty());
        for (Button b : new Button[] {export, resize, remove, sharing}) b.disableProperty().bind(none);

        Button golden = button("volume-golden", "Make _golden…", Feather.STAR);
        golden.setOnAction(e -> selected(this::confirmGolden));
        golden.disableProperty().bind(unless(VolumeRow::canBecomeGolden));
        Button clone = button("volume-clone", "New _overlay…", Feather.COPY);
        clone.setOnAction(e -> selected(r -> new NewOverlayDialog(window(), viewModel, r).showAndWait()));
        clone.disableProperty().bind(unless(VolumeRow::canClone));
        Button reset = button("volume-reset", "R_eset…", Feather.ROTATE_CCW);
        reset.setOnAction(e -> selected(this::confirmReset));
        reset.disableProperty().bind(unless(VolumeRow::canResetOrPromote));
        Button promote = button("volume-promote", "_Promote…", Feather.ARROW_UP_CIRCLE);
        promote.setOnAction(e -> selected(r -> new PromoteDialog(window(), viewModel, r).showAndWait()));
        promote.disableProperty().bind(unless(VolumeRow::canResetOrPromote));
        Button snapshots = button("volume-snapshots", "_Snapshots…", Feather.CAMERA);
        snapshots.setOnAction(e -> selected(r -> new SnapshotsDialog(window(), viewModel, r).showAndWait()));
        snapshots.disableProperty().bind(unless(VolumeRow::canSnapshot));

        // snapshots sit in the first row: the second, with the free space, has no room left at the default width
        ToolBar volumes = new ToolBar(create, importButton, export, resize, sharing, remove, snapshots);
        // a second row: at the window's default width one row would push buttons into the overflow menu
        ToolBar goldenImages = new ToolBar(golden, clone, reset, promote);
        goldenImages.setId("volumes-golden-toolbar");
        HBox.setHgrow(goldenImages, Priority.ALWAYS);
        HBox second = new HBox(12, goldenImages, freeSpace());
        second.setAlignment(Pos.CENTER_LEFT);
        return new VBox(volumes, second);
    }

    /** True while no volume is selected or the selected one is not one {@code applies} to. */
    private BooleanBinding unless(Predicate<VolumeRow> applies) {
        return Bindings.createBooleanBinding(() -> selectedRow.get() == null || !applies.test(selectedRow.get()),
                selectedRow);
    }

    /** The data folder's free space; a warning when the volumes could together outgrow it. */
    private Label freeSpace() {
        Label free = new Label();
        free.setId("volumes-free-space");
        free.getStyleClass().add("free-space");
        free.setMinWidth(Region.USE_PREF_SIZE);
        free.textProperty().bind(Bindings.createStringBinding(() -> FreeSpace.line(viewModel.diskSpace().get()),
                viewModel.diskSpace()));
        Tooltip why = new Tooltip("The volumes could together grow past this: they are sparse, so that works"
                + " until the data written fills the disk; then clients' writes fail.");
        why.setWrapText(true);
        why.setMaxWidth(360);
        viewModel.overcommitted().addListener((o, a, b) -> showOvercommit(free, why, b));
        showOvercommit(free, why, viewModel.overcommitted().get());
        return free;
    }

    private static void showOvercommit(Label free, Tooltip why, boolean overcommitted) {
        free.getStyleClass().removeAll(Styles.WARNING, Styles.TEXT_MUTED);
        free.getStyleClass().add(overcommitted ? Styles.WARNING : Styles.TEXT_MUTED);
        free.setTooltip(overcommitted ? why : null);
        // a sign that there is more to read (the tooltip), not only a colour
        free.setGraphic(overcommitted ? Icons.of(Feather.ALERT_TRIANGLE) : null);
    }

    private static Button button(String id, String text, Ikon icon) {
        Button b = new Button(text, Icons.of(icon));
        b.setId(id);
        b.setMnemonicParsing(true);
        return b;
    }

    private void selected(java.util.function.Consumer<VolumeRow> action) {
        VolumeEntry e = table.getSelectionModel().getSelectedItem();
        if (e != null) action.accept(e.row());
    }

    private void confirmRemove(VolumeRow r) {
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION);
        confirm.initOwner(window());
        confirm.setTitle("Remove volume");
        confirm.setHeaderText("Remove volume " + r.name() + "?");
        confirm.setContentText("Its file and every byte on it are deleted. This cannot be undone.");
        ((Button) confirm.getDialogPane().lookupButton(ButtonType.OK)).setText("Remove");
        confirm.getDialogPane().lookupButton(ButtonType.OK).setId("remove-confirm");
        confirm.getDialogPane().lookupButton(ButtonType.CANCEL).setId("remove-cancel");
        ((Button) confirm.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        ((Button) confirm.getDialogPane().lookupButton(ButtonType.OK)).setDefaultButton(false);
        confirm.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> viewModel.remove(r.name()));
    }

    private void confirmGolden(VolumeRow r) {
        new ConfirmDialog(window(), "Make " + r.name() + " a golden image?",
                r.name() + " becomes read-only from now on: a PC that boots it sees a write-protected disk."
                        + " New overlay… then gives each PC its own overlay of it, holding only that PC's writes."
                        + (r.attached() ? " " + r.clientName() + " has it open: shut it down first." : ""),
                "Make golden", "golden",
                (done, refused) -> viewModel.makeGolden(r.name(), v -> done.run(), refused)).showAndWait();
    }

    private void confirmReset(VolumeRow r) {
        new ConfirmDialog(window(), "Reset " + r.name() + "?",
                "Throws away everything written to " + r.name() + " since it was made from " + r.overlayOf()
                        + " (or last reset): its client's changes are lost, and it reads as " + r.overlayOf()
                        + " again. This cannot be undone."
                        + (r.attached() ? " " + r.clientName() + " has it open: shut it down first." : ""),
                "Reset", "reset",
                (done, refused) -> viewModel.reset(r.name(), v -> done.run(), refused)).showAndWait();
    }

    private void keepSelection() {
        if (selectedName == null || table.getSelectionModel().getSelectedItem() != null) return;
        viewModel.entry(selectedName).ifPresent(e -> table.getSelectionModel().select(e));
    }

    private javafx.stage.Window window() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }

    public VolumesViewModel viewModel() {
        return viewModel;
    }

    @Override
    public String title() {
        return "Volumes";
    }

    @Override
    public Ikon icon() {
        return Feather.HARD_DRIVE;
    }

    @Override
    public Node node() {
        return root;
    }

    @Override
    public void shown() {
        table.requestFocus();
    }
}
