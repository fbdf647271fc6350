package org.openstack.jcinder.benchmarks;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.volume.copy.CopyEngine;
import org.openstack.jcinder.volume.copy.DdCopyEngine;
import org.openstack.jcinder.volume.copy.NativeCopyEngine;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * What a migration through the API costs beyond its copy (the target: at most 0.5 s). The all-in-one
 * (embedded broker and database, two file backends) migrates a 1 GiB volume holding 256 MiB of random data
 * with {@code force_host_copy}; the time from the request to the {@code finished_at} of its record in
 * the API (see {@link AdminApi}) is compared with the same copy made directly by the same engine (the default native
 * one, or {@code --engine dd}) between the same kind of files. Page cache dropped before each (when root).
 *
 * <p>Run: {@code benchmarks/run-migration-overhead.sh [--runs N] [--dir DIR] [--engine native|dd]}.
 */
public final class MigrationOverheadBenchmark {

    private static final long GIB = 1L << 30;

    public static void main(String[] args) throws Exception {
        int runs = 3;
        Path dir = Path.of("/var/tmp/jcinder-overhead-bench");
        String engine = "native";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--runs")) {
                runs = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--dir")) {
                dir = Path.of(args[++i]);
            } else if (args[i].equals("--engine")) {
                engine = args[++i];
            }
        }
        // The direct copy is made by the engine the migration uses (the backends' default, or --engine dd).
        CopyEngine direct = engine.equals("dd") ? new DdCopyEngine()
                : new NativeCopyEngine(NativeCopyEngine.Settings.defaults());
        Files.createDirectories(dir);
        Path data = Files.createTempDirectory(dir, "data");
        Path conf = dir.resolve("cinder.conf");
        Files.writeString(conf, String.join("\n", "[DEFAULT]", "enabled_backends = file-1, file-2",
                "quota_volumes = -1", "quota_gigabytes = -1", // runs leave their volumes; quotas are not measured
                "osapi_volume_listen_port = 0", "report_interval = 1", "[file-1]", "volume_driver = file",
                "volume_backend_name = file-1", "volume_copy_engine = " + engine, "[file-2]", "volume_driver = file",
                "volume_backend_name = file-2", "volume_copy_engine = " + engine, ""));
        ConfigurableApplicationContext all = CinderAllApplication.start(new String[] {"--config-file", conf.toString(),
                "--data-dir", data.toString(), "--no-compute"});
        String base = "http://127.0.0.1:" + ((WebServerApplicationContext) all).getWebServer().getPort() + "/v3/admin";
        List<double[]> rows = new ArrayList<>();
        CopyPhaseClock clock = new CopyPhaseClock(all);
        try {
            AdminApi.awaitPools(base);
            for (int r = 0; r < runs; r++) {
                String id = AdminApi.call("POST", base + "/volumes", "{\"volume\": {\"size\": 1}}")
                        .get("volume").get("id").asString();
                JsonNode v = AdminApi.await(base + "/volumes/" + id, "available");
                String host = v.get("os-vol-host-attr:host").asString();
                String backend = host.substring(host.indexOf('@') + 1, host.indexOf('#'));
                Path file = data.resolve("volumes").resolve(backend).resolve("volume-" + id);
                fill(file);

                Path baselineDst = dir.resolve("baseline-dst");
                sparse(baselineDst);
                CopyBenchmark.dropCaches();
                long c0 = System.nanoTime();
                direct.copy(file, baselineDst, GIB, true, b -> { });
                double copy = (System.nanoTime() - c0) / 1e9;
                Files.delete(baselineDst);

                String to = host.endsWith("#file-1") ? host.replace("file-1", "file-2") : host.replace("file-2",
                        "file-1");
                CopyBenchmark.dropCaches();
                double copying0 = clock.copyingSeconds();
                java.time.Instant m0 = java.time.Instant.now();
                AdminApi.call("POST", base + "/volumes/" + id + "/action", "{\"os-migrate_volume\": {\"host\": \"" + to
                        + "\", \"force_host_copy\": true}}");
                double migration = AdminApi.awaitMigration(base + "/volumes/" + id, m0, 600);
                rows.add(new double[] {copy, migration, clock.since(copying0)});
                AdminApi.call("DELETE", base + "/volumes/" + id, null);
            }
        } finally {
            all.close();
        }
        System.out.println("Migration overhead: 1 GiB volume (256 MiB random data), file-1 <-> file-2, " + engine
                + " engine, embedded broker and database");
        System.out.println("run   direct copy   migration via API   overhead   copying phase   orchestration");
        for (int i = 0; i < rows.size(); i++) {
            double[] row = rows.get(i);
            System.out.printf("%3d   %9.2f s   %15.2f s   %6.2f s   %11.2f s   %11.2f s%n", i + 1, row[0], row[1],
                    row[1] - row[0], row[2], row[1] - row[2]);
        }
        System.out.println("overhead = migration - the direct copy; orchestration = migration - its own copying phase "
                + "(the service's phase timer, connections to disconnections), which the noise of two separate copies "
                + "does not blur. Run 1 is the first migration after start.");
    }

    private static void fill(Path file) throws Exception {
        SplittableRandom rnd = new SplittableRandom(7);
        byte[] chunk = new byte[1 << 20];
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            for (int i = 0; i < 256; i++) {
                for (int j = 0; j < chunk.length; j++) {
                    chunk[j] = (byte) rnd.nextInt();
                }
                f.seek((long) i * 4 << 20);
                f.write(chunk);
            }
            f.getFD().sync();
        }
    }

    private static void sparse(Path file) throws Exception {
        Files.deleteIfExists(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(GIB);
        }
    }




}
