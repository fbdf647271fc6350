package org.openstack.jcinder.all.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.api.CinderApiApplication;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.CinderServiceLauncher;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.scheduler.CinderSchedulerApplication;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.CinderConfFile;
import org.openstack.jcinder.testsupport.HttpJson;
import org.openstack.jcinder.testsupport.TestServices;
import org.openstack.jcinder.volume.CinderVolumeApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;

/**
 * The production shape: cinder-api, cinder-scheduler and two cinder-volume services, each its own Spring
 * context with its own broker connection and database pool, on real PostgreSQL and RabbitMQ, driven over HTTP.
 */
class SeparateServicesEndToEndTest {

    private static final String ADMIN = "admin:proj-a";
    private static final String ALICE = "alice:proj-a";
    private static final String BOB = "bob:proj-b";

    @TempDir
    static Path dir;
    static final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    static String database;
    static String run = UUID.randomUUID().toString().substring(0, 8);
    static HttpJson http;
    static VolumeRepository volumes;

    @BeforeAll
    static void startServices() {
        database = TestServices.freshDatabase();
        String common = String.join("\n",
                "transport_url = " + TestServices.transportUrl(),
                "report_interval = 1",
                "service_down_time = 10",
                "rpc_response_timeout = 15",
                "osapi_volume_listen_port = 0",
                "[database]",
                "connection = " + database, "");
        contexts.add(start(CinderSchedulerApplication.class, "scheduler.conf",
                "[DEFAULT]\nhost = sched-" + run + "\n" + common, false));
        contexts.add(start(CinderVolumeApplication.class, "volume-a.conf", "[DEFAULT]\nhost = node-a-" + run
                + "\nenabled_backends = fast\n" + common + "[fast]\nvolume_driver = file\nfile_volume_dir = "
                + dir.resolve("a") + "\nfile_volume_capacity_gb = 100\n", false));
        contexts.add(start(CinderVolumeApplication.class, "volume-b.conf", "[DEFAULT]\nhost = node-b-" + run
                + "\nenabled_backends = slow\n" + common + "[slow]\nvolume_driver = file\nfile_volume_dir = "
                + dir.resolve("b") + "\nfile_volume_capacity_gb = 50\n", false));
        ConfigurableApplicationContext api = start(CinderApiApplication.class, "api.conf",
                "[DEFAULT]\nhost = api-" + run + "\n" + common, true);
        contexts.add(api);
        int port = ((WebServerApplicationContext) api).getWebServer().getPort();
        http = new HttpJson("http://127.0.0.1:" + port);
        volumes = api.getBean(VolumeRepository.class);
        // The scheduler can place once both backends have reported.
        await("two pools reported", () -> http.get(ADMIN, "/v3/scheduler-stats/get_pools"),
                r -> r.status() == 200 && r.body().get("pools").size() == 2);
    }

    private static ConfigurableApplicationContext start(Class<?> app, String file, String conf, boolean web) {
        Path path = CinderConfFile.write(dir, file, conf);
        return CinderServiceLauncher.run(app, CinderConfig.load(path), web, new String[0]);
    }

    @AfterAll
    static void stopServices() {
        for (int i = contexts.size() - 1; i >= 0; i--) {
            contexts.get(i).close();
        }
    }

    static HttpJson.Response await(String what, java.util.function.Supplier<HttpJson.Response> call,
                                   java.util.function.Predicate<HttpJson.Response> done) {
        return Await.until(what, call, done);
    }

    private static JsonNode awaitStatus(String token, String id, String status) {
        return await("volume " + id + " " + status, () -> http.get(token, "/v3/volumes/" + id),
                r -> r.status() == 200 && status.equals(r.body().get("volume").get("status").stringValue()))
                .body().get("volume");
    }

    private static String createVolume(String token, String body) {
        HttpJson.Response r = http.post(token, "/v3/volumes", body);
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        assertThat(r.body().get("volume").get("status").stringValue()).isEqualTo("creating");
        return r.body().get("volume").get("id").stringValue();
    }

    @Test
    void placesByTypeOnTheRightBackendAndDeletesFromThere() {
        HttpJson.Response type = http.post(ADMIN, "/v3/types",
                "{\"volume_type\": {\"name\": \"slow-" + run + "\", \"description\": null, "
                        + "\"os-volume-type-access:is_public\": true}}");
        assertThat(type.status()).as(type.raw()).isEqualTo(200);
        String typeId = type.body().get("volume_type").get("id").stringValue();
        assertThat(http.post(ADMIN, "/v3/types/" + typeId + "/extra_specs",
                "{\"extra_specs\": {\"volume_backend_name\": \"slow\"}}").status()).isEqualTo(200);

        String typed = createVolume(ALICE, "{\"volume\": {\"size\": 2, \"name\": \"typed\", \"volume_type\": \"slow-"
                + run + "\", \"metadata\": {\"k\": \"v\"}}}");
        String untyped = createVolume(ALICE, "{\"volume\": {\"size\": 1, \"name\": \"untyped\"}}");
        awaitStatus(ALICE, typed, "available");
        awaitStatus(ALICE, untyped, "available");

        JsonNode typedAdmin = http.get(ADMIN, "/v3/volumes/" + typed).body().get("volume");
        assertThat(typedAdmin.get("os-vol-host-attr:host").stringValue()).isEqualTo("node-b-" + run + "@slow#slow");
        assertThat(typedAdmin.get("metadata").get("k").stringValue()).isEqualTo("v");
        assertThat(typedAdmin.get("volume_type").stringValue()).isEqualTo("slow-" + run);
        // The capacity weigher prefers the emptier backend for a volume that does not care.
        assertThat(http.get(ADMIN, "/v3/volumes/" + untyped).body().get("volume").get("os-vol-host-attr:host")
                .stringValue()).isEqualTo("node-a-" + run + "@fast#fast");
        assertThat(Files.exists(dir.resolve("b").resolve("volume-" + typed))).isTrue();
        assertThat(Files.exists(dir.resolve("a").resolve("volume-" + untyped))).isTrue();

        // Members see their project's volumes without the admin-only attributes.
        JsonNode aliceView = http.get(ALICE, "/v3/volumes/" + typed).body().get("volume");
        assertThat(aliceView.has("os-vol-host-attr:host")).isFalse();
        assertThat(aliceView.has("migration_status")).isFalse();
        HttpJson.Response list = http.get(ALICE, "/v3/volumes/detail?sort=name:asc");
        assertThat(list.body().get("volumes")).extracting(v -> v.get("name").stringValue())
                .containsExactly("typed", "untyped");
        assertThat(http.get(ALICE, "/v3/proj-a/volumes").body().get("volumes")).hasSize(2);
        assertThat(http.get(BOB, "/v3/volumes/detail").body().get("volumes")).isEmpty();
        assertThat(http.get(BOB, "/v3/volumes/" + typed).status()).isEqualTo(404);

        assertThat(http.delete(ALICE, "/v3/volumes/" + typed).status()).isEqualTo(202);
        await("typed volume gone", () -> http.get(ALICE, "/v3/volumes/" + typed), r -> r.status() == 404);
        assertThat(Files.exists(dir.resolve("b").resolve("volume-" + typed))).isFalse();
        assertThat(http.delete(ALICE, "/v3/volumes/" + untyped).status()).isEqualTo(202);
        await("untyped volume gone", () -> http.get(ALICE, "/v3/volumes/" + untyped), r -> r.status() == 404);
    }

    @Test
    void noValidBackendPutsTheVolumeInErrorAndItCanBeDeleted() {
        HttpJson.Response type = http.post(ADMIN, "/v3/types",
                "{\"volume_type\": {\"name\": \"nowhere-" + run + "\", \"extra_specs\": "
                        + "{\"volume_backend_name\": \"does-not-exist\"}}}");
        assertThat(type.status()).isEqualTo(200);
        String id = createVolume(ALICE, "{\"volume\": {\"size\": 1, \"volume_type\": \"nowhere-" + run + "\"}}");
        awaitStatus(ALICE, id, "error");
        assertThat(volumes.findById(id).get().getStatusReason()).contains("CapabilitiesFilter");
        // Larger than either backend (100 and 50 GiB), within the default gigabytes quota (1000).
        String huge = createVolume(ALICE, "{\"volume\": {\"size\": 500}}");
        awaitStatus(ALICE, huge, "error");
        assertThat(volumes.findById(huge).get().getStatusReason()).contains("CapacityFilter");
        assertThat(http.delete(ALICE, "/v3/volumes/" + id).status()).isEqualTo(202);
        assertThat(http.get(ALICE, "/v3/volumes/" + id).status()).isEqualTo(404);
        assertThat(http.delete(ALICE, "/v3/volumes/" + huge).status()).isEqualTo(202);
    }

    @Test
    void migratesBetweenVolumeServicesOfDifferentHosts() throws Exception {
        String id = createVolume(ALICE, "{\"volume\": {\"size\": 1, \"name\": \"traveller\"}}");
        awaitStatus(ALICE, id, "available");
        assertThat(http.get(ADMIN, "/v3/volumes/" + id).body().get("volume").get("os-vol-host-attr:host")
                .stringValue()).isEqualTo("node-a-" + run + "@fast#fast");
        Path source = dir.resolve("a").resolve("volume-" + id);
        Files.write(source, "data that must survive".getBytes(), java.nio.file.StandardOpenOption.WRITE);

        HttpJson.Response r = http.post(ADMIN, "/v3/volumes/" + id + "/action",
                "{\"os-migrate_volume\": {\"host\": \"node-b-" + run + "@slow\"}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        JsonNode moved = await("migration", () -> http.get(ADMIN, "/v3/volumes/" + id),
                x -> "success".equals(x.body().get("volume").get("migration_status").stringValue()))
                .body().get("volume");
        assertThat(moved.get("os-vol-host-attr:host").stringValue()).isEqualTo("node-b-" + run + "@slow#slow");
        // Another host: the file driver answers "not moved" and the host copy runs, so the name changes.
        assertThat(migrationOf(moved).get("path").stringValue()).isEqualTo("generic");
        assertThat(migrationOf(moved).get("detail").stringValue())
                .contains("driver did not move");
        String nameId = moved.get("os-vol-mig-status-attr:name_id").stringValue();
        Path target = dir.resolve("b").resolve("volume-" + nameId);
        assertThat(new String(Files.readAllBytes(target), 0, 22)).isEqualTo("data that must survive");
        assertThat(Files.size(target)).isEqualTo(1L << 30);
        await("source file removed", () -> http.get(ALICE, "/v3/volumes/" + id), x -> !Files.exists(source));
        // The member still sees one volume, under the same id.
        assertThat(http.get(ALICE, "/v3/volumes/detail").body().get("volumes")).extracting(v -> v.get("id")
                .stringValue()).contains(id).doesNotHaveDuplicates();
        assertThat(http.delete(ALICE, "/v3/volumes/" + id).status()).isEqualTo(202);
        await("deleted", () -> http.get(ALICE, "/v3/volumes/" + id), x -> x.status() == 404);
        assertThat(target).doesNotExist();
    }

    @Test
    void servicesAndPoolsAreListed() {
        JsonNode services = http.get(ADMIN, "/v3/os-services").body().get("services");
        List<String> rows = new ArrayList<>();
        services.forEach(s -> rows.add(s.get("binary").stringValue() + " " + s.get("host").stringValue() + " "
                + s.get("state").stringValue()));
        assertThat(rows).containsExactlyInAnyOrder("cinder-scheduler sched-" + run + " up",
                "cinder-volume node-a-" + run + "@fast up", "cinder-volume node-b-" + run + "@slow up");
        JsonNode pools = http.get(ADMIN, "/v3/scheduler-stats/get_pools?detail=True").body().get("pools");
        List<String> names = new ArrayList<>();
        pools.forEach(p -> names.add(p.get("name").stringValue() + " "
                + p.get("capabilities").get("total_capacity_gb").asInt()));
        assertThat(names).containsExactlyInAnyOrder("node-a-" + run + "@fast#fast 100",
                "node-b-" + run + "@slow#slow 50");
        assertThat(http.get(ALICE, "/v3/os-services").status()).isEqualTo(403);
    }

    /** The volume's latest migration ({@code GET /volumes/{id}/migration}, admin), for a volume view. */
    private static JsonNode migrationOf(JsonNode volumeView) {
        return http.get(ADMIN, "/v3/volumes/" + volumeView.get("id").asString() + "/migration").body()
                .get("migration");
    }
}
