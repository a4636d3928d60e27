package org.netroot.app.ui.volumes;

import org.netroot.app.ui.common.ActionDialog;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.util.function.Consumer;

/** Imports a raw disk image (a path on this machine) as a new volume; the copy runs as a job with progress. */
final class ImportDialog extends ActionDialog {
    private final VolumesViewModel viewModel;
    private final TextField path = new TextField();
    private final TextField name = new TextField();

    ImportDialog(Window owner, VolumesViewModel viewModel) {
        super(owner, "Import a disk image", "Import", "import");
        this.viewModel = viewModel;
        path.setId("import-path");
        path.setPromptText("/path/to/disk.img");
        name.setId("import-name");
        Button browse = new Button("_Browse…");
        browse.setId("import-browse");
        browse.setOnAction(e -> choose(owner));
        HBox.setHgrow(path, Priority.ALWAYS);
        form.addRow(0, new Label("Image file"), new HBox(6, path, browse));
        form.addRow(1, new Label("Volume name"), name);
        path.textProperty().addListener((o, a, b) -> {
            if (name.getText().isBlank() || name.getText().equals(nameFrom(a))) name.setText(nameFrom(b));
            revalidate();
        });
        name.textProperty().addListener((o, a, b) -> revalidate());
        hint.setText("The server copies the image into its volumes folder; the bar below the table shows how far");
        revalidate();
    }

    private void choose(Window owner) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Disk image to import");
        File f = chooser.showOpenDialog(owner);
        if (f != null) path.setText(f.getAbsolutePath());
    }

    /** "/x/win10.img" -> "win10". */
    static String nameFrom(String path) {
        if (path == null || path.isBlank()) return "";
        String file = new File(path.strip()).getName();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    @Override
    protected boolean inputValid() {
        return !path.getText().isBlank() && !name.getText().isBlank();
    }

    @Override
    protected void submit(Runnable done, Consumer<String> refused) {
        viewModel.startImport(name.getText().strip(), path.getText().strip(), j -> done.run(), refused);
    }
}
