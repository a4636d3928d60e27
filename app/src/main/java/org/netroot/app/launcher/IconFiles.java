package org.netroot.app.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.netroot.app.ui.tray.TrayImages;

/**
 * Writes the app's icon as PNG files for the installers (packaging/pom.xml runs it): the tray's green
 * badge, so the menu, the window list and the tray show one picture. Not used by the app itself.
 * {@code IconFiles DIR SIZE...} writes {@code DIR/netroot-SIZE.png} for each size.
 */
public final class IconFiles {
    private IconFiles() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) throw new IllegalArgumentException("usage: IconFiles DIR SIZE...");
        Path dir = Files.createDirectories(Path.of(args[0]));
        for (int i = 1; i < args.length; i++) {
            int size = Integer.parseInt(args[i]);
            Path file = dir.resolve("netroot-" + size + ".png");
            if (!ImageIO.write(TrayImages.badge(TrayImages.RUNNING, size), "png", file.toFile())) {
                throw new IOException("no PNG writer in this JDK for " + file);
            }
        }
    }
}
