package org.netroot.server.storage.qcow2;

import java.util.stream.Stream;

/**
 * The L2 layouts Netroot writes, for tests parametrized over both: what it creates now (128 KiB
 * clusters, extended L2 entries) and what it created before, as qemu-img does by default (64 KiB
 * clusters, standard entries), which it keeps writing in images made that way.
 */
final class Layouts {
    private Layouts() {
    }

    static Stream<ClusterLayout> both() {
        return Stream.of(ClusterLayout.EXTENDED, ClusterLayout.STANDARD);
    }
}
