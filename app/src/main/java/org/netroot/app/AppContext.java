package org.netroot.app;

import org.netroot.app.connection.Connection;
import org.netroot.app.model.AppModel;

import java.util.concurrent.Executor;

/** What every view gets: the connection to the data folder and the live model of what the server holds. */
public record AppContext(Connection connection, AppModel model) {
    /** Where blocking work runs (never the FX thread). */
    public Executor io() {
        return connection.io();
    }
}
