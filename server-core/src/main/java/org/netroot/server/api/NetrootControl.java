package org.netroot.server.api;

import java.util.List;
import java.util.function.Consumer;

/**
 * Everything the CLI and the app can ask of Netroot. Two implementations: one over the database
 * directly (no server running) and one over the running server's loopback control API; get one
 * with {@link Netroot#attach}.
 * Failures a user caused (unknown name, bad MAC, volume in use) are {@link IllegalArgumentException}
 * with a message worth showing as is.
 */
public interface NetrootControl extends AutoCloseable {
    /** Raised when the control API changes incompatibly; served at {@code GET /api/version}. */
    int API_VERSION = 1;

    /** Every client, CHAP secrets blanked ({@link Client#chap()} tells whether CHAP is on). */
    List<Client> clients();

    Client addClient(Client client);

    /**
     * Replaces the client named {@code name} (same checks as {@link #addClient}). A null secret with
     * {@code chap} (or {@code mutualChap}) still true keeps the stored secret, so a client read from
     * {@link #clients()} can be edited and saved back.
     */
    Client updateClient(String name, Client client);

    void removeClient(String name);

    /** The client's CHAP user names and secrets. */
    ClientSecrets clientSecrets(String name);

    /** Boot events of one client (by name or MAC) with id greater than {@code afterId}, oldest first. */
    List<BootEvent> clientEvents(String nameOrMac, long afterId, int limit);

    List<Volume> volumes();

    /** An empty volume of the default format ({@link Volume#DEFAULT_FORMAT}). */
    default Volume createVolume(String name, long sizeBytes) {
        return createVolume(name, sizeBytes, null);
    }

    /**
     * An empty sparse volume of {@code format}: "qcow2" or "raw" (null: {@link Volume#DEFAULT_FORMAT}).
     * A size past the data folder's free space ({@link #diskSpace()}) is allowed, as volumes are sparse.
     */
    Volume createVolume(String name, long sizeBytes, String format);

    /** The disk holding the data folder's volumes: how much is free for them to grow into. */
    DiskSpace diskSpace();

    /**
     * Makes a volume a golden image: served read-only from then on (a client that boots it sees a
     * write-protected disk), and the source of {@link #cloneVolume overlays}. Refused while a client
     * has it open.
     */
    Volume makeGolden(String name);

    /**
     * A new qcow2 overlay {@code newName} of the golden image {@code golden}: it holds only what its
     * client writes and reads the rest from the golden image, so it is made at once, whatever the size.
     */
    Volume cloneVolume(String golden, String newName);

    /** Throws an overlay's writes away: it reads as its golden image again. Refused while a client has it open. */
    Volume resetVolume(String name);

    /**
     * Starts copying the overlay {@code overlay} whole into a new golden image {@code newName} (qcow2,
     * no backing file, all-zero chunks left out); the job reports progress and may be cancelled.
     * The overlay's client cannot attach while it runs.
     */
    Job startPromote(String overlay, String newName);

    /** The qcow2 volume's internal snapshots, oldest first. */
    List<Snapshot> snapshots(String volume);

    /**
     * Takes snapshot {@code snapshot} of the qcow2 volume as it is now; also while its client runs
     * (what the client had not flushed yet is not in it, as after a power cut). Returns the volume.
     */
    Volume createSnapshot(String volume, String snapshot);

    /**
     * Rolls the volume back to {@code snapshot}: what was written since is gone (the snapshot stays).
     * Refused, with the reason, while its client is online.
     */
    Volume rollbackVolume(String volume, String snapshot);

    /** Removes {@code snapshot}; the space only it held is given back. */
    Volume removeSnapshot(String volume, String snapshot);

    /**
     * Creates a volume holding a copy of the image file at {@code imagePath} (a path on the server);
     * waits for it. A raw image becomes a raw volume, a qcow2 one a qcow2 volume (its backing chain
     * copied in); VMDK, VHDX, VHD, VDI and QED images are converted to qcow2 by {@code qemu-img}
     * when it is installed (refused, saying so, when not).
     */
    Volume importVolume(String name, String imagePath);

    /** Copies the volume's bytes to {@code targetPath} (a path on the server); waits for it. */
    void exportVolume(String name, String targetPath);

    /** Starts importing an image as a new volume; the job reports progress and may be cancelled. */
    Job startImport(String name, String imagePath);

    /** Starts exporting a volume to a raw image file. */
    default Job startExport(String name, String targetPath) {
        return startExport(name, targetPath, null);
    }

    /**
     * Starts exporting a volume to an image file of {@code format}, "raw" (null too) or "qcow2"; an
     * overlay's export holds its golden image's bytes too, and stands alone.
     */
    Job startExport(String name, String targetPath, String format);

    Job job(long id);

    /** Running jobs and recently finished ones, oldest first. */
    List<Job> jobs();

    /** Asks a running job to stop; a cancelled import leaves no volume behind. Returns the job as it is now. */
    Job cancelJob(long id);

    void removeVolume(String name);

    /**
     * Marks a volume shared or not. A shared volume may be open by several initiators at once (a
     * cluster disk: Windows failover clustering coordinates through SCSI persistent reservations),
     * and may be the disk of several clients; any other volume has one user at a time. Refused
     * while a client has it open, and unsharing while several clients have it as their disk.
     */
    Volume shareVolume(String name, boolean shared);

    /**
     * Changes a volume's size (a positive multiple of 512). Growing works at any time, also while a
     * client has the volume open: its disk reports the new capacity. Shrinking drops the data past
     * the new end, so it needs {@code allowShrink} and no client attached.
     */
    Volume resizeVolume(String name, long newSizeBytes, boolean allowShrink);

    // ---- the asset library: kernels, initrds, ISOs, root images that boot modes name ----

    /** Every asset of the library, by name. */
    List<Asset> assets();

    /**
     * Starts copying {@code file} (a path on the server) into the library as asset {@code name}
     * ({@link Asset#isValidName}); {@code kind} null: told by the file's bytes or name. The job reports
     * progress and may be cancelled; the checksum and size are recorded once it is done.
     */
    Job startAssetAdd(String file, String name, AssetKind kind);

    /** As {@link #startAssetAdd}, waiting for it; a failure or cancel is thrown with its message. */
    default Asset addAsset(String file, String name, AssetKind kind) {
        Job j = startAssetAdd(file, name, kind);
        while (!j.ended()) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                cancelJob(j.id());
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted: the add of asset " + name + " was cancelled", e);
            }
            j = job(j.id());
        }
        if (j.state() != Job.State.SUCCEEDED) throw new IllegalArgumentException(j.message());
        return assets().stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("asset " + name + " was added and is gone again"));
    }

    /** Removes an asset and its file; refused, naming the client, while a client's boot mode names it. */
    void removeAsset(String name);

    List<Lease> leases();

    /** Machines that asked to network-boot with a MAC no client has, most recently seen first. */
    List<DiscoveredMachine> discoveredMachines();

    void forgetDiscovered(String mac);

    /** Boot events with id greater than {@code afterId}, oldest first. */
    List<BootEvent> events(long afterId, int limit);

    /** Calls {@code sink} for every event after {@code afterId}, then for each new one, until closed. */
    AutoCloseable followEvents(long afterId, Consumer<BootEvent> sink);

    /**
     * As {@link #followEvents(long, Consumer)}, and {@code onEnd} runs once when following ends
     * other than by closing it: with null when the server ended the stream (it stopped), else with
     * what broke it. The data folder opened directly calls it only once a server took the folder over
     * (following then goes on from that server's stream, and ends with it) or the view is closed.
     */
    default AutoCloseable followEvents(long afterId, Consumer<BootEvent> sink, Consumer<Throwable> onEnd) {
        return followEvents(afterId, sink);
    }

    /**
     * The live stream of changes and boot events after change id {@code afterId} (0: from now).
     * When the server no longer holds what was missed the first event is a {@link ChangeType#RESET}.
     */
    AutoCloseable subscribe(long afterId, ChangeListener listener);

    ServerStatus status();

    ServerStatus startService(String name);

    ServerStatus stopService(String name);

    ServerStatus startAllServices();

    ServerStatus stopAllServices();

    // ---- live state for the app's cards (implemented by the server; the offline view knows none) ----

    /** What each client is doing now (state, firmware, address, last boot); empty offline. */
    default List<ClientActivity> clientActivity() {
        return List.of();
    }

    /** The volumes clients have open and their I/O rates; empty offline. */
    default List<VolumeActivity> volumeActivity() {
        return List.of();
    }

    // ---- first-run wizard: saved server settings, network probing, iPXE files ----

    /** The server settings saved in the data folder; {@link ServerSettings#none()} when none were. */
    ServerSettings settings();

    /**
     * Checks the settings against this machine's interfaces ({@link SettingsCheck}; refused with its words)
     * and saves them in the data folder's settings.json. A running server applies them at its next start.
     */
    ServerSettings saveSettings(ServerSettings settings);

    /** The machine's network interfaces, servable ones first; loopback only when asked. */
    List<NetworkInterfaceInfo> networkInterfaces(boolean includeLoopback);

    /**
     * Sends a DHCP DISCOVER on the interface and listens for offers up to {@code wait} (2 s when null;
     * at most 30 s): recommends proxy mode when another DHCP server answered, else full mode with a range.
     * Needs the privileges of the DHCP client port; the result's problem says so when they are missing.
     */
    DhcpProbeResult probeDhcp(String interfaceName, java.time.Duration wait);

    /** Whether the iPXE boot files are in the iPXE folder (the server's, else the saved or default one). */
    IpxeCheck ipxeCheck();

    @Override
    void close();
}
