package org.netroot.server.boot;

import java.util.List;
import java.util.Optional;
import org.netroot.server.api.Asset;

/** The asset library as the planner reads it: in memory, answered on an event loop. */
public interface AssetCatalog {
    AssetCatalog EMPTY = of(List.of());

    /** A fixed catalog of these assets, with no files (tests of the planner, tools). */
    static AssetCatalog of(java.util.Collection<Asset> assets) {
        return of(assets, null);
    }

    /** A fixed catalog of these assets, their files in {@code folder} (tests, tools). */
    static AssetCatalog of(java.util.Collection<Asset> assets, java.nio.file.Path folder) {
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

            @Override
            public java.nio.file.Path folder() {
                return folder;
            }
        };
    }

    Optional<Asset> byName(String name);

    /** Every asset, by name. */
    List<Asset> all();

    /** Where the assets' files are, each named as its asset; null when there are none. */
    java.nio.file.Path folder();
}
