package org.netroot.server.runtime;

import java.time.Duration;

/** Test-only main: probes an interface and prints "PROBLEM words" or "PROBED mode". Run as nobody by a test. */
public final class ProbeAsNobody {
    public static void main(String[] args) {
        var r = NetworkSetup.probe(args[0], Duration.ofMillis(300));
        System.out.println(r.problem() != null ? "PROBLEM " + r.problem() : "PROBED " + r.recommendedMode());
    }
}
