package org.netroot.app.ui.volumes;

import org.netroot.app.ui.common.ActionDialog;
import javafx.application.Platform;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import java.util.function.Consumer;

/**
 * Shares a volume with several clients, or brings it back to one at a time: a check box, with the
 * warning that only a cluster file system survives two PCs mounting it. Apply is enabled once the box
 * differs from the volume's state; the server refuses while a client has the volume open (and
 * unsharing while several clients have it as their disk), in its words, here.
 */
final class SharingDialog extends ActionDialog {
    private final VolumesViewModel viewModel;
    private final VolumeRow volume;
    private final CheckBox shared = new CheckBox(SharedVolumeText.CHOICE);

    SharingDialog(Window owner, VolumesViewModel viewModel, VolumeRow volume) {
        super(owner, "Sharing of " + volume.name(), "Apply", "sharing");
        this.viewModel = viewModel;
        this.volume = volume;
        shared.setId("sharing-shared");
        shared.setSelected(volume.shared());
        form.add(new VBox(6, shared, SharedWarning.under(shared, "sharing-warning")), 0, 0);
        shared.selectedProperty().addListener((o, a, b) -> update());
        update();
        Platform.runLater(shared::requestFocus);
    }

    private void update() {
        String open = volume.attached() ? " " + volume.clientName() + " has it open: shut it down first." : "";
        if (shared.isSelected() == volume.shared()) {
            hint.setText(volume.name() + (volume.shared() ? " is shared." : " has one client at a time."));
        } else {
            hint.setText((shared.isSelected() ? "Several clients may then have " + volume.name() + " as their disk."
                    : volume.name() + " then has one client at a time.") + open);
        }
        revalidate();
    }

    @Override
    protected boolean inputValid() {
        return shared.isSelected() != volume.shared();
    }

    @Override
    protected void submit(Runnable done, Consumer<String> refused) {
        viewModel.share(volume.name(), shared.isSelected(), v -> done.run(), refused);
    }
}
