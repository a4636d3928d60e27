package org.netroot.server.api;

/** Receives the live stream; called on one thread, in id order. */
public interface ChangeListener {
    void onEvent(ChangeEvent event);

    /** The stream ended (the server stopped, or the subscription was closed). */
    default void onClosed() {
    }

    default void onError(Throwable error) {
    }
}
