package org.netroot.app.ui.common;

import javafx.application.Platform;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Runs a blocking call (the API, the disk) off the FX thread and hands its result, or its failure
 * in words, back on the FX thread. Every button that talks to the server goes through here.
 */
public final class Background {
    private Background() {
    }

    public static <T> void run(Executor io, Callable<T> work, Consumer<T> onSuccess, Consumer<String> onFailure) {
        io.execute(() -> {
            try {
                T result = work.call();
                Platform.runLater(() -> onSuccess.accept(result));
            } catch (Exception e) {
                String words = UserMessages.of(e);
                Platform.runLater(() -> onFailure.accept(words));
            }
        });
    }
}
