package org.netroot.app.ui.wizard;

import java.util.List;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.netroot.app.AppContext;
import org.netroot.server.api.ClientActivity;
import org.netroot.server.api.VolumeActivity;

/**
 * The first-run wizard in its own window over the main one. Finish saves the settings (in the
 * view-model), then {@link SettingsApplier} puts them to work; what happened lands in the main
 * window's message line. Escape or Cancel closes it without saving.
 */
public final class WizardDialog {
    private final Stage stage = new Stage();
    private final WizardViewModel vm;

    private WizardDialog(Window owner, AppContext context, java.util.function.Consumer<String> outcome) {
        vm = new WizardViewModel(() -> context.connection().control(), context.io(), Platform::runLater);
        WizardView view = new WizardView(vm);
        view.cancelButton().setOnAction(e -> stage.close());
        vm.done().addListener((o, was, now) -> {
            if (!now) return;
            stage.close();
            SettingsApplier applier = new SettingsApplier(context.connection());
            List<String> inUse = pcsRunningFrom(context);
            if (context.connection().starter().running() && !inUse.isEmpty() && !confirmRestart(owner, inUse)) {
                applier.applyLater(outcome);
            } else {
                applier.apply(outcome);
            }
        });
        Scene scene = new Scene(view.root(), 720, 480);
        var css = WizardDialog.class.getResource("/org/netroot/app/wizard.css");
        if (css != null) scene.getStylesheets().add(css.toExternalForm());
        stage.setScene(scene);
        stage.setTitle("Set up Netroot");
        if (owner != null) {
            stage.initOwner(owner);
            stage.initModality(Modality.WINDOW_MODAL);
        }
    }

    /**
     * Opens the wizard and starts reading the interfaces. FX thread.
     *
     * @param outcome hears, after Finish, one sentence on how the settings were applied
     */
    public static WizardDialog open(Window owner, AppContext context, java.util.function.Consumer<String> outcome) {
        WizardDialog d = new WizardDialog(owner, context, outcome);
        d.stage.show();
        d.stage.toFront();
        d.stage.requestFocus(); // keys (Enter, Escape) go here, not to the main window
        d.vm.load();
        return d;
    }

    /** The clients booting or running from this server now: a restart takes their disk away. */
    static List<String> pcsRunningFrom(AppContext context) {
        var open = context.model().volumeActivity().stream().map(VolumeActivity::clientName)
                .filter(java.util.Objects::nonNull);
        var active = context.model().clientActivity().stream()
                .filter(a -> a.state() == ClientActivity.State.ONLINE || a.state() == ClientActivity.State.BOOTING)
                .map(ClientActivity::clientName);
        return java.util.stream.Stream.concat(open, active).distinct().sorted().toList();
    }

    private static boolean confirmRestart(Window owner, List<String> inUse) {
        Alert ask = new Alert(Alert.AlertType.CONFIRMATION);
        ask.initOwner(owner);
        ask.setTitle("Restart the server?");
        ask.setHeaderText("The new settings need the server in this window to restart");
        ask.setContentText(String.join(", ", inUse) + (inUse.size() == 1 ? " runs" : " run")
                + " from it now and would lose " + (inUse.size() == 1 ? "its" : "their")
                + " disk until it is back. Restart now, or keep the settings for the next start?");
        ButtonType now = new ButtonType("Restart now", ButtonBar.ButtonData.OK_DONE);
        ButtonType later = new ButtonType("At the next start", ButtonBar.ButtonData.CANCEL_CLOSE);
        ask.getButtonTypes().setAll(later, now);
        return ask.showAndWait().orElse(later) == now;
    }

    public WizardViewModel viewModel() {
        return vm;
    }

    public Stage stage() {
        return stage;
    }
}
