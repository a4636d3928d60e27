package org.netroot.app.ui.volumes;

import org.netroot.app.ui.common.ActionDialog;
import atlantafx.base.theme.Styles;
import javafx.application.Platform;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.netroot.app.ui.common.Formats;
import org.netroot.server.api.Volume;

import java.util.function.Consumer;

/**
 * Creates a blank volume: a name, a size with units (checked as typed, warned when past the data
 * folder's free space) and a format, qcow2 (the default) or raw, each with a line saying what it is for;
 * and whether several clients share it (a cluster disk), with the warning that goes with it.
 */
final class CreateVolumeDialog extends ActionDialog {
    private final VolumesViewModel viewModel;
    private final TextField name = new TextField();
    private final TextField size = new TextField();
    private final ToggleGroup format = new ToggleGroup();
    private final RadioButton qcow2 = formatChoice("create-format-qcow2", "_qcow2",
            "Takes space as written; can become a golden image for overlays. The usual choice.");
    private final RadioButton raw = formatChoice("create-format-raw", "r_aw",
            "A plain sparse file that any disk tool reads as it is (dd, losetup, mount -o loop).");
    private final CheckBox shared = new CheckBox(SharedVolumeText.CHOICE);

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
        qcow2.setSelected(Volume.DEFAULT_FORMAT.equals(Volume.QCOW2));
        raw.setSelected(Volume.DEFAULT_FORMAT.equals(Volume.RAW));
        form.addRow(0, nameLabel, name);
        form.addRow(1, sizeLabel, size);
        form.addRow(2, new Label("Format"), new VBox(6, qcow2, explanation(qcow2), raw, explanation(raw)));
        shared.setId("create-shared");
        form.addRow(3, new Label("Sharing"), new VBox(6, shared, SharedWarning.under(shared, "create-shared-warning")));
        name.textProperty().addListener((o, a, b) -> update());
        size.textProperty().addListener((o, a, b) -> update());
        whileOpen(viewModel.diskSpace(), this::update);
        viewModel.refreshDiskSpace();
        update();
        Platform.runLater(name::requestFocus);
    }

    private RadioButton formatChoice(String id, String text, String explanation) {
        RadioButton b = new RadioButton(text);
        b.setId(id);
        b.setMnemonicParsing(true);
        b.setToggleGroup(format);
        b.setUserData(explanation);
        return b;
    }

    private static Label explanation(RadioButton choice) {
        Label l = new Label((String) choice.getUserData());
        l.setId(choice.getId() + "-explanation");
        l.setWrapText(true);
        l.setMinHeight(Region.USE_PREF_SIZE); // all its lines, never an ellipsis
        l.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        l.setPadding(new javafx.geometry.Insets(0, 0, 0, 24)); // under the choice's text, past its circle
        return l;
    }

    private String chosenFormat() {
        return raw.isSelected() ? Volume.RAW : Volume.QCOW2;
    }

    private void update() {
        SizeInput.Parsed p = SizeInput.parse(size.getText());
        String past = null;
        if (name.getText().isBlank()) hint.setText("Give the volume a name");
        else if (!p.valid()) hint.setText(p.error());
        else {
            past = FreeSpace.pastFree(p.bytes(), viewModel.diskSpace().get());
            hint.setText("A blank " + Formats.bytes(p.bytes()) + " disk"
                    + (past != null ? ", " + past : "; it takes space only as it is written"));
        }
        warn(past != null);
        revalidate();
    }

    @Override
    protected boolean inputValid() {
        return !name.getText().isBlank() && SizeInput.parse(size.getText()).valid();
    }

    @Override
    protected void submit(Runnable done, Consumer<String> refused) {
        viewModel.create(name.getText().strip(), SizeInput.parse(size.getText()).bytes(), chosenFormat(),
                shared.isSelected(), v -> done.run(), refused);
    }
}
