package org.openstack.jcinder.all.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.CinderServiceLauncher;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.CinderConfFile;
import org.openstack.jcinder.testsupport.HttpJson;
import org.openstack.jcinder.testsupport.TestServices;
import org.openstack.jcinder.volume.CinderVolumeApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;

/**
 * A destination that stops answering: its volume service is stopped while its heartbeat still looks fresh,
 * so the API and scheduler accept the migration and the temporary volume is never created. The migration
 * must time out, leave the source as it was, and the temporary volume must be gone once the destination is
 * back. Real PostgreSQL and RabbitMQ; the destination is a separate volume service.
 */
class MigrationFailureTest {

    private static final String ADMIN = "admin:proj-f";

    @TempDir
    static Path dir;
    static String database;
    static String run = UUID.randomUUID().toString().substring(0, 8);
    static ConfigurableApplicationContext all;
    static ConfigurableApplicationContext remote;
    static HttpJson http;
    static Path remoteConf;

    @BeforeAll
    static void start() {
        database = TestServices.freshDatabase();
        String common = String.join("\n",
                "transport_url = " + TestServices.transportUrl(),
                "report_interval = 1",
                "service_down_time = 60",
                "migration_create_volume_timeout_secs = 3",
                "osapi_volume_listen_port = 0",
                "[database]",
                "connection = " + database, "");
        Path conf = CinderConfFile.write(dir, "all.conf", "[DEFAULT]\nhost = local-" + run
                + "\nenabled_backends = here\n" + common + "[here]\nvolume_driver = file\n"
                // Fixed capacities, larger here: the first volume lands here whatever else fills the disk.
                + "file_volume_capacity_gb = 100\n");
        all = CinderAllApplication.start(new String[] {"--config-file", conf.toString(), "--data-dir",
                dir.resolve("local").toString()});
        remoteConf = CinderConfFile.write(dir, "remote.conf", "[DEFAULT]\nhost = remote-" + run
                + "\nenabled_backends = there\n" + common + "[there]\nvolume_driver = file\n"
                + "file_volume_capacity_gb = 50\nfile_volume_dir = " + dir.resolve("remote") + "\n");
        remote = startRemote();
        http = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) all).getWebServer().getPort());
        await("both pools", () -> http.get(ADMIN, "/v3/scheduler-stats/get_pools"),
                r -> r.status() == 200 && r.body().get("pools").size() == 2);
    }

    private static ConfigurableApplicationContext startRemote() {
        return CinderServiceLauncher.run(CinderVolumeApplication.class, CinderConfig.load(remoteConf), false,
                new String[0]);
    }

    @AfterAll
    static void stop() {
        if (remote != null && remote.isActive()) {
            remote.close();
        }
        all.close();
    }

    static HttpJson.Response await(String what, java.util.function.Supplier<HttpJson.Response> call,
                                   java.util.function.Predicate<HttpJson.Response> done) {
        return Await.until(what, call, done);
    }

    @Test
    void destinationThatNeverCreatesTheVolumeTimesOutAndLosesNothing() throws Exception {
        String id = http.post(ADMIN, "/v3/volumes", "{\"volume\": {\"size\": 1, \"name\": \"stays\", "
                + "\"metadata\": {\"k\": \"v\"}}}").body().get("volume").get("id").stringValue();
        JsonNode v = await("available", () -> http.get(ADMIN, "/v3/volumes/" + id),
                r -> "available".equals(r.body().get("volume").get("status").stringValue())).body().get("volume");
        String from = v.get("os-vol-host-attr:host").stringValue();
        assertThat(from).isEqualTo("local-" + run + "@here#here");
        Path file = dir.resolve("local").resolve("volumes").resolve("here").resolve("volume-" + id);
        Files.write(file, "precious".getBytes(), java.nio.file.StandardOpenOption.WRITE);

        remote.close();
        HttpJson.Response r = http.post(ADMIN, "/v3/volumes/" + id + "/action",
                "{\"os-migrate_volume\": {\"host\": \"remote-" + run + "@there\", \"lock_volume\": true}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        JsonNode failed = await("migration error", () -> http.get(ADMIN, "/v3/volumes/" + id),
                x -> "error".equals(x.body().get("volume").get("migration_status").stringValue())).body().get("volume");
        assertThat(failed.get("status").stringValue()).isEqualTo("available");
        assertThat(failed.get("os-vol-host-attr:host").stringValue()).isEqualTo(from);
        assertThat(failed.get("name").stringValue()).isEqualTo("stays");
        assertThat(failed.get("metadata").get("k").stringValue()).isEqualTo("v");
        assertThat(migrationOf(failed).get("detail").stringValue())
                .contains("Timed out after 3s").contains("create_migration_target");
        assertThat(new String(Files.readAllBytes(file), 0, 8)).isEqualTo("precious");

        // The destination comes back and removes what is left of the temporary volume.
        remote = startRemote();
        await("no temporary volume left", () -> http.get(ADMIN, "/v3/volumes/detail?all_tenants=1"),
                x -> x.body().get("volumes").size() == 1);
        try (var files = Files.list(dir.resolve("remote"))) {
            assertThat(files.count()).as("files left on the destination").isZero();
        }
        // And the volume can be migrated now.
        assertThat(http.post(ADMIN, "/v3/volumes/" + id + "/action", "{\"os-migrate_volume\": {\"host\": \"remote-"
                + run + "@there\"}}").status()).isEqualTo(202);
        JsonNode moved = await("migration success", () -> http.get(ADMIN, "/v3/volumes/" + id),
                x -> "success".equals(x.body().get("volume").get("migration_status").stringValue())).body().get("volume");
        assertThat(moved.get("os-vol-host-attr:host").stringValue()).isEqualTo("remote-" + run + "@there#there");
    }

    /** The volume's latest migration ({@code GET /volumes/{id}/migration}, admin), for a volume view. */
    private static JsonNode migrationOf(JsonNode volumeView) {
        return http.get(ADMIN, "/v3/volumes/" + volumeView.get("id").asString() + "/migration").body()
                .get("migration");
    }
}
