package org.netroot.server.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.netroot.server.api.Volume;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "volume", mixinStandardHelpOptions = true, description = "Create, list, export and remove the virtual disks clients boot.",
        subcommands = {VolumeCommand.Create.class, VolumeCommand.ListVolumes.class, VolumeCommand.Export.class,
                VolumeCommand.Remove.class})
final class VolumeCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an empty volume of a size, or one holding a copy of an image file.")
    static final class Create implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Parameters(index = "0", paramLabel = "NAME", description = "lower-case name, e.g. gaming-pc") String name;
        @ArgGroup(multiplicity = "1") Source source;

        static final class Source {
            @Option(names = "--size", paramLabel = "SIZE", description = "an empty volume of this size, e.g. 32G or 512M") String size;
            @Option(names = "--from", paramLabel = "IMAGE", description = "a copy of this raw disk image file") Path from;
        }

        @Override
        public Integer call() {
            return Connection.run(data, c -> {
                Volume v = source.from != null
                        ? c.importVolume(name, source.from.toAbsolutePath().toString())
                        : c.createVolume(name, Sizes.parse(source.size));
                System.out.println("created volume " + v.name() + " (" + Sizes.human(v.sizeBytes()) + ")");
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the volumes.")
    static final class ListVolumes implements Callable<Integer> {
        @Mixin DataDirOption data;

        @Override
        public Integer call() {
            return Connection.run(data, c -> {
                var volumes = c.volumes();
                if (volumes.isEmpty()) System.out.println("no volumes yet: `netroot volume create NAME --size 32G`");
                for (Volume v : volumes) {
                    System.out.printf("%-20s %10s  %s%n", v.name(), Sizes.human(v.sizeBytes()), v.createdAt());
                }
            });
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Copy a volume's bytes to a raw image file.")
    static final class Export implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Parameters(index = "0", paramLabel = "NAME", description = "the volume to export") String name;
        @Parameters(index = "1", paramLabel = "FILE", description = "raw image file to write (replaced if it exists)") Path file;

        @Override
        public Integer call() {
            return Connection.run(data, c -> {
                c.exportVolume(name, file.toAbsolutePath().toString());
                System.out.println("exported volume " + name + " to " + file.toAbsolutePath());
            });
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Delete a volume and its data (refused while a client uses it).")
    static final class Remove implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Parameters(index = "0", paramLabel = "NAME", description = "the volume to delete") String name;

        @Override
        public Integer call() {
            return Connection.run(data, c -> {
                c.removeVolume(name);
                System.out.println("removed volume " + name);
            });
        }
    }
}
