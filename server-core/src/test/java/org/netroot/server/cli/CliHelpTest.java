package org.netroot.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/** Every command, found by walking picocli's tree (so a new one is covered too), explains itself. */
class CliHelpTest {

    /** Each command's words after {@code netroot}, e.g. [volume, create]. */
    private static List<List<String>> allCommands() {
        List<List<String>> all = new ArrayList<>();
        walk(new CommandLine(new NetrootCli()), List.of(), all);
        return all;
    }

    private static void walk(CommandLine cl, List<String> path, List<List<String>> all) {
        all.add(path);
        cl.getSubcommands().forEach((name, sub) -> {
            List<String> p = new ArrayList<>(path);
            p.add(name);
            walk(sub, p, all);
        });
    }

    @Test
    void theTreeHoldsTheNestedCommands() {
        List<List<String>> all = allCommands();
        assertTrue(all.contains(List.of("volume", "create")), all.toString());
        assertTrue(all.contains(List.of("client", "add")), all.toString());
        assertTrue(all.contains(List.of("serve")), all.toString());
        assertTrue(all.size() >= 12, all.toString());
    }

    @TestFactory
    Stream<DynamicTest> everyCommandAcceptsHelp() {
        return allCommands().stream().map(path -> DynamicTest.dynamicTest("netroot " + String.join(" ", path) + " --help", () -> {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, run.code(), "exit code; stderr: " + run.err());
            assertTrue(run.out().contains("Usage: netroot " + String.join(" ", path)), run.out());
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyCommandOptionAndParameterHasADescription() {
        List<CommandSpec> specs = new ArrayList<>();
        collect(new CommandLine(new NetrootCli()), specs);
        return specs.stream().map(spec -> DynamicTest.dynamicTest(spec.qualifiedName(), () -> {
            assertTrue(described(spec.usageMessage().description()), spec.qualifiedName() + " has no description");
            List<ArgSpec> args = new ArrayList<>(spec.options());
            args.addAll(spec.positionalParameters());
            for (ArgSpec a : args) {
                String name = a.isOption() ? ((CommandLine.Model.OptionSpec) a).longestName() : a.paramLabel();
                assertTrue(described(a.description()), spec.qualifiedName() + " " + name + " has no description");
            }
        }));
    }

    private static void collect(CommandLine cl, List<CommandSpec> specs) {
        if (specs.contains(cl.getCommandSpec())) return;
        specs.add(cl.getCommandSpec());
        cl.getSubcommands().values().forEach(sub -> collect(sub, specs));
    }

    private static boolean described(String[] lines) {
        return lines != null && Stream.of(lines).anyMatch(l -> !l.replace("%n", "").isBlank());
    }
}
