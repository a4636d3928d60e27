package org.netroot.server.storage.qcow2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.netroot.server.testing.Processes;

/** qemu-img as the reference for the tests: every call has a time limit (through {@link Processes}). */
final class QemuImg {
    static final long TIMEOUT_SECONDS = 60;

    private QemuImg() {
    }

    static void assumePresent() {
        assumeTrue(Processes.has("qemu-img"), "qemu-img is not installed (apt install qemu-utils): qcow2 interop tests skipped");
    }

    static Processes.Result run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("qemu-img");
        cmd.addAll(List.of(args));
        return Processes.run(TIMEOUT_SECONDS, cmd);
    }

    static String ok(String... args) throws Exception {
        Processes.Result r = run(args);
        assertEquals(0, r.exitCode(), "qemu-img " + String.join(" ", args) + " failed: " + r.all());
        return r.stdout();
    }

    /** `qemu-img check` exits 0: no corruption, no leaks. */
    static void checkClean(Path image) throws Exception {
        Processes.Result r = run("check", image.toString());
        assertEquals(0, r.exitCode(), "qemu-img check " + image + ": " + r.all());
    }

    /** `qemu-img compare` says the two images hold the same bytes (a qcow2 against a raw file). */
    static void assertIdentical(Path qcow2, Path raw) throws Exception {
        Processes.Result r = run("compare", "-f", "qcow2", "-F", "raw", qcow2.toString(), raw.toString());
        assertEquals(0, r.exitCode(), "qemu-img compare " + qcow2 + " " + raw + ": " + r.all());
    }

    static String version() throws Exception {
        return ok("--version").lines().findFirst().orElse("?");
    }
}
