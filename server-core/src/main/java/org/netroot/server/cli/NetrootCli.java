package org.netroot.server.cli;

import org.netroot.server.store.DatabaseOwner;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code netroot}: run the server, manage clients and volumes, watch boot events. */
@Command(name = "netroot", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, scope = CommandLine.ScopeType.INHERIT,
        description = "Diskless network boot: DHCP, TFTP, HTTP and iSCSI in one server.",
        subcommands = {ServeCommand.class, ClientCommand.class, VolumeCommand.class, AssetCommand.class, EventsCommand.class,
                StatusCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "The control center (a window): netroot-app [--data DIR] (in a checkout: ./netroot app)%n"})
public final class NetrootCli {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        // names this command to a server that finds the database open (never option values: secrets)
        System.setProperty(DatabaseOwner.COMMAND_PROPERTY, "netroot " + String.join(" ",
                java.util.Arrays.stream(args).takeWhile(a -> !a.startsWith("-")).limit(3).toList()));
        CommandLine cl = new CommandLine(new NetrootCli());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            // user mistakes and environment problems get one clear line, not a stack trace
            cmd.getErr().println("netroot: " + UserMessages.of(ex));
            if (Boolean.getBoolean("netroot.debug")) ex.printStackTrace(cmd.getErr());
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        return cl.execute(args);
    }
}
