package org.netroot.app.ui.wizard;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.stage.Stage;
import org.kordamp.ikonli.feather.Feather;
import org.netroot.app.AppContext;
import org.netroot.app.ui.MainWindow;
import org.netroot.app.ui.common.Background;
import org.netroot.app.ui.common.Icons;

/**
 * Where the wizard hooks into the window: a "Run setup again" button in the sidebar, and (once
 * {@link #offerOnFirstLoad()} was called, as the app does) the wizard opened by itself after the
 * first load of a data folder that has no client and no saved settings.
 */
public final class FirstRunWizard {
    private final AppContext context;
    private final Stage owner;
    private final ReadOnlyStringWrapper outcome = new ReadOnlyStringWrapper("");
    private WizardDialog open;
    private boolean offered;

    private FirstRunWizard(AppContext context, Stage owner) {
        this.context = context;
        this.owner = owner;
    }

    /** Adds the sidebar button. FX thread. */
    public static FirstRunWizard install(AppContext context, Stage owner, MainWindow window) {
        FirstRunWizard w = new FirstRunWizard(context, owner);
        Button again = new Button("Run setup again", Icons.of(Feather.SLIDERS, 16));
        again.setId("run-setup");
        again.setMaxWidth(Double.MAX_VALUE);
        again.getStyleClass().add("flat");
        again.setOnAction(e -> w.open());
        window.addSidebarAction(again);
        return w;
    }

    /**
     * Opens the wizard after the first attach when the data folder has no client and no saved
     * settings. The attach, not the model's status, is the cue: with no server running the status
     * loaded is "offline", equal to the one the model starts with, so it never changes, and a new
     * user (no server yet) would get no wizard.
     */
    public void offerOnFirstLoad() {
        context.connection().onAttached(control -> {
            if (offered) return;
            offered = true;
            Background.run(context.io(), () -> control.clients().isEmpty() && !control.settings().configured(),
                    fresh -> {
                        if (fresh) open();
                    }, error -> context.model().lastError().set("Cannot check whether this is a first run: " + error));
        });
    }

    /** Opens the wizard (or brings the open one to the front). FX thread. */
    public WizardDialog open() {
        if (open != null && open.stage().isShowing()) {
            open.stage().toFront();
            return open;
        }
        open = WizardDialog.open(owner, context, this::finished);
        return open;
    }

    private void finished(String words) {
        outcome.set(words);
        Alert done = new Alert(Alert.AlertType.INFORMATION, words);
        done.initOwner(owner);
        done.setHeaderText("Netroot is set up");
        done.show();
    }

    /** The wizard that is or was open last; null before the first. */
    public WizardDialog current() {
        return open;
    }

    /** How the last Finish applied the settings, in words; empty before. */
    public ReadOnlyStringProperty outcome() {
        return outcome.getReadOnlyProperty();
    }
}
