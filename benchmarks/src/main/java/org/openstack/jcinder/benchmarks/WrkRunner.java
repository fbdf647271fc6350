package org.openstack.jcinder.benchmarks;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The same load from the {@code wrk} binary (a C load generator; Debian package "wrk"), when it is installed:
 * {@code -t2 -c16}, a warm-up run and a measured run, with a Lua done() hook that prints exact counts and
 * latency percentiles in microseconds. Only ever pointed at 127.0.0.1.
 */
final class WrkRunner {

    private static final String SCRIPT = """
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("JCINDER %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.1f\\n",
                summary.requests, summary.duration, summary.bytes,
                e.connect, e.read, e.write, e.status, e.timeout,
                latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
                latency.mean))
            end
            """;

    record Result(long requests, double seconds, long bytes, long errorsConnect, long errorsRead,
                  long errorsWrite, long errorsStatus, long errorsTimeout, double p50Millis, double p90Millis,
                  double p99Millis, double maxMillis, double meanMillis, CpuSampler.Usage cpu) {
        double throughput() {
            return requests / seconds;
        }

        long errors() {
            return errorsConnect + errorsRead + errorsWrite + errorsStatus + errorsTimeout;
        }
    }

    private WrkRunner() {
    }

    static boolean available() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "wrk"))) {
                return true;
            }
        }
        return false;
    }

    static Result run(int port, String path, Map<String, String> headers, int connections, int warmupSeconds,
                      int seconds, Path workDir, Runnable onMeasureStart, Runnable onMeasureEnd)
            throws IOException, InterruptedException {
        Path script = workDir.resolve("wrk-report.lua");
        Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
        int threads = Math.max(1, Math.min(connections, Runtime.getRuntime().availableProcessors()));
        List<String> base = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections,
                "--timeout", "10s", "-s", script.toString()));
        headers.forEach((k, v) -> {
            base.add("-H");
            base.add(k + ": " + v);
        });
        String url = "http://127.0.0.1:" + port + path;
        if (warmupSeconds > 0) {
            invoke(base, warmupSeconds, url);
        }
        CpuSampler.Snapshot before = CpuSampler.snapshot();
        onMeasureStart.run();
        String out = invoke(base, seconds, url);
        CpuSampler.Snapshot after = CpuSampler.snapshot();
        onMeasureEnd.run();
        for (String line : out.split("\n")) {
            if (line.startsWith("JCINDER ")) {
                String[] f = line.trim().split("\\s+");
                long[] v = new long[f.length - 1];
                for (int i = 1; i < f.length; i++) {
                    v[i - 1] = (long) Double.parseDouble(f[i]);
                }
                return new Result(v[0], v[1] / 1e6, v[2], v[3], v[4], v[5], v[6], v[7], v[8] / 1e3, v[9] / 1e3,
                        v[10] / 1e3, v[11] / 1e3, Double.parseDouble(f[13]) / 1e3,
                        CpuSampler.usage(before, after));
            }
        }
        throw new IOException("wrk printed no result:\n" + out);
    }

    private static String invoke(List<String> base, int seconds, String url) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(base);
        cmd.add("-d" + seconds + "s");
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] bytes;
        boolean done = p.waitFor(seconds + 30L, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
            throw new IOException("wrk did not finish within " + (seconds + 30) + " s");
        }
        bytes = p.getInputStream().readAllBytes();
        String out = new String(bytes, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("wrk exited with " + p.exitValue() + ":\n" + out);
        }
        return out;
    }
}
