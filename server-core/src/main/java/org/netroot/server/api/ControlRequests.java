package org.netroot.server.api;

/** Request bodies of the control API that are not domain records. */
public final class ControlRequests {
    private ControlRequests() {
    }

    /** Either {@code sizeBytes} or {@code fromFile}. */
    public record CreateVolume(String name, Long sizeBytes, String fromFile) {
    }

    public record ExportVolume(String file) {
    }

    /** {@code allowShrink}: the caller confirmed that a smaller size drops the data past the new end. */
    public record ResizeVolume(Long sizeBytes, boolean allowShrink) {
    }

    public record Error(String error) {
    }
}
