package org.netroot.server.dhcp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.InputErrors;
import org.netroot.server.store.ClientRepository;
import org.netroot.server.store.Database;
import org.netroot.server.store.LeaseRepository;

/**
 * Test-only main: runs {@link DhcpService} alone (started inside a network namespace by
 * {@link DhcpNamespaceTest}). Prints "READY" once listening, "EVENT type mac detail" per boot
 * event and "DROPPED n" when the DHCP drop count changes; stops when stdin closes.
 * Args: --data DIR --ipxe DIR --mode proxy|full [--range A-B] --interface IF...
 */
public final class DhcpTestServer {
    public static void main(String[] args) throws Exception {
        List<String> interfaces = new ArrayList<>();
        Path data = null;
        Path ipxe = null;
        DhcpMode mode = DhcpMode.PROXY;
        String range = null;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--interface" -> interfaces.add(args[i + 1]);
                case "--data" -> data = Path.of(args[i + 1]);
                case "--ipxe" -> ipxe = Path.of(args[i + 1]);
                case "--mode" -> mode = DhcpMode.valueOf(args[i + 1].toUpperCase());
                case "--range" -> range = args[i + 1];
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        String[] r = range == null ? null : range.split("-");
        DhcpSettings settings = new DhcpSettings(interfaces, mode, r == null ? null : DhcpPacket.ipv4(r[0]),
                r == null ? null : DhcpPacket.ipv4(r[1]), null, null, 600, 0, 0, 80, ipxe);
        InputErrors errors = new InputErrors();
        try (Database db = Database.open(data)) {
            DhcpService service = new DhcpService(settings, new ClientRepository(db), new LeaseRepository(db),
                    e -> System.out.println("EVENT " + e.type() + " " + e.mac() + " " + e.detail()),
                    new PeerDirectory(), errors);
            try {
                service.start();
            } catch (Exception e) {
                System.out.println("FAILED " + e.getMessage());
                System.exit(2);
            }
            System.out.println("READY " + service.isRunning());
            Thread.ofPlatform().daemon().start(() -> {
                long seen = 0;
                while (true) {
                    long n = errors.count("DHCP");
                    if (n != seen) System.out.println("DROPPED " + (seen = n));
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            while (System.in.read() >= 0) {
                // run until the test closes our stdin
            }
            service.stop();
            System.out.println("STOPPED " + service.isRunning());
        }
    }
}
