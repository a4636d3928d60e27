package org.netroot.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.testing.Processes;

/** The marker a starting server leaves in its data folder, as commands read it. */
class ServerStartupTest {
    @TempDir Path data;

    @Test
    void noMarkerMeansNothingToWaitFor() {
        List<String> said = new ArrayList<>();
        assertFalse(ServerStartup.awaitStartingServer(data, Duration.ofSeconds(5), said::add));
        assertEquals(List.of(), said, "no waiting line when nothing starts");
    }

    @Test
    void aMarkerOfADeadProcessIsIgnoredAndReplaced() throws Exception {
        Process gone = Processes.start(10, new ProcessBuilder("true"));
        assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
        Files.writeString(data.resolve(ServerStartup.FILE_NAME), "pid=" + gone.pid() + "\nprocessStart=\n");
        assertEquals(Optional.empty(), ServerStartup.startingPid(data));
        assertFalse(ServerStartup.awaitStartingServer(data, Duration.ofSeconds(5)));
        try (ServerStartup.Announcement ignored = ServerStartup.announce(data)) {
            assertEquals(Optional.of(ProcessHandle.current().pid()), ServerStartup.startingPid(data));
        }
        assertFalse(Files.exists(data.resolve(ServerStartup.FILE_NAME)), "closing the announcement removes it");
    }

    @Test
    void aReusedPidIsNotTheServerThatWroteTheMarker() throws Exception {
        Files.writeString(data.resolve(ServerStartup.FILE_NAME),
                "pid=" + ProcessHandle.current().pid() + "\nprocessStart=2001-01-01T00:00:00Z\n");
        assertEquals(Optional.empty(), ServerStartup.startingPid(data));
    }

    @Test
    void aLiveStartingServerIsWaitedForAndNeverTakenOver() throws Exception {
        try (ServerStartup.Announcement ignored = ServerStartup.announce(data)) {
            IllegalStateException second = assertThrows(IllegalStateException.class, () -> ServerStartup.announce(data));
            assertTrue(second.getMessage().contains("is starting for"), second.getMessage());

            List<String> said = new ArrayList<>();
            IllegalStateException late = assertThrows(IllegalStateException.class,
                    () -> ServerStartup.awaitStartingServer(data, Duration.ofMillis(500), said::add));
            assertEquals(List.of("waiting for the Netroot server that is starting (pid " + ProcessHandle.current().pid()
                    + ")..."), said);
            assertTrue(late.getMessage().contains("is still starting after"), late.getMessage());
        }
    }

    @Test
    void aServerThatGivesUpEndsTheWaitWithNothingToAttachTo() throws Exception {
        ServerStartup.Announcement starting = ServerStartup.announce(data);
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException ignored) {
                // the wait below ends either way
            }
            starting.close();
        });
        assertFalse(ServerStartup.awaitStartingServer(data, Duration.ofSeconds(20)));
    }
}
