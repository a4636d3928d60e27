package org.netroot.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.Lease;

/** The in-memory lease book answers what the table holds, and the table is written before it answers. */
class LeaseBookTest {
    static final Instant LATER = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path data;

    @Test
    void changesAreOnDiskAndInTheBookAndABookOpenedLaterSeesThem() {
        try (Database db = Database.open(data)) {
            LeaseRepository table = new LeaseRepository(db);
            table.save(new Lease("52:54:00:00:00:09", "10.0.0.9", LATER, null)); // from before the book
            LeaseBook book = new LeaseBook(table);
            assertEquals("10.0.0.9", book.byMac("52-54-00-00-00-09").orElseThrow().ip(), "loaded, MAC spelling normalised");

            book.save(new Lease("52:54:00:00:00:01", "10.0.0.1", LATER, "pc1"));
            assertEquals("52:54:00:00:00:01", book.byIp("10.0.0.1").orElseThrow().mac());
            assertEquals("10.0.0.1", table.byMac("52:54:00:00:00:01").orElseThrow().ip(), "written through");

            // the MAC moves to another address: its old address is free in both
            book.save(new Lease("52:54:00:00:00:01", "10.0.0.2", LATER, "pc1"));
            assertTrue(book.byIp("10.0.0.1").isEmpty());
            assertTrue(table.byIp("10.0.0.1").isEmpty());
            // another MAC takes over an address: the earlier holder's lease is gone in both
            book.save(new Lease("52:54:00:00:00:03", "10.0.0.2", LATER, null));
            assertTrue(book.byMac("52:54:00:00:00:01").isEmpty());
            assertTrue(table.byMac("52:54:00:00:00:01").isEmpty());

            assertTrue(book.release("52:54:00:00:00:09"));
            assertFalse(book.release("52:54:00:00:00:09"));
            assertTrue(book.byIp("10.0.0.9").isEmpty());
            assertEquals(1, book.list().size());
            assertEquals(table.list(), new LeaseBook(table).list());
        }
    }
}
