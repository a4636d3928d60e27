package org.netroot.app.ui.volumes;

import org.netroot.app.ui.common.ActionDialog;
import javafx.application.Platform;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Window;
import org.netroot.app.ui.common.Formats;

import java.util.function.Consumer;

/**
 * Changes a volume's size. Growing works while its client runs (the client sees the new size at
 * once); shrinking needs the "data past X is lost" confirmation, and the server refuses it while a
 * client is attached: its reason shows here and the size stays. A grow past the data folder's free
 * space is allowed with a warning.
 */
final class ResizeDialog extends ActionDialog {
    private final VolumesViewModel viewModel;
    private final VolumeRow volume;
    private final TextField size = new TextField();
    private final CheckBox confirmShrink = new CheckBox();

    ResizeDialog(Window owner, VolumesViewModel viewModel, VolumeRow volume) {
        super(owner, "Resize " + volume.name(), "Resize", "resize");
        this.viewModel = viewModel;
        this.volume = volume;
        size.setId("resize-size");
        size.setPromptText("e.g. 128G");
        confirmShrink.setId("resize-shrink-confirm");
        confirmShrink.managedProperty().bind(confirmShrink.visibleProperty());
        Label sizeLabel = new Label("New _size");
        sizeLabel.setMnemonicParsing(true);
        sizeLabel.setLabelFor(size);
        form.addRow(0, new Label("Now"), new Label(Formats.bytes(volume.sizeBytes())
                + (volume.attached() ? ", in use by " + volume.clientName() : "")));
        form.addRow(1, sizeLabel, size);
        form.add(confirmShrink, 1, 2);
        size.textProperty().addListener((o, a, b) -> update());
        confirmShrink.selectedProperty().addListener((o, a, b) -> update());
        whileOpen(viewModel.diskSpace(), this::update);
        viewModel.refreshDiskSpace();
        update();
        Platform.runLater(size::requestFocus);
    }

    private ResizeCheck check() {
        return ResizeCheck.of(size.getText(), volume.sizeBytes(), volume.clientName(), confirmShrink.isSelected(),
                viewModel.diskSpace().get());
    }

    private void update() {
        ResizeCheck c = check();
        hint.setText(c.message());
        warn(c.pastFreeSpace());
        if (confirmShrink.isVisible() != c.shrink()) {
            confirmShrink.setVisible(c.shrink());
            fit();
        }
        if (c.shrink()) confirmShrink.setText(ResizeCheck.confirmation(c.newSizeBytes()));
        revalidate();
    }

    @Override
    protected boolean inputValid() {
        return check().canApply();
    }

    @Override
    protected void submit(Runnable done, Consumer<String> refused) {
        ResizeCheck c = check();
        viewModel.resize(volume.name(), c.newSizeBytes(), c.shrink(), v -> done.run(), refused);
    }
}
