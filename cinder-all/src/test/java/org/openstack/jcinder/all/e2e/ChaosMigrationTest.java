package org.openstack.jcinder.all.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.api.CinderApiApplication;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.CinderServiceLauncher;
import org.openstack.jcinder.common.db.MigrationCheckpointRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.db.VolumeMigrationRepository;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.scheduler.CinderSchedulerApplication;
import org.openstack.jcinder.testsupport.CinderConfFile;
import org.openstack.jcinder.testsupport.HttpJson;
import org.openstack.jcinder.testsupport.TestServices;
import org.openstack.jcinder.volume.CinderVolumeApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;

/**
 * {@code kill -9} of volume services during host-copy migrations (issue 13): the two volume services are
 * separate JVMs ({@code java -cp … CinderVolumeApplication}), the API and the scheduler run in this one, on
 * PostgreSQL and RabbitMQ. Each run migrates a 1 GiB volume holding random data from node A to node B (the copy
 * throttled so it lasts a few seconds, checkpointed every 8 MiB), kills a service at some moment of it, starts
 * it again and checks: the volume's bytes are intact (SHA-256) where the volume now lives, nothing is left in a
 * migration state, no temporary volume row or file is left after a reconcile interval, a resumed copy skipped
 * what it had copied (its record's {@code resumed_from}), and a later migration succeeds.
 *
 * <p>The default build does 2 runs, killing mid-copy after a checkpoint (the owner alone; then both services,
 * the destination back first); {@code -Pchaos} ({@code -Dchaos.runs=20}) kills at random moments, cycling
 * through: the owner, both (either back first), the destination only. {@code -Dchaos.seed=N} replays a series.
 */
class ChaosMigrationTest {

    private static final String ADMIN = "admin:proj-a";
    private static final long MIB = 1 << 20;
    private static final int RECONCILE_SECONDS = 2;
    /** What the data of each volume is: 3 extents of 16 MiB, so the throttled copy (8 MiB/s) lasts ~6 s. */
    private static final long[] DATA_AT = {0, 400 * MIB, 800 * MIB};
    private static final int DATA_BYTES = (int) (16 * MIB);

    @TempDir
    static Path dir;
    static final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    static final String run = UUID.randomUUID().toString().substring(0, 8);
    static HttpJson http;
    static VolumeRepository volumes;
    static VolumeMigrationRepository migrations;
    static MigrationCheckpointRepository checkpoints;
    static String common;
    static VolumeProcess nodeA;
    static VolumeProcess nodeB;

    /** What the runs saw, printed at the end (the figures docs/status.md reports). */
    static final List<String> outcomes = new ArrayList<>();

    enum Kill { OWNER, BOTH_DESTINATION_FIRST, BOTH_OWNER_FIRST, DESTINATION }

    /** The services killed in the random series, in turn: mostly the owner (the one copying). */
    private static final List<Kill> CYCLE = List.of(Kill.OWNER, Kill.OWNER, Kill.BOTH_DESTINATION_FIRST, Kill.OWNER,
            Kill.BOTH_OWNER_FIRST, Kill.DESTINATION);

    @BeforeAll
    static void startServices() throws Exception {
        String database = TestServices.freshDatabase();
        common = String.join("\n",
                "transport_url = " + TestServices.transportUrl(),
                "report_interval = 1",
                // Longer than a killed JVM takes to be back (on a loaded 2-core machine a Spring start took 100-200 s),
                // so the owner resumes rather than the other node's reconciler failing the migration; that path
                // has its component test (MigrationRecoveryTest).
                "service_down_time = 400",
                "rpc_response_timeout = 20",
                "osapi_volume_listen_port = 0",
                "migration_reconcile_interval = " + RECONCILE_SECONDS,
                "migration_checkpoint_mb = 8",
                "[database]",
                "connection = " + database, "");
        contexts.add(start(CinderSchedulerApplication.class, "scheduler.conf",
                "[DEFAULT]\nhost = sched-" + run + "\n" + common, false));
        // The capacity weigher places new volumes on A, the larger backend; no type, so either may take them.
        nodeA = new VolumeProcess("node-a", "fast", 100, "volume_copy_bps_limit = " + 8 * MIB + "\n");
        nodeB = new VolumeProcess("node-b", "slow", 20, "");
        nodeA.start();
        nodeB.start();
        ConfigurableApplicationContext api = start(CinderApiApplication.class, "api.conf",
                "[DEFAULT]\nhost = api-" + run + "\n" + common, true);
        contexts.add(api);
        http = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) api).getWebServer().getPort());
        volumes = api.getBean(VolumeRepository.class);
        migrations = api.getBean(VolumeMigrationRepository.class);
        checkpoints = api.getBean(MigrationCheckpointRepository.class);
        until("both backends reported", Duration.ofSeconds(120), () -> {
            HttpJson.Response r = http.get(ADMIN, "/v3/scheduler-stats/get_pools");
            return r.status() == 200 && r.body().get("pools").size() == 2;
        });
    }

    @AfterAll
    static void stopServices() {
        if (nodeA != null) {
            nodeA.kill();
        }
        if (nodeB != null) {
            nodeB.kill();
        }
        for (int i = contexts.size() - 1; i >= 0; i--) {
            contexts.get(i).close();
        }
        System.out.println("Chaos runs:\n  " + String.join("\n  ", outcomes));
    }

    @Test
    void killNineDuringHostCopiesLosesNothingLeavesNothingAndResumes() throws Exception {
        int runs = Integer.getInteger("chaos.runs", 2);
        boolean randomMoments = runs > 2 || Boolean.getBoolean("chaos.random");
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.println("Chaos: " + runs + " runs, seed " + seed);
        int resumed = 0;
        int resumedWithSkip = 0;
        int succeeded = 0;
        for (int i = 0; i < runs; i++) {
            Kill kill = randomMoments ? CYCLE.get(i % CYCLE.size())
                    : i == 0 ? Kill.OWNER : Kill.BOTH_DESTINATION_FIRST;
            Outcome o = oneRun(i, kill, randomMoments ? random.nextDouble() : -1, random);
            outcomes.add(o.toString());
            System.out.println("Chaos " + o);
            resumed += o.resumeCount > 0 ? 1 : 0;
            resumedWithSkip += o.resumedFrom > 0 ? 1 : 0;
            succeeded += o.migrationStatus.equals("success") ? 1 : 0;
        }
        System.out.println("Chaos summary: runs=" + runs + " migrated=" + succeeded + " failed-cleanly="
                + (runs - succeeded) + " resumed=" + resumed + " resumed-with-skip=" + resumedWithSkip);
        // Mid-copy kills of the owner always leave checkpoints to resume from; random moments do often enough.
        assertThat(resumedWithSkip).as("runs whose resumed copy skipped checkpointed ranges").isPositive();
    }

    record Outcome(int run, Kill kill, String moment, String migrationStatus, int resumeCount, long resumedFrom,
                   long copiedAtKill, double seconds) {
        @Override
        public String toString() {
            return String.format("run %d: kill %s at %s (%d MiB copied) -> %s, resumed %d time(s) from %d MiB, "
                    + "%.0f s", run, kill, moment, copiedAtKill / MIB, migrationStatus, resumeCount,
                    resumedFrom / MIB, seconds);
        }
    }

    private Outcome oneRun(int n, Kill kill, double moment, Random random) throws Exception {
        long started = System.nanoTime();
        String id = createVolume("chaos-" + n);
        byte[] data = new byte[DATA_BYTES];
        random.nextBytes(data);
        Path sourceFile = nodeA.dir.resolve("volume-" + id);
        try (RandomAccessFile f = new RandomAccessFile(sourceFile.toFile(), "rw")) {
            for (long at : DATA_AT) {
                f.seek(at);
                f.write(data);
            }
        }
        String checksum = sha256(sourceFile);

        migrate(id, nodeB);
        long copiedAtKill;
        String when;
        if (moment < 0) {
            // Mid-copy, after at least two checkpoints (the default build's deterministic moment).
            until("two checkpoints of " + id, Duration.ofSeconds(60), () -> checkpoints(id) >= 2
                    && "copying".equals(phase(id)));
            when = "mid-copy";
        } else if (random.nextBoolean()) {
            // Any moment of the migration: scheduling, creating the destination, copying, completing.
            long sleep = (long) (moment * 7000);
            Thread.sleep(sleep);
            when = sleep + " ms after the request";
        } else {
            // A moment of the copy itself (on a loaded machine the copy may start well after the request).
            until("copy of " + id + " started", Duration.ofSeconds(90), () -> {
                String p = phase(id);
                return !p.isEmpty() && !p.equals("migrating") && !p.equals("creating-destination")
                        || !MigrationStatus.isActive(volumes.findById(id).orElseThrow().getMigrationStatus());
            });
            long sleep = (long) (moment * 6000);
            Thread.sleep(sleep);
            when = sleep + " ms into the copy";
        }
        copiedAtKill = copied(id);
        switch (kill) {
            case OWNER -> {
                nodeA.kill();
                nodeA.start();
            }
            case DESTINATION -> {
                nodeB.kill();
                nodeB.start();
            }
            case BOTH_DESTINATION_FIRST -> {
                nodeA.kill();
                nodeB.kill();
                nodeB.start();
                nodeA.start();
            }
            case BOTH_OWNER_FIRST -> {
                nodeA.kill();
                nodeB.kill();
                nodeA.start();
                nodeB.start();
            }
        }

        // Nothing stays half-way.
        until("migration of " + id + " ended", Duration.ofSeconds(150), () -> !MigrationStatus.isActive(
                volumes.findById(id).orElseThrow().getMigrationStatus()));
        VolumeEntity v = volumes.findById(id).orElseThrow();
        String status = v.getMigrationStatus() == null ? "none" : v.getMigrationStatus().wire();
        assertThat(status).as("run %d: %s", n, v.getStatusReason()).isIn("success", "error");
        assertThat(v.getStatus().wire()).isEqualTo("available");

        // The volume's bytes are intact where it lives now.
        VolumeProcess holder = v.getHost().startsWith("node-a") ? nodeA : nodeB;
        Path now = holder.dir.resolve("volume-" + (v.getNameId() != null ? v.getNameId() : v.getId()));
        assertThat(sha256(now)).as("run %d: bytes of %s on %s", n, id, v.getHost()).isEqualTo(checksum);
        assertThat(status.equals("success")).isEqualTo(holder == nodeB);

        // No temporary volume, row or file, a reconcile interval after the end (plus a report's slack).
        assertNoLeftovers(n, Duration.ofSeconds(RECONCILE_SECONDS * 2L + 8));

        VolumeMigrationEntity record = migrations.findFirstByVolumeIdOrderByCreatedAtDesc(id).orElseThrow();
        long resumedFrom = record.getResumedFrom() == null ? 0 : record.getResumedFrom();
        if (record.getResumeCount() > 0) {
            assertThat(record.getDetail()).contains("resumed after a restart of its volume service at byte "
                    + resumedFrom);
            // A resumed copy starts at a checkpoint's end (ranges of migration_checkpoint_mb).
            assertThat(resumedFrom % (8 * MIB)).isZero();
        }
        // What an operator sees: the migration resource reports the resume.
        JsonNode view = http.get(ADMIN, "/v3/volumes/" + id + "/migration").body().get("migration");
        assertThat(view.get("resume_count").asInt()).as("run %d: resume_count", n).isEqualTo(record.getResumeCount());
        if (record.getResumeCount() > 0) {
            assertThat(view.get("resumed_from_bytes").asLong()).isEqualTo(resumedFrom);
        }

        // A later migration succeeds (back to A, or to B after a failed one), then the volume goes.
        VolumeProcess next = holder == nodeA ? nodeB : nodeA;
        migrate(id, next);
        until("later migration of " + id, Duration.ofSeconds(120), () -> MigrationStatus.SUCCESS.equals(
                volumes.findById(id).orElseThrow().getMigrationStatus()));
        VolumeEntity moved = volumes.findById(id).orElseThrow();
        Path after = next.dir.resolve("volume-" + (moved.getNameId() != null ? moved.getNameId() : moved.getId()));
        assertThat(sha256(after)).isEqualTo(checksum);
        assertThat(http.delete(ADMIN, "/v3/volumes/" + id).status()).isEqualTo(202);
        until("volume " + id + " deleted", Duration.ofSeconds(60),
                () -> volumes.findById(id).map(VolumeEntity::isDeleted).orElse(true));
        assertNoLeftovers(n, Duration.ofSeconds(RECONCILE_SECONDS * 2L + 8));
        return new Outcome(n, kill, when, status, record.getResumeCount(), resumedFrom, copiedAtKill,
                (System.nanoTime() - started) / 1e9);
    }

    /** No undeleted row in a migration's temporary states, and each backend's files are its live volumes'. */
    private static void assertNoLeftovers(int n, Duration within) {
        until("run " + n + ": no temporary volume left", within, () -> leftovers().isEmpty());
    }

    private static List<String> leftovers() {
        List<String> out = new ArrayList<>();
        Set<String> expectedA = new TreeSet<>();
        Set<String> expectedB = new TreeSet<>();
        for (VolumeEntity v : volumes.findAll()) {
            if (v.isDeleted()) {
                continue;
            }
            if (v.getMigrationStatus() instanceof MigrationStatus.Target
                    || v.getMigrationStatus() == MigrationStatus.DELETING) {
                out.add("row " + v.getId() + " " + v.getMigrationStatus().wire() + " " + v.getStatus().wire());
            }
            String file = "volume-" + (v.getNameId() != null ? v.getNameId() : v.getId());
            (v.getHost() != null && v.getHost().startsWith("node-a") ? expectedA : expectedB).add(file);
        }
        Set<String> filesA = files(nodeA.dir);
        Set<String> filesB = files(nodeB.dir);
        filesA.removeAll(expectedA);
        filesB.removeAll(expectedB);
        filesA.forEach(f -> out.add("file " + nodeA.dir.resolve(f)));
        filesB.forEach(f -> out.add("file " + nodeB.dir.resolve(f)));
        return out;
    }

    private static Set<String> files(Path d) {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).filter(f -> f.startsWith("volume-"))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            return new TreeSet<>();
        }
    }

    private static String createVolume(String name) {
        HttpJson.Response r = http.post(ADMIN, "/v3/volumes", "{\"volume\": {\"size\": 1, \"name\": \"" + name
                + "\"}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String id = r.body().get("volume").get("id").stringValue();
        until("volume " + id + " available", Duration.ofSeconds(60), () -> "available".equals(
                http.get(ADMIN, "/v3/volumes/" + id).body().get("volume").get("status").stringValue()));
        return id;
    }

    private static void migrate(String id, VolumeProcess to) {
        // The scheduler only sends to a backend it sees up: after a restart, wait for its report.
        until(to.name + " up for the scheduler", Duration.ofSeconds(60), () -> {
            JsonNode pools = http.get(ADMIN, "/v3/scheduler-stats/get_pools").body().get("pools");
            for (JsonNode p : pools) {
                if (p.get("name").stringValue().startsWith(to.host())) {
                    return true;
                }
            }
            return false;
        });
        HttpJson.Response r = http.post(ADMIN, "/v3/volumes/" + id + "/action",
                "{\"os-migrate_volume\": {\"host\": \"" + to.host() + "@" + to.backend + "\"}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
    }

    private static long copied(String id) {
        return migrations.findFirstByVolumeIdOrderByCreatedAtDesc(id).map(VolumeMigrationEntity::getBytesCopied)
                .orElse(0L);
    }

    private static int checkpoints(String id) {
        return migrations.findFirstByVolumeIdOrderByCreatedAtDesc(id).map(m -> checkpoints
                .findByMigrationIdOrderByRangeStart(m.getId()).size()).orElse(0);
    }

    private static String phase(String id) {
        return migrations.findFirstByVolumeIdOrderByCreatedAtDesc(id).map(m -> m.getState().wire()).orElse("");
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        }
        // A sparse file and its copy may differ in logical length only by a hole at the end: compare 1 GiB.
        long size = Files.size(file);
        for (long left = (1L << 30) - size; left > 0; left -= Math.min(left, buf.length)) {
            java.util.Arrays.fill(buf, (byte) 0);
            d.update(buf, 0, (int) Math.min(left, buf.length));
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static void until(String what, Duration within, BooleanSupplier done) {
        long deadline = System.nanoTime() + within.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (done.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e; // a service restarting, the API between two states: try again
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(what, e);
            }
        }
        throw new AssertionError("timed out waiting for " + what + (what.contains("temporary")
                ? ": " + leftovers() : "") + (last == null ? "" : " (last error: " + last.getMessage() + ")"));
    }

    private static ConfigurableApplicationContext start(Class<?> app, String file, String conf, boolean web) {
        Path path = CinderConfFile.write(dir, file, conf);
        return CinderServiceLauncher.run(app, CinderConfig.load(path), web, new String[0]);
    }

    /** One cinder-volume service in a JVM of its own, killed with SIGKILL and started again on the same files. */
    static final class VolumeProcess {
        final String name;
        final String backend;
        final Path dir;
        final Path conf;
        int starts;
        Process process;

        VolumeProcess(String name, String backend, int capacityGb, String extra) throws IOException {
            this.name = name;
            this.backend = backend;
            this.dir = Files.createDirectories(ChaosMigrationTest.dir.resolve(name));
            this.conf = CinderConfFile.write(ChaosMigrationTest.dir, name + ".conf", "[DEFAULT]\nhost = " + host()
                    + "\nenabled_backends = " + backend + "\n" + common + "[" + backend + "]\nvolume_driver = file\n"
                    + "file_volume_dir = " + dir + "\nfile_volume_capacity_gb = " + capacityGb + "\n" + extra);
        }

        String host() {
            return name + "-" + run;
        }

        void start() throws IOException {
            // Kept after the test (target/chaos-logs): the evidence of what each life of the service did.
            Path logs = Files.createDirectories(Path.of("target", "chaos-logs", run));
            Path log = logs.resolve(name + "-" + (starts++) + ".log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(java, "-Xmx320m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                    "-cp", System.getProperty("java.class.path"), CinderVolumeApplication.class.getName(),
                    "--config-file", conf.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            // Up when its heartbeat is fresh and it reported to the scheduler (its consumers are then declared).
            until(name + " started (" + log + ")", Duration.ofSeconds(300), () -> {
                if (!process.isAlive()) {
                    String tail;
                    try {
                        List<String> lines = Files.readAllLines(log);
                        tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
                    } catch (IOException e) {
                        tail = e.getMessage();
                    }
                    throw new AssertionError(name + " exited (" + process.exitValue() + "), see " + log + ":\n" + tail);
                }
                try {
                    return Files.readString(log).contains("Backend " + host() + "@" + backend + " initialised");
                } catch (IOException e) {
                    return false;
                }
            });
        }

        /** SIGKILL: no shutdown hook, no cleanup, as a crash. */
        void kill() {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

}
