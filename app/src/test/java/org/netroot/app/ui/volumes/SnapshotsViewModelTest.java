package org.netroot.app.ui.volumes;

import org.junit.jupiter.api.Test;
import org.netroot.app.model.AppModel;
import org.netroot.server.api.Snapshot;
import org.netroot.server.api.Volume;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The snapshots dialog's state without a screen or a server: which volumes have snapshots, names, the volume going. */
class SnapshotsViewModelTest {
    final AppModel model = new AppModel(Runnable::run);
    final VolumesViewModel volumes = new VolumesViewModel(model);
    final Instant t = Instant.parse("2026-01-01T00:00:00Z");

    Volume qcow2(String name, List<String> snapshots) {
        return new Volume(name, 1 << 20, name + ".qcow2", t, Volume.QCOW2, 4096, false, null, snapshots);
    }

    @Test
    void onlyQcow2VolumesThatCanChangeHaveSnapshotsAndTheColumnNamesThem() {
        model.volumes().setAll(qcow2("pc1", List.of("a", "b", "c")), qcow2("one", List.of("only")),
                new Volume("raw", 1 << 20, "raw.img", t, Volume.RAW, 4096),
                new Volume("base", 1 << 20, "base.qcow2", t, Volume.QCOW2, 4096, true, null, List.of()));
        assertTrue(volumes.row("pc1").orElseThrow().canSnapshot());
        assertFalse(volumes.row("raw").orElseThrow().canSnapshot(), "raw: no place for them");
        assertFalse(volumes.row("base").orElseThrow().canSnapshot(), "a golden image never changes");
        assertEquals("3: a, b, c", volumes.row("pc1").orElseThrow().snapshotsText());
        assertEquals("only", volumes.row("one").orElseThrow().snapshotsText());
        assertEquals("", volumes.row("raw").orElseThrow().snapshotsText());
    }

    @Test
    void namesAreSuggestedPastTheOnesThereAreAndCheckedAsTheServerWould() {
        model.volumes().setAll(qcow2("pc1", List.of("before-update", "before-update-2")));
        SnapshotsViewModel vm = new SnapshotsViewModel(volumes, "pc1");
        assertEquals("Not attached to a data folder yet", vm.error().get(), "no server: the read says why");
        assertEquals("before-update-3", vm.suggestedName());
        vm.snapshots().setAll(new Snapshot("kept", t, 1 << 20));
        assertNull(vm.nameProblem("after-update_1.0"));
        assertTrue(vm.nameProblem("kept").startsWith("kept is taken"), vm.nameProblem("kept"));
        assertTrue(vm.nameProblem(" ").startsWith("Give the snapshot a name"));
        assertTrue(vm.nameProblem("with space").startsWith("Use letters, digits"));
        assertTrue(vm.nameProblem("-leading").startsWith("Use letters, digits"));
        assertTrue(vm.nameProblem("x".repeat(65)).startsWith("Use letters, digits"));
        assertNull(vm.nameProblem("x".repeat(64)));
    }

    @Test
    void theDialogKnowsWhenItsVolumeIsGoneAndStopsFollowingOnClose() {
        model.volumes().setAll(qcow2("pc1", List.of()), qcow2("pc2", List.of()));
        SnapshotsViewModel vm = new SnapshotsViewModel(volumes, "pc1");
        assertFalse(vm.gone().get());
        model.volumes().set(0, qcow2("pc1", List.of("new"))); // VOLUME_CHANGED: a snapshot taken elsewhere
        assertEquals(List.of("new"), vm.row().get().snapshots());
        model.volumes().remove(0);
        assertTrue(vm.gone().get());
        assertNull(vm.row().get());
        vm.close();
        model.volumes().add(qcow2("pc1", List.of("again")));
        assertNull(vm.row().get(), "closed: no longer follows");
    }
}
