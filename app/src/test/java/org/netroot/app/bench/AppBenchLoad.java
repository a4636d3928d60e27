package org.netroot.app.bench;

import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.Client;
import org.netroot.server.dhcp.DhcpMode;
import org.netroot.server.runtime.LocalControl;
import org.netroot.server.runtime.NetrootServer;
import org.netroot.server.runtime.ServerConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The server side of bench/app.sh: a real server on loopback for a data folder, loaded with
 * {@code clients} clients (each with a small volume) and {@code events} boot events; prints READY,
 * then, once the file {@code go} exists, publishes {@code rate} boot events per second for
 * {@code seconds} seconds and prints DONE. Runs until killed.
 * <p>Usage: AppBenchLoad DATA_DIR GO_FILE CLIENTS EVENTS RATE SECONDS
 */
public final class AppBenchLoad {
    private static final BootEventType[] BOOT = {BootEventType.DHCP_DISCOVER, BootEventType.DHCP_OFFER,
            BootEventType.DHCP_REQUEST, BootEventType.DHCP_ACK, BootEventType.BOOT_FILE_SENT,
            BootEventType.SCRIPT_SERVED, BootEventType.ISCSI_LOGIN, BootEventType.ISCSI_FIRST_READ,
            BootEventType.ISCSI_LOGOUT, BootEventType.ERROR};

    private AppBenchLoad() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path go = Path.of(args[1]);
        int clients = Integer.parseInt(args[2]);
        int events = Integer.parseInt(args[3]);
        int rate = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);
        Path ipxe = Files.createDirectories(data.resolveSibling("ipxe"));
        NetrootServer server = NetrootServer.start(new ServerConfig(data, List.of(), DhcpMode.OFF, null, null, null,
                0, 0, 0, 0, 0, 0, ipxe, null, 3600));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        LocalControl control = server.control();
        if (control.clients().size() < clients) {
            for (int i = control.clients().size(); i < clients; i++) {
                String name = String.format(Locale.ROOT, "pc-%03d", i);
                control.createVolume(name, 1 << 20);
                control.addClient(Client.sanboot(name, mac(i), name));
            }
            for (int i = 0; i < events; i++) server.events().record(event(i, clients));
        }
        System.out.println("READY");
        System.out.flush();
        while (!Files.exists(go)) Thread.sleep(20);
        long start = System.nanoTime();
        long periodNanos = 1_000_000_000L / rate;
        for (int i = 0; i < rate * seconds; i++) {
            long due = start + i * periodNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            server.events().record(event(events + i, clients));
        }
        System.out.println("DONE");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static String mac(int i) {
        return String.format(Locale.ROOT, "52:54:00:be:%02x:%02x", (i >> 8) & 0xff, i & 0xff);
    }

    /** Event {@code n}: clients take turns, each walking through a boot's steps. */
    private static BootEvent event(int n, int clients) {
        int client = n % clients;
        BootEventType type = BOOT[(n / clients) % BOOT.length];
        String detail = type == BootEventType.ERROR ? "CHAP login refused for pc-" + client + ": wrong secret"
                : "benchmark step " + n;
        return new BootEvent(0, Instant.now(), mac(client), null, type, detail,
                type == BootEventType.BOOT_FILE_SENT ? 120L : null, type == BootEventType.BOOT_FILE_SENT ? 68_000L : null);
    }
}
