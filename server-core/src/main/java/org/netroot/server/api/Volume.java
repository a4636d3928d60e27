package org.netroot.server.api;

import java.time.Instant;

/**
 * A virtual disk: a file in the data folder's volumes directory. {@code format} says how the
 * file holds the disk ("raw" today). {@code allocatedBytes} is what the file really occupies on
 * the server's disk (less than {@code sizeBytes} while sparse), -1 when unknown.
 */
public record Volume(String name, long sizeBytes, String fileName, Instant createdAt, String format,
                     long allocatedBytes) {
    public static final String RAW = "raw";

    /** A raw volume whose disk usage is not known. */
    public Volume(String name, long sizeBytes, String fileName, Instant createdAt) {
        this(name, sizeBytes, fileName, createdAt, RAW, -1);
    }

    public Volume withAllocatedBytes(long bytes) {
        return new Volume(name, sizeBytes, fileName, createdAt, format, bytes);
    }
}
