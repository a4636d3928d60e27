package org.netroot.server.lab;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.netroot.server.testing.Processes;

/**
 * What the boot lab needs on the machine (Debian packages in brackets). Lab tests skip with the list of
 * what is missing rather than fail where it cannot run; CI runs as root with all of them installed.
 */
final class LabPrerequisites {
    static final Path IPXE_DIR = Path.of("/usr/lib/ipxe");
    static final Path OVMF_CODE = Path.of("/usr/share/OVMF/OVMF_CODE.fd");
    static final Path OVMF_VARS = Path.of("/usr/share/OVMF/OVMF_VARS.fd");

    private LabPrerequisites() {
    }

    /** A BIOS and UEFI QEMU client booting a SAN disk we build. */
    static void assumeBootLab() {
        bootLabMissing().ifPresent(why -> assumeTrue(false, why));
    }

    /**
     * Why the boot lab cannot run here, if it cannot. Test classes that start work in {@code @BeforeAll}
     * check this there and assume it in {@code @BeforeEach}: a failed assumption in {@code @BeforeAll}
     * skips the class with its message lost in Surefire's report.
     */
    static Optional<String> bootLabMissing() {
        if (!Processes.isRoot()) return Optional.of("lab test skipped: needs root (network namespaces, tap devices)");
        List<String> missing = missing(List.of("ip [iproute2]", "qemu-system-x86_64 [qemu-system-x86]", "nasm [nasm]",
                "sgdisk [gdisk]", "mkfs.vfat [dosfstools]", "mcopy [mtools]", "mmd [mtools]"));
        for (Path p : List.of(IPXE_DIR.resolve("undionly.kpxe"), IPXE_DIR.resolve("snponly.efi"))) {
            if (!Files.isRegularFile(p)) missing.add(p + " [ipxe]");
        }
        if (!Files.isRegularFile(Path.of("/usr/lib/ipxe/qemu/pxe-e1000.rom"))) missing.add("pxe-e1000.rom [ipxe-qemu]");
        for (Path p : List.of(OVMF_CODE, OVMF_VARS)) {
            if (!Files.isRegularFile(p)) missing.add(p + " [ovmf]");
        }
        return missing.isEmpty() ? Optional.empty() : Optional.of("lab test skipped: missing " + String.join(", ", missing));
    }

    /** What {@code src/test/resources/lab/debian-iscsi-root.sh} needs to build a Debian disk. */
    static void assumeDebianImageBuild() {
        assumeNothingMissing(missing(List.of("mmdebstrap [mmdebstrap]", "syslinux [syslinux]", "sfdisk [fdisk]",
                "mkfs.ext4 [e2fsprogs]", "mkfs.vfat [dosfstools]", "mcopy [mtools]")));
        assumeTrue(Files.isRegularFile(Path.of("/usr/lib/syslinux/mbr/mbr.bin")), "lab test skipped: missing mbr.bin [syslinux-common]");
    }

    /**
     * What {@link TinyLinux} builds its initramfs images from: the machine's busybox (and nbd-client for an
     * NBD root), mkfs.ext4 for the marker volume, readelf to find what Debian's iscsistart loads.
     */
    static void assumeLinuxBootModes() {
        assumeNothingMissing(missing(List.of("busybox [busybox]", "ldd [libc-bin]", "tar [tar]", "readelf [binutils]",
                "mkfs.ext4 [e2fsprogs]", "nbd-client [nbd-client]")));
    }

    /** The home router of the proxy-mode tests. */
    static void assumeHomeRouter() {
        assumeNothingMissing(missing(List.of("dnsmasq [dnsmasq-base]")));
    }

    static boolean hasHomeRouter() {
        return Processes.has("dnsmasq");
    }

    private static List<String> missing(List<String> tools) {
        List<String> missing = new ArrayList<>();
        for (String t : tools) {
            if (!Processes.has(t.split(" ")[0])) missing.add(t);
        }
        return missing;
    }

    private static void assumeNothingMissing(List<String> missing) {
        assumeTrue(missing.isEmpty(), "lab test skipped: missing " + String.join(", ", missing));
    }
}
