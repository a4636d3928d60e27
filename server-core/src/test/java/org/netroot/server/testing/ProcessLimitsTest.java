package org.netroot.server.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every process a test starts has a time limit: tests start them only through {@link Processes}. */
class ProcessLimitsTest {
    @Test
    void testsStartProcessesOnlyThroughProcesses() {
        JavaClasses tests = new ClassFileImporter().withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages("org.netroot.server");
        // the rule sees calls: Processes itself starts processes, and is among the imported test classes
        assertTrue(tests.get(Processes.class).getMethodCallsFromSelf().stream()
                .anyMatch(c -> c.getTargetOwner().isEquivalentTo(ProcessBuilder.class) && c.getName().equals("start")));
        noClasses().that().doNotHaveFullyQualifiedName(Processes.class.getName())
                .should().callMethod(ProcessBuilder.class, "start")
                .orShould().callMethod(Runtime.class, "exec", String.class)
                .orShould().callMethod(Runtime.class, "exec", String[].class)
                .because("Processes gives every process a time limit and kills its tree when it runs out")
                .check(tests);
    }

    @Test
    void aCommandThatRunsOutOfTimeFailsNamingItAndIsKilledWithItsChildren() throws Exception {
        long started = System.nanoTime();
        AssertionError e = assertThrows(AssertionError.class,
                () -> Processes.run(1, "sh", "-c", "sleep 60 & echo child $! >&2; wait"));
        assertTrue(e.getMessage().contains("timed out after 1 s: sh -c sleep 60"), e.getMessage());
        assertTrue(System.nanoTime() - started < 20_000_000_000L, "the limit was not kept");
        String child = e.getMessage().replaceAll("(?s).*child (\\d+).*", "$1");
        ProcessHandle.of(Long.parseLong(child)).ifPresent(h -> {
            try {
                h.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception ex) {
                throw new AssertionError("the child sleep " + child + " outlived its shell", ex);
            }
        });
    }

    @Test
    void aBackgroundProcessIsKilledAtItsLimit() throws Exception {
        Process p = Processes.start(1, new ProcessBuilder("sleep", "60"));
        assertEquals(true, p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS), "the watchdog did not kill sleep 60");
        AssertionError e = assertThrows(AssertionError.class,
                () -> Processes.waitFor(Processes.start(60, new ProcessBuilder("sleep", "60")), 1, List.of("sleep", "60")));
        assertTrue(e.getMessage().contains("timed out after 1 s: sleep 60"), e.getMessage());
    }
}
