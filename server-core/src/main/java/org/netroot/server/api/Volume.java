package org.netroot.server.api;

import java.time.Instant;

/** A virtual disk: a raw sparse file in the data folder's volumes directory. */
public record Volume(String name, long sizeBytes, String fileName, Instant createdAt) {
}
