package org.netroot.app.ui.volumes;

import org.netroot.app.ui.common.ActionDialog;
import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Window;

import java.util.function.Consumer;

/**
 * A new overlay of a golden image: only its name. The overlay is made at once whatever the image's
 * size; give it to a client in the Clients view.
 */
final class NewOverlayDialog extends ActionDialog {
    private final VolumesViewModel viewModel;
    private final VolumeRow golden;
    private final TextField name = new TextField();

    NewOverlayDialog(Window owner, VolumesViewModel viewModel, VolumeRow golden) {
        super(owner, "New overlay of " + golden.name(), "Create overlay", "clone");
        this.viewModel = viewModel;
        this.golden = golden;
        name.setId("clone-name");
        name.setPromptText("e.g. pc1-disk");
        Label nameLabel = new Label("_Name");
        nameLabel.setMnemonicParsing(true);
        nameLabel.setLabelFor(name);
        form.addRow(0, nameLabel, name);
        hint.setText("A qcow2 volume that holds only what its client writes and reads the rest from "
                + golden.name() + ". It is made at once; give it to a client in the Clients view.");
        name.textProperty().addListener((o, a, b) -> revalidate());
        revalidate();
        Platform.runLater(name::requestFocus);
    }

    @Override
    protected boolean inputValid() {
        return !name.getText().isBlank();
    }

    @Override
    protected void submit(Runnable done, Consumer<String> refused) {
        viewModel.cloneVolume(golden.name(), name.getText().strip(), v -> done.run(), refused);
    }
}
