package org.netroot.server.cli;

import java.util.concurrent.Callable;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.ServerStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", mixinStandardHelpOptions = true, description = "Is the server running; which services; dropped input counts; warnings.")
final class StatusCommand implements Callable<Integer> {
    @Mixin DataDirOption data;

    @Override
    public Integer call() {
        try (NetrootControl c = Connection.open(data.resolve())) {
            ServerStatus s = c.status();
            if (!s.running()) {
                System.out.println("no Netroot server is running for " + data.resolve() + " (start one with `netroot serve`)");
                return 3;
            }
            for (ServerStatus.ServiceState st : s.services()) {
                System.out.printf("%-6s %s%s%s%n", st.name(), st.running() ? "running" : "stopped", where(st),
                        st.detail() == null ? "" : ": " + st.detail());
            }
            s.droppedInput().forEach((k, v) -> System.out.println("dropped " + k + " input: " + v));
            s.warnings().forEach(w -> System.out.println("warning: " + w));
            var space = c.diskSpace();
            if (space.freeBytes() >= 0) {
                System.out.println("volumes: " + Sizes.human(space.freeBytes()) + " free of " + Sizes.human(space.totalBytes())
                        + " on the disk holding " + space.folder());
            }
        }
        return 0;
    }

    /** " on 127.0.0.1 port 69/udp, 12 requests" (mode and interfaces for DHCP); "" from a server that does not say. */
    static String where(ServerStatus.ServiceState st) {
        if (st.ports().isEmpty() || !st.running()) return "";
        String ports = st.ports().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
        String dhcp = st.mode() == null ? "" : " (" + st.mode().toLowerCase(java.util.Locale.ROOT) + " mode on "
                + String.join(", ", st.interfaces()) + ")";
        return " on " + String.join(", ", st.addresses()) + (st.ports().size() == 1 ? " port " : " ports ") + ports
                + "/" + st.transport() + dhcp + ", " + st.requests() + " requests";
    }
}
