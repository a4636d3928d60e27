package org.netroot.server.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.Client;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "client", mixinStandardHelpOptions = true, description = "Add, list and remove the machines that boot from this server.",
        subcommands = {ClientCommand.Add.class, ClientCommand.Edit.class, ClientCommand.ListClients.class,
                ClientCommand.Show.class, ClientCommand.Secrets.class, ClientCommand.Remove.class})
final class ClientCommand {

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a machine: its MAC address and the volume it boots.")
    static final class Add implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Parameters(index = "0", paramLabel = "NAME", description = "lower-case name, e.g. gaming-pc") String name;
        @Option(names = "--mac", paramLabel = "MAC", required = true, description = "the machine's MAC address") String mac;
        @Option(names = "--volume", paramLabel = "VOLUME", required = true, description = "the volume it boots") String volume;
        @Option(names = "--initiator-iqn", paramLabel = "IQN", description = {
                "iSCSI initiator name that may log in to this machine's target (default: derived from NAME);"
                        + " repeat it for more (the booted OS's own name, a second cluster node's): the first is"
                        + " the one iPXE uses"}) List<String> iqns;
        @Option(names = "--chap-user", description = "CHAP user name (default: the initiator name)") String chapUser;
        @Option(names = "--chap-secret", description = "CHAP secret, 12+ characters: turns on CHAP") String chapSecret;
        @Option(names = "--mutual-chap-user", description = "name the server proves itself with") String mutualUser;
        @Option(names = "--mutual-chap-secret", description = "secret the server proves itself with") String mutualSecret;
        @Option(names = "--no-chap", description = {"log in without CHAP. By default a new client gets CHAP both ways with"
                + " generated secrets (iPXE and, through the iBFT, the booted OS use them); --chap-secret sets its own"}) boolean noChap;
        @Option(names = "--ip", paramLabel = "IP", description = "address reserved for this machine (serve --dhcp full hands it"
                + " out; NBD serves the machine's volume there too)") String ip;

        @Override
        public Integer call() {
            if (noChap && (chapSecret != null || mutualSecret != null || chapUser != null || mutualUser != null)) {
                throw new IllegalArgumentException("--no-chap and CHAP settings contradict each other: give one of them");
            }
            return Connection.run(data, c -> {
                Client asked = new Client(name, mac, volume, BootMode.SANBOOT, null, chapUser, chapSecret,
                        mutualUser, mutualSecret, ip).withInitiatorIqns(iqns);
                boolean generated = !noChap && chapSecret == null && mutualSecret == null;
                Client added = c.addClient(generated ? asked.withGeneratedChap() : asked);
                System.out.println("added client " + added.name() + " (" + added.mac() + ") booting volume "
                        + added.volumeName() + " as " + added.targetIqn());
                System.out.println(added.usesMutualChap() ? "CHAP: on, both ways" + (generated ? ", secrets generated" : "")
                        + " (netroot client secrets " + added.name() + " shows them)"
                        : added.usesChap() ? "CHAP: on (netroot client secrets " + added.name() + " shows the secret)"
                        : "CHAP: off (anyone on the network who knows the target's name can log in to it)");
            });
        }
    }

    @Command(name = "secrets", mixinStandardHelpOptions = true,
            description = "Show a machine's CHAP secrets (to set up an initiator by hand; iPXE gets them by itself).")
    static final class Secrets implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Parameters(index = "0", paramLabel = "NAME", description = "the client") String name;

        @Override
        public Integer call() {
            return Connection.run(data, c -> {
                var s = c.clientSecrets(name);
                Client client = c.clients().stream().filter(x -> x.name().equals(name)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no client named " + name));
                if (s.chapSecret() == null) {
                    System.out.println(name + ": CHAP is off");
                    return;
                }
                System.out.println("initiator name: " + client.initiatorIqn());
                System.out.println("CHAP user:      " + (s.chapUser() == null ? client.initiatorIqn() : s.chapUser()));
                System.out.println("CHAP secret:    " + s.chapSecret());
                if (s.mutualChapSecret() != null) {
                    System.out.println("mutual user:    " + (s.mutualChapUser() == null ? client.targetIqn() : s.mutualChapUser()));
                    System.out.println("mutual secret:  " + s.mutualChapSecret());
                }
            });
        }
    }

    @Command(name = "edit", mixinStandardHelpOptions = true, description = {
            "Change a machine's settings: what an option names changes, the rest stays.",
            "Boot modes (--boot): sanboot (its volume over iSCSI), install (an installer onto its volume), kernel"
                    + " (a kernel and initrd from the asset library), ramdisk (a root image into RAM), menu (an iPXE"
                    + " menu of its choices), local (exit to the next boot device), ignore (no answer at all).",
            "Command-line templates (--cmdline) use $${mac} $${ip} $${server} $${client} $${target-iqn} $${initiator-iqn}"
                    + " $${volume} $${nbd-export} $${nbd-server} $${iscsi-port} $${http} (ramdisk also $${root-image-url}),"
                    + " or name a shipped one, optionally followed by more arguments: debian-iscsi, dracut-iscsi,"
                    + " nbd-root, live-fetch, dracut-live."})
    static final class Edit implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Parameters(index = "0", paramLabel = "NAME", description = "the client to change") String name;
        @Option(names = "--mac", paramLabel = "MAC", description = "its new MAC address") String mac;
        @Option(names = "--volume", paramLabel = "VOLUME", description = "the volume it boots from now on") String volume;
        @Option(names = "--initiator-iqn", paramLabel = "IQN", description = {
                "every iSCSI initiator name that may log in to its target, the one iPXE uses first;"
                        + " repeat it for each (the list replaces the old one)"}) List<String> iqns;
        @Option(names = "--ip", paramLabel = "IP", description = "address reserved for it (serve --dhcp full hands it out, and"
                + " NBD then serves its volume there too; with proxy DHCP the router leases, so it proves nothing)") String ip;
        @Mixin BootModeOptions boot;

        @Override
        public Integer call() {
            return Connection.run(data, c -> {
                Client old = c.clients().stream().filter(x -> x.name().equals(name)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no client named " + name));
                // the listing carries no secrets: CHAP stays on with the stored ones
                Client edited = new Client(name, mac == null ? old.mac() : mac, volume == null ? old.volumeName() : volume,
                        old.bootMode(), null, old.chapUser(), null, old.mutualChapUser(), null,
                        ip == null ? old.reservedIp() : ip, old.chap(), old.mutualChap(), List.of(), old.boot())
                        .withInitiatorIqns(iqns == null ? old.initiatorIqns() : iqns);
                Client saved = c.updateClient(name, boot.applyTo(edited));
                System.out.println("changed client " + saved.name() + " (" + saved.mac() + "): volume "
                        + saved.volumeName() + ", initiators " + String.join(", ", saved.initiatorIqns()));
                System.out.println("boot: " + ClientText.bootLine(saved));
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one machine's settings, its boot mode's too.")
    static final class Show implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Parameters(index = "0", paramLabel = "NAME", description = "the client") String name;

        @Override
        public Integer call() {
            return Connection.run(data, c -> {
                Client cl = c.clients().stream().filter(x -> x.name().equals(name)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no client named " + name));
                System.out.print(ClientText.show(cl));
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
                    System.out.printf("%-20s %s  volume=%s  mode=%s  chap=%s%s  initiators=%s%n", cl.name(), cl.mac(),
                            cl.volumeName(), cl.bootMode().id(),
                            cl.usesMutualChap() ? "mutual" : cl.usesChap() ? "yes" : "no",
                            cl.reservedIp() == null ? "" : "  ip=" + cl.reservedIp(), String.join(",", cl.initiatorIqns()));
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
