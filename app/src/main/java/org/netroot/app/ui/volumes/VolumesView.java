package org.netroot.app.ui.volumes;

import atlantafx.base.theme.Styles;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ToolBar;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.feather.Feather;
import org.netroot.app.AppContext;
import org.netroot.app.ui.common.Icons;
import org.netroot.app.ui.common.View;

/**
 * The volumes: a live table (size, used, which client has it, its I/O rate) and the actions on
 * them: create, import and export (with progress and cancel), resize, remove (confirmed).
 */
public final class VolumesView implements View {
    private final VolumesViewModel viewModel;
    private final BorderPane root = new BorderPane();
    private final VolumesTable table;
    /** The selection survives the list being rebuilt when another volume comes or goes. */
    private String selectedName;

    public VolumesView(AppContext context) {
        viewModel = new VolumesViewModel(context.model());
        table = new VolumesTable(viewModel);
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

    private ToolBar toolbar() {
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
        var none = Bindings.isNull(table.getSelectionModel().selectedItemProperty());
        for (Button b : new Button[] {export, resize, remove}) b.disableProperty().bind(none);
        return new ToolBar(create, importButton, export, resize, remove);
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
