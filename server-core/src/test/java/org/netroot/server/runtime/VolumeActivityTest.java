package org.netroot.server.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.ChangeListener;
import org.netroot.server.api.ChangeType;
import org.netroot.server.api.Client;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.RemoteControl;
import org.netroot.server.api.VolumeActivity;
import org.netroot.server.iscsi.IscsiService;
import org.netroot.server.testing.RawInitiator;
import org.netroot.server.testing.TestConfigs;

/**
 * A real iSCSI session reads from its volume: the control API (over HTTP) and its live stream show
 * which client has the volume and a read rate; once the session ends, a last zero-rate entry
 * without a client says the volume was closed.
 */
class VolumeActivityTest {
    @TempDir Path tmp;

    @Test
    void aLoggedInClientsReadsShowAsActivityAndItsLogoutAsClosed() throws Exception {
        Path data = tmp.resolve("data");
        try (NetrootServer server = NetrootServer.start(TestConfigs.loopback(data, tmp));
             NetrootControl api = Netroot.attach(data)) {
            assertTrue(api instanceof RemoteControl, "over the control API");
            assertEquals(List.of(), api.volumeActivity(), "nothing open yet");
            api.createVolume("pc1-disk", 4 << 20);
            Client pc = api.addClient(Client.sanboot("pc1", "52:54:00:00:00:01", "pc1-disk"));
            List<VolumeActivity> streamed = new CopyOnWriteArrayList<>();
            ChangeListener listener = e -> {
                if (e.type() == ChangeType.VOLUME_ACTIVITY) streamed.add(e.payloadAs(VolumeActivity.class));
            };
            try (AutoCloseable sub = api.subscribe(0, listener)) {
                int port = server.service(IscsiService.class).port();
                try (RawInitiator session = RawInitiator.login(port, pc.initiatorIqn(), pc.targetIqn())) {
                    long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                    VolumeActivity a = null;
                    while (System.nanoTime() < end && a == null) {
                        for (int lba = 0; lba < 8192; lba += 128) session.read(lba, 128); // 4 MiB
                        Thread.sleep(100);
                        a = reading(api);
                    }
                    assertTrue(a != null, "a read rate within 5 s: " + api.volumeActivity());
                    assertEquals("pc1-disk", a.volumeName());
                    assertEquals("pc1", a.clientName());
                    assertTrue(a.readBytesPerSecond() > 0, "read rate: " + a);
                    assertTrue(a.bytesRead() > 0 && a.bytesRead() % (128 * 512) == 0, "totals of whole reads at the sample: " + a);
                    assertEquals(0, a.bytesWritten());
                    assertEquals("pc1", server.control().volumeActivity().get(0).clientName(), "in-process too");
                    await("the stream carried a busy sample", () -> streamed.stream()
                            .anyMatch(s -> "pc1".equals(s.clientName()) && s.readBytesPerSecond() > 0));
                }
                await("the stream says the volume closed", () -> streamed.stream()
                        .anyMatch(s -> s.clientName() == null && s.readBytesPerSecond() == 0));
                assertEquals(List.of(), api.volumeActivity(), "no volume open");
            }
        }
        try (LocalControl offline = LocalControl.openOffline(data)) {
            assertEquals(List.of(), offline.volumeActivity(), "the offline view opens no volume");
        }
    }

    /** The volume's activity when it shows reading, else null. */
    private static VolumeActivity reading(NetrootControl api) {
        return api.volumeActivity().stream().filter(a -> a.readBytesPerSecond() > 0).findFirst().orElse(null);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("within 5 s: " + what);
            Thread.sleep(50);
        }
    }
}
