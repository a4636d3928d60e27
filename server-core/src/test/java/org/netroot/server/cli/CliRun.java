package org.netroot.server.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** One run of the CLI in this process, as a user would see it: the exit code and what it printed. */
record CliRun(int code, String out, String err) {
    /** Runs {@code netroot args...} with System.out and System.err captured (and put back after). */
    static CliRun of(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            int code = NetrootCli.run(args);
            return new CliRun(code, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
