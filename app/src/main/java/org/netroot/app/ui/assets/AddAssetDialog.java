package org.netroot.app.ui.assets;

import java.io.File;
import java.util.function.Consumer;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.util.StringConverter;
import org.netroot.app.ui.common.ActionDialog;
import org.netroot.server.api.Asset;
import org.netroot.server.api.AssetKind;

/**
 * Adds a file (a path on this machine) to the asset library under a name, of a kind the server tells
 * from the file unless one is chosen; the copy runs as a job whose progress shows under the table.
 */
final class AddAssetDialog extends ActionDialog {
    /** The kind choice that lets the server tell (from the file's bytes or name). */
    static final String GUESS = "tell from the file";
    private static final String HINT = "Boot modes name assets: a kernel, an initrd, an installer ISO, a root image."
            + " The server copies the file into its data folder; the bar under the table shows how far.";

    private final AssetsViewModel viewModel;
    private final TextField path = new TextField();
    private final TextField name = new TextField();
    private final ComboBox<AssetKind> kind = new ComboBox<>();

    AddAssetDialog(Window owner, AssetsViewModel viewModel) {
        super(owner, "Add an asset", "Add", "asset-add");
        this.viewModel = viewModel;
        path.setId("asset-path");
        path.setPromptText("/path/to/vmlinuz");
        name.setId("asset-name");
        kind.setId("asset-kind");
        kind.getItems().add(null);
        kind.getItems().addAll(AssetKind.values());
        kind.setConverter(new StringConverter<>() {
            @Override
            public String toString(AssetKind k) {
                return k == null ? GUESS : k.id();
            }

            @Override
            public AssetKind fromString(String s) {
                return null;
            }
        });
        kind.setValue(null);
        Button browse = new Button("_Browse…");
        browse.setId("asset-browse");
        browse.setOnAction(e -> choose(owner));
        HBox.setHgrow(path, Priority.ALWAYS);
        form.addRow(0, new Label("File"), new HBox(6, path, browse));
        form.addRow(1, new Label("Name"), name);
        form.addRow(2, new Label("Kind"), kind);
        path.textProperty().addListener((o, a, b) -> {
            String before = AssetsViewModel.nameFor(a);
            if (name.getText().isBlank() || name.getText().equals(before)) name.setText(AssetsViewModel.nameFor(b));
            revalidate();
        });
        name.textProperty().addListener((o, a, b) -> revalidate());
        revalidate();
    }

    private void choose(Window owner) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("File to add to the assets");
        File f = chooser.showOpenDialog(owner);
        if (f != null) path.setText(f.getAbsolutePath());
    }

    @Override
    protected boolean inputValid() {
        boolean named = Asset.isValidName(name.getText().strip());
        // a name the library would refuse says why at once, in the library's own rule
        hint.setText(name.getText().isBlank() || named ? HINT : "An asset's name: " + Asset.nameRule());
        return !path.getText().isBlank() && named;
    }

    @Override
    protected void submit(Runnable done, Consumer<String> refused) {
        viewModel.startAdd(path.getText().strip(), name.getText().strip(), kind.getValue(), j -> done.run(), refused);
    }
}
