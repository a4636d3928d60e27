package org.netroot.server.storage.qcow2;

import java.time.Instant;

/**
 * An internal snapshot of a qcow2 image, as {@code qemu-img snapshot -l} lists it.
 *
 * @param id the number the image gave it ("1", "2"...; QEMU's ID column)
 * @param name the name it was given (QEMU's TAG column)
 * @param virtualSize the volume's size when it was taken: a rollback gives the volume this size
 * @param date when it was taken
 * @param vmClockNanos how long the guest had run (QEMU's VM CLOCK); 0 for Netroot's, which hold no VM state
 * @param vmStateSize bytes of saved VM state (QEMU's VM SIZE); 0 for Netroot's
 */
public record SnapshotInfo(String id, String name, long virtualSize, Instant date, long vmClockNanos, long vmStateSize) {
}
