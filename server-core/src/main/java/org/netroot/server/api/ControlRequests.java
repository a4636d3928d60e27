package org.netroot.server.api;

/** Request bodies of the control API that are not domain records. */
public final class ControlRequests {
    private ControlRequests() {
    }

    /** Either {@code sizeBytes} (with a {@code format}, null: the default) or {@code fromFile}. */
    public record CreateVolume(String name, Long sizeBytes, String fromFile, String format) {
    }

    /** A new overlay named {@code name} (of the golden image in the path). */
    public record TakeSnapshot(String name) {
    }

    public record CloneVolume(String name) {
    }

    /** Whether the volume in the path may be open by several initiators at once. */
    public record ShareVolume(boolean shared) {
    }

    public record ExportVolume(String file) {
    }

    /** {@code allowShrink}: the caller confirmed that a smaller size drops the data past the new end. */
    public record ResizeVolume(Long sizeBytes, boolean allowShrink) {
    }

    /**
     * Starts an import (file: the image to read), an export (file: the image to write, as
     * {@code format}: raw when null, or qcow2) or a promotion (volume: the overlay, newName: the new
     * golden image).
     */
    public record StartJob(Job.Kind kind, String volume, String file, String format, String newName) {
        public StartJob(Job.Kind kind, String volume, String file) {
            this(kind, volume, file, null, null);
        }
    }

    /** Copies {@code file} (a path on the server) into the asset library as {@code name}; {@code kind} null: guessed. */
    public record AddAsset(String name, String file, AssetKind kind) {
    }

    public record Version(int apiVersion) {
    }

    public record Error(String error) {
    }

    /** Probe for a DHCP server on {@code interfaceName}, listening {@code waitMillis} (0: the default 2 s). */
    public record ProbeDhcp(String interfaceName, long waitMillis) {
    }
}
