package org.netroot.app.ui.shell;

/** What the window's menus and the tray can ask of the app; each runs on the FX thread. */
public record ShellCommands(Runnable startAll, Runnable stopAll, Runnable closeWindow, Runnable quit) {
}
