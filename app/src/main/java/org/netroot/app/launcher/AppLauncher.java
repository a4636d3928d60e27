package org.netroot.app.launcher;

import javafx.application.Application;
import org.netroot.app.NetrootApp;
import org.netroot.server.api.DataFolder;
import org.netroot.server.api.NetrootVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code netroot app}: opens the control center for a data folder. */
@Command(name = "app", mixinStandardHelpOptions = true, versionProvider = AppLauncher.Version.class,
        description = "Open the Netroot control center: attaches to the server of the data folder, or offers to start one.")
public final class AppLauncher implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Data folder (database, volumes). Default: $NETROOT_DATA, else /var/lib/netroot (the service's, when installed or as root),"
                    + " else ~/.local/share/netroot")
    Path dataDir;

    /** {@code --version}: the release, as {@code netroot --version} says it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Netroot control center " + NetrootVersion.current().release()};
        }
    }

    public static void main(String[] args) {
        int code = new CommandLine(new AppLauncher()).execute(args);
        // The tray's AWT threads outlive the JavaFX runtime: end the process once the app quit.
        System.exit(code);
    }

    /**
     * The tray is AWT's: its toolkit opens its X connection and sets Xlib's process-wide error handler
     * when first used. Done later, on the FX thread while GTK holds an error trap ("XSetErrorHandler()
     * called with a GDK error trap pushed"), the two corrupted each other's memory: the JVM died in
     * libc's malloc within seconds in about half the starts under Xvfb. Here, before GTK starts, it cannot.
     */
    private static void startAwtBeforeJavaFx() {
        if (java.awt.GraphicsEnvironment.isHeadless()) return;
        try {
            java.awt.SystemTray.isSupported();
        } catch (RuntimeException | LinkageError e) {
            // no tray then: TrayIcon.forDesktop asks again and settles on NoTray
        }
    }

    @Override
    public Integer call() {
        Path dir = dataDir != null ? dataDir.toAbsolutePath() : DataFolder.defaultPath();
        startAwtBeforeJavaFx();
        NetrootApp.configure(dir, new InProcessServer(dir));
        Application.launch(NetrootApp.class);
        return 0;
    }
}
