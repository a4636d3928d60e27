package org.netroot.server.lab;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.netroot.server.testing.Processes;

/**
 * A diskless QEMU PC on a tap device of a {@link LabNetwork}: real firmware, real PXE.
 * <ul>
 * <li>BIOS: SeaBIOS boots the e1000's option ROM ({@code -boot n}), which is iPXE (ipxe-qemu).</li>
 * <li>UEFI: OVMF (pflash CODE read-only + a private copy of VARS) with virtio-net-pci and an empty
 * {@code romfile}, so OVMF's own VirtioNetDxe + PXE driver boots (arch 7), not an iPXE option ROM:
 * the server must hand it snponly.efi over TFTP first.</li>
 * <li>UEFI HTTP: the same OVMF with its PXE turned off through fw_cfg ({@code opt/org.tianocore/IPv4PXESupport}
 * and {@code IPv6PXESupport}, OvmfPkg/RUNTIME_CONFIG.md), so the first boot option it makes for the NIC is
 * UEFI HTTPv4 (HttpBootDxe): it asks as {@code HTTPClient} and loads its boot file by URL.</li>
 * </ul>
 * Serial goes to a file; the boot programs leave through isa-debug-exit, so QEMU's exit status tells
 * that they ran to the end. TCG, not KVM: nested KVM was slower for firmware work here (LAB.md).
 */
final class QemuClient implements AutoCloseable {
    enum Firmware { BIOS, UEFI, UEFI_HTTP }

    private final LabNetwork net;
    private final Firmware firmware;
    private final String mac;
    private final Path dir;
    private final Path serial;
    private final Path monitor;
    private Process process;
    private long startedNanos;
    private int memoryMiB = 256;
    private boolean serialInput;
    private boolean reboots;
    private SocketChannel keyboard;

    private QemuClient(LabNetwork net, Firmware firmware, String mac, Path dir) {
        this.net = net;
        this.firmware = firmware;
        this.mac = mac;
        this.dir = dir;
        this.serial = dir.resolve("serial.log");
        this.monitor = dir.resolve("monitor.sock");
    }

    static QemuClient bios(LabNetwork net, String mac) throws IOException {
        return new QemuClient(net, Firmware.BIOS, mac, Files.createDirectories(net.workDir().resolve("qemu-" + mac.replace(':', '-'))));
    }

    static QemuClient uefi(LabNetwork net, String mac) throws IOException {
        return of(net, Firmware.UEFI, mac);
    }

    static QemuClient of(LabNetwork net, Firmware firmware, String mac) throws IOException {
        return new QemuClient(net, firmware, mac, Files.createDirectories(net.workDir().resolve("qemu-" + mac.replace(':', '-'))));
    }

    String mac() {
        return mac;
    }

    /** RAM for the next {@link #start}: 256 MiB fits firmware and boot sectors, a Linux guest needs more. */
    QemuClient withMemory(int mib) {
        this.memoryMiB = mib;
        return this;
    }

    /**
     * The serial port also takes input for the next {@link #start}: a socket chardev (whose log file is the
     * serial log the other methods read) that {@link #typeOnSerial} writes to, as someone at the console would.
     */
    QemuClient withSerialInput() {
        this.serialInput = true;
        return this;
    }

    /**
     * The PC reboots when its OS reboots it (firmware, iPXE and DHCP again, one serial log for all), rather
     * than QEMU exiting as it does by default ({@code -no-reboot}).
     */
    QemuClient withReboots() {
        this.reboots = true;
        return this;
    }

    /** Plugs a new tap into br0 and powers the PC on. */
    QemuClient start() throws IOException, InterruptedException {
        return startOn("br0");
    }

    /** Plugs a new tap into {@code bridge} and powers the PC on. */
    QemuClient startOn(String bridge) throws IOException, InterruptedException {
        String tap = net.addTap(bridge);
        List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64", "-accel", "tcg", "-display", "none",
                "-m", Integer.toString(memoryMiB),
                "-monitor", "unix:" + monitor + ",server,nowait",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-netdev", "tap,id=n0,ifname=" + tap + ",script=no,downscript=no"));
        if (!reboots) cmd.add("-no-reboot");
        if (serialInput) {
            cmd.addAll(List.of("-chardev", "socket,id=console,path=" + dir.resolve("serial.sock")
                    + ",server=on,wait=off,logfile=" + serial, "-serial", "chardev:console"));
        } else {
            cmd.addAll(List.of("-serial", "file:" + serial));
        }
        if (firmware == Firmware.BIOS) {
            cmd.addAll(List.of("-device", "e1000,netdev=n0,mac=" + mac, "-boot", "n"));
        } else {
            Path vars = dir.resolve("OVMF_VARS.fd");
            Files.copy(LabPrerequisites.OVMF_VARS, vars, StandardCopyOption.REPLACE_EXISTING);
            cmd.addAll(List.of(
                    "-drive", "if=pflash,format=raw,readonly=on,file=" + LabPrerequisites.OVMF_CODE,
                    "-drive", "if=pflash,format=raw,file=" + vars,
                    "-device", "virtio-net-pci,netdev=n0,mac=" + mac + ",romfile="));
            if (firmware == Firmware.UEFI_HTTP) {
                cmd.addAll(List.of("-fw_cfg", "name=opt/org.tianocore/IPv4PXESupport,string=no",
                        "-fw_cfg", "name=opt/org.tianocore/IPv6PXESupport,string=no"));
            }
        }
        Files.deleteIfExists(serial);
        startedNanos = System.nanoTime();
        // a watchdog far above any boot's own timeout: a QEMU the test forgot cannot outlive the run
        process = Processes.start(900, new ProcessBuilder(net.inNamespace(cmd)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile()));
        return this;
    }

    /** What a boot came to: whether {@code text} appeared on serial, QEMU's exit status, how long it took. */
    record Outcome(boolean sawText, Integer exitCode, Duration elapsed, String serial) {
        boolean exitedWith(int code) {
            return exitCode != null && exitCode == code;
        }
    }

    /**
     * Waits until {@code text} is on the serial port and QEMU has exited (the boot program leaves through
     * isa-debug-exit right after its last line), QEMU exits on its own, or {@code timeout} passes.
     */
    Outcome awaitSerial(String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean seen = false;
        while (System.nanoTime() < deadline) {
            seen = serialText().contains(text);
            if (!process.isAlive()) break;
            if (seen && process.waitFor(5, TimeUnit.SECONDS)) break;
            Thread.sleep(250);
        }
        seen = serialText().contains(text);
        Integer exit = process.isAlive() ? null : process.exitValue();
        return new Outcome(seen, exit, Duration.ofNanos(System.nanoTime() - startedNanos), serialText());
    }

    /** Waits until {@code text} is on the serial port, whether or not QEMU goes on running; false if it never came. */
    boolean awaitText(String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (serialText().contains(text)) return true;
            if (!process.isAlive()) return serialText().contains(text);
            Thread.sleep(250);
        }
        return serialText().contains(text);
    }

    /**
     * Types {@code line} and Enter on the serial console ({@link #withSerialInput} only). The connection stays
     * open until {@link #close}; what QEMU sends back on it is drained and dropped (the log file has it).
     */
    void typeOnSerial(String line) throws IOException {
        if (!serialInput) throw new IllegalStateException("start the client withSerialInput() to type on it");
        if (keyboard == null) {
            keyboard = SocketChannel.open(StandardProtocolFamily.UNIX);
            keyboard.connect(UnixDomainSocketAddress.of(dir.resolve("serial.sock")));
            SocketChannel ch = keyboard;
            Thread.ofVirtual().start(() -> {
                ByteBuffer sink = ByteBuffer.allocate(4096);
                try {
                    while (ch.read(sink.clear()) >= 0) {
                        // dropped: QEMU's log file keeps the serial output
                    }
                } catch (IOException closed) {
                    // the client closed
                }
            });
        }
        ByteBuffer bytes = ByteBuffer.wrap((line + "\r").getBytes(StandardCharsets.US_ASCII));
        while (bytes.hasRemaining()) keyboard.write(bytes);
    }

    String serialText() throws IOException {
        return Files.exists(serial) ? Files.readString(serial, StandardCharsets.ISO_8859_1).replace("\r", "") : "";
    }

    /**
     * Saves the VGA screen (where iPXE and OVMF write their messages) through the QEMU monitor; returns
     * the file, or why there is none. Only works while QEMU runs: call it before {@link #close()}.
     */
    String screendump(String name) {
        Path ppm = dir.resolve(name + ".ppm");
        if (process == null || !process.isAlive()) return "(no screendump: QEMU already exited)";
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(monitor));
            ch.write(ByteBuffer.wrap(("screendump " + ppm + "\n").getBytes(StandardCharsets.US_ASCII)));
            for (int i = 0; i < 40 && !Files.exists(ppm); i++) Thread.sleep(100);
            Thread.sleep(300);
            return Files.exists(ppm) ? ppm.toString() : "(screendump did not appear at " + ppm + ")";
        } catch (IOException | InterruptedException e) {
            return "(no screendump: " + e + ")";
        }
    }

    /** The evidence of a boot that did not come through, for an assertion message. */
    String failureReport(Outcome outcome, String serverLog) {
        String screen = screendump("failure");
        String qemuLog;
        try {
            Path log = dir.resolve("qemu.log");
            qemuLog = Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            qemuLog = e.toString();
        }
        return firmware + " client " + mac + " in " + net.namespace() + ": after " + outcome.elapsed().toSeconds()
                + " s, QEMU exit " + (outcome.exitCode() == null ? "none (still running)" : outcome.exitCode())
                + "\n--- serial log ---\n" + outcome.serial()
                + "\n--- QEMU output ---\n" + qemuLog
                + "\n--- screendump (iPXE/OVMF messages) ---\n" + screen
                + "\n--- server log ---\n" + serverLog;
    }

    @Override
    public void close() {
        if (keyboard != null) {
            try {
                keyboard.close();
            } catch (IOException ignored) {
                // QEMU is stopped next anyway
            }
        }
        if (process == null) return;
        try {
            Processes.stop(process, 5);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
