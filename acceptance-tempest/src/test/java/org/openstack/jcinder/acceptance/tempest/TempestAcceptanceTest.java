package org.openstack.jcinder.acceptance.tempest;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * OpenStack Tempest's volume API tests and cinder-tempest-plugin's API tests against the freshly built
 * all-in-one, with Debian's Keystone: {@code acceptance-tempest/run-tempest} does the work (services,
 * tempest.conf, {@code tempest run}, results), this test runs it and turns its verdict into the build's.
 *
 * <p>The verdict is a ratchet ({@code known-failures.txt}, docs/tempest.md): a failure not in the list fails the
 * build, with the test ids, the exception and the HTTP call they ended on in the message; the listed tests that
 * now pass are printed. Without Tempest (Debian {@code tempest}, {@code cinder-tempest-plugin}) or Keystone
 * installed the test is skipped with the reason, unless {@code CINDER_TEST_REQUIRE_TEMPEST=1} (CI), where that
 * is a failure. {@code -Dtempest.regex=RE} runs only the matching tests.
 */
class TempestAcceptanceTest {

    /** Above the runner's own limit for Tempest (20 min) plus starting and stopping the services. */
    private static final long TIMEOUT_MINUTES = 30;

    @Test
    void tempestVolumeApiHasNoFailureBeyondTheKnownOnes() throws Exception {
        Path runner = Path.of(System.getProperty("tempest.runner", "run-tempest")).toAbsolutePath();
        Path jar = Path.of(System.getProperty("cinder.all.jar", "")).toAbsolutePath();
        Path out = Path.of(System.getProperty("tempest.out", "target/tempest")).toAbsolutePath();

        Run check = run(List.of(runner.toString(), "--check"));
        if (check.exit() == 3) {
            String why = String.join(" ", check.output());
            if ("1".equals(System.getenv("CINDER_TEST_REQUIRE_TEMPEST"))) {
                fail(why + " and CINDER_TEST_REQUIRE_TEMPEST=1");
            }
            Assumptions.abort(why);
        }
        if (check.exit() != 0) {
            fail("run-tempest --check failed (" + check.exit() + "): " + String.join("\n", check.output()));
        }
        if (!Files.isRegularFile(jar)) {
            fail("the all-in-one jar " + jar + " is not built (cinder-all's package phase makes it)");
        }

        List<String> cmd = new ArrayList<>(List.of(runner.toString(), "--jar", jar.toString(), "--out",
                out.toString()));
        String regex = System.getProperty("tempest.regex", "");
        if (!regex.isBlank()) {
            cmd.addAll(List.of("--regex", regex)); // a part of the suite, while working on it
        }
        Run tempest = run(cmd);
        switch (tempest.exit()) {
            case 0 -> { } // no failure beyond the known ones; the summary is in the output above
            case 1 -> fail("Tempest: failures not in acceptance-tempest/known-failures.txt\n"
                    + read(out.resolve("regressions.txt")) + "Summary: " + out.resolve("summary.txt")
                    + "; tracebacks: " + out.resolve("failures.txt") + "; logs (tempest.log, all-in-one.log, "
                    + "keystone.log) in " + out);
            default -> fail("the Tempest run itself failed (exit " + tempest.exit() + "); logs in " + out + ":\n"
                    + String.join("\n", tempest.output().subList(Math.max(0, tempest.output().size() - 40),
                    tempest.output().size())));
        }
    }

    private record Run(int exit, List<String> output) {
    }

    /** Runs {@code cmd}, echoing its output line by line (the build's log shows the run's progress). */
    private static Run run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    System.out.println(line);
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                // the process ended; what was read is kept
            }
        }, "run-tempest-output");
        reader.start();
        if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.destroy(); // SIGTERM: the runner stops Tempest, the all-in-one and Keystone, drops its databases
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            reader.join(10_000);
            fail("run-tempest did not finish within " + TIMEOUT_MINUTES + " minutes");
        }
        reader.join(10_000);
        synchronized (lines) {
            return new Run(p.exitValue(), List.copyOf(lines));
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(" + file + " unreadable: " + e.getMessage() + ")\n";
        }
    }
}
