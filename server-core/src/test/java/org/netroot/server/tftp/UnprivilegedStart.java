package org.netroot.server.tftp;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.netroot.server.events.BootEventSink;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.InputErrors;

/** Run as an unprivileged user by {@link TftpPrivilegedPortTest}: prints what start() throws on port 69. */
public final class UnprivilegedStart {
    public static void main(String[] args) {
        TftpSettings settings = new TftpSettings(InetAddress.getLoopbackAddress(), 69, List.of(Path.of("/tmp")), Duration.ofSeconds(1), 1);
        TftpService service = new TftpService(settings, BootEventSink.NONE, new PeerDirectory(), new InputErrors());
        try {
            service.start();
            System.out.println("STARTED");
            service.stop();
        } catch (Exception e) {
            System.out.println("FAILED: " + e.getMessage());
        }
    }
}
