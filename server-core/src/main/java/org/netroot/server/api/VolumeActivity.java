package org.netroot.server.api;

import java.time.Instant;

/**
 * A volume's I/O now: which client has it open (null: none) and its read/write rates over the last
 * second, plus totals since it was opened. The server publishes one on the live stream about once a
 * second while a volume is busy, and one with zero rates when it goes quiet or is closed.
 */
public record VolumeActivity(String volumeName, String clientName, long bytesRead, long bytesWritten,
                             double readBytesPerSecond, double writeBytesPerSecond, Instant at) {
}
