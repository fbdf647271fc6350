package org.openstack.jcinder.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.volume.copy.DdCopyEngine;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The targets as a user meets them: a host-copy migration ({@code force_host_copy}) through the API
 * of the all-in-one (embedded broker and database, two file backends in one data directory, so one
 * filesystem), with the default configuration unless {@code --engine} names one, timed from the request until
 * the {@code finished_at} of its record in the API (see {@link AdminApi}), orchestration included; against Cinder's {@code dd}
 * argument vector ({@link DdCopyEngine#command}, after its O_DIRECT probes, {@code conv=sparse} as towards a
 * thin destination) copying the same volume file to a fresh sparse file in the same run. Page cache dropped
 * before each. The migrated volume is compared byte for byte with what was written into the source, and its
 * allocation with the source's.
 *
 * <p>Run: {@code benchmarks/run-migration-targets.sh [--runs N] [--dir DIR] [--engine native|dd] [--cases a,b,c]
 * [--set key=value]... [--timers]} ({@code --set} adds a {@code [DEFAULT]} option, to compare one against the default).
 */
public final class MigrationTargetsBenchmark {

    private static final long GIB = 1L << 30;

    record Row(String volume, int run, double dd, double migration, double copying, long sourceAllocated,
               long destinationAllocated, long heapAfter) {
    }

    public static void main(String[] args) throws Exception {
        int runs = 3;
        Path dir = Path.of("/var/tmp/jcinder-targets-bench");
        String engine = null;
        String cases = "a,b,c";
        List<String> defaults = new ArrayList<>(); // --set key=value: more [DEFAULT] options, to compare
        boolean timers = false; // --timers: the service's own timers at the end, where the orchestration goes
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                case "--engine" -> engine = args[++i];
                case "--cases" -> cases = args[++i];
                case "--set" -> defaults.add(args[++i].replaceFirst("=", " = "));
                case "--timers" -> timers = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Files.createDirectories(dir);
        List<CopyBenchmark.Case> all = new ArrayList<>();
        if (cases.contains("a")) {
            all.add(new CopyBenchmark.Case("2 GiB random", CopyBenchmark.random(dir.resolve("random-2g"), 2 * GIB),
                    2 * GIB));
        }
        if (cases.contains("b")) {
            all.add(new CopyBenchmark.Case("4 GiB, 10 % written", CopyBenchmark.tenPercent(dir.resolve("tenpct-4g"),
                    4 * GIB), 4 * GIB));
        }
        if (cases.contains("c")) {
            all.add(new CopyBenchmark.Case("4 GiB never written", CopyBenchmark.empty(dir.resolve("empty-4g"),
                    4 * GIB), 4 * GIB));
        }
        Path data = Files.createTempDirectory(dir, "data");
        Path conf = dir.resolve("cinder.conf");
        List<String> lines = new ArrayList<>(List.of("[DEFAULT]", "enabled_backends = file-1, file-2",
                "quota_volumes = -1", "quota_gigabytes = -1",
                "osapi_volume_listen_port = 0", "report_interval = 1"));
        lines.addAll(defaults);
        for (String b : List.of("file-1", "file-2")) {
            lines.addAll(List.of("[" + b + "]", "volume_driver = file", "volume_backend_name = " + b));
            if (engine != null) {
                lines.add("volume_copy_engine = " + engine);
            }
        }
        Files.writeString(conf, String.join("\n", lines) + "\n");
        ConfigurableApplicationContext app = CinderAllApplication.start(new String[] {"--config-file", conf.toString(),
                "--data-dir", data.toString(), "--no-compute"});
        String base = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort() + "/v3/admin";
        List<Row> rows = new ArrayList<>();
        CopyPhaseClock clock = new CopyPhaseClock(app);
        try {
            AdminApi.awaitPools(base);
            for (int r = 1; r <= runs; r++) {
                for (CopyBenchmark.Case c : all) {
                    rows.add(one(base, data, dir, c, r, clock));
                    Row last = rows.get(rows.size() - 1);
                    System.out.printf(Locale.ROOT, "%-22s run %d: dd %.2f s, migration %.2f s (%.2fx), "
                            + "orchestration %.2f s%n", c.name(), r, last.dd(), last.migration(),
                            last.dd() / last.migration(), last.migration() - last.copying());
                }
            }
            if (timers) {
                clock.printTimers();
            }
        } finally {
            app.close();
            // The service's log stays for the timeline of each migration (where the time around the copy goes).
            Path log = data.resolve("cinder.log");
            if (Files.exists(log)) {
                Files.copy(log, dir.resolve("last-cinder.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            deleteTree(data);
        }
        print(rows, engine, dir);
    }

    private static Row one(String base, Path data, Path dir, CopyBenchmark.Case c, int run, CopyPhaseClock clock)
            throws Exception {
        int gib = (int) (c.bytes() / GIB);
        String id = AdminApi.call("POST", base + "/volumes", "{\"volume\": {\"size\": " + gib + "}}")
                .get("volume").get("id").asString();
        JsonNode v = AdminApi.await(base + "/volumes/" + id, "available");
        String host = v.get("os-vol-host-attr:host").asString();
        String backend = host.substring(host.indexOf('@') + 1, host.indexOf('#'));
        Path file = data.resolve("volumes").resolve(backend).resolve("volume-" + id);
        // The volume's own blocks (no reflink to the prepared file), holes where the prepared file has them.
        Commands.run("cp", "--sparse=always", "--reflink=never", c.file().toString(), file.toString());
        Commands.run("sync");

        Path ddDst = dir.resolve("dd-dst");
        Files.deleteIfExists(ddDst);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(ddDst.toFile(), "rw")) {
            f.setLength(c.bytes());
        }
        List<String> argv = new DdCopyEngine().command(file, ddDst, c.bytes(), true);
        CopyBenchmark.dropCaches();
        long d0 = System.nanoTime();
        Commands.run(argv.toArray(String[]::new));
        double dd = (System.nanoTime() - d0) / 1e9;
        Files.delete(ddDst);

        String to = host.endsWith("#file-1") ? host.replace("file-1", "file-2") : host.replace("file-2", "file-1");
        CopyBenchmark.dropCaches();
        double copying0 = clock.copyingSeconds();
        java.time.Instant m0 = java.time.Instant.now();
        AdminApi.call("POST", base + "/volumes/" + id + "/action", "{\"os-migrate_volume\": {\"host\": \"" + to
                + "\", \"force_host_copy\": true}}");
        double migration = AdminApi.awaitMigration(base + "/volumes/" + id, m0, 1200);
        double copying = clock.since(copying0);
        String newBackend = to.substring(to.indexOf('@') + 1, to.indexOf('#'));
        Path migrated;
        try (var s = Files.list(data.resolve("volumes").resolve(newBackend))) {
            migrated = s.filter(p -> p.getFileName().toString().startsWith("volume-")).filter(p -> {
                try {
                    return Files.size(p) == c.bytes();
                } catch (java.io.IOException e) {
                    return false;
                }
            }).findFirst().orElseThrow(() -> new IllegalStateException("no migrated volume file"));
        }
        if (Files.mismatch(c.file(), migrated) != -1) {
            throw new IllegalStateException("the migrated " + c.name() + " differs from its source");
        }
        long srcAlloc = CopyBenchmark.allocated(c.file());
        long dstAlloc = CopyBenchmark.allocated(migrated);
        AdminApi.call("DELETE", base + "/volumes/" + id, null);
        for (int i = 0; i < 500 && Files.exists(migrated); i++) {
            Thread.sleep(20);
        }
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new Row(c.name(), run, dd, migration, copying, srcAlloc, dstAlloc, heap);
    }

    private static void print(List<Row> rows, String engine, Path dir) throws Exception {
        String fs = new String(new ProcessBuilder("stat", "-f", "-c", "%T", dir.toString()).start().getInputStream()
                .readAllBytes()).strip();
        System.out.printf(Locale.ROOT, "%nMigration through the API (force_host_copy, file-1 <-> file-2 in %s, %s), "
                + "engine: %s%n", dir, fs, engine == null ? "default configuration" : engine);
        System.out.printf(Locale.ROOT, "%-22s %4s %9s %11s %8s %9s %9s %12s %12s %10s%n", "volume", "run",
                "dd (s)", "migration", "vs dd", "copying", "orchestr.", "src alloc", "dst alloc", "heap after");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "%-22s %4d %9.2f %9.2f s %7.2fx %7.2f s %7.2f s %8d MiB %8d MiB %6d MiB%n",
                    r.volume(), r.run(), r.dd(), r.migration(), r.dd() / r.migration(), r.copying(),
                    r.migration() - r.copying(), r.sourceAllocated() >> 20, r.destinationAllocated() >> 20,
                    r.heapAfter() >> 20);
        }
        System.out.println("\n'vs dd' = Cinder's dd (conv=sparse, its O_DIRECT probes) on the same volume file in the "
                + "same run / the migration through the API; > 1 is faster than dd. Every migrated volume was compared "
                + "byte for byte with its source. copying = the migration's copying phase (the service's phase timer: both "
                + "volumes connected until both disconnected); orchestr. = migration - copying, everything around the "
                + "copy from the request until its record ended (run 1 of the first volume is the first "
                + "migration after start). heap after = heap in use after a GC once the migration ended.");
    }


    private static void deleteTree(Path root) throws Exception {
        try (var s = Files.walk(root)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }




}
