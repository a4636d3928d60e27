package org.netroot.app.ui.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.Test;
import org.netroot.app.model.AppModel;
import org.netroot.server.api.Client;
import org.netroot.server.api.ClientActivity;
import org.netroot.server.api.ClientActivity.State;
import org.netroot.server.api.DiscoveredMachine;
import org.netroot.server.api.Volume;
import org.netroot.server.api.VolumeActivity;

/** The cards as the model's lists change, without a screen. */
class ClientsViewModelTest {
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final AppModel model = new AppModel(Runnable::run);
    private final ClientsViewModel vm = new ClientsViewModel(model);

    @Test
    void aCardJoinsTheClientWithItsActivityVolumeAndIo() {
        assertTrue(vm.empty().get(), "nothing yet: the empty state shows");
        model.volumes().setAll(new Volume("pc1", 32L << 30, "pc1.img", T0, Volume.RAW, 3L << 30));
        model.clients().setAll(Client.sanboot("pc2", "52:54:00:00:00:02", null),
                Client.sanboot("pc1", "52:54:00:00:00:01", "pc1"));
        assertFalse(vm.empty().get());
        assertEquals(List.of("pc1", "pc2"), vm.clients().stream().map(ClientCard::name).toList(), "by name");

        ClientCard pc1 = vm.clients().get(0);
        assertEquals("offline", pc1.stateWords(), "not seen yet");
        assertEquals("pc1: 3.00 GiB used of 32.0 GiB", pc1.volumeText());
        assertEquals("idle", pc1.ioText());
        assertEquals("never since the server started", pc1.lastBootText(ZoneOffset.UTC, LocalDate.of(2026, 12, 1)));

        model.clientActivity().setAll(new ClientActivity("pc1", "52:54:00:00:00:01", State.ONLINE, "UEFI",
                "198.18.0.10", T0, T0.plusMillis(12_300), null, T0));
        model.volumeActivity().setAll(new VolumeActivity("pc1", "pc1", 1, 1, 3 << 20, 0, T0));
        pc1 = vm.clients().get(0);
        assertEquals(List.of("online", "UEFI", "198.18.0.10", "read 3.00 MiB/s, write 0 B/s"),
                List.of(pc1.stateWords(), pc1.firmware(), pc1.ip(), pc1.ioText()));
        assertEquals("10:00:00, took 12.3 s", pc1.lastBootText(ZoneOffset.UTC, LocalDate.of(2026, 12, 1)));
        assertEquals("Dec 1, 10:00, took 12.3 s", pc1.lastBootText(ZoneOffset.UTC, LocalDate.of(2026, 12, 2)));
        assertNull(pc1.error());
        assertEquals("no volume", vm.clients().get(1).volumeText());
    }

    @Test
    void aFailedBootShowsItsWordsInOneListChangeAndNoChangeChangesNothing() {
        model.clients().setAll(Client.sanboot("pc1", "52:54:00:00:00:01", null),
                Client.sanboot("pc2", "52:54:00:00:00:02", null));
        ClientCard pc1Before = vm.clients().get(0);
        List<Integer> changes = new ArrayList<>();
        vm.clients().addListener((ListChangeListener<ClientCard>) c -> changes.add(c.getList().size()));
        var failed = new ClientActivity("pc2", "52:54:00:00:00:02", State.FAILED, "BIOS", null, T0,
                null, "CHAP login refused: the secret in the client's settings is wrong", T0);
        model.clientActivity().setAll(failed);
        assertEquals(List.of(2), changes, "one list change for the refresh");
        assertEquals(pc1Before, vm.clients().get(0), "pc1's card is unchanged (its node does not redraw)");
        model.clientActivity().setAll(failed);
        assertEquals(List.of(2), changes, "the same activity again changes nothing");
        ClientCard pc2 = vm.clients().get(1);
        assertEquals("failed", pc2.stateWords());
        assertEquals("CHAP login refused: the secret in the client's settings is wrong", pc2.error());
        assertEquals("10:00:00, did not finish", pc2.lastBootText(ZoneOffset.UTC, LocalDate.of(2026, 12, 1)));
    }

    @Test
    void aBootThatLeftTheServerIsBootedWithItsDurationAndSaysWhatThatMeans() {
        model.clients().setAll(Client.sanboot("pc1", "52:54:00:00:00:01", null));
        model.clientActivity().setAll(new ClientActivity("pc1", "52:54:00:00:00:01", State.BOOTED, "iPXE",
                "198.18.0.10", T0, T0.plusSeconds(41), null, T0));
        ClientCard pc1 = vm.clients().get(0);
        assertEquals("booted", pc1.stateWords(), "the badge's word and its style class state-booted");
        assertEquals("10:00:00, took 41.0 s", pc1.lastBootText(ZoneOffset.UTC, LocalDate.of(2026, 12, 1)));
        assertTrue(pc1.stateTip().contains("needs nothing more from this server"), pc1.stateTip());
        assertNull(pc1.error());
    }

    @Test
    void discoveredMachinesAreListedNewestFirstAndLeaveWhenForgotten() {
        model.discovered().setAll(
                new DiscoveredMachine("52:54:00:00:00:0a", 0, "PXEClient:Arch:00000", "eth1", T0, T0),
                new DiscoveredMachine("52:54:00:00:00:0b", 7, "PXEClient:Arch:00007", "eth1", T0, T0.plusSeconds(5)));
        assertEquals(List.of("52:54:00:00:00:0b", "52:54:00:00:00:0a"),
                vm.discovered().stream().map(DiscoveredCard::mac).toList());
        assertFalse(vm.empty().get(), "a discovered machine is something to show");
        model.discovered().clear();
        assertTrue(vm.discovered().isEmpty());
        assertTrue(vm.empty().get());
    }

    @Test
    void volumesAClientMayBeGivenAreThoseNoOtherClientUses() {
        model.volumes().setAll(new Volume("a", 512, "a.img", T0), new Volume("b", 512, "b.img", T0),
                new Volume("c", 512, "c.img", T0));
        model.clients().setAll(Client.sanboot("pc1", "52:54:00:00:00:01", "a"),
                Client.sanboot("pc2", "52:54:00:00:00:02", "b"));
        assertEquals(List.of("c"), vm.freeVolumes(null));
        assertEquals(List.of("a", "c"), vm.freeVolumes("a"));
        model.volumes().set(1, new Volume("b", 512, "b.img", T0, Volume.RAW, -1, false, null, List.of(), true));
        assertEquals(List.of("b", "c"), vm.freeVolumes(null), "a shared volume may be the disk of several clients");
    }

    @Test
    void aCardShowsEveryInitiatorNameAndASharedVolume() {
        model.volumes().setAll(new Volume("quorum", 1L << 30, "quorum.img", T0, Volume.RAW, -1, false, null, List.of(),
                true));
        Client node = Client.sanboot("node1", "52:54:00:00:00:01", "quorum");
        model.clients().setAll(node);
        ClientCard card = vm.clients().get(0);
        assertEquals("iqn.2026-01.org.netroot:initiator:node1", card.initiatorsText());
        assertEquals("quorum (shared): 1.00 GiB", card.volumeText());

        model.clients().setAll(node.withInitiatorIqns(List.of("iqn.a:1", "iqn.b:2")));
        assertEquals("iqn.a:1\niqn.b:2", vm.clients().get(0).initiatorsText(), "one a line");
        model.clients().setAll(node.withInitiatorIqns(List.of("iqn.a:1", "iqn.b:2", "iqn.c:3", "iqn.d:4")));
        card = vm.clients().get(0);
        assertEquals("iqn.a:1\niqn.b:2 (+2 more)", card.initiatorsText(), "two lines at most, the rest counted");
        assertEquals("Initiator names that may log in (iPXE uses the first):\niqn.a:1\niqn.b:2\niqn.c:3\niqn.d:4",
                card.initiatorsTip(), "all of them in the tooltip");
    }
}
