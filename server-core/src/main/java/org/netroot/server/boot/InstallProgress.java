package org.netroot.server.boot;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.Client;
import org.netroot.server.events.BootEventSink;

/**
 * Where each client's install stands, so an installer runs once and what it wrote then boots.
 *
 * <ol>
 * <li>The first install script hands the installer out (volume attached, installer booted): phase
 * {@link Phase#INSTALLER}.</li>
 * <li>The next script boots the volume first ({@link BootPlan.Install#volumeFirst}): phase
 * {@link Phase#VOLUME_TRIED}. A volume that does not boot sends iPXE to the installer's own URL,
 * which hands the installer out again (back to 1).</li>
 * <li>The volume booted when the system on it logs in to its target itself (the second iSCSI login
 * after that script: the first is iPXE's), or when the client asks for its script again without
 * having gone back to the installer. With "then sanboot" the client then switches to
 * {@link BootMode#SANBOOT} (a change event, and a {@link BootEventType#BOOT_MODE_CHANGED} boot event);
 * without, it stays in install mode, phase {@link Phase#INSTALLED}, still booting the volume first.</li>
 * </ol>
 * Any other mode's script forgets the phase: an install set up again starts with its installer.
 * Only scripts the client itself fetched count: once an install began, from the address that
 * fetched its first script of the install (anyone can type a MAC into a URL), or from where DHCP has
 * just seen the MAC (the client's address changed: that address is pinned from then on); the HTTP
 * routes leave out a request from elsewhere than where DHCP just saw the MAC. A failed script's retry
 * may start an install (the machine waited in a retry loop while the admin set the mode) or end one
 * (another mode), never move it on: a failed installer is no boot.
 * Decisions are in memory (scripts are answered on event loops); the phase is stored through
 * {@link Store} (off the caller's thread) and read back at start.
 */
public final class InstallProgress implements InstallPhases, Consumer<BootEvent> {
    public enum Phase { INSTALLER, VOLUME_TRIED, INSTALLED }

    /** Where phases are kept across restarts; {@code phase} null clears it. Must not block the caller. */
    @FunctionalInterface
    public interface Store {
        void save(String clientName, Phase phase);
    }

    private final Function<String, Optional<Client>> clientByMac;
    private final Store store;
    private final BootEventSink events;
    /** Switches a client to sanboot (a stored change): called with the client, must not block the caller. */
    private final Consumer<Client> switchToSanboot;
    private final Map<String, Phase> phases = new HashMap<>();
    /**
     * Where each install's scripts are fetched from, by client name: set by the first script of the
     * install (or the first after a restart, which keeps no addresses), then the only address whose
     * requests move the phase.
     */
    private final Map<String, InetAddress> fetchedFrom = new HashMap<>();
    /** iSCSI logins of a client since its volume-first script, by client name. */
    private final Map<String, Integer> logins = new HashMap<>();

    public InstallProgress(Function<String, Optional<Client>> clientByMac, Map<String, Phase> stored, Store store,
                           BootEventSink events, Consumer<Client> switchToSanboot) {
        this.clientByMac = clientByMac;
        this.store = store;
        this.events = events;
        this.switchToSanboot = switchToSanboot;
        phases.putAll(stored);
    }

    @Override
    public synchronized boolean volumeFirst(Client client) {
        return client.bootMode() == BootMode.INSTALL && phases.containsKey(client.name());
    }

    public synchronized Optional<Phase> phase(String clientName) {
        return Optional.ofNullable(phases.get(clientName));
    }

    /**
     * A script was served to {@code client}, fetched from {@code from}: called on the event loop, so
     * only memory and a queued write. {@code dhcpSawItThere}: DHCP saw the client's MAC at
     * {@code from} moments ago (and the link layer does not show another machine there); {@code retry}:
     * the failed script's retry URL.
     */
    public synchronized void served(Client client, BootPlan plan, InetAddress from, boolean dhcpSawItThere,
                                    boolean retry) {
        String name = client.name();
        if (!(plan instanceof BootPlan.Install install)) {
            if (phases.remove(name) != null) store.save(name, null);
            logins.remove(name);
            fetchedFrom.remove(name);
            return;
        }
        InetAddress bound = fetchedFrom.get(name);
        if (bound != null && !bound.equals(from) && !dhcpSawItThere) return; // someone else asked for this client's script
        Phase before = phases.get(name);
        if (retry) {
            if (before == null && !install.volumeFirst()) { // a waiting machine's first installer: the install starts
                fetchedFrom.put(name, from);
                set(name, Phase.INSTALLER);
            }
            return;
        }
        fetchedFrom.put(name, from);
        if (!install.volumeFirst()) {
            set(name, Phase.INSTALLER);
        } else if (before == Phase.VOLUME_TRIED) {
            // the last volume-first boot did not come back for the installer: it booted
            booted(client, "it booted its volume last time and asks for its script again");
        } else if (before != Phase.INSTALLED) {
            set(name, Phase.VOLUME_TRIED);
            logins.put(name, 0);
        }
    }

    /** Boot events (the bus's thread): a login of the system on the volume ends the install. */
    @Override
    public synchronized void accept(BootEvent e) {
        if (e.type() != BootEventType.ISCSI_LOGIN || e.mac() == null) return;
        Optional<Client> client = clientByMac.apply(e.mac());
        if (client.isEmpty() || phases.get(client.get().name()) != Phase.VOLUME_TRIED) return;
        int n = logins.merge(client.get().name(), 1, Integer::sum);
        if (n >= 2) booted(client.get(), "the system on its volume logged in to it");
    }

    private void booted(Client client, String how) {
        String name = client.name();
        logins.remove(name);
        boolean thenSanboot = client.bootMode() == BootMode.INSTALL && client.boot().install() != null
                && client.boot().install().thenSanboot();
        if (!thenSanboot) {
            set(name, Phase.INSTALLED);
            return;
        }
        phases.remove(name);
        fetchedFrom.remove(name);
        store.save(name, null);
        events.record(BootEvent.of(client.mac(), BootEventType.BOOT_MODE_CHANGED, "install of " + name
                + " done (" + how + "): boot mode sanboot from now on"));
        switchToSanboot.accept(client);
    }

    private void set(String name, Phase phase) {
        if (phases.put(name, phase) != phase) store.save(name, phase);
    }

    /** A store that keeps nothing (tests, tools). */
    public static Store inMemory() {
        return (name, phase) -> { };
    }

    /** For the HTTP routes' served hook. */
    public ScriptServed servedHook() {
        return this::served;
    }

    /** Hears of every plan served to a client, and which address fetched it. */
    @FunctionalInterface
    public interface ScriptServed {
        ScriptServed NONE = (c, p, from, dhcpSawItThere, retry) -> { };

        void served(Client client, BootPlan plan, InetAddress from, boolean dhcpSawItThere, boolean retry);
    }
}
