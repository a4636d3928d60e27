package org.netroot.server.iscsi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.netroot.server.testing.Processes;

/**
 * What libiscsi's iscsi-test-cu said of each test, from its verbose output (-v). CUnit prints
 * "  Test: NAME ..." and then "passed" or "FAILED"; libiscsi counts a test it could not run as
 * passed and says "[SKIPPED] why" inside it, which is counted apart here. Names are the full
 * FAMILY.Suite.Test of `iscsi-test-cu -l`: the verbose output names only the test, and the same
 * suite runs in several families (ALL, SCSI, iSCSI, LINUX), so results are matched to the list in
 * order.
 */
final class IscsiTestCuReport {
    enum Outcome { PASSED, FAILED, SKIPPED }

    /** One test's outcome and what libiscsi printed while it ran (its reason for a skip or a failure). */
    record Result(String name, Outcome outcome, String detail) {
    }

    private static final Pattern TEST_START = Pattern.compile("^  Test: (.+?) \\.\\.\\.", Pattern.MULTILINE);
    /** CUnit's verdict; libiscsi's own "[FAILED] ..." lines inside a test are no verdict. */
    private static final Pattern VERDICT = Pattern.compile("(?<![\\[\\w])(passed|FAILED)(?![\\w\\]])");

    private final Map<String, Result> results;

    private IscsiTestCuReport(Map<String, Result> results) {
        this.results = results;
    }

    /** Every test iscsi-test-cu has, in the order it runs them: its -l lines with three parts. */
    static List<String> listTests() throws Exception {
        Processes.Combined r = Processes.runCombined(30, "iscsi-test-cu", "-l");
        return r.output().lines().map(String::strip).filter(l -> l.chars().filter(ch -> ch == '.').count() == 2).toList();
    }

    /**
     * The tests `iscsi-test-cu -t A,B,C` runs, in its order: it takes the comma list from the end
     * (C's tests first), each item's tests in the -l order.
     */
    static List<String> listTests(String commaSeparated) throws Exception {
        List<String> all = listTests();
        List<String> items = new ArrayList<>(List.of(commaSeparated.split(",")));
        java.util.Collections.reverse(items);
        List<String> out = new ArrayList<>();
        for (String item : items) {
            for (String name : all) if (name.equals(item) || name.startsWith(item + ".")) out.add(name);
        }
        return out;
    }

    /** Matches the verbose output to {@code names}; throws when they do not line up (another libiscsi, a crash). */
    static IscsiTestCuReport parse(String output, List<String> names) {
        Map<String, Result> results = new LinkedHashMap<>();
        Matcher start = TEST_START.matcher(output);
        int from = 0;
        int index = 0;
        while (start.find(from)) {
            if (index >= names.size()) throw new IllegalArgumentException("more tests ran than iscsi-test-cu -l lists");
            String test = start.group(1);
            String name = names.get(index++);
            if (!name.endsWith("." + test)) {
                throw new IllegalArgumentException("test " + index + " ran as " + test + ", but -l lists " + name + " there");
            }
            Matcher verdict = VERDICT.matcher(output);
            if (!verdict.find(start.end())) throw new IllegalArgumentException(name + " has no verdict (did the run stop?)");
            String body = output.substring(start.end(), verdict.start()).strip();
            Outcome outcome = verdict.group(1).equals("FAILED") ? Outcome.FAILED
                    : body.contains("[SKIPPED]") ? Outcome.SKIPPED : Outcome.PASSED;
            // a failure's CUnit assertion lines come after its verdict, up to the next test
            String detail = body;
            if (outcome == Outcome.FAILED) {
                int next = start.find(verdict.end()) ? start.start() : output.length();
                detail = (body + "\n" + output.substring(verdict.end(), next)).strip();
            }
            results.put(name, new Result(name, outcome, oneLine(detail)));
            from = verdict.end();
        }
        if (results.size() != names.size()) {
            throw new IllegalArgumentException(results.size() + " tests ran, iscsi-test-cu -l lists " + names.size());
        }
        return new IscsiTestCuReport(results);
    }

    private static String oneLine(String s) {
        String joined = String.join(" | ", s.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
        return joined.length() > 300 ? joined.substring(0, 300) + "..." : joined;
    }

    Map<String, Result> results() {
        return results;
    }

    List<Result> with(Outcome outcome) {
        return results.values().stream().filter(r -> r.outcome() == outcome).toList();
    }

    int count(Outcome outcome) {
        return with(outcome).size();
    }

    /**
     * A resource listing tests, one full name a line with the reason after a '#'; blank lines and
     * lines starting with '#' are comments. Name -> reason, in the file's order.
     */
    static Map<String, String> listed(String resource) throws IOException {
        Map<String, String> tests = new LinkedHashMap<>();
        try (InputStream in = IscsiTestCuReport.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("no resource " + resource);
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) continue;
                int hash = l.indexOf('#');
                if (hash < 0) throw new IOException(resource + ": no reason (after a '#') for " + l);
                String name = l.substring(0, hash).strip();
                if (tests.put(name, l.substring(hash + 1).strip()) != null) {
                    throw new IOException(resource + ": " + name + " is listed twice");
                }
            }
        }
        return tests;
    }

    /**
     * The tests whose outcome disagrees with {@code expected} (the tests listed with that outcome):
     * one line each, saying what to do. Empty when they agree.
     */
    List<String> disagreements(Outcome outcome, Map<String, String> expected, String file) {
        List<String> out = new ArrayList<>();
        for (String name : expected.keySet()) {
            Result r = results.get(name);
            if (r == null) {
                out.add(name + " is listed in " + file + " but iscsi-test-cu has no such test");
            } else if (r.outcome() != outcome) {
                out.add(name + " is listed in " + file + " as " + outcome + " but " + r.outcome()
                        + " now: take it off the list" + (r.outcome() == Outcome.PASSED ? " (it passes)" : "")
                        + (r.detail().isEmpty() ? "" : " [" + r.detail() + "]"));
            }
        }
        for (Result r : with(outcome)) {
            if (!expected.containsKey(r.name())) {
                out.add(r.name() + " " + r.outcome() + " and is not listed in " + file + ": " + r.detail());
            }
        }
        return out;
    }
}
