package org.netroot.app.ui.archfixture;

import org.netroot.app.connection.ServerStarter;

import java.util.Optional;

/** Deliberately wrong (ArchitectureTest proves its rules catch it): a server starter outside the launcher. */
public final class BadServerStarter implements ServerStarter {
    @Override
    public Optional<String> privilegeProblem() {
        return Optional.empty();
    }

    @Override
    public void start() {
    }

    @Override
    public boolean running() {
        return false;
    }

    @Override
    public void stop() {
    }
}
