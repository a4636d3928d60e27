package org.netroot.server.storage.qcow2;

import java.util.Locale;

/**
 * The image a qcow2 image reads its unallocated clusters from: its name as the header holds it
 * (relative to the image's folder, as {@code qemu-img create -b} writes it, or absolute) and its format.
 */
public record BackingFile(String path, Format format) {
    public enum Format {
        RAW, QCOW2;

        /** The name the backing format header extension holds ("raw", "qcow2"). */
        public String headerName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public BackingFile {
        if (path == null || path.isEmpty()) throw new IllegalArgumentException("a backing file needs a path");
    }
}
