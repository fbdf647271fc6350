package org.openstack.jcinder.all.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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

/**
 * A rolling upgrade seen through the API (all-in-one, one file backend, PostgreSQL, RabbitMQ): the volume service
 * announces and serves volume RPC API 3.8 (an older release: no revert_to_snapshot, no cascade), the callers use
 * {@code [upgrade_levels] volume = auto}. What 3.8 has works; a revert to snapshot is refused with Cinder's 400
 * before anything is sent, and the volume and snapshot are left as they were.
 */
class RollingUpgradeEndToEndTest {

    static final String ADMIN = "admin:" + UUID.randomUUID().toString().replace("-", "");
    static final String HOST = "upgrade-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    static Path dir;
    static String database;
    static ConfigurableApplicationContext all;
    static HttpJson http;

    @BeforeAll
    static void start() {
        database = TestServices.freshDatabase();
        Path conf = CinderConfFile.write(dir, "cinder.conf", String.join("\n",
                "[DEFAULT]",
                "host = " + HOST,
                "enabled_backends = f1",
                "transport_url = " + TestServices.transportUrl(),
                "osapi_volume_listen_port = 0",
                "report_interval = 1",
                "volume_rpc_version_override = 3.8",
                "[upgrade_levels]",
                "volume = auto",
                "scheduler = auto",
                "[database]",
                "connection = " + database,
                "[f1]",
                "volume_driver = file"));
        all = CinderAllApplication.start(new String[] {"--config-file", conf.toString(), "--data-dir",
                dir.resolve("data").toString()});
        http = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) all).getWebServer().getPort());
    }

    @AfterAll
    static void stop() {
        if (all != null) {
            all.close();
        }
    }

    @Test
    void anOlderVolumeServiceGetsWhatItUnderstandsAndARevertIsRefusedWithABadRequest() throws Exception {
        try (DbState db = new DbState(database)) {
            assertThat(db.column("select binary_name || ' ' || rpc_current_version from services order by binary_name"))
                    .containsExactly("cinder-scheduler 3.4", "cinder-volume 3.8");
        }
        HttpJson.Response created = http.post(ADMIN, "/v3/volumes", "{\"volume\": {\"size\": 1}}");
        assertThat(created.status()).as(created.raw()).isEqualTo(202);
        String vol = created.body().get("volume").get("id").stringValue();
        Await.until("volume available", () -> http.get(ADMIN, "/v3/volumes/" + vol),
                x -> "available".equals(x.body().get("volume").get("status").stringValue()));
        HttpJson.Response taken = http.post(ADMIN, "/v3/snapshots", "{\"snapshot\": {\"volume_id\": \"" + vol
                + "\"}}"); // create_snapshot: 3.7
        assertThat(taken.status()).as(taken.raw()).isEqualTo(202);
        String snap = taken.body().get("snapshot").get("id").stringValue();
        Await.until("snapshot available", () -> http.get(ADMIN, "/v3/snapshots/" + snap),
                x -> "available".equals(x.body().get("snapshot").get("status").stringValue()));

        HttpJson.Response r = http.send(ADMIN, "POST", "/v3/volumes/" + vol + "/action",
                "{\"revert\": {\"snapshot_id\": \"" + snap + "\"}}", "3.40");
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.body().get("badRequest").get("message").stringValue()).as(r.raw())
                .contains("One of the cinder-volume services is too old to accept the revert_to_snapshot request")
                .contains("needs RPC API version 3.9");
        assertThat(statusOf("/v3/volumes/" + vol, "volume")).isEqualTo("available");
        assertThat(statusOf("/v3/snapshots/" + snap, "snapshot")).isEqualTo("available");

        // delete_snapshot (3.7), then delete_volume: sent at 3.0 without its (unused) cascade argument.
        assertThat(http.delete(ADMIN, "/v3/snapshots/" + snap).status()).isEqualTo(202);
        Await.until("snapshot deleted", () -> http.get(ADMIN, "/v3/snapshots/" + snap), x -> x.status() == 404);
        assertThat(http.delete(ADMIN, "/v3/volumes/" + vol).status()).isEqualTo(202);
        Await.until("volume deleted", () -> http.get(ADMIN, "/v3/volumes/" + vol), x -> x.status() == 404);
    }

    private static String statusOf(String path, String key) {
        return http.get(ADMIN, path).body().get(key).get("status").stringValue();
    }
}
