package org.netroot.app.ui.shell;

import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import org.netroot.app.ui.MainWindow;
import org.netroot.app.ui.theme.Theme;

import java.util.List;

/**
 * The window's menu bar. File: start and stop all services, close the window (Ctrl+W), quit
 * (Ctrl+Q). View: one entry per view (Ctrl+1..9) and the dark theme toggle (Ctrl+Shift+D).
 */
public final class AppMenuBar {
    private AppMenuBar() {
    }

    public static MenuBar of(MainWindow window, Theme theme, ShellCommands commands) {
        MenuBar bar = new MenuBar(file(commands), view(window, theme));
        bar.setId("menu-bar");
        return bar;
    }

    private static Menu file(ShellCommands c) {
        Menu file = new Menu("_File");
        file.setId("menu-file");
        file.getItems().addAll(item("_Start all services", "menu-start-all", null, c.startAll()),
                item("S_top all services", "menu-stop-all", null, c.stopAll()),
                new SeparatorMenuItem(),
                item("_Close window", "menu-close-window", shortcut(KeyCode.W), c.closeWindow()),
                item("_Quit Netroot", "menu-quit", shortcut(KeyCode.Q), c.quit()));
        return file;
    }

    private static Menu view(MainWindow window, Theme theme) {
        Menu view = new Menu("_View");
        view.setId("menu-view");
        List<String> titles = window.viewTitles();
        for (int i = 0; i < titles.size(); i++) {
            String title = titles.get(i);
            KeyCombination key = i < 9 ? shortcut(KeyCode.valueOf("DIGIT" + (i + 1))) : null;
            view.getItems().add(item(title, "menu-view-" + title.toLowerCase(), key, () -> window.show(title)));
        }
        CheckMenuItem dark = new CheckMenuItem("_Dark theme");
        dark.setId("menu-dark-theme");
        dark.setAccelerator(new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN));
        dark.selectedProperty().bindBidirectional(theme.dark());
        view.getItems().addAll(new SeparatorMenuItem(), dark);
        return view;
    }

    private static MenuItem item(String text, String id, KeyCombination key, Runnable action) {
        MenuItem item = new MenuItem(text);
        item.setId(id);
        item.setMnemonicParsing(true);
        if (key != null) item.setAccelerator(key);
        item.setOnAction(e -> action.run());
        return item;
    }

    private static KeyCombination shortcut(KeyCode code) {
        return new KeyCodeCombination(code, KeyCombination.SHORTCUT_DOWN);
    }
}
