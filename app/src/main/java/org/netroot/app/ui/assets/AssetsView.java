package org.netroot.app.ui.assets;

import atlantafx.base.theme.Styles;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.ToolBar;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.feather.Feather;
import org.netroot.app.AppContext;
import org.netroot.app.ui.common.Columns;
import org.netroot.app.ui.common.Formats;
import org.netroot.app.ui.common.Icons;
import org.netroot.app.ui.common.JobLine;
import org.netroot.app.ui.common.View;
import org.netroot.server.api.Asset;
import org.netroot.server.api.Job;

import java.util.function.Function;

/**
 * The asset library: kernels, initrds, installer ISOs and root images that clients' boot modes name.
 * A table (name, kind, size, checksum), Add (a file copied in as a job, its progress under the table)
 * and Remove (confirmed; the server refuses while a client boots with it, and its words show here).
 */
public final class AssetsView implements View {
    private final AssetsViewModel viewModel;
    private final BorderPane root = new BorderPane();
    private final TableView<Asset> table;
    private final VBox progress = new VBox(6);

    public AssetsView(AppContext context) {
        viewModel = new AssetsViewModel(context.model());
        table = new TableView<>(viewModel.assets());
        table.setId("assets-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No assets yet: Add a kernel and initrd, an installer ISO or a root image,"
                + " then choose them in a client's boot mode"));
        table.getColumns().add(column("Name", "name", Asset::name));
        table.getColumns().add(column("Kind", "kind", a -> a.kind().id()));
        table.getColumns().add(column("Size", "size", a -> Formats.bytes(a.sizeBytes())));
        table.getColumns().add(column("SHA-256", "sha", a -> AssetsViewModel.shortSha(a.sha256())));
        TableColumn<Asset, String> usedBy = Columns.headerFits(new TableColumn<>("Used by"));
        usedBy.setId("assets-col-used-by");
        usedBy.setCellValueFactory(f -> Bindings.createStringBinding(
                () -> AssetsViewModel.usedBy(f.getValue(), viewModel.clients()), viewModel.clients()));
        table.getColumns().add(usedBy);
        root.setId("assets-view");
        root.setTop(toolbar());
        root.setCenter(table);
        Label error = new Label();
        error.setId("assets-error");
        error.setWrapText(true);
        error.getStyleClass().add(Styles.DANGER);
        error.textProperty().bind(viewModel.error());
        error.visibleProperty().bind(viewModel.error().isNotNull());
        error.managedProperty().bind(error.visibleProperty());
        progress.setId("asset-jobs");
        progress.managedProperty().bind(progress.visibleProperty());
        viewModel.adding().addListener((ListChangeListener<Job>) c -> showProgress());
        showProgress();
        VBox bottom = new VBox(8, progress, error);
        bottom.setPadding(new Insets(8, 0, 0, 0));
        root.setBottom(bottom);
    }

    private ToolBar toolbar() {
        Button add = new Button("_Add…", Icons.of(Feather.PLUS));
        add.setId("asset-add");
        add.setOnAction(e -> new AddAssetDialog(window(), viewModel).showAndWait());
        Button remove = new Button("Re_move…", Icons.of(Feather.TRASH_2));
        remove.setId("asset-remove");
        remove.disableProperty().bind(Bindings.isNull(table.getSelectionModel().selectedItemProperty()));
        remove.setOnAction(e -> {
            Asset a = table.getSelectionModel().getSelectedItem();
            if (a != null) confirmRemove(a);
        });
        return new ToolBar(add, remove);
    }

    private static TableColumn<Asset, String> column(String title, String id, Function<Asset, String> value) {
        TableColumn<Asset, String> c = new TableColumn<>(title);
        c.setId("assets-col-" + id);
        c.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(value.apply(f.getValue())));
        return Columns.headerFits(c);
    }

    /** One line per add still copying: its name, a bar, bytes done of total, Cancel. */
    private void showProgress() {
        progress.getChildren().setAll(viewModel.adding().stream().map(this::line).toList());
        progress.setVisible(!progress.getChildren().isEmpty());
    }

    private HBox line(Job j) {
        return JobLine.of(j, "Adding " + j.subject(), "asset", viewModel::cancel);
    }

    private void confirmRemove(Asset a) {
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION);
        confirm.initOwner(window());
        confirm.setTitle("Remove asset");
        confirm.setHeaderText("Remove asset " + a.name() + "?");
        confirm.setContentText("Its file is deleted from the data folder. A client that boots with it must be"
                + " given another first.");
        ((Button) confirm.getDialogPane().lookupButton(ButtonType.OK)).setText("Remove");
        confirm.getDialogPane().lookupButton(ButtonType.OK).setId("asset-remove-confirm");
        confirm.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> viewModel.remove(a.name()));
    }

    private javafx.stage.Window window() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }

    public AssetsViewModel viewModel() {
        return viewModel;
    }

    @Override
    public String title() {
        return "Assets";
    }

    @Override
    public Ikon icon() {
        return Feather.PACKAGE;
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
