package org.netroot.server.cli;

import org.netroot.server.api.Client;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "events", mixinStandardHelpOptions = true, description = "Show the boot events (DHCP, boot file, script, iSCSI login, errors).")
final class EventsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    @Mixin DataDirOption data;
    @Option(names = {"-f", "--follow"}, description = "keep printing new events as they happen") boolean follow;
    @Option(names = "--json", description = "one JSON object per line") boolean json;
    @Option(names = "--mac", paramLabel = "MAC", description = "only this client's events") String mac;
    @Option(names = "--after", paramLabel = "ID", description = "only events with a larger id (default: all)", defaultValue = "0") long after;

    @Override
    public Integer call() throws Exception {
        String onlyMac = mac == null ? null : Client.normalizeMac(mac);
        try (NetrootControl c = Connection.open(data.resolve())) {
            if (follow) {
                // until the user stops it, or the server stops / the connection breaks
                CompletableFuture<Throwable> ended = new CompletableFuture<>();
                try (AutoCloseable ignored = c.followEvents(after, e -> print(e, onlyMac), ended::complete)) {
                    Throwable why = ended.get();
                    System.err.println(why == null
                            ? "the server stopped: no more events (run the command again once it runs)"
                            : "following the events failed: " + why.getMessage());
                    return 1;
                }
            } else {
                long last = after;
                while (true) {
                    // one client's events are picked by the server (index by MAC), not filtered here
                    var batch = onlyMac != null ? c.clientEvents(onlyMac, last, 1000) : c.events(last, 1000);
                    for (BootEvent e : batch) print(e, onlyMac);
                    if (batch.size() < 1000) break;
                    last = batch.get(batch.size() - 1).id();
                }
            }
        }
        return 0;
    }

    private void print(BootEvent e, String onlyMac) {
        if (onlyMac != null && !onlyMac.equals(e.mac())) return;
        if (json) {
            try {
                System.out.println(Json.MAPPER.writeValueAsString(e));
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        } else {
            System.out.printf("%6d %s %-17s %-12s %-16s %s%s%s%n", e.id(), TIME.format(e.at()),
                    e.mac() == null ? "-" : e.mac(), e.clientName() == null ? "-" : e.clientName(), e.type(),
                    e.detail() == null ? "" : e.detail(),
                    e.durationMs() == null ? "" : " " + e.durationMs() + " ms",
                    e.bytes() == null ? "" : " " + Sizes.human(e.bytes()));
        }
        System.out.flush();
    }
}
