package org.netroot.app.ui.window;

import javafx.geometry.Rectangle2D;

import java.util.List;

/** Where the window was and what it showed, as remembered between runs. */
public record WindowState(double x, double y, double width, double height, boolean maximized, String lastView) {
    /** A window that never moved: the size the app opens at, centred by the desktop. */
    public static final double DEFAULT_WIDTH = 1200;
    public static final double DEFAULT_HEIGHT = 780;

    /**
     * This state moved onto a screen that exists now (a monitor may have been unplugged): the
     * screen it overlaps most (else the first), shrunk to fit it, and pushed inside its bounds.
     */
    public WindowState fitInto(List<Rectangle2D> screens) {
        if (screens.isEmpty()) return this;
        Rectangle2D target = screens.getFirst();
        double best = 0;
        for (Rectangle2D s : screens) {
            double overlap = overlap(s);
            if (overlap > best) {
                best = overlap;
                target = s;
            }
        }
        double w = Math.min(width, target.getWidth());
        double h = Math.min(height, target.getHeight());
        double nx = Math.clamp(x, target.getMinX(), target.getMaxX() - w);
        double ny = Math.clamp(y, target.getMinY(), target.getMaxY() - h);
        return new WindowState(nx, ny, w, h, maximized, lastView);
    }

    private double overlap(Rectangle2D s) {
        double w = Math.min(x + width, s.getMaxX()) - Math.max(x, s.getMinX());
        double h = Math.min(y + height, s.getMaxY()) - Math.max(y, s.getMinY());
        return w > 0 && h > 0 ? w * h : 0;
    }

    public WindowState withLastView(String view) {
        return new WindowState(x, y, width, height, maximized, view);
    }
}
