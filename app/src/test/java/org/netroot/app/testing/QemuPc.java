package org.netroot.app.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A PC for the app's real boots (lab test, new-user benchmark, screenshots): a BIOS QEMU machine
 * (SeaBIOS, the e1000's iPXE ROM) with no disk, network-booting from a tap device of the bridge
 * Netroot serves. Its serial console and QEMU's own output go to a folder, for when it does not boot.
 * Closing it pulls the plug.
 */
public final class QemuPc implements AutoCloseable {
    private final Process qemu;

    private QemuPc(Process qemu) {
        this.qemu = qemu;
    }

    /** True where a BIOS QEMU PC can network-boot here: root (taps), QEMU and the e1000's iPXE ROM. */
    public static boolean canRun() {
        return Processes.isRoot() && Processes.has("qemu-system-x86_64")
                && Files.exists(Path.of("/usr/lib/ipxe/qemu/pxe-e1000.rom"));
    }

    public static QemuPc powerOn(String mac, String tap, Path logDir) throws IOException {
        return powerOn(mac, tap, logDir, List.of());
    }

    /** With {@code prefix} before QEMU's command, e.g. {@code ip netns exec NS} for a tap in a namespace. */
    public static QemuPc powerOn(String mac, String tap, Path logDir, List<String> prefix) throws IOException {
        Files.createDirectories(logDir);
        List<String> command = new java.util.ArrayList<>(prefix);
        command.addAll(List.of("qemu-system-x86_64", "-accel", "tcg", "-display", "none", "-m", "256",
                "-serial", "file:" + logDir.resolve("serial.log"),
                "-netdev", "tap,id=n0,ifname=" + tap + ",script=no,downscript=no",
                "-device", "e1000,netdev=n0,mac=" + mac, "-boot", "n"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logDir.resolve("qemu.log").toFile()).start();
        return new QemuPc(p);
    }

    public boolean running() {
        return qemu.isAlive();
    }

    @Override
    public void close() {
        qemu.destroyForcibly();
        try {
            qemu.waitFor(5, java.util.concurrent.TimeUnit.SECONDS); // its tap must be free before the namespace goes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
