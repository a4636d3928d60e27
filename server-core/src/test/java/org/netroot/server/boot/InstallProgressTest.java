package org.netroot.server.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.netroot.server.boot.BootFixtures.ALL_OPTIONS;
import static org.netroot.server.boot.BootFixtures.LIBRARY;
import static org.netroot.server.boot.BootFixtures.MAC;
import static org.netroot.server.boot.BootFixtures.REQUEST;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.Client;
import org.netroot.server.api.InstallBoot;

/** An install runs its installer once, then boots what it wrote; with "then sanboot" the client switches. */
class InstallProgressTest {
    static final InetAddress HERE = address(REQUEST.clientIp());
    static final InetAddress ELSEWHERE = address("198.18.0.66");

    static InetAddress address(String a) {
        try {
            return InetAddress.getByName(a);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
    final AtomicReference<Client> client = new AtomicReference<>();
    final Map<String, InstallProgress.Phase> stored = new HashMap<>();
    final List<BootEvent> events = new ArrayList<>();
    final List<String> switched = new ArrayList<>();
    final InstallProgress progress = new InstallProgress(mac -> Optional.ofNullable(client.get()).filter(c -> c.mac().equals(mac)),
            Map.of(), (name, phase) -> {
                if (phase == null) stored.remove(name);
                else stored.put(name, phase);
            }, events::add, c -> switched.add(c.name()));
    final BootPlanner planner = new BootPlanner(mac -> Optional.ofNullable(client.get()), AssetCatalog.of(LIBRARY), progress,
            3260);

    private void installing(boolean thenSanboot) {
        client.set(BootFixtures.client(BootMode.INSTALL, ALL_OPTIONS.withInstall(new InstallBoot("debian.iso", null, null,
                thenSanboot))));
    }

    /** What a script request gets, and the routes telling the progress it was served. */
    private BootPlan.Install script() {
        BootPlan p = planner.plan(REQUEST);
        progress.served(client.get(), p, HERE, false, false);
        return assertInstanceOf(BootPlan.Install.class, p);
    }

    private BootPlan.Install installerAgain() {
        BootPlan p = planner.installerAgain(REQUEST);
        progress.served(client.get(), p, HERE, false, false);
        return assertInstanceOf(BootPlan.Install.class, p);
    }

    private void login() {
        progress.accept(BootEvent.of(MAC, BootEventType.ISCSI_LOGIN, "logged in"));
    }

    @Test
    void theInstallerRunsOnceThenTheInstalledSystemLogsInAndTheClientSwitchesToSanboot() {
        installing(true);
        assertFalse(script().volumeFirst(), "first the installer");
        assertEquals(InstallProgress.Phase.INSTALLER, stored.get("pc1"), "stored, for a restart");
        login(); // the installer's own login (through the iBFT): no boot from the volume
        assertTrue(switched.isEmpty());
        assertTrue(script().volumeFirst(), "after the installer rebooted: the volume first");
        login(); // iPXE's sanboot
        assertTrue(switched.isEmpty(), "iPXE's login is not the installed system's");
        login(); // the installed system, from the iBFT
        assertEquals(List.of("pc1"), switched);
        assertTrue(stored.isEmpty(), "the phase is done with");
        BootEvent changed = events.getLast();
        assertEquals(BootEventType.BOOT_MODE_CHANGED, changed.type());
        assertTrue(changed.detail().contains("boot mode sanboot from now on"), changed.detail());
    }

    @Test
    void aVolumeThatDoesNotBootGetsTheInstallerAgainAndItsLoginsDoNotCount() {
        installing(true);
        script();
        assertTrue(script().volumeFirst());
        login(); // iPXE's sanboot of a volume with nothing bootable on it
        assertFalse(installerAgain().volumeFirst(), "the script's fallback URL: the installer again");
        assertEquals(InstallProgress.Phase.INSTALLER, stored.get("pc1"));
        login(); // the installer's sanhook
        login(); // the installer's own
        assertTrue(switched.isEmpty(), "logins during an install are no boot of the volume");
        assertTrue(script().volumeFirst());
    }

    @Test
    void aSystemThatDoesNotLogInItselfCountsAsBootedWhenTheClientAsksAgain() {
        installing(true);
        script();
        script(); // volume first, and it booted (an OS that keeps using iPXE's drive): no fallback came
        assertTrue(switched.isEmpty());
        script(); // powered on again
        assertEquals(List.of("pc1"), switched);
    }

    @Test
    void scriptsFetchedFromAnotherAddressThanTheInstallsMoveNothing() {
        installing(true);
        script(); // the installer, fetched from HERE: the install's address
        for (int i = 0; i < 3; i++) {
            progress.served(client.get(), planner.plan(REQUEST), ELSEWHERE, false, false); // someone typing the MAC into a URL
        }
        assertEquals(InstallProgress.Phase.INSTALLER, stored.get("pc1"), "nothing moved");
        progress.served(client.get(), planner.installerAgain(REQUEST), ELSEWHERE, false, false);
        assertTrue(switched.isEmpty());
        assertTrue(script().volumeFirst(), "the client itself moves it on");
        assertEquals(InstallProgress.Phase.VOLUME_TRIED, stored.get("pc1"));
        progress.served(client.get(), planner.plan(REQUEST), ELSEWHERE, false, false);
        assertTrue(switched.isEmpty(), "a stranger's request is no boot of the volume");
        script();
        assertEquals(List.of("pc1"), switched);
    }

    @Test
    void aRetryMayStartAnInstallButNeverMovesItOn() {
        installing(true);
        // the machine waited in the retry loop (not set up yet) while the admin chose install mode
        progress.served(client.get(), planner.plan(REQUEST), HERE, true, true);
        assertEquals(InstallProgress.Phase.INSTALLER, stored.get("pc1"), "its installer was handed out: the install began");
        progress.served(client.get(), planner.plan(REQUEST), HERE, true, true); // the installer failed: iPXE retries
        assertEquals(InstallProgress.Phase.INSTALLER, stored.get("pc1"), "a failed installer is no step on");
        assertTrue(script().volumeFirst(), "the installer rebooted: the volume first");
        progress.served(client.get(), planner.plan(REQUEST), HERE, true, true);
        progress.served(client.get(), planner.plan(REQUEST), HERE, true, true);
        assertTrue(switched.isEmpty(), "retries of a failed volume boot are no boot of the volume");
        assertEquals(InstallProgress.Phase.VOLUME_TRIED, stored.get("pc1"));
    }

    @Test
    void aClientWhoseAddressChangedMovesItOnFromWhereDhcpSawIt() {
        installing(true);
        script(); // from HERE
        progress.served(client.get(), planner.plan(REQUEST), ELSEWHERE, true, false); // its new lease: DHCP saw it there
        assertEquals(InstallProgress.Phase.VOLUME_TRIED, stored.get("pc1"), "the client's own request, at its new address");
        script(); // HERE is no longer the client's address, and DHCP does not vouch for it
        assertTrue(switched.isEmpty(), "the old address moves nothing once the install re-pinned");
        progress.served(client.get(), planner.plan(REQUEST), ELSEWHERE, false, false);
        assertEquals(List.of("pc1"), switched);
    }

    @Test
    void withoutThenSanbootTheClientStaysInInstallModeBootingItsVolumeFirst() {
        installing(false);
        script();
        script();
        login();
        login();
        assertTrue(switched.isEmpty());
        assertEquals(InstallProgress.Phase.INSTALLED, stored.get("pc1"));
        assertTrue(script().volumeFirst());
        assertTrue(script().volumeFirst());
        assertTrue(switched.isEmpty());
    }

    @Test
    void anotherModesScriptForgetsThePhaseSoAnInstallSetUpAgainStartsWithItsInstaller() {
        installing(true);
        script();
        assertTrue(progress.volumeFirst(client.get()));
        client.set(client.get().withBoot(BootMode.SANBOOT, null));
        BootPlan sanboot = planner.plan(REQUEST);
        progress.served(client.get(), sanboot, HERE, false, false);
        assertTrue(stored.isEmpty());
        installing(true);
        assertFalse(script().volumeFirst());
    }

    @Test
    void aStoredPhaseIsReadBackAtStart() {
        installing(true);
        InstallProgress restarted = new InstallProgress(mac -> Optional.of(client.get()),
                Map.of("pc1", InstallProgress.Phase.INSTALLER), InstallProgress.inMemory(), e -> { }, c -> { });
        assertTrue(restarted.volumeFirst(client.get()));
        assertFalse(restarted.volumeFirst(client.get().withBoot(BootMode.KERNEL, null)), "only in install mode");
    }
}
