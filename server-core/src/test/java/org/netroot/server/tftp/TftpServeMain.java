package org.netroot.server.tftp;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.InputErrors;

/**
 * Runs the TFTP service alone as its own process, for tests that need it inside a network namespace:
 * {@code TftpServeMain BIND PORT ROOT}. Prints "READY" then one "EVENT type|detail|bytes" line per event.
 */
public final class TftpServeMain {
    public static void main(String[] args) throws Exception {
        TftpSettings settings = new TftpSettings(InetAddress.getByName(args[0]), Integer.parseInt(args[1]),
                List.of(Path.of(args[2])), Duration.ofSeconds(1), 5);
        TftpService service = new TftpService(settings,
                e -> System.out.println("EVENT " + e.type() + "|" + e.detail() + "|" + e.bytes()),
                new PeerDirectory(), new InputErrors());
        service.start();
        System.out.println("READY");
        Thread.sleep(Long.MAX_VALUE);
    }
}
