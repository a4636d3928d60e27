package org.netroot.server.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.netroot.server.api.Job;
import org.netroot.server.api.Volume;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "volume", mixinStandardHelpOptions = true,
        description = "Create, list, export, resize and remove the virtual disks clients boot.",
        subcommands = {VolumeCommand.Create.class, VolumeCommand.ListVolumes.class, VolumeCommand.Export.class,
                VolumeCommand.Remove.class, VolumeCommand.Resize.class})
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
                Volume v;
                if (source.from != null) {
                    Job j = JobProgress.follow(c, c.startImport(name, source.from.toAbsolutePath().toString()),
                            System.out, System.console() != null);
                    if (j.state() != Job.State.SUCCEEDED) throw new IllegalStateException(j.message());
                    v = c.volumes().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
                } else {
                    v = c.createVolume(name, Sizes.parse(source.size));
                }
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
                    String used = v.allocatedBytes() < 0 ? "?" : Sizes.human(v.allocatedBytes());
                    System.out.printf("%-20s %10s  %10s on disk  %s%n", v.name(), Sizes.human(v.sizeBytes()), used,
                            v.createdAt());
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
                Job j = JobProgress.follow(c, c.startExport(name, file.toAbsolutePath().toString()), System.out,
                        System.console() != null);
                if (j.state() != Job.State.SUCCEEDED) throw new IllegalStateException(j.message());
                System.out.println("exported volume " + name + " to " + file.toAbsolutePath());
            });
        }
    }

    @Command(name = "resize", mixinStandardHelpOptions = true, description = {
            "Change a volume's size. Growing works while a client runs: its disk reports the new size,"
                    + " then grow the partition and file system inside the client.",
            "Shrinking drops the data past the new end: only while no client uses the volume, and only with --shrink."})
    static final class Resize implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Parameters(index = "0", paramLabel = "NAME", description = "the volume to resize") String name;
        @Option(names = "--size", required = true, paramLabel = "SIZE",
                description = "the new size, e.g. 64G or 40960M (a multiple of 512 bytes)") String size;
        @Option(names = "--shrink", description = "confirm a smaller size: the data past the new end is lost")
        boolean shrink;

        @Override
        public Integer call() {
            return Connection.run(data, c -> {
                Volume v = c.resizeVolume(name, Sizes.parse(size), shrink);
                System.out.println("volume " + v.name() + " is now " + Sizes.human(v.sizeBytes()));
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
