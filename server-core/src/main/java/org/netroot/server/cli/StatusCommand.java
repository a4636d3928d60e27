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
                System.out.printf("%-6s %s%s%n", st.name(), st.running() ? "running" : "stopped",
                        st.detail() == null ? "" : ": " + st.detail());
            }
            s.droppedInput().forEach((k, v) -> System.out.println("dropped " + k + " input: " + v));
            s.warnings().forEach(w -> System.out.println("warning: " + w));
        }
        return 0;
    }
}
