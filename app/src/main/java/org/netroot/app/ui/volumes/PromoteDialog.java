package org.netroot.app.ui.volumes;

import org.netroot.app.ui.common.ActionDialog;
import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Window;

import java.util.function.Consumer;

/**
 * Promotes an overlay: copies it whole (its golden image's bytes and its own writes) into a new
 * golden image of the name given. The copy runs as a job below the table, with progress and Cancel.
 */
final class PromoteDialog extends ActionDialog {
    private final VolumesViewModel viewModel;
    private final VolumeRow overlay;
    private final TextField name = new TextField();

    PromoteDialog(Window owner, VolumesViewModel viewModel, VolumeRow overlay) {
        super(owner, "Promote " + overlay.name() + " to a golden image", "Promote", "promote");
        this.viewModel = viewModel;
        this.overlay = overlay;
        name.setId("promote-name");
        name.setPromptText("e.g. " + overlay.overlayOf() + "-v2");
        Label nameLabel = new Label("New golden image's _name");
        nameLabel.setMnemonicParsing(true);
        nameLabel.setLabelFor(name);
        form.addRow(0, nameLabel, name);
        hint.setText("Copies " + overlay.name() + " as its client sees it (" + overlay.overlayOf()
                + " with its changes) into a new golden image standing on its own. The bar below the table"
                + " shows how far; " + overlay.name() + "'s client cannot start until the copy is done.");
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
        viewModel.startPromote(overlay.name(), name.getText().strip(), j -> done.run(), refused);
    }
}
