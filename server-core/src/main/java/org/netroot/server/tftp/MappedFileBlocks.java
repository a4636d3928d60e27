package org.netroot.server.tftp;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A boot file's bytes for a transfer, read from a read-only memory map of the file: a window is a copy
 * out of the page cache, not a pread(2). Lock-step TFTP (what BIOS PXE ROMs do) reads one block per
 * ACK, so this is one system call fewer per block: epoll_wait, recvfrom and sendto are all that is left
 * (dnsmasq makes five: poll, recvfrom, lseek, read, sendmsg). Files of 2 GiB or more (a map's limit) and
 * empty ones are read with pread as before.
 *
 * <p>The map is the transfer's own and goes with it (the JVM unmaps it when it is collected); the
 * pages are the page cache's, shared by every transfer of the file. A file cut short while it is
 * sent makes the copy fault: that is reported as the IOException a short read gave before.
 */
final class MappedFileBlocks {
    private MappedFileBlocks() {
    }

    static ReadTransfer.FileBlocks of(FileChannel file, long size) throws IOException {
        if (size <= 0 || size > Integer.MAX_VALUE) return (offset, dst) -> file.read(dst, offset);
        MappedByteBuffer map = file.map(FileChannel.MapMode.READ_ONLY, 0, size);
        return (offset, dst) -> {
            if (offset >= size) return -1;
            int n = (int) Math.min(dst.remaining(), size - offset);
            try {
                dst.put(dst.position(), map, (int) offset, n);
            } catch (InternalError e) { // SIGBUS: the file is shorter now than when the transfer began
                throw new IOException("file shrank during the transfer", e);
            }
            dst.position(dst.position() + n);
            return n;
        };
    }
}
