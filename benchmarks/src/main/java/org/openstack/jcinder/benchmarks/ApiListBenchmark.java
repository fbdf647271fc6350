package org.openstack.jcinder.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.slf4j.LoggerFactory;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Benchmark harness (not a test) for {@code GET /v3/{project}/volumes/detail}: starts the all-in-one service
 * in this JVM (embedded H2 + broker, or PostgreSQL + RabbitMQ), creates N volumes through the API, waits
 * until all are available, then drives a closed-loop load with C concurrent keep-alive connections: warm-up
 * (discarded) and a timed phase per client. Prints requests/s, latency percentiles, errors, bytes per
 * response, CPU split and memory. See docs/benchmarks.md.
 */
public final class ApiListBenchmark {

    /** The reference and the goal this harness reports against. */
    static final double TARGET_RPS = 1400;
    static final double TARGET_P99_MS = 50;
    static final String PYTHON_REFERENCE = "Python Cinder API on a 2-core machine: 19-28 req/s, p50 0.6-0.8 s";

    private ApiListBenchmark() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(BenchOptions.parse(args));
        } catch (IllegalArgumentException e) {
            System.err.println("ERROR: " + e.getMessage());
            code = 2;
        } catch (Exception e) {
            System.err.println("ERROR: benchmark failed: " + e);
            e.printStackTrace();
            code = 1;
        }
        System.out.flush();
        System.exit(code);
    }

    static int run(BenchOptions o) throws Exception {
        quietUntilSpringTakesOver();
        String project = UUID.randomUUID().toString().replace("-", "");
        String path = "/v3/" + project + "/volumes/detail";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Auth-Token", "admin:" + project);
        headers.put("OpenStack-API-Version", "volume " + o.apiVersion());
        headers.put("Accept", "application/json");
        headers.put("User-Agent", "jcinder-bench");

        List<String> summary = new ArrayList<>();
        int failures = 0;
        try (ServiceUnderTest service = new ServiceUnderTest(o)) {
            long t0 = System.nanoTime();
            service.start();
            System.out.printf(Locale.ROOT, "service started on 127.0.0.1:%d in %.1f s (data dir %s)%n",
                    service.port(), (System.nanoTime() - t0) / 1e9, service.dataDir());
            String base = "http://127.0.0.1:" + service.port();
            long expectedBytes = prepare(o, base, project, headers);

            printHeader(o, service, path, expectedBytes);
            HttpClient jdkClient = Transport.Jdk.newClient();
            // JFR starts before the JIT warm-up: starting (or stopping) a recording under load retransforms
            // the JDK's instrumented I/O classes, and the deoptimised code takes minutes to recover on 2 busy
            // cores. The summary only counts the first client's measured window.
            JfrProfile jfr = null;
            Path jfrFile = o.jfrFile() != null ? o.jfrFile() : service.dataDir().resolve("api-list.jfr");
            if (o.profile()) {
                jfr = JfrProfile.start(jfrFile);
            }
            if (o.jitWarmupSeconds() > 0) {
                // The JDK client's own code needs compiling too; the raw client's is tiny.
                boolean jdkWarm = o.clients().contains("jdk");
                System.out.printf(Locale.ROOT, "%n-- JIT warm-up: %d s of the same request on %d connections (%s "
                        + "client), discarded --%n", o.jitWarmupSeconds(), o.jitWarmupConcurrency(),
                        jdkWarm ? "jdk" : "raw");
                URI uri = URI.create(base + path);
                LoadRun.Result w = LoadRun.run("jit", o.jitWarmupConcurrency(), 0, o.jitWarmupSeconds(),
                        () -> jdkWarm ? new Transport.Jdk(jdkClient, uri, headers)
                                : new Transport.Raw("127.0.0.1", service.port(), path, headers), () -> { }, () -> { });
                row("per second", timeline(w.perSecond(), -1));
                row("errors", Long.toString(w.errors()));
            }
            for (String client : o.clients()) {
                JfrProfile profile = jfr;
                List<Map<String, Long>> db = new ArrayList<>();
                Runnable onStart = () -> {
                    db.add(service.databaseCounters());
                    if (profile != null && profile.windowStart() == null) {
                        profile.markStart();
                    }
                };
                Runnable onEnd = () -> {
                    db.add(service.databaseCounters());
                    if (profile != null && profile.windowEnd() == null) {
                        profile.markEnd();
                    }
                };
                System.out.printf(Locale.ROOT, "%n-- client %s: %d s warm-up, %d s measured --%n", client,
                        o.warmupSeconds(), o.seconds());
                awaitQuiet(o);
                String line;
                switch (client) {
                    case "jdk", "raw" -> {
                        URI uri = URI.create(base + path);
                        LoadRun.Result r = LoadRun.run(client, o.concurrency(), o.warmupSeconds(), o.seconds(),
                                () -> client.equals("jdk") ? new Transport.Jdk(jdkClient, uri, headers)
                                        : new Transport.Raw("127.0.0.1", service.port(), path, headers),
                                onStart, onEnd);
                        line = printJava(o, r, expectedBytes);
                        printDatabase(db, r.requests());
                        failures += r.errors() > 0 || r.requests() == 0 ? 1 : 0;
                    }
                    case "wrk" -> {
                        WrkRunner.Result r = WrkRunner.run(service.port(), path, headers, o.concurrency(),
                                o.warmupSeconds(), o.seconds(), service.dataDir(), onStart, onEnd);
                        line = printWrk(o, r);
                        printDatabase(db, r.requests());
                        failures += r.errors() > 0 || r.requests() == 0 ? 1 : 0;
                    }
                    default -> throw new IllegalStateException(client);
                }
                summary.add(line);
            }
            if (jfr != null) {
                jfr.stop();
                System.out.printf(Locale.ROOT, "%n-- JFR profile of the first client's measured window (%s) --%n",
                        o.clients().get(0));
                System.out.print(jfr.summarize());
                System.out.println("JFR recording (whole run): " + jfrFile
                        + (o.jfrFile() == null && !o.keepData() ? " (deleted with the data dir)" : ""));
            }
            printMemory();
            System.out.println();
            System.out.println("== summary: GET /volumes/detail, " + o.volumes() + " volumes, " + o.concurrency()
                    + " connections, backend " + o.backend() + " ==");
            summary.forEach(System.out::println);
            System.out.println("reference: " + PYTHON_REFERENCE + "; target >= " + (int) TARGET_RPS
                    + " req/s and p99 <= " + (int) TARGET_P99_MS + " ms");
            service.notes().forEach(n -> System.out.println("note: " + n));
            System.out.println("stopping the service and cleaning up...");
        }
        return failures > 0 ? 3 : 0;
    }

    /** Creates the volumes through the API and waits for them; returns the size of one list response. */
    private static long prepare(BenchOptions o, String base, String project, Map<String, String> headers)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        ObjectMapper json = JsonMapper.builder().build();
        long deadline = System.nanoTime() + o.setupTimeoutSeconds() * 1_000_000_000L;

        // The scheduler can place volumes once both backends have reported their capabilities.
        int pools = 0;
        while (pools < 2) {
            checkDeadline(deadline, "the scheduler to know both backends");
            HttpResponse<String> r = http.send(request(base + "/v3/" + project + "/scheduler-stats/get_pools",
                    headers).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                pools = json.readTree(r.body()).path("pools").size();
            }
            if (pools < 2) {
                Thread.sleep(250);
            }
        }

        long t0 = System.nanoTime();
        for (int i = 0; i < o.volumes(); i++) {
            checkDeadline(deadline, "volume creation");
            String body = "{\"volume\": {\"size\": 1, \"name\": \"bench-" + i + "\"}}";
            HttpResponse<String> r = http.send(request(base + "/v3/" + project + "/volumes", headers)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 202) {
                throw new IllegalStateException("POST volume " + i + ": HTTP " + r.statusCode() + " " + r.body());
            }
        }
        while (true) {
            checkDeadline(deadline, o.volumes() + " volumes to become available");
            HttpResponse<byte[]> r = http.send(request(base + "/v3/" + project + "/volumes/detail", headers)
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET volumes/detail: HTTP " + r.statusCode());
            }
            JsonNode volumes = json.readTree(r.body()).path("volumes");
            int available = 0;
            for (JsonNode v : volumes) {
                String status = v.path("status").asString();
                if (status.equals("available")) {
                    available++;
                } else if (status.startsWith("error")) {
                    throw new IllegalStateException("volume " + v.path("id").asString() + " went to " + status);
                }
            }
            if (volumes.size() == o.volumes() && available == o.volumes()) {
                System.out.printf(Locale.ROOT, "%d volumes created and available in %.1f s%n", o.volumes(),
                        (System.nanoTime() - t0) / 1e9);
                return r.body().length;
            }
            Thread.sleep(500);
        }
    }

    private static HttpRequest.Builder request(String url, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        headers.forEach(b::header);
        return b;
    }

    private static void checkDeadline(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("timed out waiting for " + what);
        }
    }

    private static void printHeader(BenchOptions o, ServiceUnderTest service, String path, long bytes) {
        var rt = ManagementFactory.getRuntimeMXBean();
        long memTotal = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memTotal = os.getTotalMemorySize();
        }
        String gcs = String.join("+", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(java.lang.management.GarbageCollectorMXBean::getName).toList());
        System.out.println();
        System.out.println("== jcinder API benchmark: GET " + path.replaceFirst("/v3/[^/]+/", "/v3/{project}/")
                + " ==");
        row("backend", o.backend() + ": " + service.describe());
        row("data set", o.volumes() + " volumes of 1 GiB, all 'available', one project; response "
                + String.format(Locale.ROOT, "%,d", bytes) + " bytes (admin, microversion " + o.apiVersion() + ")");
        row("load", o.concurrency() + " concurrent keep-alive connections, closed loop (each connection sends "
                + "its next request when the previous response is fully read); no think time");
        row("phases", o.jitWarmupSeconds() + " s JIT warm-up once; then per client " + o.warmupSeconds()
                + " s warm-up (discarded) and " + o.seconds() + " s measured");
        row("clients", String.join(", ", o.clients().stream().map(ApiListBenchmark::describeClient).toList()));
        row("latency", "per request, send to last body byte; percentiles nearest-rank over all requests "
                + "completed in the window (wrk: its own HdrHistogram)");
        row("access log", o.accessLog() ? "on (INFO line per request, to " + service.dataDir().resolve("cinder.log")
                + ")" : "off (api.access logger at WARN)");
        row("JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + ", GC "
                + gcs + ", max heap " + mib(Runtime.getRuntime().maxMemory()) + ", args " + rt.getInputArguments());
        row("machine", Runtime.getRuntime().availableProcessors() + " cores, " + mib(memTotal) + " RAM, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version")
                + "; service and load generator share these cores");
    }

    private static String describeClient(String c) {
        return switch (c) {
            case "jdk" -> "jdk (java.net.http.HttpClient, HTTP/1.1, one shared client, platform threads, same JVM)";
            case "raw" -> "raw (blocking socket HTTP/1.1 client, one socket per thread, same JVM)";
            case "wrk" -> "wrk (separate process, 2 threads)";
            default -> c;
        };
    }

    private static String printJava(BenchOptions o, LoadRun.Result r, long expectedBytes) {
        row("requests", String.format(Locale.ROOT, "%,d in %.1f s = %.1f req/s  (warm-up: %,d requests, %d errors)",
                r.requests(), r.seconds(), r.throughput(), r.warmupRequests(), r.warmupErrors()));
        row("latency", String.format(Locale.ROOT, "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms "
                        + "(mean %.1f ms)", r.percentileMillis(50), r.percentileMillis(90), r.percentileMillis(99),
                r.maxMillis(), r.meanMillis()));
        row("errors", r.errors() + " (non-200: " + r.errorsStatus() + ", I/O or timeout: " + r.errorsIo() + ")"
                + (r.firstError() != null ? "; first: " + r.firstError() : ""));
        row("bytes/response", String.format(Locale.ROOT, "%,d (min %,d, max %,d; expected %,d) = %.0f MB/s",
                r.requests() == 0 ? 0 : r.totalBytes() / r.requests(), r.minBytes(), r.maxBytes(), expectedBytes,
                r.totalBytes() / r.seconds() / 1e6));
        printCpu(r.cpu(), true, r.requests());
        row("per second", timeline(r.perSecond(), o.warmupSeconds()));
        String verdict = verdict(r.throughput(), r.percentileMillis(99));
        row("vs target", verdict);
        return String.format(Locale.ROOT, "%-4s %8.1f req/s  p50 %6.1f ms  p90 %6.1f ms  p99 %6.1f ms  max %7.1f ms"
                        + "  errors %d  (%s)", r.client(), r.throughput(), r.percentileMillis(50),
                r.percentileMillis(90), r.percentileMillis(99), r.maxMillis(), r.errors(), verdict);
    }

    private static String printWrk(BenchOptions o, WrkRunner.Result r) {
        row("requests", String.format(Locale.ROOT, "%,d in %.1f s = %.1f req/s", r.requests(), r.seconds(),
                r.throughput()));
        row("latency", String.format(Locale.ROOT, "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (mean %.1f ms)",
                r.p50Millis(), r.p90Millis(), r.p99Millis(), r.maxMillis(), r.meanMillis()));
        row("errors", r.errors() + " (connect " + r.errorsConnect() + ", read " + r.errorsRead() + ", write "
                + r.errorsWrite() + ", non-2xx " + r.errorsStatus() + ", timeout " + r.errorsTimeout() + ")");
        row("bytes/response", String.format(Locale.ROOT, "%,d incl. headers = %.0f MB/s",
                r.requests() == 0 ? 0 : r.bytes() / r.requests(), r.bytes() / r.seconds() / 1e6));
        printCpu(r.cpu(), false, r.requests());
        String verdict = verdict(r.throughput(), r.p99Millis());
        row("vs target", verdict);
        return String.format(Locale.ROOT, "%-4s %8.1f req/s  p50 %6.1f ms  p90 %6.1f ms  p99 %6.1f ms  max %7.1f ms"
                        + "  errors %d  (%s)", "wrk", r.throughput(), r.p50Millis(), r.p90Millis(), r.p99Millis(),
                r.maxMillis(), r.errors(), verdict);
    }

    /** PostgreSQL's counters per request over the window (they lag by up to a second at both ends). */
    private static void printDatabase(List<Map<String, Long>> db, long requests) {
        if (db.size() < 2 || db.get(0).isEmpty() || requests == 0) {
            return;
        }
        List<String> parts = new ArrayList<>();
        db.get(1).forEach((k, after) -> {
            Long before = db.get(0).get(k);
            if (before != null && after - before > 0) {
                parts.add(String.format(Locale.ROOT, "%s %.2f", k, (double) (after - before) / requests));
            }
        });
        row("PostgreSQL", "per request: " + String.join(", ", parts));
    }

    private static void awaitQuiet(BenchOptions o) throws InterruptedException {
        if (o.quietWaitSeconds() <= 0) {
            return;
        }
        double waited = CpuSampler.awaitQuiet(o.quietWaitSeconds(), 0.2);
        if (waited < 0) {
            row("NOTE", String.format(Locale.ROOT, "other processes kept using >= 0.2 core for %.0f s; measuring "
                    + "anyway", -waited));
        } else if (waited > 1.5) {
            row("note", String.format(Locale.ROOT, "waited %.0f s for other processes to go quiet", waited));
        }
    }

    private static String timeline(long[] perSecond, int warmup) {
        StringBuilder tl = new StringBuilder();
        for (int i = 0; i < perSecond.length - 1; i++) {
            tl.append(i == warmup ? " | " : i == 0 ? "" : " ").append(perSecond[i]);
        }
        return tl + (warmup > 0 ? "  (requests completed in each second; '|' = end of warm-up)"
                : "  (requests completed in each second)");
    }

    private static void printCpu(CpuSampler.Usage u, boolean clientInJvm, long requests) {
        String split = clientInJvm
                ? String.format(Locale.ROOT, "load generator %.2f, Tomcat request threads %.2f, other Java threads "
                + "%.2f, GC/JIT/VM %.2f", u.client(), u.tomcat(), u.otherJava(), u.vm())
                : String.format(Locale.ROOT, "Tomcat request threads %.2f, other Java threads %.2f, GC/JIT/VM %.2f",
                u.tomcat(), u.otherJava(), u.vm());
        String neighbours = String.format(Locale.ROOT, "PostgreSQL server %.2f, RabbitMQ %.2f, %s %.2f",
                u.postgres(), u.rabbit(), clientInJvm ? "other processes" : "wrk and other processes",
                u.otherProcesses());
        row("CPU (cores)", String.format(Locale.ROOT, "machine busy %.2f of %d; this JVM %.2f: %s", u.machineBusy(),
                u.cores(), u.process(), split));
        row("", "outside this JVM: " + neighbours);
        row("GC", u.gcCount() + " collections, " + u.gcMillis() + " ms (collector time, per JMX)");
        if (requests > 0) {
            row("per request", String.format(Locale.ROOT, "%.2f ms CPU on Tomcat request threads, %.2f ms CPU of "
                            + "this whole JVM; %.2f MB allocated by request threads (all Java threads: %.0f MB/s)",
                    u.tomcat() * u.wallSeconds() * 1e3 / requests, u.process() * u.wallSeconds() * 1e3 / requests,
                    u.tomcatAllocated() / 1e6 / requests, u.allAllocated() / 1e6 / u.wallSeconds()));
        }
        if (clientInJvm && u.otherProcesses() > 0.15) {
            row("WARNING", String.format(Locale.ROOT, "other processes used %.2f cores during this window: the "
                    + "figures above are disturbed; rerun on a quiet machine", u.otherProcesses()));
        }
    }

    private static void printMemory() {
        long heapPeak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                heapPeak += p.getPeakUsage().getUsed();
            }
        }
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        System.out.println();
        row("memory", "peak RSS " + mib(CpuSampler.peakRssBytes()) + " (whole JVM: service, embedded parts and "
                + "in-JVM load generator); heap now " + mib(heap.getUsed()) + " used / " + mib(heap.getCommitted())
                + " committed; sum of heap pool peaks " + mib(heapPeak));
    }

    private static String verdict(double rps, double p99) {
        boolean rpsOk = rps >= TARGET_RPS;
        boolean p99Ok = p99 <= TARGET_P99_MS;
        return (rpsOk ? "throughput MET" : "throughput MISSED") + ", " + (p99Ok ? "p99 MET" : "p99 MISSED")
                + String.format(Locale.ROOT, "; %.0fx Python Cinder's best (28 req/s)", rps / 28.0);
    }

    private static void row(String key, String value) {
        System.out.printf(Locale.ROOT, "%-15s %s%n", key, value);
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%,d MiB", bytes / (1024 * 1024));
    }

    /**
     * Before Spring Boot configures logging, logback's default is DEBUG on the console, and the embedded
     * broker starts before Spring does. WARN until Boot applies the run's logging properties.
     */
    private static void quietUntilSpringTakesOver() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }
}
