package org.netroot.server.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What files really occupy on disk (st_blocks), which Java 21 cannot read: no file attribute
 * view exposes it and there is no SEEK_DATA. So this asks GNU {@code du --block-size=1} once for
 * a whole list of files. It spawns a process: call it for listings a person looks at, never per
 * I/O. Anything that goes wrong (no du, a timeout) yields -1, "unknown", not a guess.
 */
final class DiskUsage {
    static final long UNKNOWN = -1;
    private static final long TIMEOUT_SECONDS = 5;

    private DiskUsage() {
    }

    static long allocatedBytes(Path file) {
        return allocatedBytes(List.of(file)).getOrDefault(file, UNKNOWN);
    }

    /** Allocated bytes per file; files du could not measure are missing from the map. */
    static Map<Path, Long> allocatedBytes(List<Path> files) {
        Map<Path, Long> out = new HashMap<>();
        if (files.isEmpty()) return out;
        List<String> cmd = new ArrayList<>(List.of("du", "--block-size=1", "--"));
        for (Path f : files) cmd.add(f.toString());
        Path listing = null;
        try {
            // output to a file, not a pipe: a full pipe would block du past our time limit
            listing = Files.createTempFile("netroot-du", ".txt");
            Process p = new ProcessBuilder(cmd).redirectOutput(listing.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return out;
            }
            Map<String, Path> byName = new HashMap<>();
            for (Path f : files) byName.put(f.toString(), f);
            for (String line : Files.readAllLines(listing, StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab <= 0) continue;
                Path f = byName.get(line.substring(tab + 1));
                if (f == null) continue;
                try {
                    out.put(f, Long.parseLong(line.substring(0, tab).trim()));
                } catch (NumberFormatException ignored) {
                    // not du's format: leave this file unknown
                }
            }
        } catch (IOException e) {
            return out; // no du on this system, or no temp folder
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (listing != null) {
                try {
                    Files.deleteIfExists(listing);
                } catch (IOException ignored) {
                    // a few bytes in the temp folder
                }
            }
        }
        return out;
    }
}
