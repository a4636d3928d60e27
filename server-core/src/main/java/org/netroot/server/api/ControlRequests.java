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

    /** Starts an import (file: the image to read) or an export (file: the image to write). */
    public record StartJob(Job.Kind kind, String volume, String file) {
    }

    public record Version(int apiVersion) {
    }

    public record Error(String error) {
    }

    /** Probe for a DHCP server on {@code interfaceName}, listening {@code waitMillis} (0: the default 2 s). */
    public record ProbeDhcp(String interfaceName, long waitMillis) {
    }
}
