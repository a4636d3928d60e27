package org.netroot.app.ui.volumes;

import org.netroot.app.ui.common.ActionDialog;
import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Window;

import java.util.function.Consumer;

/**
 * Takes a snapshot: only its name, with one suggested. It works while the PC runs (its writes wait
 * the moment it takes), so nothing needs shutting down.
 */
final class TakeSnapshotDialog extends ActionDialog {
    private final SnapshotsViewModel snapshots;
    private final TextField name = new TextField();
    private final String about;

    TakeSnapshotDialog(Window owner, SnapshotsViewModel snapshots) {
        super(owner, "Take a snapshot of " + snapshots.volume(), "Take snapshot", "snapshot-new");
        this.snapshots = snapshots;
        name.setId("snapshot-new-name");
        name.setText(snapshots.suggestedName());
        name.setPromptText("e.g. " + SnapshotsViewModel.SUGGESTED_NAME);
        Label nameLabel = new Label("_Name");
        nameLabel.setMnemonicParsing(true);
        nameLabel.setLabelFor(name);
        form.addRow(0, nameLabel, name);
        VolumeRow row = snapshots.row().get();
        about = "Keeps " + snapshots.volume() + " as it is now, inside its file; Roll back returns to it later."
                + (row != null && row.attached()
                        ? " " + row.clientName() + " is running: that is fine, it goes on while the snapshot is taken."
                        : " This also works while its PC runs.");
        name.textProperty().addListener((o, a, b) -> revalidate());
        revalidate();
        Platform.runLater(() -> {
            name.requestFocus();
            name.selectAll(); // typing replaces the suggestion
        });
    }

    @Override
    protected boolean inputValid() {
        String problem = snapshots.nameProblem(name.getText());
        hint.setText(problem == null ? about : problem);
        warn(problem != null);
        return problem == null;
    }

    @Override
    protected void submit(Runnable done, Consumer<String> refused) {
        snapshots.take(name.getText().strip(), v -> done.run(), refused);
    }
}
