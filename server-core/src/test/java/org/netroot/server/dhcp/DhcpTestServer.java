package org.netroot.server.dhcp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.InputErrors;
import org.netroot.server.store.ClientRepository;
import org.netroot.server.store.Database;
import org.netroot.server.store.LeaseRepository;
import org.netroot.server.store.StoreWriter;

/**
 * Test-only main: runs {@link DhcpService} alone (started inside a network namespace by
 * {@link DhcpNamespaceTest}). Prints "READY" once listening, "EVENT type mac detail" per boot
 * event, "DROPPED n" and "FACTS ..." (its {@link DhcpService#facts}) when the DHCP drop count changes; stops when stdin closes.
 * Args: --data DIR --ipxe DIR --mode proxy|full [--range A-B] --interface IF... [--observe-tftp]
 * [--http-dir DIR]. The last two stand in for the TFTP and HTTP services in firmware tests: they
 * print "TFTP-RRQ file from ip" and "HTTP GET path" (and serve files from DIR).
 */
public final class DhcpTestServer {
    public static void main(String[] args) throws Exception {
        List<String> interfaces = new ArrayList<>();
        Path data = null;
        Path ipxe = null;
        DhcpMode mode = DhcpMode.PROXY;
        String range = null;
        boolean observeTftp = false;
        Path httpDir = null;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--observe-tftp" -> {
                    observeTftp = true;
                    i--;
                }
                case "--http-dir" -> httpDir = Path.of(args[i + 1]);
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
                r == null ? null : DhcpPacket.ipv4(r[1]), null, null, List.of(), 600, 0, 0, 80, ipxe);
        InputErrors errors = new InputErrors();
        try (Database db = Database.open(data); StoreWriter writer = new StoreWriter()) {
            DhcpService service = new DhcpService(settings, new ClientRepository(db).directory(),
                    new LeaseRepository(db), writer,
                    e -> System.out.println("EVENT " + e.type() + " " + e.mac() + " " + e.detail()),
                    new PeerDirectory(), errors);
            try {
                service.start();
            } catch (Exception e) {
                System.out.println("FAILED " + e.getMessage());
                System.exit(2);
            }
            if (observeTftp) observeTftp();
            if (httpDir != null) serveHttp(httpDir);
            System.out.println("READY " + service.isRunning());
            Thread.ofPlatform().daemon().start(() -> {
                long seen = 0;
                while (true) {
                    long n = errors.count("DHCP");
                    if (n != seen) {
                        System.out.println("DROPPED " + (seen = n));
                        System.out.println("FACTS " + service.facts());
                    }
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

    /** Prints the file name of each TFTP read request (RFC 1350: opcode 1, name, NUL, mode, NUL). */
    private static void observeTftp() throws java.io.IOException {
        java.net.DatagramSocket socket = new java.net.DatagramSocket(69);
        Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[1500], 1500);
                try {
                    socket.receive(p);
                } catch (java.io.IOException e) {
                    return;
                }
                byte[] d = p.getData();
                int end = 2;
                while (end < p.getLength() && d[end] != 0) end++;
                System.out.println("TFTP-RRQ " + new String(d, 2, Math.max(0, end - 2)) + " from "
                        + p.getAddress().getHostAddress());
            }
        });
    }

    private static void serveHttp(Path dir) throws java.io.IOException {
        com.sun.net.httpserver.HttpServer http = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(80), 16);
        http.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath(); // decoded: iPXE sends ':' as %3A
            System.out.println("HTTP " + exchange.getRequestMethod() + " " + path);
            Path file = dir.resolve(path.substring(1)).normalize();
            byte[] body = file.startsWith(dir) && java.nio.file.Files.isRegularFile(file)
                    ? java.nio.file.Files.readAllBytes(file) : null;
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
    }
}
