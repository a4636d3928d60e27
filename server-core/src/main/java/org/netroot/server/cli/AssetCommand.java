package org.netroot.server.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.netroot.server.api.Asset;
import org.netroot.server.api.AssetKind;
import org.netroot.server.api.Job;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "asset", mixinStandardHelpOptions = true,
        description = "The asset library: kernels, initrds, ISOs and root images that boot modes name.",
        subcommands = {AssetCommand.Add.class, AssetCommand.ListAssets.class, AssetCommand.Remove.class})
final class AssetCommand {

    @Command(name = "add", mixinStandardHelpOptions = true, description = {
            "Copy a file into the library as NAME (the server serves it at http://SERVER/assets/NAME).",
            "Records its size and SHA-256; shows progress; Ctrl-C cancels and leaves nothing behind."})
    static final class Add implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Parameters(index = "0", paramLabel = "FILE", description = "the file to copy") Path file;
        @Parameters(index = "1", paramLabel = "NAME", description = "its name in the library, e.g. debian12-vmlinuz")
        String name;
        @Option(names = "--kind", paramLabel = "KIND", description = {"kernel, initrd, iso or root-image (default: told by"
                + " the file's bytes or name)"}) String kind;

        @Override
        public Integer call() {
            AssetKind k = kind == null ? null : AssetKind.byId(kind);
            return Connection.run(data, c -> {
                Job j = JobProgress.follow(c, c.startAssetAdd(file.toAbsolutePath().toString(), name, k), System.out,
                        System.console() != null);
                if (j.state() != Job.State.SUCCEEDED) throw new IllegalStateException(j.message());
                Asset a = c.assets().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
                System.out.println("added asset " + a.name() + ": " + a.kind().id() + ", " + Sizes.human(a.sizeBytes())
                        + " (" + a.sizeBytes() + " bytes), sha256 " + a.sha256());
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the library.")
    static final class ListAssets implements Callable<Integer> {
        @Mixin DataDirOption data;

        @Override
        public Integer call() {
            return Connection.run(data, c -> {
                var assets = c.assets();
                if (assets.isEmpty()) System.out.println("no assets yet: add one with `netroot asset add FILE NAME`");
                for (Asset a : assets) {
                    System.out.printf("%-32s %-10s %12s  sha256=%s%n", a.name(), a.kind().id(), Sizes.human(a.sizeBytes()),
                            a.sha256());
                }
            });
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove an asset and its file (refused while a client's boot mode names it).")
    static final class Remove implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Parameters(index = "0", paramLabel = "NAME", description = "the asset") String name;

        @Override
        public Integer call() {
            return Connection.run(data, c -> {
                c.removeAsset(name);
                System.out.println("removed asset " + name);
            });
        }
    }
}
