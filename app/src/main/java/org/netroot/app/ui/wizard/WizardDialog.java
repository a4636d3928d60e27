package org.netroot.app.ui.wizard;

import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.netroot.app.AppContext;

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
            new SettingsApplier(context.connection()).apply(outcome);
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

    public WizardViewModel viewModel() {
        return vm;
    }

    public Stage stage() {
        return stage;
    }
}
