package org.netroot.server.nbd;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.netroot.server.storage.OpenVolumes;
import org.netroot.server.storage.RawFileBlockDevice;

/** Exports for the handshake tests: each a raw file, open to one address; volumes opened through a real OpenVolumes. */
final class FixedCatalog implements ExportCatalog {
    private record Entry(NbdExport export, String address) {
    }

    private final Map<String, Entry> exports = new LinkedHashMap<>();
    private final Map<String, Path> files = new LinkedHashMap<>();
    final OpenVolumes volumes;

    FixedCatalog() {
        this(device -> device);
    }

    /** Each volume's device as {@code wrap} makes it from the raw file's. */
    FixedCatalog(java.util.function.UnaryOperator<org.netroot.server.storage.BlockDevice> wrap) {
        volumes = new OpenVolumes(name -> wrap.apply(RawFileBlockDevice.open(files.get(name), readOnly(name))),
                name -> wrap.apply(RawFileBlockDevice.open(files.get(name), false)), name -> exports.get(name).export().shared());
    }

    /** {@code file} exported as {@code e.name()} to {@code address} only. */
    FixedCatalog add(NbdExport e, Path file, String address) {
        exports.put(e.name(), new Entry(e, address));
        files.put(e.name(), file);
        return this;
    }

    private boolean readOnly(String name) {
        return exports.get(name).export().readOnly();
    }

    @Override
    public List<NbdExport> visibleTo(InetAddress peer) {
        List<NbdExport> out = new ArrayList<>();
        for (Entry e : exports.values()) if (e.address().equals(peer.getHostAddress())) out.add(e.export());
        return out;
    }

    @Override
    public Lookup find(String name, InetAddress peer) {
        Entry e = exports.get(name);
        if (e == null) return Lookup.unknown("no export " + name, null);
        if (!e.address().equals(peer.getHostAddress())) return Lookup.refused("not for " + peer.getHostAddress(), e.export().mac());
        return Lookup.found(e.export());
    }

    @Override
    public OpenVolumes.Attachment attach(NbdExport export, OpenVolumes.User user) throws IOException {
        return volumes.attach(export.name(), user);
    }
}
