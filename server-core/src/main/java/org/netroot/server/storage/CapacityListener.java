package org.netroot.server.storage;

/** Told when an open volume's size changed (an open SCSI logical unit raises UNIT ATTENTION). */
@FunctionalInterface
public interface CapacityListener {
    /** Called on the thread that resized, after the device has its new size. Must not block. */
    void capacityChanged(long newSizeBytes);
}
