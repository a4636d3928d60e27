package org.netroot.server.iscsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.Client;
import org.netroot.server.api.ServerStatus;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.runtime.LocalControl;
import org.netroot.server.service.InputErrors;
import org.netroot.server.store.Database;
import org.netroot.server.testing.Processes;

/**
 * Issue 12's interop, over the wire: a qcow2 image qemu-img made, on a two-level backing chain with
 * data at each level, imported as a volume and served: QEMU's own iSCSI initiator reads it identically
 * ({@code qemu-img compare} of the image against the iscsi:// target), and after writes over iSCSI the
 * volume's own qcow2 file passes {@code qemu-img check} and compares identical to the target.
 */
class Qcow2OverIscsiInteropTest {
    static final long TIMEOUT = 120;

    @TempDir Path dir;
    Database db;
    LocalControl control;
    IscsiService service;

    @BeforeEach
    void start() throws Exception {
        db = Database.open(dir.resolve("data"));
        control = new LocalControl(db, false, dir.resolve("data"), ServerStatus::offline);
        service = new IscsiService(new IscsiSettings((java.net.InetAddress) null, 0),
                new ClientTargetCatalog(db.clientDirectory(), control.volumeStore()), e -> { }, new PeerDirectory(),
                new InputErrors());
        service.start();
    }

    @AfterEach
    void stop() {
        service.stop();
        control.close();
        db.close();
    }

    @Test
    void aQemuMadeQcow2ChainIsServedAndReadIdenticallyOverIscsi() throws Exception {
        assumeTrue(Processes.has("qemu-img") && Processes.has("qemu-io"), "qemu-img/qemu-io missing: apt-get install qemu-utils");
        Path base = dir.resolve("base.qcow2");
        Path middle = dir.resolve("middle.qcow2");
        Path top = dir.resolve("top.qcow2");
        run("qemu-img", "create", "-q", "-f", "qcow2", base.toString(), "64M");
        run("qemu-io", "-f", "qcow2", "-c", "write -P 0x11 0 4M", "-c", "write -P 0x12 40M 1M", base.toString());
        run("qemu-img", "create", "-q", "-f", "qcow2", "-b", base.getFileName().toString(), "-F", "qcow2", middle.toString());
        run("qemu-io", "-f", "qcow2", "-c", "write -P 0x21 1M 2M", "-c", "write -z 40M 64k", middle.toString());
        run("qemu-img", "create", "-q", "-f", "qcow2", "-b", middle.getFileName().toString(), "-F", "qcow2", top.toString());
        run("qemu-io", "-f", "qcow2", "-c", "write -P 0x31 2M 512k", "-c", "write -P 0x32 63M 1M", top.toString());

        control.importVolume("chain", top.toString());
        Client pc = control.addClient(new Client("pc1", "52:54:00:00:00:01", "chain", BootMode.SANBOOT, null, null, null,
                null, null, null));
        String target = "json:{\"driver\":\"iscsi\",\"transport\":\"tcp\",\"portal\":\"127.0.0.1:" + service.port()
                + "\",\"target\":\"" + pc.targetIqn() + "\",\"lun\":0,\"initiator-name\":\"" + pc.initiatorIqn() + "\"}";

        Processes.Result same = Processes.run(TIMEOUT, "qemu-img", "compare", "-f", "qcow2", top.toString(), target);
        assertEquals(0, same.exitCode(), "qemu-img compare of the chain against the iSCSI target:\n" + same.all());

        run("qemu-io", "-c", "write -P 0x41 8M 3M", "-c", "write -P 0x42 0 4k", target);
        Path volumeFile = control.volumeStore().fileOf(control.volumeStore().require("chain"));
        Processes.Result check = Processes.run(TIMEOUT, "qemu-img", "check", volumeFile.toString());
        assertEquals(0, check.exitCode(), "the volume's qcow2 after writes over iSCSI:\n" + check.all());
        Processes.Result after = Processes.run(TIMEOUT, "qemu-img", "compare", "-f", "qcow2", volumeFile.toString(), target);
        assertEquals(0, after.exitCode(), "the volume's file reads as the target does:\n" + after.all());
        Processes.Result differs = Processes.run(TIMEOUT, "qemu-img", "compare", "-f", "qcow2", top.toString(), target);
        assertEquals(1, differs.exitCode(), "the writes went to the volume, not to the imported image:\n" + differs.all());
    }

    private static void run(String... command) throws Exception {
        Processes.Result r = Processes.run(TIMEOUT, command);
        assertEquals(0, r.exitCode(), String.join(" ", command) + ":\n" + r.all());
    }
}
