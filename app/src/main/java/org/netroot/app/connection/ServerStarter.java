package org.netroot.app.connection;

import java.util.Optional;

/**
 * Starts a Netroot server inside the app's own process when none runs for the data folder. Only the
 * launcher implements it (it may use the server's runtime); views see this interface.
 */
public interface ServerStarter {
    /** What stops this process from serving the boot ports, with the exact fix; empty when it may. */
    Optional<String> privilegeProblem();

    /** Starts the server for the data folder; returns once its control API answers. */
    void start() throws Exception;

    /** True while a server this starter started runs in this process. */
    boolean running();

    /** Stops the in-process server (no-op when none runs). */
    void stop();

    /** For an app that must not start a server (tests that attach to their own). */
    ServerStarter NONE = new ServerStarter() {
        @Override
        public Optional<String> privilegeProblem() {
            return Optional.of("this window cannot start a server: start one with `netroot serve`");
        }

        @Override
        public void start() {
            throw new IllegalStateException("this window cannot start a server: start one with `netroot serve`");
        }

        @Override
        public boolean running() {
            return false;
        }

        @Override
        public void stop() {
        }
    };
}
