package org.netroot.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The new user's first PC: a BIOS QEMU machine (SeaBIOS, the e1000's iPXE ROM) with no disk,
 * network-booting from a tap device of the bridge Netroot serves. Its serial console and QEMU's own
 * output go to a folder, for when it does not boot. Closing it pulls the plug.
 */
final class QemuPc implements AutoCloseable {
    private final Process qemu;

    private QemuPc(Process qemu) {
        this.qemu = qemu;
    }

    static QemuPc powerOn(String mac, String tap, Path logDir) throws IOException {
        Files.createDirectories(logDir);
        Process p = new ProcessBuilder("qemu-system-x86_64", "-accel", "tcg", "-display", "none", "-m", "256",
                "-serial", "file:" + logDir.resolve("serial.log"),
                "-netdev", "tap,id=n0,ifname=" + tap + ",script=no,downscript=no",
                "-device", "e1000,netdev=n0,mac=" + mac, "-boot", "n")
                .redirectErrorStream(true).redirectOutput(logDir.resolve("qemu.log").toFile()).start();
        return new QemuPc(p);
    }

    boolean running() {
        return qemu.isAlive();
    }

    @Override
    public void close() {
        qemu.destroyForcibly();
    }
}
