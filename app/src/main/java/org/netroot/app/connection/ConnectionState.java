package org.netroot.app.connection;

/** How the window is connected to the data folder. */
public enum ConnectionState {
    /** Attaching (or waiting for a server that is starting). */
    CONNECTING,
    /** A server runs for the data folder (system service, `netroot serve`, or in this process). */
    SERVER,
    /** No server runs: clients and volumes can be prepared, nothing boots. */
    OFFLINE,
    /** The data folder could not be opened at all. */
    FAILED
}
