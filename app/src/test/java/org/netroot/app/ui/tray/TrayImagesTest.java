package org.netroot.app.ui.tray;

import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two tray looks differ where the eye looks: the badge's colour; the corners stay transparent. */
class TrayImagesTest {
    @Test
    void runningIsGreenAndStoppedIsGrey() {
        BufferedImage running = TrayImages.running();
        BufferedImage stopped = TrayImages.stopped();
        int x = 12, y = TrayImages.SIZE / 2; // inside the badge, left of the letter
        assertEquals(TrayImages.RUNNING.getRGB(), running.getRGB(x, y));
        assertEquals(TrayImages.STOPPED.getRGB(), stopped.getRGB(x, y));
        assertEquals(0, new Color(running.getRGB(0, 0), true).getAlpha(), "corner is transparent");
    }

    @Test
    void theMenuIconIsTheRunningBadgeAtAnySize() {
        for (int size : new int[] {16, 48, 256}) {
            BufferedImage icon = TrayImages.badge(TrayImages.RUNNING, size);
            assertEquals(size, icon.getWidth());
            assertEquals(TrayImages.RUNNING.getRGB(), icon.getRGB(size * 3 / 16, size / 2), "badge at " + size);
            assertEquals(Color.WHITE.getRGB(), icon.getRGB(size * 90 / 256, size / 2), "the N's left bar at " + size);
            assertEquals(0, new Color(icon.getRGB(0, size - 1), true).getAlpha(), "corner is transparent at " + size);
        }
    }

    @Test
    void theHeadlessTestsGetNoTray() {
        assertFalse(TrayIcon.desktopHasTray());
        TrayIcon none = TrayIcon.forDesktop(null, new TrayActions(() -> { }, () -> { }, () -> { }, () -> { }));
        assertTrue(none instanceof NoTray);
        assertFalse(none.present());
    }
}
