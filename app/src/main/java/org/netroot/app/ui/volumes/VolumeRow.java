package org.netroot.app.ui.volumes;

import java.time.Instant;
import org.netroot.server.api.Volume;
import org.netroot.server.api.VolumeActivity;

/** One line of the volumes table: the volume joined with its live activity (no client, no I/O when none). */
public record VolumeRow(String name, String format, long sizeBytes, long usedBytes, Instant createdAt,
                        String clientName, double readBytesPerSecond, double writeBytesPerSecond) {

    static VolumeRow of(Volume v, VolumeActivity a) {
        return new VolumeRow(v.name(), v.format(), v.sizeBytes(), v.allocatedBytes(), v.createdAt(),
                a == null ? null : a.clientName(), a == null ? 0 : a.readBytesPerSecond(),
                a == null ? 0 : a.writeBytesPerSecond());
    }

    public boolean attached() {
        return clientName != null;
    }
}
