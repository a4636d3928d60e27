package org.netroot.server.storage;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One open volume, shared by whoever uses it: the {@link BlockDevice} is opened once, when the
 * first user attaches through {@link OpenVolumes}, and closed when the last one leaves. Its
 * listeners (open logical units) hear of capacity changes.
 *
 * <p>Users and the writer are guarded by the {@link OpenVolumes} registry's lock.
 */
public final class VolumeHandle {
    private final String name;
    private final BlockDevice device;
    private final IoCounters counters = new IoCounters();
    private final OpenVolumes registry;
    private final Set<OpenVolumes.User> users = new LinkedHashSet<>();
    private final List<CapacityListener> listeners = new CopyOnWriteArrayList<>();
    /** The user the one-writer rule grants the volume to; null while only evicted users linger. */
    private OpenVolumes.User writer;

    VolumeHandle(String name, BlockDevice device, OpenVolumes registry) {
        this.name = name;
        this.device = new CountingBlockDevice(device, counters);
        this.registry = registry;
    }

    public String name() {
        return name;
    }

    /** The volume's device; its reads and writes are counted in {@link #counters()}. */
    public BlockDevice device() {
        return device;
    }

    /** Bytes read and written through {@link #device()} since the volume was opened. */
    public IoCounters counters() {
        return counters;
    }

    public void addListener(CapacityListener listener) {
        listeners.add(listener);
    }

    public void removeListener(CapacityListener listener) {
        listeners.remove(listener);
    }

    /** The user leaves; the last one out closes the device. Twice is harmless. */
    public void release(OpenVolumes.User user) {
        registry.release(this, user);
    }

    // ---- for OpenVolumes, under its lock ----------------------------------------------------

    OpenVolumes.User writer() {
        return writer;
    }

    void grant(OpenVolumes.User user) {
        users.add(user);
        writer = user;
    }

    /** A user (an evicted one, still closing) of another identity than {@code identity}, or null. */
    OpenVolumes.User userOtherThan(String identity) {
        for (OpenVolumes.User u : users) if (!u.identity().equalsIgnoreCase(identity)) return u;
        return null;
    }

    /** True when no user is left. */
    boolean leave(OpenVolumes.User user) {
        users.remove(user);
        if (writer == user) writer = null;
        return users.isEmpty();
    }

    boolean inUse() {
        return !users.isEmpty();
    }

    void resize(long newSizeBytes) throws IOException {
        device.resize(newSizeBytes);
        for (CapacityListener l : listeners) l.capacityChanged(newSizeBytes);
    }
}
