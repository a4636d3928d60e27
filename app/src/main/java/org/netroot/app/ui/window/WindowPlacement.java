package org.netroot.app.ui.window;

import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;

import java.util.List;

/** Puts a stage where it was last time (on a screen that still exists) and reads where it is now. */
public final class WindowPlacement {
    private final Stage stage;
    /** The last size and place while neither maximized nor iconified: what a restore returns to. */
    private WindowState normal;

    public WindowPlacement(Stage stage) {
        this.stage = stage;
    }

    /** Before the stage shows: size and place from {@code saved}, fitted to the screens there are now. */
    public void restore(WindowState saved) {
        List<Rectangle2D> screens = Screen.getScreens().stream().map(Screen::getVisualBounds).toList();
        WindowState s = saved.fitInto(screens);
        stage.setX(s.x());
        stage.setY(s.y());
        stage.setWidth(s.width());
        stage.setHeight(s.height());
        stage.setMaximized(s.maximized());
        normal = s;
    }

    /** Follows moves and resizes made while the window is in its normal state. */
    public void track() {
        Runnable remember = () -> {
            if (!stage.isMaximized() && !stage.isIconified() && stage.isShowing()) {
                normal = new WindowState(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(),
                        false, null);
            }
        };
        stage.xProperty().addListener(o -> remember.run());
        stage.yProperty().addListener(o -> remember.run());
        stage.widthProperty().addListener(o -> remember.run());
        stage.heightProperty().addListener(o -> remember.run());
        stage.showingProperty().addListener(o -> remember.run());
    }

    /** What to remember: the normal bounds, whether it is maximized, and the view it shows. */
    public WindowState current(String view) {
        WindowState base = normal != null ? normal : new WindowState(stage.getX(), stage.getY(), stage.getWidth(),
                stage.getHeight(), false, null);
        return new WindowState(base.x(), base.y(), base.width(), base.height(), stage.isMaximized(), view);
    }
}
