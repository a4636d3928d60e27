package org.netroot.app.ui.wizard;

import java.util.function.Consumer;
import org.netroot.app.connection.Connection;
import org.netroot.app.connection.ConnectionState;
import org.netroot.app.connection.ServerStarter;
import org.netroot.app.ui.common.Background;

/**
 * Puts saved settings to work: the server in this window is restarted with them, a server this
 * window may start is started; a server running elsewhere (the system service, `netroot serve`)
 * applies them at its next start, which the words say. FX thread.
 */
public final class SettingsApplier {
    private final Connection connection;

    public SettingsApplier(Connection connection) {
        this.connection = connection;
    }

    /** Leaves the running server alone (PCs run from it): the saved settings apply at its next start. */
    public void applyLater(Consumer<String> outcome) {
        outcome.accept("Settings saved; the server in this window keeps running as it was and uses them from its"
                + " next start: when Netroot opens again, or Run setup again once no PC runs from it.");
    }

    /** @param outcome hears one sentence for the user once done (FX thread) */
    public void apply(Consumer<String> outcome) {
        ServerStarter starter = connection.starter();
        boolean inWindow = starter.running();
        if (!inWindow && connection.state().get() == ConnectionState.SERVER) {
            outcome.accept("Settings saved. The Netroot server running for " + connection.dataDir()
                    + " uses them from its next start when it was started without --interface and --dhcp (the"
                    + " system service is): restart it (`sudo systemctl restart netroot`, or stop and start"
                    + " `netroot serve`).");
            return;
        }
        var problem = starter.privilegeProblem();
        if (problem.isPresent()) {
            outcome.accept("Settings saved; they apply when the server starts. This window cannot start it: "
                    + problem.get());
            return;
        }
        Background.run(connection.io(), () -> {
            var control = connection.control();
            if (control != null && !inWindow) control.close(); // the offline view holds the database
            starter.stop();
            starter.start();
            return null;
        }, ok -> {
            connection.attach();
            outcome.accept(inWindow ? "Settings saved; the server in this window restarted with them."
                    : "Settings saved; the server started in this window with them.");
        }, error -> {
            connection.attach();
            outcome.accept("Settings saved, but the server did not start: " + error);
        });
    }
}
