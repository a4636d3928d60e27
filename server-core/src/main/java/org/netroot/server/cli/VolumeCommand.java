package org.netroot.server.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.netroot.server.api.DiskSpace;
import org.netroot.server.api.Job;
import org.netroot.server.api.Volume;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "volume", mixinStandardHelpOptions = true,
        description = {"Create, list, import, export, resize and remove the virtual disks clients boot;"
                + " make golden images and give each client an overlay of one; take snapshots and roll back to them.",
                "Formats: qcow2 (the default for new volumes) and raw; both are sparse files."},
        subcommands = {VolumeCommand.Create.class, VolumeCommand.ListVolumes.class, VolumeCommand.Import.class,
                VolumeCommand.Export.class, VolumeCommand.Remove.class, VolumeCommand.Resize.class,
                VolumeCommand.Edit.class, VolumeCommand.Golden.class, VolumeCommand.CloneOverlay.class, VolumeCommand.Reset.class,
                VolumeCommand.Promote.class, VolumeCommand.TakeSnapshot.class, VolumeCommand.ListSnapshots.class,
                VolumeCommand.Rollback.class, VolumeCommand.RemoveSnapshot.class})
final class VolumeCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an empty volume of a size, or one holding a copy of an image file.")
    static final class Create implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Parameters(index = "0", paramLabel = "NAME", description = "lower-case name, e.g. gaming-pc") String name;
        @ArgGroup(multiplicity = "1") Source source;

        static final class Source {
            @Option(names = "--size", paramLabel = "SIZE", description = "an empty volume of this size, e.g. 32G or 512M") String size;
            @Option(names = "--from", paramLabel = "IMAGE",
                    description = "a copy of this disk image file (as `volume import`)") Path from;
        }

        @Option(names = "--format", paramLabel = "FORMAT",
                description = "qcow2 (the default) or raw, for an empty volume; both are sparse") String format;
        @Option(names = "--shared", description = {"several machines may have it open at once: a cluster disk"
                + " (Windows failover clustering, coordinated by SCSI reservations); see `volume edit --help`"})
        boolean shared;

        @Override
        public Integer call() {
            return Connection.run(data, c -> {
                Volume v;
                if (source.from != null) {
                    if (format != null) throw new IllegalArgumentException("--format is for an empty volume: an image"
                            + " keeps its own format (raw stays raw, qcow2 and the others become qcow2)");
                    v = importImage(c, source.from, name);
                } else {
                    long size = Sizes.parse(source.size);
                    warnIfPastFreeSpace(c, name, size);
                    v = c.createVolume(name, size, format);
                }
                if (shared) v = c.shareVolume(v.name(), true);
                System.out.println("created volume " + v.name() + " (" + Sizes.human(v.sizeBytes()) + ", " + v.format()
                        + (v.shared() ? ", shared" : "") + ")");
            });
        }
    }

    @Command(name = "edit", mixinStandardHelpOptions = true, description = {
            "Change how a volume is served. Only while no machine has it open.",
            "--shared lets several machines open it at once and be its clients: only for a cluster whose"
                    + " nodes coordinate their writes (Windows failover clustering does, through SCSI persistent"
                    + " reservations). Two ordinary PCs writing one shared disk destroy it.",
            "--no-shared brings back one machine at a time (refused while several clients have it as their disk)."})
    static final class Edit implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Parameters(index = "0", paramLabel = "NAME", description = "the volume to change") String name;
        @Option(names = "--shared", negatable = true, required = true,
                description = "shared by several machines (--no-shared: one at a time)") boolean shared;

        @Override
        public Integer call() {
            return Connection.run(data, c -> {
                Volume v = c.shareVolume(name, shared);
                System.out.println("volume " + v.name() + (v.shared() ? " is shared: several machines may open it"
                        : " is not shared: one machine at a time"));
            });
        }
    }

    /** Imports with progress and returns the new volume. */
    static Volume importImage(org.netroot.server.api.NetrootControl c, Path image, String name) {
        Job j = JobProgress.follow(c, c.startImport(name, image.toAbsolutePath().toString()), System.out,
                System.console() != null);
        if (j.state() != Job.State.SUCCEEDED) throw new IllegalStateException(j.message());
        return c.volumes().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    }

    /** Sparse volumes may be larger than the free space: allowed, with a warning in words. */
    static void warnIfPastFreeSpace(org.netroot.server.api.NetrootControl c, String name, long sizeBytes) {
        DiskSpace s = c.diskSpace();
        if (s.freeBytes() >= 0 && sizeBytes > s.freeBytes()) {
            System.err.println("warning: volume " + name + " can grow to " + Sizes.human(sizeBytes) + " but the disk"
                    + " holding " + s.folder() + " has only " + Sizes.human(s.freeBytes()) + " free. Volumes are sparse,"
                    + " so this works until the data written fills that disk: free space there or use a smaller size.");
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true, description = {
            "Create a volume holding a copy of a disk image file.",
            "A raw image becomes a raw volume; a qcow2 image a qcow2 volume (a backing chain is copied in);"
                    + " VMDK, VHDX, VHD, VDI and QED images are converted to qcow2 with qemu-img (when installed).",
            "Shows progress; Ctrl-C cancels and leaves nothing behind."})
    static final class Import implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Parameters(index = "0", paramLabel = "FILE", description = "the disk image file to copy") Path file;
        @Parameters(index = "1", paramLabel = "NAME", description = "the new volume's name, e.g. win11-golden") String name;

        @Override
        public Integer call() {
            return Connection.run(data, c -> {
                Volume v = importImage(c, file, name);
                System.out.println("imported " + file.toAbsolutePath() + " as volume " + v.name() + " ("
                        + Sizes.human(v.sizeBytes()) + ", " + v.format() + ")");
            });
        }
    }

    @Command(name = "golden", mixinStandardHelpOptions = true, description = {
            "Make a volume a read-only golden image, to clone overlays from (`netroot volume clone`).",
            "A client that boots the golden image itself sees a write-protected disk. Refused while a client uses it."})
    static final class Golden implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Parameters(index = "0", paramLabel = "NAME", description = "the volume to make golden") String name;

        @Override
        public Integer call() {
            return Connection.run(data, c -> {
                c.makeGolden(name);
                System.out.println("volume " + name + " is a golden image: clone it with `netroot volume clone "
                        + name + " NEW`");
            });
        }
    }

    @Command(name = "clone", mixinStandardHelpOptions = true, description = {
            "Create a qcow2 overlay of a golden image: it holds only what its client writes and reads"
                    + " the rest from the golden image, so it is made at once whatever the size."})
    static final class CloneOverlay implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Parameters(index = "0", paramLabel = "GOLDEN", description = "the golden image to clone") String golden;
        @Parameters(index = "1", paramLabel = "NEW", description = "the new overlay's name, e.g. pc1-disk") String newName;

        @Override
        public Integer call() {
            return Connection.run(data, c -> {
                Volume v = c.cloneVolume(golden, newName);
                System.out.println("created overlay " + v.name() + " of golden image " + golden + " ("
                        + Sizes.human(v.sizeBytes()) + ")");
            });
        }
    }

    @Command(name = "reset", mixinStandardHelpOptions = true, description = {
            "Throw away everything written to an overlay: it reads as its golden image again.",
            "Only while its client is shut down."})
    static final class Reset implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Parameters(index = "0", paramLabel = "NAME", description = "the overlay to reset") String name;

        @Override
        public Integer call() {
            return Connection.run(data, c -> {
                Volume v = c.resetVolume(name);
                System.out.println("reset overlay " + name + " to golden image " + v.overlayOf());
            });
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true, description = {
            "Copy an overlay whole (its golden image's bytes and its own writes) into a new golden image"
                    + " that stands alone; all-zero parts are left out, so it stays sparse.",
            "Shows progress; Ctrl-C cancels and leaves nothing behind. The overlay's client cannot start meanwhile."})
    static final class Promote implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Parameters(index = "0", paramLabel = "NAME", description = "the overlay to promote") String name;
        @Parameters(index = "1", paramLabel = "NEW", description = "the new golden image's name") String newName;

        @Override
        public Integer call() {
            return Connection.run(data, c -> {
                Job j = JobProgress.follow(c, c.startPromote(name, newName), System.out, System.console() != null);
                if (j.state() != Job.State.SUCCEEDED) throw new IllegalStateException(j.message());
                System.out.println("promoted overlay " + name + " to golden image " + newName);
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
                else System.out.printf("%-20s %-6s %10s %10s  %-22s %-16s %s%n", "NAME", "FORMAT", "SIZE", "ON DISK",
                        "KIND", "CLIENT", "SNAPSHOTS");
                java.util.Map<String, String> clientOf = new java.util.HashMap<>();
                for (var cl : c.clients()) {
                    if (cl.volumeName() != null) clientOf.merge(cl.volumeName(), cl.name(), (a, b) -> a + "," + b);
                }
                for (Volume v : volumes) {
                    String used = v.allocatedBytes() < 0 ? "?" : Sizes.human(v.allocatedBytes());
                    String kind = v.golden() ? "golden" : v.overlay() ? "overlay of " + v.overlayOf() : "-";
                    if (v.shared()) kind = kind.equals("-") ? "shared" : kind + ", shared";
                    System.out.printf("%-20s %-6s %10s %10s  %-22s %-16s %s%n", v.name(), v.format(),
                            Sizes.human(v.sizeBytes()), used, kind, clientOf.getOrDefault(v.name(), "-"),
                            v.snapshots().isEmpty() ? "-" : String.join(",", v.snapshots()));
                }
                DiskSpace s = c.diskSpace();
                if (s.freeBytes() >= 0) {
                    System.out.println(Sizes.human(s.freeBytes()) + " free of " + Sizes.human(s.totalBytes()) + " on the"
                            + " disk holding " + s.folder());
                }
            });
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = {
            "Copy a volume's bytes to an image file (an overlay's with its golden image's: the file stands alone).",
            "Shows progress; Ctrl-C cancels and leaves nothing behind."})
    static final class Export implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Parameters(index = "0", paramLabel = "NAME", description = "the volume to export") String name;
        @Parameters(index = "1", paramLabel = "FILE", description = "image file to write (replaced if it exists)") Path file;
        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "raw",
                description = "raw (the default) or qcow2") String format;

        @Override
        public Integer call() {
            return Connection.run(data, c -> {
                Job j = JobProgress.follow(c, c.startExport(name, file.toAbsolutePath().toString(), format), System.out,
                        System.console() != null);
                if (j.state() != Job.State.SUCCEEDED) throw new IllegalStateException(j.message());
                System.out.println("exported volume " + name + " to " + file.toAbsolutePath());
            });
        }
    }

    @Command(name = "resize", mixinStandardHelpOptions = true, description = {
            "Change a volume's size. Growing works while a client runs: its disk reports the new size,"
                    + " then grow the partition and file system inside the client.",
            "Shrinking drops the data past the new end: only while no client uses the volume, only with --shrink,"
                    + " and never past the end of the last partition.",
            "A golden image keeps its size while overlays read from it."})
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
                long bytes = Sizes.parse(size);
                warnIfPastFreeSpace(c, name, bytes);
                Volume v = c.resizeVolume(name, bytes, shrink);
                System.out.println("volume " + v.name() + " is now " + Sizes.human(v.sizeBytes()));
            });
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Delete a volume and its data (refused while a client uses it, and for a golden image while overlays read from it).")
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

    @Command(name = "snapshot", mixinStandardHelpOptions = true, description = {
            "Take a snapshot of a qcow2 volume as it is now, kept inside the volume's file.",
            "Works while its client runs (what it has not written to disk yet is not in it, as after a power cut);"
                    + " `netroot volume rollback` returns to it."})
    static final class TakeSnapshot implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Parameters(index = "0", paramLabel = "NAME", description = "the volume") String name;
        @Parameters(index = "1", paramLabel = "SNAPSHOT", description = "a name for the snapshot, e.g. before-update") String snapshot;

        @Override
        public Integer call() {
            return Connection.run(data, c -> {
                Volume v = c.createSnapshot(name, snapshot);
                System.out.println("took snapshot " + snapshot + " of volume " + name + " (" + v.snapshots().size()
                        + " snapshot" + (v.snapshots().size() == 1 ? "" : "s") + " now)");
            });
        }
    }

    @Command(name = "snapshots", mixinStandardHelpOptions = true, description = "List a volume's snapshots, oldest first.")
    static final class ListSnapshots implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Parameters(index = "0", paramLabel = "NAME", description = "the volume") String name;

        @Override
        public Integer call() {
            return Connection.run(data, c -> {
                var snapshots = c.snapshots(name);
                if (snapshots.isEmpty()) {
                    System.out.println("volume " + name + " has no snapshots yet: `netroot volume snapshot " + name + " NAME`");
                }
                for (var s : snapshots) {
                    System.out.printf("%-24s %10s  taken %s%n", s.name(), Sizes.human(s.sizeBytes()), s.takenAt());
                }
            });
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true, description = {
            "Return a volume to one of its snapshots: everything written since is gone (the snapshot stays).",
            "Only while its client is shut down."})
    static final class Rollback implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Parameters(index = "0", paramLabel = "NAME", description = "the volume") String name;
        @Parameters(index = "1", paramLabel = "SNAPSHOT", description = "the snapshot to return to") String snapshot;

        @Override
        public Integer call() {
            return Connection.run(data, c -> {
                Volume v = c.rollbackVolume(name, snapshot);
                System.out.println("rolled volume " + name + " back to snapshot " + snapshot + " (" + Sizes.human(v.sizeBytes()) + ")");
            });
        }
    }

    @Command(name = "snapshot-remove", mixinStandardHelpOptions = true, description =
            "Remove a snapshot of a volume; the space only it held goes back to the disk. Works while the client runs.")
    static final class RemoveSnapshot implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Parameters(index = "0", paramLabel = "NAME", description = "the volume") String name;
        @Parameters(index = "1", paramLabel = "SNAPSHOT", description = "the snapshot to remove") String snapshot;

        @Override
        public Integer call() {
            return Connection.run(data, c -> {
                c.removeSnapshot(name, snapshot);
                System.out.println("removed snapshot " + snapshot + " of volume " + name);
            });
        }
    }
}
