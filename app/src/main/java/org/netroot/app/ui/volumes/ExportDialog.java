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

/** Exports a volume's bytes to a raw image file (a path on this machine); the copy runs as a job with progress. */
final class ExportDialog extends ActionDialog {
    private final VolumesViewModel viewModel;
    private final VolumeRow volume;
    private final TextField path = new TextField();

    ExportDialog(Window owner, VolumesViewModel viewModel, VolumeRow volume) {
        super(owner, "Export " + volume.name(), "Export", "export");
        this.viewModel = viewModel;
        this.volume = volume;
        path.setId("export-path");
        path.setPromptText("/path/to/" + volume.name() + ".img");
        Button browse = new Button("_Browse…");
        browse.setId("export-browse");
        browse.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Export " + volume.name() + " to");
            chooser.setInitialFileName(volume.name() + ".img");
            File f = chooser.showSaveDialog(owner);
            if (f != null) path.setText(f.getAbsolutePath());
        });
        HBox.setHgrow(path, Priority.ALWAYS);
        form.addRow(0, new Label("Image file"), new HBox(6, path, browse));
        path.textProperty().addListener((o, a, b) -> revalidate());
        hint.setText("A raw image of the whole disk (" + org.netroot.app.ui.common.Formats.bytes(volume.sizeBytes()) + ")");
        revalidate();
    }

    @Override
    protected boolean inputValid() {
        return !path.getText().isBlank();
    }

    @Override
    protected void submit(Runnable done, Consumer<String> refused) {
        viewModel.startExport(volume.name(), path.getText().strip(), j -> done.run(), refused);
    }
}
