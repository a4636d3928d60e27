package org.netroot.server.scsi;

import java.nio.ByteBuffer;

/**
 * Where a command puts the data it returns to the initiator. The transport hands out a buffer it
 * can send without copying (a pooled direct buffer for iSCSI), so a READ goes from the
 * {@code BlockDevice} straight into the outgoing buffer.
 */
@FunctionalInterface
public interface DataIn {
    /** A buffer with position 0 and limit {@code length}; valid until the command completes. */
    ByteBuffer buffer(int length);
}
