package org.netroot.app.ui.window;

import javafx.stage.Stage;
import org.netroot.app.ui.MainWindow;

import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The window's size, place, maximized state and last view across runs: restored before the stage
 * shows, remembered when the window hides or the app quits. Without a store it remembers nothing.
 */
public final class WindowMemory {
    private final Stage stage;
    private final Optional<WindowStateStore> store;
    private final WindowPlacement placement;

    public WindowMemory(Stage stage, Optional<WindowStateStore> store) {
        this.stage = stage;
        this.store = store;
        this.placement = new WindowPlacement(stage);
    }

    /** Before {@code stage.show()}: last size and place (fitted to today's screens) and last view. */
    public void restore(MainWindow window) {
        Optional<WindowState> saved = store.flatMap(WindowStateStore::load);
        if (saved.isPresent()) {
            placement.restore(saved.get());
            String view = saved.get().lastView();
            if (view != null && window.viewTitles().contains(view)) window.show(view);
        } else {
            stage.setWidth(WindowState.DEFAULT_WIDTH);
            stage.setHeight(WindowState.DEFAULT_HEIGHT);
        }
        placement.track();
    }

    /** Remembers where the window is and what it shows; writes to disk on {@code io}. FX thread. */
    public void remember(MainWindow window, Executor io) {
        if (store.isEmpty()) return;
        WindowStateStore s = store.get();
        s.save(placement.current(window.currentView()));
        try {
            io.execute(s::flush);
        } catch (RejectedExecutionException e) {
            s.flush(); // quitting: the io threads are gone, and a small write will not be noticed
        }
    }
}
