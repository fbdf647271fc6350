package org.openstack.jcinder.all.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * Cinder's policy rules through the real API (all-in-one, noauth, PostgreSQL and RabbitMQ): noauth's member
 * is refused an admin action with Cinder's 403 body and nothing changes, the admin is accepted, and a
 * policy.yaml next to cinder.conf changes who may, without a restart; a broken file keeps the last good rules.
 */
class PolicyEndToEndTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String MIGRATE = "volume_extension:volume_admin_actions:migrate_volume";

    @TempDir
    static Path dir;
    static ConfigurableApplicationContext all;
    static HttpJson http;
    static String host;
    static Path policyFile;

    @BeforeAll
    static void start() {
        host = "policy-" + UUID.randomUUID().toString().substring(0, 8);
        Path conf = CinderConfFile.write(dir, "cinder.conf", String.join("\n",
                "[DEFAULT]",
                "host = " + host,
                "enabled_backends = f1, f2",
                "transport_url = " + TestServices.transportUrl(),
                "osapi_volume_listen_port = 0",
                "report_interval = 1",
                "[database]",
                "connection = " + TestServices.freshDatabase(),
                "[f1]",
                "volume_driver = file",
                "file_volume_capacity_gb = 100",
                "[f2]",
                "volume_driver = file",
                "file_volume_capacity_gb = 50"));
        policyFile = conf.resolveSibling("policy.yaml");
        all = CinderAllApplication.start(new String[] {"--config-file", conf.toString(), "--data-dir",
                dir.resolve("data").toString()});
        http = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) all).getWebServer().getPort());
        Await.until("both pools", () -> http.get("admin:admin", "/v3/scheduler-stats/get_pools"),
                r -> r.status() == 200 && r.body().get("pools").size() == 2);
    }

    @AfterAll
    static void stop() {
        if (all != null) {
            all.close();
        }
    }

    @AfterEach
    void noPolicyFile() throws Exception {
        Files.deleteIfExists(policyFile);
        Thread.sleep(1100); // the next test starts from Cinder's defaults
    }

    private static String availableVolume(String token) {
        HttpJson.Response created = http.post(token, "/v3/volumes", "{\"volume\": {\"size\": 1}}");
        assertThat(created.status()).as(created.raw()).isEqualTo(202);
        String id = created.body().get("volume").get("id").asString();
        Await.until("volume " + id + " available", () -> http.get(token, "/v3/volumes/" + id),
                r -> r.body().get("volume").get("status").asString().equals("available"));
        return id;
    }

    private static HttpJson.Response migrate(String token, String id) {
        return http.post(token, "/v3/volumes/" + id + "/action",
                "{\"os-migrate_volume\": {\"host\": \"" + host + "@f2#f2\"}}");
    }

    private static JsonNode forbidden(String rule) {
        return JSON.readTree("{\"forbidden\": {\"code\": 403, \"message\": \"Policy doesn't allow " + rule
                + " to be performed.\"}}");
    }

    private static void awaitMigrated(String id) {
        Await.until("volume " + id + " migrated", () -> http.get("admin:admin", "/v3/volumes/" + id),
                r -> "success".equals(r.body().get("volume").path("os-vol-mig-status-attr:migstat").asString(null)));
    }

    @Test
    void aMemberIsRefusedMigrationWithCindersBodyAndAnAdminMigrates() {
        String member = "dave:proj-" + UUID.randomUUID().toString().substring(0, 6);
        String id = availableVolume(member);

        HttpJson.Response refused = migrate(member, id);

        assertThat(refused.status()).as(refused.raw()).isEqualTo(403);
        assertThat(refused.body()).isEqualTo(forbidden(MIGRATE));
        JsonNode after = http.get("admin:admin", "/v3/volumes/" + id).body().get("volume");
        assertThat(after.get("migration_status").isNull()).as("nothing changed").isTrue();
        assertThat(after.get("os-vol-host-attr:host").asString()).isEqualTo(host + "@f1#f1");

        // Another project's member does not learn the volume exists (Cinder's project filter: 404).
        assertThat(migrate("eve:elsewhere", id).status()).isEqualTo(404);

        HttpJson.Response accepted = migrate("admin:admin", id);
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        awaitMigrated(id);
        assertThat(http.get("admin:admin", "/v3/volumes/" + id).body().get("volume").get("os-vol-host-attr:host")
                .asString()).isEqualTo(host + "@f2#f2");
    }

    @Test
    void aMembersViewFollowsTheAttributeRules() {
        String member = "dave:view-" + UUID.randomUUID().toString().substring(0, 6);
        String id = availableVolume(member);
        JsonNode v = http.get(member, "/v3/volumes/" + id).body().get("volume");
        assertThat(v.has("os-vol-host-attr:host")).isFalse();
        assertThat(v.has("os-vol-mig-status-attr:migstat")).isFalse();
        assertThat(v.has("migration_status")).isFalse();
        assertThat(v.get("os-vol-tenant-attr:tenant_id").asString()).startsWith("view-");
        HttpJson.Response pools = http.get(member, "/v3/scheduler-stats/get_pools");
        assertThat(pools.status()).isEqualTo(403);
        assertThat(pools.body()).isEqualTo(forbidden("scheduler_extension:scheduler_stats:get_pools"));
    }

    @Test
    void aPolicyFileGrantsMigrationWithoutARestartAndABrokenOneKeepsTheLastGoodRules() throws Exception {
        String member = "dave:file-" + UUID.randomUUID().toString().substring(0, 6);
        String first = availableVolume(member);
        String second = availableVolume(member);
        assertThat(migrate(member, first).status()).isEqualTo(403);

        Files.writeString(policyFile, "\"" + MIGRATE + "\": \"rule:admin_api or role:member\"\n");
        HttpJson.Response granted = Await.until("the policy file read", () -> migrate(member, first),
                r -> r.status() != 403);
        assertThat(granted.status()).as(granted.raw()).isEqualTo(202);
        awaitMigrated(first);

        Files.writeString(policyFile, "\"" + MIGRATE + "\": [unclosed\n");
        Thread.sleep(1100);
        HttpJson.Response stillGranted = migrate(member, second);
        assertThat(stillGranted.status()).as("a broken file keeps the last good rules: " + stillGranted.raw())
                .isEqualTo(202);
        awaitMigrated(second);

        Files.writeString(policyFile, "\"" + MIGRATE + "\": \"!\"\n");
        HttpJson.Response nobody = Await.until("the new rule read", () -> migrate("admin:admin", first),
                r -> r.status() == 403);
        assertThat(nobody.body()).isEqualTo(forbidden(MIGRATE));
    }
}
