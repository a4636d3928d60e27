package org.netroot.app.ui.volumes;

import org.junit.jupiter.api.Test;
import org.netroot.app.model.AppModel;
import org.netroot.server.api.Job;
import org.netroot.server.api.Volume;
import org.netroot.server.api.VolumeActivity;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The view-model without a screen: rows follow the model's volumes and activity, in place. */
class VolumesViewModelTest {
    final AppModel model = new AppModel(Runnable::run);
    final VolumesViewModel vm = new VolumesViewModel(model);
    final Instant t = Instant.parse("2026-01-01T00:00:00Z");

    Volume volume(String name, long size) {
        return new Volume(name, size, name + ".img", t, Volume.RAW, 4096);
    }

    @Test
    void rowsJoinVolumesWithTheirActivityAndUpdateInPlace() {
        model.volumes().setAll(volume("a", 1 << 20), volume("b", 2 << 20));
        assertEquals(List.of("a", "b"), vm.entries().stream().map(VolumeEntry::name).toList());
        VolumeEntry a = vm.entries().get(0);
        VolumeRow b = vm.entries().get(1).row();
        assertNull(a.row().clientName());
        List<Object> listChanges = new java.util.ArrayList<>();
        vm.entries().addListener((javafx.collections.ListChangeListener<VolumeEntry>) c -> listChanges.add(c));

        model.volumeActivity().add(new VolumeActivity("a", "pc1", 1 << 20, 0, 65536, 0, t));
        assertEquals("pc1", a.row().clientName());
        assertEquals(65536, a.row().readBytesPerSecond());
        assertEquals(4096, a.row().usedBytes());
        assertSame(b, vm.entries().get(1).row(), "an unchanged row is not replaced");

        model.volumes().set(0, volume("a", 8 << 20)); // VOLUME_CHANGED after a resize
        assertEquals(8 << 20, a.row().sizeBytes());
        assertEquals("pc1", a.row().clientName(), "the activity stays joined");

        model.volumeActivity().set(0, new VolumeActivity("a", null, 1 << 20, 0, 0, 0, t)); // closed
        assertNull(a.row().clientName());
        assertSame(a, vm.entries().get(0), "live updates change the entry's row, not the list");
        assertEquals(List.of(), listChanges, "so a selection in the table survives them");

        model.volumes().remove(0);
        assertEquals(List.of("b"), vm.entries().stream().map(VolumeEntry::name).toList());
    }

    @Test
    void aSharedVolumeHasItsBadgeAndSharingChangesTheRowInPlace() {
        model.volumes().setAll(volume("quorum", 1 << 20));
        VolumeEntry e = vm.entries().get(0);
        assertEquals(List.of(false, ""), List.of(e.row().shared(), e.row().sharedText()));
        model.volumes().set(0, new Volume("quorum", 1 << 20, "quorum.img", t, Volume.RAW, 4096, false, null, List.of(),
                true)); // VOLUME_CHANGED after `volume edit --shared`
        assertSame(e, vm.entries().get(0));
        assertEquals(List.of(true, "Shared"), List.of(e.row().shared(), e.row().sharedText()));
    }

    @Test
    void onlyRunningJobsShow() {
        Job running = new Job(1, Job.Kind.IMPORT, "win", Job.State.RUNNING, 10, 100, null, t, null);
        Job done = new Job(2, Job.Kind.EXPORT, "a", Job.State.SUCCEEDED, 100, 100, "ok", t, t);
        model.jobs().setAll(running, done);
        assertEquals(List.of(running), List.copyOf(vm.runningJobs()));
        model.jobs().set(0, new Job(1, Job.Kind.IMPORT, "win", Job.State.CANCELLED, 10, 100, "cancelled", t, t));
        assertEquals(List.of(), List.copyOf(vm.runningJobs()));
    }

    @Test
    void goldenImageActionsApplyOnlyWhereTheyMakeSense() {
        model.volumes().setAll(volume("plain", 1 << 20),
                new Volume("win11", 1 << 20, "win11.qcow2", t, Volume.QCOW2, 4096, true, null, List.of()),
                new Volume("pc1", 1 << 20, "pc1.qcow2", t, Volume.QCOW2, 512, false, "win11", List.of()));
        VolumeRow plain = vm.row("plain").orElseThrow();
        VolumeRow golden = vm.row("win11").orElseThrow();
        VolumeRow overlay = vm.row("pc1").orElseThrow();
        assertEquals(List.of(true, false, false), List.of(plain.canBecomeGolden(), plain.canClone(), plain.canResetOrPromote()));
        assertEquals(List.of(false, true, false), List.of(golden.canBecomeGolden(), golden.canClone(), golden.canResetOrPromote()));
        assertEquals(List.of(false, false, true), List.of(overlay.canBecomeGolden(), overlay.canClone(), overlay.canResetOrPromote()),
                "an overlay is promoted, not made golden in place");
        assertEquals(List.of("", "Golden image", "overlay of win11"), List.of(plain.kind(), golden.kind(), overlay.kind()));

        VolumeEntry plainEntry = vm.entry("plain").orElseThrow();
        model.volumes().set(0, new Volume("plain", 1 << 20, "plain.img", t, Volume.RAW, 4096, true, null, List.of()));
        assertSame(plainEntry, vm.entry("plain").orElseThrow(), "made golden: the same entry");
        assertEquals("Golden image", plainEntry.row().kind(), "its row follows");
    }
}
