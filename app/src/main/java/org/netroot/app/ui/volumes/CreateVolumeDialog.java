package org.netroot.app.ui.volumes;

import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Window;
import org.netroot.app.ui.common.Formats;

import java.util.function.Consumer;

/** Creates a blank volume: a name and a size with units, checked as typed. */
final class CreateVolumeDialog extends ActionDialog {
    private final VolumesViewModel viewModel;
    private final TextField name = new TextField();
    private final TextField size = new TextField();

    CreateVolumeDialog(Window owner, VolumesViewModel viewModel) {
        super(owner, "Create a volume", "Create", "create");
        this.viewModel = viewModel;
        name.setId("create-name");
        name.setPromptText("e.g. pc1-disk");
        size.setId("create-size");
        size.setPromptText("e.g. 64G");
        Label nameLabel = new Label("_Name");
        nameLabel.setMnemonicParsing(true);
        nameLabel.setLabelFor(name);
        Label sizeLabel = new Label("_Size");
        sizeLabel.setMnemonicParsing(true);
        sizeLabel.setLabelFor(size);
        form.addRow(0, nameLabel, name);
        form.addRow(1, sizeLabel, size);
        name.textProperty().addListener((o, a, b) -> update());
        size.textProperty().addListener((o, a, b) -> update());
        update();
        Platform.runLater(name::requestFocus);
    }

    private void update() {
        SizeInput.Parsed p = SizeInput.parse(size.getText());
        if (name.getText().isBlank()) hint.setText("Give the volume a name");
        else if (!p.valid()) hint.setText(p.error());
        else hint.setText("A blank " + Formats.bytes(p.bytes()) + " disk; it takes space only as it is written");
        revalidate();
    }

    @Override
    protected boolean inputValid() {
        return !name.getText().isBlank() && SizeInput.parse(size.getText()).valid();
    }

    @Override
    protected void submit(Runnable done, Consumer<String> refused) {
        viewModel.create(name.getText().strip(), SizeInput.parse(size.getText()).bytes(), v -> done.run(), refused);
    }
}
