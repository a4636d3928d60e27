package org.netroot.app.ui.tray;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * The tray's two looks, drawn at startup (no image files to keep in step): a round badge with an
 * "N", green while the services run, grey while they are stopped.
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
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(fill);
            g.fillOval(2, 2, SIZE - 4, SIZE - 4);
            g.setColor(fill.darker());
            g.setStroke(new BasicStroke(3f));
            g.drawOval(2, 2, SIZE - 4, SIZE - 4);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, SIZE / 2 + 6));
            var metrics = g.getFontMetrics();
            int x = (SIZE - metrics.stringWidth("N")) / 2;
            int y = (SIZE - metrics.getHeight()) / 2 + metrics.getAscent();
            g.drawString("N", x, y);
        } finally {
            g.dispose();
        }
        return image;
    }
}
