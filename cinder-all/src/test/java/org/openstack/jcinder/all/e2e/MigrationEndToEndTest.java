package org.openstack.jcinder.all.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.ConnectionUrls;
import org.openstack.jcinder.common.db.VolumeMigrationRepository;
import org.openstack.jcinder.common.volume.MigrationPath;
import org.openstack.jcinder.common.volume.MigrationPhase;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.CinderConfFile;
import org.openstack.jcinder.testsupport.HttpJson;
import org.openstack.jcinder.testsupport.TestServices;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;

/**
 * os-migrate_volume end to end on real PostgreSQL and RabbitMQ, with real data: the driver-native path
 * between two file backends, the generic path (force_host_copy) with the _name_id swap, the scheduler's
 * refusal, Cinder's API errors, reset-status, and recovery of a migration interrupted by a restart.
 */
class MigrationEndToEndTest {

    private static final String ADMIN = "admin:proj-m";
    private static final long GIB = 1L << 30;

    @TempDir
    static Path dir;
    static Path conf;
    static Path data;
    static String database;
    static String host;
    static ConfigurableApplicationContext all;
    static HttpJson http;

    /** Swap requests the Nova stand-in received: "server old new". */
    static final java.util.List<String> novaRequests = new java.util.concurrent.CopyOnWriteArrayList<>();
    static com.sun.net.httpserver.HttpServer nova;

    /**
     * A local stand-in for Nova's compute API: answers the swap like Nova (202, or 409 for server "refuse"),
     * then does what Nova's compute manager does with Cinder's API: attach the new volume, detach the old one,
     * and post os-migrate_volume_completion.
     */
    static void startNovaStandIn() throws Exception {
        nova = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        nova.createContext("/v2.1/servers/", exchange -> {
            String[] parts = exchange.getRequestURI().getPath().split("/");
            String server = parts[3];
            String oldVolume = parts[5];
            JsonNode body = tools.jackson.databind.json.JsonMapper.builder().build()
                    .readTree(exchange.getRequestBody().readAllBytes());
            String newVolume = body.get("volumeAttachment").get("volumeId").stringValue();
            novaRequests.add(exchange.getRequestMethod() + " " + server + " " + oldVolume + " " + newVolume + " "
                    + exchange.getRequestHeaders().getFirst("X-OpenStack-Nova-API-Version"));
            boolean refuse = server.equals("refuse");
            byte[] answer = refuse ? "{\"conflictingRequest\": {\"code\": 409, \"message\": \"busy\"}}".getBytes()
                    : new byte[0];
            exchange.sendResponseHeaders(refuse ? 409 : 202, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
            if (!refuse) {
                new Thread(() -> {
                    String action = "/v3/volumes/%s/action";
                    http.post(ADMIN, action.formatted(newVolume), "{\"os-reserve\": null}");
                    http.post(ADMIN, action.formatted(newVolume), "{\"os-attach\": {\"instance_uuid\": \"" + server
                            + "\", \"mountpoint\": \"/dev/vdb\"}}");
                    http.post(ADMIN, action.formatted(oldVolume), "{\"os-detach\": {}}");
                    http.post(ADMIN, action.formatted(oldVolume), "{\"os-migrate_volume_completion\": "
                            + "{\"new_volume\": \"" + newVolume + "\", \"error\": false}}");
                }).start();
            }
        });
        nova.start();
    }

    @BeforeAll
    static void start() throws Exception {
        startNovaStandIn();
        database = TestServices.freshDatabase();
        host = "mig-" + UUID.randomUUID().toString().substring(0, 8);
        data = dir.resolve("data");
        conf = CinderConfFile.write(dir, "cinder.conf", String.join("\n",
                "[DEFAULT]",
                "host = " + host,
                "enabled_backends = f1, f2",
                "transport_url = " + TestServices.transportUrl(),
                "osapi_volume_listen_port = 0",
                "report_interval = 1",
                // Every test here creates in one project and most leave their volume: quotas are QuotasEndToEndTest's.
                "quota_volumes = -1",
                "[database]",
                "connection = " + database,
                "[f1]",
                "volume_driver = file",
                "file_volume_capacity_gb = 100",
                "[f2]",
                "volume_driver = file",
                "file_volume_capacity_gb = 50",
                // Host copies from f2 use the native engine, from f1 dd: both paths carry data in these tests.
                "volume_copy_engine = native",
                "volume_copy_streams = 3",
                "[nova]",
                "endpoint_override = http://127.0.0.1:" + nova.getAddress().getPort() + "/v2.1"));
        boot();
    }

    private static void boot() {
        all = CinderAllApplication.start(new String[] {"--config-file", conf.toString(), "--data-dir", data.toString()});
        http = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) all).getWebServer().getPort());
        await("both pools", () -> http.get(ADMIN, "/v3/scheduler-stats/get_pools"),
                r -> r.status() == 200 && r.body().get("pools").size() == 2);
    }

    @AfterAll
    static void stop() {
        all.close();
        nova.stop(0);
    }

    static HttpJson.Response await(String what, java.util.function.Supplier<HttpJson.Response> call,
                                   java.util.function.Predicate<HttpJson.Response> done) {
        return Await.until(what, call, done);
    }

    private static JsonNode show(String id) {
        return http.get(ADMIN, "/v3/volumes/" + id).body().get("volume");
    }

    private static String createOn(String backend) {
        String type = "t-" + backend + "-" + UUID.randomUUID().toString().substring(0, 6);
        http.post(ADMIN, "/v3/types", "{\"volume_type\": {\"name\": \"" + type + "\", \"extra_specs\": "
                + "{\"volume_backend_name\": \"" + backend + "\"}}}");
        String id = http.post(ADMIN, "/v3/volumes", "{\"volume\": {\"size\": 1, \"name\": \"m\", \"volume_type\": \""
                + type + "\"}}").body().get("volume").get("id").stringValue();
        await("available", () -> http.get(ADMIN, "/v3/volumes/" + id),
                r -> "available".equals(r.body().get("volume").get("status").stringValue()));
        return id;
    }

    private static String createUntyped() {
        String id = http.post(ADMIN, "/v3/volumes", "{\"volume\": {\"size\": 1}}").body().get("volume").get("id")
                .stringValue();
        await("available", () -> http.get(ADMIN, "/v3/volumes/" + id),
                r -> "available".equals(r.body().get("volume").get("status").stringValue()));
        return id;
    }

    private static Path fileOf(JsonNode volume) {
        String backend = volume.get("os-vol-host-attr:host").stringValue().split("@")[1].split("#")[0];
        String nameId = volume.get("os-vol-mig-status-attr:name_id").isNull() ? volume.get("id").stringValue()
                : volume.get("os-vol-mig-status-attr:name_id").stringValue();
        return data.resolve("volumes").resolve(backend).resolve("volume-" + nameId);
    }

    /** Writes random data at a few places of the volume (the rest stays a hole) and returns its digest. */
    private static String writePattern(Path file) throws Exception {
        Random random = new Random(42);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            for (long offset : new long[] {0, 4096 * 7, 300L << 20, GIB - 8192}) {
                byte[] block = new byte[8192];
                random.nextBytes(block);
                f.seek(offset);
                f.write(block);
            }
        }
        return digest(file);
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

    private static HttpJson.Response migrate(String token, String id, String body) {
        return http.post(token, "/v3/volumes/" + id + "/action", "{\"os-migrate_volume\": " + body + "}");
    }

    private static JsonNode awaitMigration(String id, String state) {
        return await("migration " + state, () -> http.get(ADMIN, "/v3/volumes/" + id),
                r -> state.equals(r.body().get("volume").get("migration_status").stringValue())).body().get("volume");
    }

    @Test
    void driverNativeThenGenericMigrationKeepTheDataAndTheId() throws Exception {
        // Untyped, so any backend may hold it; the capacity weigher puts it on f1 (100 GiB against 50).
        String id = createUntyped();
        JsonNode before = show(id);
        assertThat(before.get("os-vol-host-attr:host").stringValue()).isEqualTo(host + "@f1#f1");
        Path original = fileOf(before);
        String sum = writePattern(original);

        // 1. driver-native: two file backends of one host.
        HttpJson.Response r = migrate(ADMIN, id, "{\"host\": \"" + host + "@f2#f2\", \"force_host_copy\": false, "
                + "\"lock_volume\": false}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        JsonNode moved = awaitMigration(id, "success");
        assertThat(moved.get("os-vol-host-attr:host").stringValue()).isEqualTo(host + "@f2#f2");
        assertThat(moved.get("status").stringValue()).isEqualTo("available");
        assertThat(moved.get("os-vol-mig-status-attr:name_id").isNull()).isTrue();
        assertThat(digest(fileOf(moved))).isEqualTo(sum);
        assertThat(original).doesNotExist();
        assertThat(migrationOf(moved).get("path").stringValue()).isEqualTo("driver");
        assertThat(all.getBean(VolumeMigrationRepository.class).findFirstByVolumeIdOrderByCreatedAtDesc(id).get()
                .getPath()).isEqualTo(MigrationPath.DRIVER);

        // 2. generic: force_host_copy, with the volume locked while it moves.
        r = migrate(ADMIN, id, "{\"host\": \"" + host + "@f1\", \"force_host_copy\": \"True\", \"lock_volume\": true}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        JsonNode copied = awaitMigration(id, "success");
        assertThat(copied.get("id").stringValue()).isEqualTo(id);
        assertThat(copied.get("status").stringValue()).isEqualTo("available");
        assertThat(copied.get("os-vol-host-attr:host").stringValue()).isEqualTo(host + "@f1#f1");
        assertThat(copied.get("os-vol-mig-status-attr:name_id").isNull()).isFalse();
        assertThat(digest(fileOf(copied))).isEqualTo(sum);
        var record = all.getBean(VolumeMigrationRepository.class).findFirstByVolumeIdOrderByCreatedAtDesc(id).get();
        assertThat(record.getPath()).isEqualTo(MigrationPath.GENERIC);
        assertThat(record.getState()).isEqualTo(MigrationPhase.SUCCESS);
        assertThat(record.getBytesCopied()).isEqualTo(GIB);
        JsonNode progress = migrationOf(copied);
        assertThat(progress.get("path").stringValue()).isEqualTo("generic");
        assertThat(progress.get("phase").stringValue()).isEqualTo("success");
        assertThat(progress.get("percent").asInt()).isEqualTo(100);
        assertThat(progress.get("bytes_copied").asLong()).isEqualTo(GIB);
        assertThat(progress.get("rate_bytes_per_second").asLong()).isPositive();
        assertThat(progress.get("source_host").stringValue()).isEqualTo(host + "@f2#f2");
        assertThat(progress.get("status").stringValue()).isEqualTo("success");
        assertThat(progress.get("volume_id").stringValue()).isEqualTo(id);
        // Cinder's view has no progress field (its schema allows none); members may not read the resource.
        assertThat(http.get(ADMIN, "/v3/volumes/" + id).body().get("volume")
                .has("os-vol-mig-status-attr:progress")).isFalse();
        assertThat(http.get("member:proj-m", "/v3/volumes/" + id + "/migration").status()).isEqualTo(403);
        // The old copy on f2 and the temporary row go away; users never saw the temporary volume.
        Path oldCopy = fileOf(moved);
        await("old copy deleted", () -> http.get(ADMIN, "/v3/volumes/detail?all_tenants=1"),
                x -> !Files.exists(oldCopy) && leftovers(x.body(), id) == 0);
    }

    /** Rows left over from the migration of {@code sourceId}: its temporary or swapped-out volume. */
    private static int leftovers(JsonNode list, String sourceId) {
        int n = 0;
        for (JsonNode v : list.get("volumes")) {
            String ms = v.get("migration_status").isString() ? v.get("migration_status").stringValue() : "";
            String description = v.get("description").isString() ? v.get("description").stringValue() : "";
            if (ms.equals("target:" + sourceId) || description.equals("migration src for " + sourceId)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void ofTwoConcurrentMigrateRequestsExactlyOneIsAccepted() throws Exception {
        String id = createUntyped();
        String other = show(id).get("os-vol-host-attr:host").stringValue().contains("@f1") ? "f2" : "f1";
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var go = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<Integer>> codes = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                codes.add(pool.submit(() -> {
                    go.await();
                    return migrate(ADMIN, id, "{\"host\": \"" + host + "@" + other + "\"}").status();
                }));
            }
            go.countDown();
            java.util.List<Integer> results = new java.util.ArrayList<>();
            for (var f : codes) {
                results.add(f.get());
            }
            assertThat(results).containsExactlyInAnyOrder(202, 400);
        } finally {
            pool.shutdownNow();
        }
        awaitMigration(id, "success");
    }

    @Test
    void aCopyThatFailsLeavesTheSourceAsItWasAndNoTemporaryVolume() throws Exception {
        String id = createUntyped();
        JsonNode before = show(id);
        String from = before.get("os-vol-host-attr:host").stringValue();
        String to = from.contains("@f1") ? "f2" : "f1";
        Path file = fileOf(before);
        Path aside = file.resolveSibling("aside-" + id);
        Files.move(file, aside);
        try {
            assertThat(migrate(ADMIN, id, "{\"host\": \"" + host + "@" + to + "\"}").status()).isEqualTo(202);
            JsonNode failed = awaitMigration(id, "error");
            assertThat(failed.get("os-vol-host-attr:host").stringValue()).isEqualTo(from);
            assertThat(failed.get("status").stringValue()).isEqualTo("available");
            JsonNode progress = migrationOf(failed);
            assertThat(progress.get("phase").stringValue()).isEqualTo("error");
            // The driver's native copy failed first and the flow fell back to the host copy, which failed too.
            assertThat(progress.get("detail").stringValue()).contains("does not exist");
            await("temporary volume removed", () -> http.get(ADMIN, "/v3/volumes/detail?all_tenants=1"),
                    r -> leftovers(r.body(), id) == 0);
            try (var files = Files.list(data.resolve("volumes").resolve(to))) {
                assertThat(files.filter(f -> !f.getFileName().toString().startsWith("aside-")).count())
                        .as("no file left behind on the destination").isEqualTo(countVolumesOn(to));
            }
        } finally {
            Files.move(aside, file);
        }
    }

    private static long countVolumesOn(String backend) {
        long n = 0;
        for (JsonNode v : http.get(ADMIN, "/v3/volumes/detail?all_tenants=1").body().get("volumes")) {
            if (v.get("os-vol-host-attr:host").isString()
                    && v.get("os-vol-host-attr:host").stringValue().contains("@" + backend + "#")) {
                n++;
            }
        }
        return n;
    }

    private static String attachTo(String server) {
        String id = createUntyped();
        assertThat(http.post(ADMIN, "/v3/volumes/" + id + "/action", "{\"os-reserve\": null}").status()).isEqualTo(202);
        assertThat(http.post(ADMIN, "/v3/volumes/" + id + "/action", "{\"os-attach\": {\"instance_uuid\": \""
                + server + "\", \"mountpoint\": \"/dev/vdb\", \"mode\": \"rw\"}}").status()).isEqualTo(202);
        JsonNode v = show(id);
        assertThat(v.get("status").stringValue()).isEqualTo("in-use");
        assertThat(v.get("attachments").get(0).get("server_id").stringValue()).isEqualTo(server);
        return id;
    }

    @Test
    void anAttachedVolumeIsSwappedByNovaAndKeepsItsIdAndAttachment() {
        String server = UUID.randomUUID().toString();
        String id = attachTo(server);
        String from = show(id).get("os-vol-host-attr:host").stringValue();
        String to = from.contains("@f1") ? "f2" : "f1";
        assertThat(migrate(ADMIN, id, "{\"host\": \"" + host + "@" + to + "\"}").status()).isEqualTo(202);
        JsonNode done = awaitMigration(id, "success");
        assertThat(done.get("id").stringValue()).isEqualTo(id);
        assertThat(done.get("status").stringValue()).isEqualTo("in-use");
        assertThat(done.get("os-vol-host-attr:host").stringValue()).isEqualTo(host + "@" + to + "#" + to);
        assertThat(done.get("attachments")).hasSize(1);
        assertThat(done.get("attachments").get(0).get("server_id").stringValue()).isEqualTo(server);
        assertThat(migrationOf(done).get("path").stringValue()).isEqualTo("attached");
        assertThat(novaRequests).anySatisfy(r -> assertThat(r).startsWith("PUT " + server + " " + id + " ")
                .endsWith(" 2.1"));
        await("old copy deleted", () -> http.get(ADMIN, "/v3/volumes/detail?all_tenants=1"),
                r -> leftovers(r.body(), id) == 0);
    }

    @Test
    void novaRefusingTheSwapLeavesTheVolumeAttachedWhereItWas() {
        String id = attachTo("refuse");
        String from = show(id).get("os-vol-host-attr:host").stringValue();
        String to = from.contains("@f1") ? "f2" : "f1";
        assertThat(migrate(ADMIN, id, "{\"host\": \"" + host + "@" + to + "\"}").status()).isEqualTo(202);
        JsonNode failed = awaitMigration(id, "error");
        assertThat(failed.get("status").stringValue()).isEqualTo("in-use");
        assertThat(failed.get("os-vol-host-attr:host").stringValue()).isEqualTo(from);
        assertThat(failed.get("attachments").get(0).get("server_id").stringValue()).isEqualTo("refuse");
        assertThat(migrationOf(failed).get("detail").stringValue())
                .contains("Nova refused the volume swap of server refuse (409)");
        await("temporary volume removed", () -> http.get(ADMIN, "/v3/volumes/detail?all_tenants=1"),
                r -> leftovers(r.body(), id) == 0);
    }

    private static String typeFor(String backend) {
        String type = "rt-" + backend + "-" + UUID.randomUUID().toString().substring(0, 6);
        assertThat(http.post(ADMIN, "/v3/types", "{\"volume_type\": {\"name\": \"" + type + "\", \"extra_specs\": "
                + "{\"volume_backend_name\": \"" + backend + "\"}}}").status()).isEqualTo(200);
        return type;
    }

    private static HttpJson.Response retype(String token, String id, String body) {
        return http.post(token, "/v3/volumes/" + id + "/action", "{\"os-retype\": " + body + "}");
    }

    @Test
    void retypeInPlaceOrByMigrationAsThePolicyAllows() throws Exception {
        String id = createOn("f1");
        String sum = writePattern(fileOf(show(id)));
        String sameBackend = typeFor("f1");
        String otherBackend = typeFor("f2");

        // The current backend fits: retyped in place, by a member of the project.
        assertThat(retype("member:other-project", id, "{\"new_type\": \"" + sameBackend + "\"}").status()).isEqualTo(404);
        assertThat(retype(ADMIN, id, "{\"new_type\": \"" + sameBackend + "\"}").status()).isEqualTo(202);
        await("retyped in place", () -> http.get(ADMIN, "/v3/volumes/" + id),
                r -> sameBackend.equals(r.body().get("volume").get("volume_type").stringValue())
                        && "available".equals(r.body().get("volume").get("status").stringValue()));
        assertThat(show(id).get("os-vol-host-attr:host").stringValue()).isEqualTo(host + "@f1#f1");

        // Needs another backend, policy never: refused, the volume keeps its type and status.
        assertThat(retype(ADMIN, id, "{\"new_type\": \"" + otherBackend + "\"}").status()).isEqualTo(202);
        await("retype refused", () -> http.get(ADMIN, "/v3/volumes/" + id),
                r -> "available".equals(r.body().get("volume").get("status").stringValue()));
        assertThat(show(id).get("volume_type").stringValue()).isEqualTo(sameBackend);

        // on-demand: migrated to f2, ending with the new type and the same data.
        assertThat(retype(ADMIN, id, "{\"new_type\": \"" + otherBackend + "\", \"migration_policy\": \"on-demand\"}")
                .status()).isEqualTo(202);
        JsonNode moved = awaitMigration(id, "success");
        assertThat(moved.get("volume_type").stringValue()).isEqualTo(otherBackend);
        assertThat(moved.get("status").stringValue()).isEqualTo("available");
        assertThat(moved.get("os-vol-host-attr:host").stringValue()).isEqualTo(host + "@f2#f2");
        assertThat(digest(fileOf(moved))).isEqualTo(sum);

        // Cinder's errors.
        assertThat(retype(ADMIN, id, "{\"new_type\": \"no-such-type\"}").body().get("badRequest").get("message")
                .stringValue()).isEqualTo("Invalid volume_type passed: no-such-type.");
        assertThat(retype(ADMIN, id, "{\"new_type\": \"" + otherBackend + "\"}").body().get("badRequest").get("message")
                .stringValue()).startsWith("Invalid volume: Retype needs volume to be in available or in-use state");
        assertThat(retype(ADMIN, id, "{\"new_type\": \"x\", \"migration_policy\": null}").status()).isEqualTo(400);
        assertThat(retype(ADMIN, id, "{}").status()).isEqualTo(400);
    }

    @Test
    void attachmentsApiReservesConnectsCompletesAndDetaches() {
        String id = createUntyped();
        String server = UUID.randomUUID().toString();
        assertThat(http.send(ADMIN, "POST", "/v3/attachments", "{\"attachment\": {\"volume_uuid\": \"" + id
                + "\"}}", "3.26").status()).isEqualTo(404);
        HttpJson.Response created = http.send(ADMIN, "POST", "/v3/attachments", "{\"attachment\": {\"volume_uuid\": \""
                + id + "\", \"instance_uuid\": \"" + server + "\", \"connector\": {\"host\": \"compute-1\", "
                + "\"mountpoint\": \"/dev/vdb\"}}}", "3.44");
        assertThat(created.status()).as(created.raw()).isEqualTo(200);
        JsonNode att = created.body().get("attachment");
        assertThat(att.get("status").stringValue()).isEqualTo("attaching");
        assertThat(att.get("connection_info").get("driver_volume_type").stringValue()).isEqualTo("file");
        assertThat(Path.of(att.get("connection_info").get("data").get("device_path").stringValue())).exists();
        assertThat(show(id).get("status").stringValue()).isEqualTo("attaching");
        String attachmentId = att.get("id").stringValue();
        assertThat(http.send(ADMIN, "POST", "/v3/attachments/" + attachmentId + "/action", "{\"os-complete\": null}",
                "3.44").status()).isEqualTo(204);
        JsonNode attached = show(id);
        assertThat(attached.get("status").stringValue()).isEqualTo("in-use");
        assertThat(attached.get("attachments").get(0).get("server_id").stringValue()).isEqualTo(server);
        assertThat(attached.get("attachments").get(0).get("host_name").stringValue()).isEqualTo("compute-1");
        assertThat(http.send("other:someone-else", "GET", "/v3/attachments/" + attachmentId, null, "3.44").status())
                .isEqualTo(404);
        assertThat(http.send(ADMIN, "DELETE", "/v3/attachments/" + attachmentId, null, "3.44").status()).isEqualTo(200);
        JsonNode detached = show(id);
        assertThat(detached.get("status").stringValue()).isEqualTo("available");
        assertThat(detached.get("attachments")).isEmpty();
    }

    @Test
    void cindersErrorsForBadMigrateRequests() {
        String id = createUntyped();
        String here = show(id).get("os-vol-host-attr:host").stringValue();
        HttpJson.Response same = migrate(ADMIN, id, "{\"host\": \"" + here + "\"}");
        assertThat(same.status()).isEqualTo(400);
        assertThat(same.body().get("badRequest").get("message").stringValue()).isEqualTo("Invalid volume: Volume "
                + id + " status must be available or in-use, must not be migrating, have snapshots, be replicated, "
                + "be part of a group and destination host/cluster must be different than the current one");
        HttpJson.Response nowhere = migrate(ADMIN, id, "{\"host\": \"nosuchhost@x#y\"}");
        assertThat(nowhere.status()).isEqualTo(400);
        assertThat(nowhere.body().get("badRequest").get("message").stringValue())
                .isEqualTo("Invalid host: No available service named 'nosuchhost@x'");
        assertThat(migrate("alice:proj-m", id, "{\"host\": \"" + host + "@f2\"}").status()).isEqualTo(403);
        assertThat(migrate(ADMIN, "no-such-volume", "{\"host\": \"" + host + "@f2\"}").status()).isEqualTo(404);
        assertThat(migrate(ADMIN, id, "{}").body().get("badRequest").get("message").stringValue())
                .contains("Host field is missing");
        assertThat(migrate(ADMIN, id, "{\"host\": \"" + host + "@f2\", \"colour\": 1}").status()).isEqualTo(400);
        HttpJson.Response both = http.send(ADMIN, "POST", "/v3/volumes/" + id + "/action",
                "{\"os-migrate_volume\": {\"host\": \"" + host + "@f2\", \"cluster\": \"c\"}}", "3.16");
        assertThat(both.body().get("badRequest").get("message").stringValue())
                .isEqualTo("Invalid input received: One and only one of cluster and host must be set.");
        assertThat(http.post(ADMIN, "/v3/volumes/" + id + "/action", "{\"os-frobnicate\": {}}").status())
                .isEqualTo(400);
        // Nothing above changed the volume.
        JsonNode after = show(id);
        assertThat(after.get("migration_status").isNull()).isTrue();
        assertThat(after.get("os-vol-host-attr:host").stringValue()).isEqualTo(here);
    }

    @Test
    void schedulerRefusalEndsInErrorAndReleasesTheLock() {
        // Its type asks for volume_backend_name f1: the scheduler refuses f2 (Cinder's behaviour too).
        String id = createOn("f1");
        HttpJson.Response r = migrate(ADMIN, id, "{\"host\": \"" + host + "@f2\", \"lock_volume\": true}");
        assertThat(r.status()).isEqualTo(202);
        JsonNode failed = awaitMigration(id, "error");
        assertThat(failed.get("status").stringValue()).isEqualTo("available");
        assertThat(failed.get("os-vol-host-attr:host").stringValue()).isEqualTo(host + "@f1#f1");

        // reset-status as the cinder CLI sends it, then a retry is allowed (error → starting).
        assertThat(http.post(ADMIN, "/v3/volumes/" + id + "/action",
                "{\"os-reset_status\": {\"status\": \"available\", \"migration_status\": \"none\"}}").status())
                .isEqualTo(202);
        assertThat(show(id).get("migration_status").isNull()).isTrue();
        assertThat(http.post(ADMIN, "/v3/volumes/" + id + "/action",
                "{\"os-reset_status\": {\"status\": \"deleting\"}}").status()).isEqualTo(400);
        assertThat(http.post(ADMIN, "/v3/volumes/" + id + "/action",
                "{\"os-reset_status\": {\"status\": \"in-use\"}}").body().get("badRequest").get("message")
                .stringValue()).contains("does not have any attachments");
        assertThat(http.post(ADMIN, "/v3/volumes/" + id + "/action", "{\"os-reset_status\": {}}").status())
                .isEqualTo(400);
    }

    @Test
    void aRestartEndsInterruptedMigrationsAndFinishesInterruptedDeletesInsteadOfLeavingThemStuck() throws Exception {
        String id = createUntyped();
        JsonNode v = show(id);
        String volumeHost = v.get("os-vol-host-attr:host").stringValue();
        String tempId = UUID.randomUUID().toString();
        // A delete the API accepted (status deleting) whose delete_volume the dying service never carried out.
        String deleting = createUntyped();
        String deletingBackend = show(deleting).get("os-vol-host-attr:host").stringValue().replaceAll(".*@|#.*", "");
        Path deletingFile = data.resolve("volumes").resolve(deletingBackend).resolve("volume-" + deleting);
        assertThat(deletingFile).exists();
        // The same for a snapshot: its delete_snapshot never carried out.
        String snapshotOf = createUntyped();
        String snapshot = http.post(ADMIN, "/v3/snapshots", "{\"snapshot\": {\"volume_id\": \"" + snapshotOf
                + "\"}}").body().get("snapshot").get("id").stringValue();
        await("snapshot available", () -> http.get(ADMIN, "/v3/snapshots/" + snapshot),
                r -> "available".equals(r.body().get("snapshot").get("status").stringValue()));
        String snapshotBackend = show(snapshotOf).get("os-vol-host-attr:host").stringValue()
                .replaceAll(".*@|#.*", "");
        Path snapshotFile = data.resolve("volumes").resolve(snapshotBackend).resolve("snapshot-" + snapshot);
        assertThat(snapshotFile).exists();
        all.close();
        ConnectionUrls.Jdbc jdbc = ConnectionUrls.database(database, "test");
        try (Connection c = DriverManager.getConnection(jdbc.url(), jdbc.username(), jdbc.password())) {
            try (PreparedStatement p = c.prepareStatement("update volumes set status = 'deleting' where id = ?")) {
                p.setString(1, deleting);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("update snapshots set status = 'deleting' where id = ?")) {
                p.setString(1, snapshot);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("update volumes set status = 'maintenance', "
                    + "previous_status = 'available', migration_status = 'migrating' where id = ?")) {
                p.setString(1, id);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("insert into volumes (id, size, status, attach_status, "
                    + "migration_status, host, project_id, volume_type_id, created_at, deleted) select ?, 1, "
                    + "'available', 'detached', ?, ?, project_id, volume_type_id, created_at, false from volumes "
                    + "where id = ?")) {
                p.setString(1, tempId);
                p.setString(2, "target:" + id);
                p.setString(3, volumeHost);
                p.setString(4, id);
                p.executeUpdate();
            }
        }
        boot();
        JsonNode recovered = show(id);
        assertThat(recovered.get("migration_status").stringValue()).isEqualTo("error");
        assertThat(recovered.get("status").stringValue()).isEqualTo("available");
        assertThat(http.get(ADMIN, "/v3/volumes/" + tempId).status()).isEqualTo(404);
        // The volume is usable again: it can be deleted.
        assertThat(http.delete(ADMIN, "/v3/volumes/" + id).status()).isEqualTo(202);
        // Cinder's init_host: the interrupted delete was finished at start, data and row.
        assertThat(http.get(ADMIN, "/v3/volumes/" + deleting).status()).isEqualTo(404);
        assertThat(deletingFile).doesNotExist();
        assertThat(http.get(ADMIN, "/v3/snapshots/" + snapshot).status()).isEqualTo(404);
        assertThat(snapshotFile).doesNotExist();
        assertThat(show(snapshotOf).get("status").stringValue()).isEqualTo("available");
        assertThat(CinderConfig.load(conf).host()).isEqualTo(host);
    }

    /** The volume's latest migration ({@code GET /volumes/{id}/migration}, admin), for a volume view. */
    private static JsonNode migrationOf(JsonNode volumeView) {
        return http.get(ADMIN, "/v3/volumes/" + volumeView.get("id").asString() + "/migration").body()
                .get("migration");
    }
}
