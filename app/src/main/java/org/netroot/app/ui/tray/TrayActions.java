package org.netroot.app.ui.tray;

/** What the tray's menu does; each runs on the FX thread. */
public record TrayActions(Runnable startAll, Runnable stopAll, Runnable openWindow, Runnable quit) {
}
