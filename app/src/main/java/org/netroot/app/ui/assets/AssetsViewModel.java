package org.netroot.app.ui.assets;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.collections.transformation.SortedList;
import org.netroot.app.model.AppModel;
import org.netroot.app.ui.common.Background;
import org.netroot.server.api.Asset;
import org.netroot.server.api.AssetKind;
import org.netroot.server.api.Client;
import org.netroot.server.api.Job;
import org.netroot.server.api.NetrootControl;

/**
 * The asset library's state: its assets by name (live from the app model), the adds still copying,
 * the last failure in the server's words, and the actions, each run off the FX thread. No scene
 * imports: tested without a screen. FX thread only.
 */
public final class AssetsViewModel {
    private final AppModel model;
    private final SortedList<Asset> assets;
    private final FilteredList<Job> adding;
    private final StringProperty error = new SimpleStringProperty();
    private final Set<Long> started = new HashSet<>();

    public AssetsViewModel(AppModel model) {
        this.model = model;
        this.assets = new SortedList<>(model.assets(), java.util.Comparator.comparing(Asset::name));
        this.adding = new FilteredList<>(model.jobs(), j -> j.kind() == Job.Kind.ADD_ASSET && !j.ended());
        model.jobs().addListener((ListChangeListener<Job>) c -> reportFailedAdds());
    }

    /** The library, by name. */
    public ObservableList<Asset> assets() {
        return assets;
    }

    /** Adds still copying (bytes done of total; cancel by id). */
    public ObservableList<Job> adding() {
        return adding;
    }

    /** The last action's failure in the server's words (null when it succeeded). */
    public StringProperty error() {
        return error;
    }

    /** The clients that boot with {@code asset} now, by name ("kiosk, thin-1"); blank when none (it may go). */
    public static String usedBy(Asset asset, List<Client> clients) {
        return clients.stream()
                .map(c -> asset.isBootedBy(c) ? c.name() : asset.isOfferedByMenuOf(c) ? c.name() + " (menu)" : null)
                .filter(java.util.Objects::nonNull)
                .sorted()
                .collect(Collectors.joining(", "));
    }

    /** The clients, live: {@link #usedBy} follows them. */
    public ObservableList<Client> clients() {
        return model.clients();
    }

    /** The first 12 hex digits of a checksum: enough to tell two files apart by eye. */
    public static String shortSha(String sha256) {
        return sha256 == null ? "" : sha256.substring(0, Math.min(12, sha256.length()));
    }

    /** A name for the asset a file becomes: the file's own name, when the library takes it as it is. */
    public static String nameFor(String path) {
        if (path == null || path.isBlank()) return "";
        String p = path.strip();
        String file = p.substring(p.lastIndexOf(java.io.File.separatorChar) + 1); // typed one letter at a time: "/" too
        return Asset.isValidName(file) ? file : file.replaceAll("[^A-Za-z0-9._-]", "_").replaceFirst("^[.-]+", "");
    }

    /** Starts copying {@code file} (a path on the server's machine) into the library; {@code kind} null: the server tells. */
    public void startAdd(String file, String name, AssetKind kind, Consumer<Job> startedJob, Consumer<String> failed) {
        call(c -> c.startAssetAdd(file, name, kind), j -> {
            started.add(j.id());
            reportFailedAdds();
            startedJob.accept(j);
        }, failed);
    }

    /** Removes an asset; the server's refusal (a client boots with it) lands in {@link #error()}. */
    public void remove(String name) {
        call(c -> {
            c.removeAsset(name);
            return name;
        }, removed -> { }, error::set);
    }

    public void cancel(long jobId) {
        call(c -> c.cancelJob(jobId), j -> { }, error::set);
    }

    /** An add this view started that failed says why (the dialog closed when the copy began). */
    private void reportFailedAdds() {
        for (Job j : model.jobs()) {
            if (j.kind() != Job.Kind.ADD_ASSET || !j.ended() || !started.remove(j.id())) continue;
            if (j.state() == Job.State.FAILED) error.set(j.message());
        }
    }

    private <T> void call(Function<NetrootControl, T> work, Consumer<T> done, Consumer<String> failed) {
        NetrootControl c = model.control();
        if (c == null) {
            failed.accept("Not attached to a data folder yet");
            return;
        }
        Background.run(model.io(), () -> work.apply(c), r -> {
            error.set(null);
            done.accept(r);
        }, failed);
    }
}
