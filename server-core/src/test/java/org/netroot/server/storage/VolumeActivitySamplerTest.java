package org.netroot.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.VolumeActivity;

/** Rates from the counters of real open volumes, sampled at times the test chooses. */
class VolumeActivitySamplerTest {
    static final long SECOND = 1_000_000_000L;

    @TempDir Path dir;
    OpenVolumes volumes;
    final List<VolumeActivity> published = new ArrayList<>();
    VolumeActivitySampler sampler;

    record Pc(String identity, String clientName) implements OpenVolumes.User {
        @Override
        public void evict() {
        }
    }

    @BeforeEach
    void open() throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(dir.resolve("disk.img").toFile(), "rw")) {
            raf.setLength(1 << 20);
        }
        volumes = new OpenVolumes(name -> RawFileBlockDevice.open(dir.resolve(name + ".img"), false));
        sampler = new VolumeActivitySampler(volumes::usage, published::add);
        sampler.sample(0, Instant.EPOCH);
    }

    @Test
    void busyVolumesReportRatesThenOneQuietSampleThenTheirClose() throws IOException {
        Pc pc = new Pc("iqn.pc1", "pc1");
        VolumeHandle h = volumes.attach("disk", pc).handle();

        List<VolumeActivity> opened = sampler.sample(SECOND, Instant.EPOCH);
        assertEquals(1, opened.size(), "an opened volume is reported once, even before I/O");
        assertEquals("pc1", opened.get(0).clientName());
        assertEquals(0, opened.get(0).readBytesPerSecond());

        h.device().read(0, ByteBuffer.allocate(64 << 10));
        h.device().read(0, ByteBuffer.allocate(64 << 10));
        h.device().write(0, ByteBuffer.allocate(4096));
        List<VolumeActivity> busy = sampler.sample(3 * SECOND, Instant.EPOCH); // two seconds later
        assertEquals(1, busy.size());
        VolumeActivity a = busy.get(0);
        assertEquals("disk", a.volumeName());
        assertEquals("pc1", a.clientName());
        assertEquals(128 << 10, a.bytesRead());
        assertEquals(4096, a.bytesWritten());
        assertEquals(64 << 10, a.readBytesPerSecond(), 1e-6, "128 KiB over 2 s");
        assertEquals(2048, a.writeBytesPerSecond(), 1e-6);
        assertEquals(List.of(a), sampler.current());

        List<VolumeActivity> quiet = sampler.sample(4 * SECOND, Instant.EPOCH);
        assertEquals(1, quiet.size(), "going quiet is reported once");
        assertEquals(0, quiet.get(0).readBytesPerSecond());
        assertEquals(0, quiet.get(0).writeBytesPerSecond());
        assertEquals(128 << 10, quiet.get(0).bytesRead(), "totals stay");
        assertTrue(sampler.sample(5 * SECOND, Instant.EPOCH).isEmpty(), "a quiet open volume reports nothing");

        h.release(pc);
        List<VolumeActivity> closed = sampler.sample(6 * SECOND, Instant.EPOCH);
        assertEquals(1, closed.size(), "closing is reported");
        assertNull(closed.get(0).clientName());
        assertEquals(0, closed.get(0).readBytesPerSecond());
        assertTrue(sampler.current().isEmpty());
        assertTrue(sampler.sample(7 * SECOND, Instant.EPOCH).isEmpty());
        assertEquals(4, published.size(), "the sink heard what each sample reported");
    }

    @Test
    void aVolumeOpenedAgainCountsFromZero() throws IOException {
        Pc pc = new Pc("iqn.pc1", "pc1");
        VolumeHandle first = volumes.attach("disk", pc).handle();
        first.device().read(0, ByteBuffer.allocate(1 << 20));
        sampler.sample(SECOND, Instant.EPOCH);
        first.release(pc);
        VolumeHandle second = volumes.attach("disk", pc).handle();
        second.device().read(0, ByteBuffer.allocate(4096));

        VolumeActivity a = sampler.sample(2 * SECOND, Instant.EPOCH).get(0);
        assertEquals(4096, a.bytesRead(), "the new handle's counters, not a negative delta from the old one");
        assertEquals(4096, a.readBytesPerSecond(), 1e-6);
    }
}
