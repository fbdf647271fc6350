package org.openstack.jcinder.benchmarks;

import java.nio.charset.StandardCharsets;

/** Runs a command of the benchmark's set-up (dd, losetup, stat…) to its end; a failure stops the benchmark. */
final class Commands {

    private Commands() {
    }

    /** The command's output (standard error merged); throws with that output when it exits non-zero. */
    static String run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
        }
        return out;
    }
}
