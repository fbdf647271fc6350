package org.openstack.jcinder.all.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.CinderConfFile;
import org.openstack.jcinder.testsupport.HttpJson;
import org.openstack.jcinder.testsupport.TestServices;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;

/**
 * {@code max_concurrent_migrations = 1} on a backend, through the API of a real all-in-one on PostgreSQL and
 * RabbitMQ: migrations beyond the limit show {@code queued} with their place in the migration resource and the
 * admin list (the volumes {@code migrating}, as Cinder shows them), run in their order, one can be cancelled
 * while queued, the queue gauge counts them, and a queued migration survives a restart of the service and runs
 * after it.
 */
class MigrationQueueEndToEndTest {

    private static final String ADMIN = "admin:proj-q";
    private static final long MIB = 1L << 20;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    static Path conf;
    static Path data;
    static ConfigurableApplicationContext all;
    static HttpJson http;
    static String host;

    @BeforeAll
    static void start() {
        host = "queue-" + UUID.randomUUID().toString().substring(0, 8);
        data = dir.resolve("data");
        conf = CinderConfFile.write(dir, "cinder.conf", String.join("\n",
                "[DEFAULT]",
                "host = " + host,
                "enabled_backends = f1, f2",
                "transport_url = " + TestServices.transportUrl(),
                "osapi_volume_listen_port = 0",
                "report_interval = 1",
                "quota_volumes = -1",
                "[database]",
                "connection = " + TestServices.freshDatabase(),
                "[f1]",
                "volume_driver = file",
                "file_volume_capacity_gb = 100",
                "max_concurrent_migrations = 1",
                "[f2]",
                "volume_driver = file",
                // Less room than f1: the capacity weigher puts the untyped volumes on f1.
                "file_volume_capacity_gb = 50"));
        boot();
    }

    private static void boot() {
        all = CinderAllApplication.start(new String[] {"--config-file", conf.toString(), "--data-dir",
                data.toString(), "--no-compute"});
        http = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) all).getWebServer().getPort());
        Await.until("both pools", () -> http.get(ADMIN, "/v3/scheduler-stats/get_pools"),
                r -> r.status() == 200 && r.body().get("pools").size() == 2);
    }

    @AfterAll
    static void stop() {
        if (all != null) {
            all.close();
        }
    }

    @Test
    void queuedMigrationsShowTheirPlaceRunInOrderAndOneCanBeCancelled() throws Exception {
        String slow = createOn("f1", 24);
        String b = createOn("f1", 1);
        String c = createOn("f1", 1);
        String d = createOn("f1", 1);
        String digestB = digest(fileOf(b));
        // 24 MiB at 1 MiB/s: the first holds the backend's only slot until the test lifts its limit.
        migrate(slow, ", \"bps_limit\": 1048576");
        Await.until("first copying", () -> migration(slow), r -> "copying".equals(text(r, "phase")));
        migrate(b, "");
        migrate(c, "");
        migrate(d, "");

        for (String[] expected : new String[][] {{b, "1"}, {c, "2"}, {d, "3"}}) {
            JsonNode m = Await.until(expected[0] + " queued", () -> migration(expected[0]),
                    r -> "queued".equals(text(r, "status"))).body().get("migration");
            assertThat(m.get("status").stringValue()).isEqualTo("queued");
            assertThat(m.get("phase").stringValue()).isEqualTo("queued");
            assertThat(m.get("queue_position").asLong()).isEqualTo(Long.parseLong(expected[1]));
            assertThat(m.get("queued_at").isNull()).isFalse();
            // Cinder's view has no queued state: the volume is migrating.
            assertThat(volume(expected[0]).get("migration_status").stringValue()).isEqualTo("migrating");
        }
        JsonNode queued = http.get(ADMIN, "/v3/volume-migrations?status=queued").body().get("migrations");
        assertThat(queued).hasSize(3);
        queued.forEach(m -> assertThat(m.get("queue_position").isNull()).isFalse());
        JsonNode running = http.get(ADMIN, "/v3/volume-migrations?status=running").body().get("migrations");
        assertThat(running).hasSize(1);
        assertThat(running.get(0).get("volume_id").stringValue()).isEqualTo(slow);
        assertThat(running.get(0).get("queue_position").isNull()).isTrue();
        String metrics = scrape();
        assertThat(sample(metrics, "cinder_migrations_queued", Map.of("backend", "f1"))).isEqualTo(3.0);
        assertThat(sample(metrics, "cinder_migrations_running", Map.of("backend", "f1"))).isEqualTo(1.0);

        HttpJson.Response cancel = http.post(ADMIN, "/v3/volumes/" + c + "/action",
                "{\"os-migrate_volume_cancel\": {}}");
        assertThat(cancel.status()).as(cancel.raw()).isEqualTo(202);
        JsonNode cancelled = Await.until("c cancelled", () -> http.get(ADMIN, "/v3/volumes/" + c),
                r -> "error".equals(r.body().get("volume").get("migration_status").stringValue()))
                .body().get("volume");
        assertThat(cancelled.get("status").stringValue()).isEqualTo("available");
        assertThat(cancelled.get("os-vol-host-attr:host").stringValue()).startsWith(host + "@f1#");
        JsonNode cm = migration(c).body().get("migration");
        assertThat(cm.get("status").stringValue()).isEqualTo("error");
        assertThat(cm.get("detail").stringValue()).isEqualTo("cancelled");
        assertThat(cm.get("queue_position").isNull()).isTrue();
        assertThat(migration(d).body().get("migration").get("queue_position").asLong()).isEqualTo(2);

        HttpJson.Response lift = http.post(ADMIN, "/v3/volumes/" + slow + "/action",
                "{\"os-migrate_volume_update\": {\"bps_limit\": 0}}");
        assertThat(lift.status()).as(lift.raw()).isEqualTo(202);
        for (String id : new String[] {slow, b, d}) {
            Await.until(id + " migrated", () -> http.get(ADMIN, "/v3/volumes/" + id),
                    r -> "success".equals(r.body().get("volume").get("migration_status").stringValue()));
        }
        JsonNode ms = migration(slow).body().get("migration");
        JsonNode mb = migration(b).body().get("migration");
        JsonNode md = migration(d).body().get("migration");
        // In their order: each began copying only after the one before it had ended.
        assertThat(text(mb, "copy_started_at")).isGreaterThanOrEqualTo(text(ms, "finished_at"));
        assertThat(text(md, "copy_started_at")).isGreaterThanOrEqualTo(text(mb, "finished_at"));
        assertThat(volume(b).get("os-vol-host-attr:host").stringValue()).startsWith(host + "@f2#");
        assertThat(digest(fileOf(b))).isEqualTo(digestB);
        assertThat(volume(c).get("os-vol-host-attr:host").stringValue()).startsWith(host + "@f1#");
        assertThat(sample(scrape(), "cinder_migrations_queued", Map.of("backend", "f1"))).isEqualTo(0.0);
    }

    @Test
    void aQueuedMigrationSurvivesARestartAndRunsAfterIt() throws Exception {
        String slow = createOn("f1", 24);
        String waiting = createOn("f1", 1);
        String digest = digest(fileOf(waiting));
        migrate(slow, ", \"bps_limit\": 1048576");
        Await.until("first copying", () -> migration(slow), r -> "copying".equals(text(r, "phase")));
        migrate(waiting, "");
        JsonNode before = Await.until("second queued", () -> migration(waiting),
                r -> "queued".equals(text(r, "status"))).body().get("migration");
        assertThat(before.get("queue_position").asLong()).isEqualTo(1);

        all.close();
        boot();

        JsonNode after = Await.until("the queued one migrated after the restart",
                () -> http.get(ADMIN, "/v3/volumes/" + waiting),
                r -> "success".equals(r.body().get("volume").get("migration_status").stringValue()))
                .body().get("volume");
        assertThat(after.get("os-vol-host-attr:host").stringValue()).startsWith(host + "@f2#");
        assertThat(digest(fileOf(waiting))).isEqualTo(digest);
        JsonNode m = migration(waiting).body().get("migration");
        assertThat(m.get("id").stringValue()).isEqualTo(before.get("id").stringValue());
        assertThat(m.get("status").stringValue()).isEqualTo("success");
        // The one holding the slot was interrupted by the restart and resumed from its checkpoints
        // (migration_resume, on by default; issue 13): it ends on f2 too.
        JsonNode interrupted = Await.until("the interrupted one resumed", () -> http.get(ADMIN, "/v3/volumes/" + slow),
                r -> "success".equals(r.body().get("volume").get("migration_status").stringValue()))
                .body().get("volume");
        assertThat(interrupted.get("os-vol-host-attr:host").stringValue()).startsWith(host + "@f2#");
    }

    // --- helpers

    /** An untyped 1 GiB volume (the weigher puts it on f1, checked) holding {@code dataMib} MiB of random data. */
    private static String createOn(String backend, int dataMib) throws Exception {
        String id = http.post(ADMIN, "/v3/volumes", "{\"volume\": {\"size\": 1}}").body().get("volume").get("id")
                .stringValue();
        JsonNode v = Await.until("available", () -> http.get(ADMIN, "/v3/volumes/" + id),
                r -> "available".equals(r.body().get("volume").get("status").stringValue())).body().get("volume");
        assertThat(v.get("os-vol-host-attr:host").stringValue()).startsWith(host + "@" + backend + "#");
        Random random = new Random(id.hashCode());
        try (RandomAccessFile f = new RandomAccessFile(fileOf(id).toFile(), "rw")) {
            byte[] block = new byte[(int) MIB];
            for (int i = 0; i < dataMib; i++) {
                random.nextBytes(block);
                f.write(block);
            }
        }
        return id;
    }

    private static void migrate(String id, String extra) {
        HttpJson.Response r = http.post(ADMIN, "/v3/volumes/" + id + "/action", "{\"os-migrate_volume\": {\"host\": \""
                + host + "@f2#f2\", \"force_host_copy\": true" + extra + "}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
    }

    private static JsonNode volume(String id) {
        return http.get(ADMIN, "/v3/volumes/" + id).body().get("volume");
    }

    private static HttpJson.Response migration(String id) {
        return http.get(ADMIN, "/v3/volumes/" + id + "/migration");
    }

    private static String text(HttpJson.Response r, String field) {
        return r.status() == 200 ? text(r.body().get("migration"), field) : null;
    }

    private static String text(JsonNode n, String field) {
        return n.get(field) == null || n.get(field).isNull() ? null : n.get(field).stringValue();
    }

    private static Path fileOf(String id) {
        JsonNode v = volume(id);
        String backend = v.get("os-vol-host-attr:host").stringValue().split("@")[1].split("#")[0];
        String nameId = v.get("os-vol-mig-status-attr:name_id").isNull() ? id
                : v.get("os-vol-mig-status-attr:name_id").stringValue();
        return data.resolve("volumes").resolve(backend).resolve("volume-" + nameId);
    }

    private static String digest(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String scrape() throws Exception {
        String management = "http://127.0.0.1:" + all.getEnvironment().getProperty("local.management.port");
        return CLIENT.send(HttpRequest.newBuilder(URI.create(management + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double sample(String metrics, String name, Map<String, String> labels) {
        return OperationsEndToEndTest.sample(metrics, name, labels);
    }
}
