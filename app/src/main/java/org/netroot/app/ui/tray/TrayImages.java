package org.netroot.app.ui.tray;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;

/**
 * The tray's two looks, drawn at startup (no image files to keep in step): a round badge with an
 * "N", green while the services run, grey while they are stopped. The green one, drawn larger, is
 * also the app's icon in the desktop menu (launcher.IconFiles writes it for the installers).
 */
public final class TrayImages {
    public static final Color RUNNING = new Color(0x2d, 0xa4, 0x4e);
    public static final Color STOPPED = new Color(0x8c, 0x95, 0x9f);
    static final int SIZE = 64;

    private TrayImages() {
    }

    public static BufferedImage running() {
        return badge(RUNNING);
    }

    public static BufferedImage stopped() {
        return badge(STOPPED);
    }

    static BufferedImage badge(Color fill) {
        return badge(fill, SIZE);
    }

    /** The badge {@code size} pixels square. */
    public static BufferedImage badge(Color fill, int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.scale(size / 256.0, size / 256.0); // drawn on a 256 grid
            g.setColor(fill);
            g.fill(new Ellipse2D.Double(10, 10, 236, 236));
            g.setColor(fill.darker());
            g.setStroke(new BasicStroke(10f));
            g.draw(new Ellipse2D.Double(10, 10, 236, 236));
            g.setColor(Color.WHITE);
            g.fill(letterN());
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The "N" as a shape, not a font's glyph: the same on every machine, also on a build machine without fonts. */
    private static Path2D letterN() {
        Path2D n = new Path2D.Double();
        n.moveTo(76, 192);
        n.lineTo(76, 64);
        n.lineTo(104, 64);
        n.lineTo(152, 146);
        n.lineTo(152, 64);
        n.lineTo(180, 64);
        n.lineTo(180, 192);
        n.lineTo(152, 192);
        n.lineTo(104, 110);
        n.lineTo(104, 192);
        n.closePath();
        return n;
    }
}
