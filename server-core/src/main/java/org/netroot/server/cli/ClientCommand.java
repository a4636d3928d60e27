package org.netroot.server.cli;

import java.util.concurrent.Callable;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.Client;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "client", mixinStandardHelpOptions = true, description = "Add, list and remove the machines that boot from this server.",
        subcommands = {ClientCommand.Add.class, ClientCommand.ListClients.class, ClientCommand.Remove.class})
final class ClientCommand {

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a machine: its MAC address and the volume it boots.")
    static final class Add implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Parameters(index = "0", paramLabel = "NAME", description = "lower-case name, e.g. gaming-pc") String name;
        @Option(names = "--mac", paramLabel = "MAC", required = true, description = "the machine's MAC address") String mac;
        @Option(names = "--volume", paramLabel = "VOLUME", required = true, description = "the volume it boots") String volume;
        @Option(names = "--initiator-iqn", description = "iSCSI initiator name (default: derived from NAME)") String iqn;
        @Option(names = "--chap-user", description = "CHAP user name (default: the initiator name)") String chapUser;
        @Option(names = "--chap-secret", description = "CHAP secret, 12+ characters: turns on CHAP") String chapSecret;
        @Option(names = "--mutual-chap-user", description = "name the server proves itself with") String mutualUser;
        @Option(names = "--mutual-chap-secret", description = "secret the server proves itself with") String mutualSecret;
        @Option(names = "--ip", paramLabel = "IP", description = "address reserved for this machine (serve --dhcp full)") String ip;

        @Override
        public Integer call() {
            return Connection.run(data, c -> {
                Client added = c.addClient(new Client(name, mac, volume, BootMode.SANBOOT, iqn, chapUser, chapSecret,
                        mutualUser, mutualSecret, ip));
                System.out.println("added client " + added.name() + " (" + added.mac() + ") booting volume "
                        + added.volumeName() + " as " + added.targetIqn());
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the machines.")
    static final class ListClients implements Callable<Integer> {
        @Mixin DataDirOption data;

        @Override
        public Integer call() {
            return Connection.run(data, c -> {
                var clients = c.clients();
                if (clients.isEmpty()) {
                    System.out.println("no clients yet: add one with `netroot client add NAME --mac MAC --volume VOLUME`");
                }
                for (Client cl : clients) {
                    System.out.printf("%-20s %s  volume=%s  mode=%s  chap=%s%s%n", cl.name(), cl.mac(), cl.volumeName(),
                            cl.bootMode().name().toLowerCase(), cl.usesMutualChap() ? "mutual" : cl.usesChap() ? "yes" : "no",
                            cl.reservedIp() == null ? "" : "  ip=" + cl.reservedIp());
                }
            });
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a machine (its volume stays).")
    static final class Remove implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Parameters(index = "0", paramLabel = "NAME", description = "the client to remove") String name;

        @Override
        public Integer call() {
            return Connection.run(data, c -> {
                c.removeClient(name);
                System.out.println("removed client " + name);
            });
        }
    }
}
