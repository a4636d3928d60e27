package org.netroot.server.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * QEMU's {@code qemu-img}, for the image formats Netroot does not read itself (VMDK, VHDX, VHD,
 * VDI, QED): {@code qemu-img convert} turns them into qcow2. It is optional; without it those
 * imports say how to install it.
 */
final class QemuImg {
    private static final Pattern PERCENT = Pattern.compile("\\((\\d+(?:\\.\\d+)?)/100%\\)");
    private static final long POLL_MS = 200;

    private QemuImg() {
    }

    /** The qemu-img on the PATH, if there is one. */
    static Optional<Path> find() {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, "qemu-img");
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /**
     * Converts {@code image} (a {@code format} image, for messages) to a new qcow2 file {@code target},
     * reporting qemu-img's percentage through {@code progress} (as bytes of the image file); a
     * progress that answers false kills qemu-img and throws {@link CancellationException}.
     */
    static void convertToQcow2(Path image, String format, Path target, VolumeStore.CopyProgress progress)
            throws IOException {
        Path qemuImg = find().orElseThrow(() -> new IllegalArgumentException(image + " is a " + format + " image: importing"
                + " it needs qemu-img, which is not installed here; install it (Debian: `apt install qemu-utils`),"
                + " or convert the image to raw or qcow2 elsewhere"));
        String driver = driver(format);
        refuseOutsideReferences(qemuImg, image, format, driver);
        long total = Files.size(image);
        Path log = Files.createTempFile("netroot-qemu-img", ".log");
        // -f: the format told by the image's magic, never qemu-img's own guess
        Process p = new ProcessBuilder(List.of(qemuImg.toString(), "convert", "-p", "-f", driver, "-O", "qcow2",
                image.toString(), target.toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            while (!p.waitFor(POLL_MS, TimeUnit.MILLISECONDS)) {
                if (!progress.proceed(done(log, total), total)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new CancellationException("conversion cancelled");
                }
            }
            if (p.exitValue() != 0) {
                String out = Files.readString(log, StandardCharsets.UTF_8).replaceAll("\\s*\\(\\d+(\\.\\d+)?/100%\\)", "").strip();
                throw new IOException("qemu-img could not convert the " + format + " image " + image + ": " + out);
            }
            progress.proceed(total, total);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } finally {
            if (p.isAlive()) p.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    /** qemu-img's driver for a format {@link VolumeFormat#foreign} names. */
    static String driver(String format) {
        return switch (format) {
            case "VMDK" -> "vmdk";
            case "VHDX" -> "vhdx";
            case "VHD" -> "vpc";
            case "VDI" -> "vdi";
            case "QED" -> "qed";
            default -> throw new IllegalArgumentException("no qemu-img driver for " + format);
        };
    }

    /**
     * An image may name other files: a backing file (QED), or extents (a VMDK descriptor: "RW 8 FLAT
     * \"/etc/shadow\" 0"). Converting would copy those files into a volume a client then reads, so an
     * image that names any file but itself is refused (as qemu-img info lists them).
     */
    static void refuseOutsideReferences(Path qemuImg, Path image, String format, String driver) throws IOException {
        Path log = Files.createTempFile("netroot-qemu-img-info", ".json");
        try {
            Process p = new ProcessBuilder(List.of(qemuImg.toString(), "info", "--output=json", "-f", driver,
                    image.toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("qemu-img info on " + image + " did not answer within 60 s");
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) throw new IOException("qemu-img cannot read the " + format + " image " + image + ": " + out.strip());
            var info = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out);
            String self = image.toRealPath().toString();
            if (info.hasNonNull("backing-filename")) {
                throw new IllegalArgumentException("the " + format + " image " + image + " reads from another file ("
                        + info.get("backing-filename").asText() + "): import a copy that stands alone"
                        + " (`qemu-img convert -O qcow2` it first)");
            }
            for (var extent : info.path("format-specific").path("data").path("extents")) {
                String f = extent.path("filename").asText(null);
                if (f != null && !Path.of(f).toAbsolutePath().normalize().toString().equals(self)
                        && !Path.of(f).toAbsolutePath().normalize().equals(image.toAbsolutePath().normalize())) {
                    throw new IllegalArgumentException("the " + format + " image " + image + " keeps its data in another"
                            + " file (" + f + "): import only images that hold their data themselves (a"
                            + " monolithicSparse or streamOptimized VMDK)");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static long done(Path log, long total) {
        try {
            String s = Files.readString(log, StandardCharsets.ISO_8859_1);
            Matcher m = PERCENT.matcher(s);
            double pct = 0;
            while (m.find()) pct = Double.parseDouble(m.group(1));
            return (long) (total * pct / 100);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
