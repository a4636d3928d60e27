package org.netroot.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code netroot --version} says the POM's version, as the installers carry it (no -SNAPSHOT). */
class VersionOptionTest {
    private static final String POM_VERSION = System.getProperty("netroot.test.pomVersion");

    @Test
    void printsTheReleaseOfThePomVersion() {
        CliRun run = CliRun.of("--version");
        assertEquals(0, run.code(), run.err());
        String release = POM_VERSION.replaceFirst("-SNAPSHOT$", "");
        assertTrue(release.matches("\\d+(\\.\\d+)*"), "a Debian/MSI/DMG version is digits and dots: " + release);
        String first = run.out().lines().findFirst().orElse("");
        assertEquals("Netroot " + release, first, run.out());
        if (POM_VERSION.endsWith("-SNAPSHOT")) {
            assertTrue(run.out().contains("(development build " + POM_VERSION + ")"), run.out());
        }
    }

    @Test
    void everySubcommandKnowsItToo() {
        CliRun run = CliRun.of("status", "--version");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("Netroot "), run.out());
    }
}
