package org.netroot.server.api;

import java.time.Instant;

/**
 * An internal snapshot of a qcow2 volume: the volume as it was when it was taken, kept inside the
 * volume's file (as QEMU keeps them: {@code qemu-img snapshot -l} lists them too).
 *
 * @param sizeBytes the volume's size when it was taken (a rollback gives the volume this size back)
 */
public record Snapshot(String name, Instant takenAt, long sizeBytes) {
}
