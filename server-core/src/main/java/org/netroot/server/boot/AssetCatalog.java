package org.netroot.server.boot;

import java.util.List;
import java.util.Optional;
import org.netroot.server.api.Asset;

/** The asset library as the planner reads it: in memory, answered on an event loop. */
public interface AssetCatalog {
    AssetCatalog EMPTY = new AssetCatalog() {
        @Override
        public Optional<Asset> byName(String name) {
            return Optional.empty();
        }

        @Override
        public List<Asset> all() {
            return List.of();
        }
    };

    /** A fixed catalog of these assets (tests, tools). */
    static AssetCatalog of(java.util.Collection<Asset> assets) {
        java.util.Map<String, Asset> byName = new java.util.TreeMap<>();
        for (Asset a : assets) byName.put(a.name(), a);
        List<Asset> sorted = List.copyOf(byName.values());
        return new AssetCatalog() {
            @Override
            public Optional<Asset> byName(String name) {
                return Optional.ofNullable(byName.get(name));
            }

            @Override
            public List<Asset> all() {
                return sorted;
            }
        };
    }

    Optional<Asset> byName(String name);

    /** Every asset, by name. */
    List<Asset> all();
}
