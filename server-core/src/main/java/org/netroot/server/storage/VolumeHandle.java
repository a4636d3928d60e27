package org.netroot.server.storage;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

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
    /** Users granted the volume and not evicted: one, or several on a shared volume. */
    private final Set<OpenVolumes.User> active = new LinkedHashSet<>();
    private final List<CapacityListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Class<?>, Object> state = new ConcurrentHashMap<>();

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

    /**
     * State its users share while the volume is open, one per type, made on first use: the SCSI
     * layer keeps reservations here (what one initiator reserves, another must see). It goes when
     * the last user leaves, as it would in a target that lost power.
     */
    public <T> T shared(Class<T> type, Supplier<? extends T> create) {
        return type.cast(state.computeIfAbsent(type, t -> create.get()));
    }

    /** The user leaves; the last one out closes the device. Twice is harmless. */
    public void release(OpenVolumes.User user) {
        registry.release(this, user);
    }

    // ---- for OpenVolumes, under its lock ----------------------------------------------------

    /** The user the one-writer rule grants the volume to (the first, on a shared one); null while only evicted users linger. */
    OpenVolumes.User writer() {
        return active.isEmpty() ? null : active.iterator().next();
    }

    /** {@code user} becomes the only active user. */
    void grant(OpenVolumes.User user) {
        users.add(user);
        active.clear();
        active.add(user);
    }

    /** {@code user} becomes one more active user (a shared volume). */
    void join(OpenVolumes.User user) {
        users.add(user);
        active.add(user);
    }

    /** The user is being evicted: it stays until it leaves, but no longer counts as active. */
    void deactivate(OpenVolumes.User user) {
        active.remove(user);
    }

    /** The active user whose nexus is {@code nexus}, or null. */
    OpenVolumes.User activeWithNexus(String nexus) {
        for (OpenVolumes.User u : active) if (u.nexus().equalsIgnoreCase(nexus)) return u;
        return null;
    }

    /** A user (an evicted one, still closing) of another identity than {@code identity}, or null. */
    OpenVolumes.User userOtherThan(String identity) {
        for (OpenVolumes.User u : users) if (!u.identity().equalsIgnoreCase(identity)) return u;
        return null;
    }

    /** True when no user is left. */
    boolean leave(OpenVolumes.User user) {
        users.remove(user);
        active.remove(user);
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
