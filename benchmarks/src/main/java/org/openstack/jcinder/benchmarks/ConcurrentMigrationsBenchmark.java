package org.openstack.jcinder.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.openstack.jcinder.all.CinderAllApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Issue 12's concurrency target: N migrations of 1 GiB volumes from one backend at once, with
 * {@code max_concurrent_migrations = L} on it (4 and 2 by default), against one migration of the same volume
 * alone, through the API of the all-in-one (embedded broker and database, two file backends in one data
 * directory), default copy engine, {@code force_host_copy}, page cache dropped before each. Aggregate
 * throughput = N × size / the time from the first request until the last migration shows {@code success};
 * "alone" = size / one migration's time. While they run, the admin list {@code /volume-migrations} is polled
 * every 10 ms: the most seen running at once (must be ≤ L) and queued. Every migrated volume is compared byte
 * for byte with its source.
 *
 * <p>Run: {@code benchmarks/run-concurrent-migrations.sh [--runs N] [--dir DIR] [--count 4] [--limit 2]
 * [--gib 1]}; {@code --limit 0} measures the same without a limit.
 */
public final class ConcurrentMigrationsBenchmark {

    private static final long GIB = 1L << 30;

    record Row(int run, double alone, double together, int maxRunning, int maxQueued) {
    }

    public static void main(String[] args) throws Exception {
        int runs = 2;
        int count = 4;
        int limit = 2;
        int gib = 1;
        Path dir = Path.of("/var/tmp/jcinder-concurrent-bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--count" -> count = Integer.parseInt(args[++i]);
                case "--limit" -> limit = Integer.parseInt(args[++i]);
                case "--gib" -> gib = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Files.createDirectories(dir);
        long bytes = gib * GIB;
        Path prepared = CopyBenchmark.random(dir.resolve("random-" + gib + "g"), bytes);
        Path data = Files.createTempDirectory(dir, "data");
        Path conf = dir.resolve("cinder.conf");
        List<String> lines = new ArrayList<>(List.of("[DEFAULT]", "enabled_backends = file-1, file-2",
                "quota_volumes = -1", "quota_gigabytes = -1", "osapi_volume_listen_port = 0", "report_interval = 1"));
        for (String b : List.of("file-1", "file-2")) {
            // file-1 reports more room: the capacity weigher puts the (untyped) volumes there.
            lines.addAll(List.of("[" + b + "]", "volume_driver = file", "volume_backend_name = " + b,
                    "file_volume_capacity_gb = " + (b.equals("file-1") ? 1000 : 500),
                    "max_concurrent_migrations = " + limit));
        }
        Files.writeString(conf, String.join("\n", lines) + "\n");
        ConfigurableApplicationContext app = CinderAllApplication.start(new String[] {"--config-file", conf.toString(),
                "--data-dir", data.toString(), "--no-compute"});
        String base = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort() + "/v3/admin";
        List<Row> rows = new ArrayList<>();
        try {
            AdminApi.awaitPools(base);
            for (int r = 1; r <= runs; r++) {
                List<String> one = volumes(base, data, prepared, gib, 1);
                double alone = migrateAll(base, one, new int[2]);
                check(base, data, prepared, one);
                List<String> many = volumes(base, data, prepared, gib, count);
                int[] seen = new int[2];
                double together = migrateAll(base, many, seen);
                check(base, data, prepared, many);
                rows.add(new Row(r, alone, together, seen[0], seen[1]));
                System.out.printf(Locale.ROOT, "run %d: one alone %.2f s (%.0f MB/s); %d together %.2f s "
                        + "(%.0f MB/s aggregate, %.2fx alone); at most %d running, %d queued%n", r, alone,
                        bytes / alone / 1e6, count, together, count * bytes / together / 1e6,
                        (count * bytes / together) / (bytes / alone), seen[0], seen[1]);
                for (String id : concat(one, many)) {
                    AdminApi.call("DELETE", base + "/volumes/" + id, null);
                }
            }
        } finally {
            app.close();
            deleteTree(data);
        }
        System.out.printf(Locale.ROOT, "%n%d migrations of %d GiB random from one backend, max_concurrent_migrations "
                + "= %d (file -> file, force_host_copy, default engine, %s)%n", count, gib, limit, dir);
        System.out.printf(Locale.ROOT, "%4s %10s %12s %12s %14s %9s %11s %10s%n", "run", "alone (s)", "alone MB/s",
                "together (s)", "aggregate MB/s", "vs alone", "max running", "max queued");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "%4d %10.2f %12.0f %12.2f %14.0f %8.2fx %11d %10d%n", r.run(), r.alone(),
                    bytes / r.alone() / 1e6, r.together(), count * bytes / r.together() / 1e6,
                    (count * bytes / r.together()) / (bytes / r.alone()), r.maxRunning(), r.maxQueued());
        }
        System.out.println("\n'vs alone' = aggregate throughput of the concurrent migrations / throughput of one "
                + "migration alone (target >= 0.9x). max running / queued: the most seen at once in "
                + "/volume-migrations while they ran (polled every 10 ms). Every migrated volume matched its source.");
    }

    /** {@code n} untyped volumes on file-1 (checked) holding the prepared content (their own blocks). */
    private static List<String> volumes(String base, Path data, Path prepared, int gib, int n) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = AdminApi.call("POST", base + "/volumes", "{\"volume\": {\"size\": " + gib + "}}")
                    .get("volume").get("id").asString();
            String host = AdminApi.await(base + "/volumes/" + id, "available").get("os-vol-host-attr:host").asString();
            if (!host.contains("@file-1#")) {
                throw new IllegalStateException("volume " + id + " was placed on " + host + ", not file-1");
            }
            Commands.run("cp", "--sparse=always", "--reflink=never", prepared.toString(),
                    data.resolve("volumes").resolve("file-1").resolve("volume-" + id).toString());
            ids.add(id);
        }
        Commands.run("sync");
        return ids;
    }

    /**
     * Migrates all of {@code ids} to file-2 at once; returns the seconds from the first request until the last
     * shows success. {@code seen}: the most running and queued at once among them.
     */
    private static double migrateAll(String base, List<String> ids, int[] seen) throws Exception {
        CopyBenchmark.dropCaches();
        long t0 = System.nanoTime();
        for (String id : ids) {
            AdminApi.call("POST", base + "/volumes/" + id + "/action", "{\"os-migrate_volume\": {\"host\": "
                    + "\"" + host(base, id).replace("file-1", "file-2") + "\", \"force_host_copy\": true}}");
        }
        Set<String> pending = new HashSet<>(ids);
        while (!pending.isEmpty()) {
            int running = 0;
            int queued = 0;
            for (JsonNode m : AdminApi.call("GET", base + "/volume-migrations?limit=100", null).get("migrations")) {
                String id = m.get("volume_id").asString();
                if (!ids.contains(id)) {
                    continue;
                }
                switch (m.get("status").asString()) {
                    case "running" -> running++;
                    case "queued" -> queued++;
                    case "success" -> pending.remove(id);
                    case "error" -> throw new IllegalStateException("migration of " + id + " failed: " + m);
                    default -> { }
                }
            }
            seen[0] = Math.max(seen[0], running);
            seen[1] = Math.max(seen[1], queued);
            if (!pending.isEmpty()) {
                Thread.sleep(10);
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String host(String base, String id) throws Exception {
        return AdminApi.call("GET", base + "/volumes/" + id, null).get("volume").get("os-vol-host-attr:host")
                .asString();
    }

    private static void check(String base, Path data, Path prepared, List<String> ids) throws Exception {
        for (String id : ids) {
            JsonNode v = AdminApi.call("GET", base + "/volumes/" + id, null).get("volume");
            String nameId = v.get("os-vol-mig-status-attr:name_id").isNull() ? id
                    : v.get("os-vol-mig-status-attr:name_id").asString();
            Path file = data.resolve("volumes").resolve("file-2").resolve("volume-" + nameId);
            if (Files.mismatch(prepared, file) != -1) {
                throw new IllegalStateException("the migrated volume " + id + " differs from its source");
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }


    private static void deleteTree(Path root) throws Exception {
        try (var s = Files.walk(root)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
