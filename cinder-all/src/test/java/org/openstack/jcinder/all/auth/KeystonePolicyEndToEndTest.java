package org.openstack.jcinder.all.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.shared.auth.RealKeystone;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.HttpJson;
import org.openstack.jcinder.testsupport.TestServices;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.json.JsonMapper;

/**
 * Policy with real Keystone tokens (all-in-one, {@code auth_strategy = keystone}, PostgreSQL, RabbitMQ): a
 * member's token is refused {@code os-migrate_volume} with Cinder's 403; then an operator writes a policy.yaml
 * granting the rule to a custom Keystone role, {@code mover}, and a user holding only {@code mover} and
 * {@code member} migrates, without a restart.
 */
class KeystonePolicyEndToEndTest {

    private static final String MIGRATE = "volume_extension:volume_admin_actions:migrate_volume";

    @TempDir
    static Path tmp;

    private static RealKeystone keystone;
    private static ConfigurableApplicationContext all;
    private static HttpJson api;
    private static String host;
    private static RealKeystone.Account alice;
    private static RealKeystone.Account mover;
    private static RealKeystone.Account boss;

    @BeforeAll
    static void start() throws Exception {
        keystone = RealKeystone.shared();
        String s = UUID.randomUUID().toString().substring(0, 8);
        RealKeystone.Account cinder = keystone.createAccount("cinder-" + s, "service", "service");
        String project = "policy-" + s;
        alice = keystone.createAccount("alice-" + s, project, "member", "reader");
        mover = keystone.createAccount("mover-" + s, project, "mover", "member");
        boss = keystone.createAccount("boss-" + s, project, "admin", "member", "reader");
        host = "kp-" + s;
        Path conf = tmp.resolve("cinder.conf");
        Files.writeString(conf, String.join("\n",
                "[DEFAULT]",
                "host = " + host,
                "enabled_backends = f1, f2",
                "transport_url = " + TestServices.transportUrl(),
                "osapi_volume_listen_port = 0",
                "report_interval = 1",
                "auth_strategy = keystone",
                "[database]",
                "connection = " + TestServices.freshDatabase(),
                "[keystone_authtoken]",
                "auth_url = " + keystone.url(),
                "auth_type = password",
                "username = " + cinder.userName(),
                "password = " + cinder.password(),
                "project_name = service",
                "user_domain_name = Default",
                "project_domain_name = Default",
                "[f1]",
                "volume_driver = file",
                "file_volume_capacity_gb = 100",
                "[f2]",
                "volume_driver = file",
                "file_volume_capacity_gb = 50",
                ""));
        all = CinderAllApplication.start(new String[] {"--data-dir", tmp.resolve("data").toString(),
                "--config-file", conf.toString()});
        api = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) all).getWebServer().getPort());
        String admin = keystone.issueToken(boss);
        Await.until("both pools", () -> api.get(admin, "/v3/" + boss.projectId() + "/scheduler-stats/get_pools"),
                r -> r.status() == 200 && r.body().get("pools").size() == 2);
    }

    @AfterAll
    static void stop() {
        if (all != null) {
            all.close();
        }
    }

    private static HttpJson.Response migrate(String token, String id) {
        return api.post(token, "/v3/" + alice.projectId() + "/volumes/" + id + "/action",
                "{\"os-migrate_volume\": {\"host\": \"" + host + "@f2#f2\"}}");
    }

    @Test
    void aCustomRoleGrantedByThePolicyFileMigratesWithoutARestart() throws Exception {
        String a = keystone.issueToken(alice);
        String m = keystone.issueToken(mover);
        String admin = keystone.issueToken(boss);
        HttpJson.Response created = api.post(a, "/v3/" + alice.projectId() + "/volumes",
                "{\"volume\": {\"size\": 1, \"name\": \"to-move\"}}");
        assertThat(created.status()).as(created.raw()).isEqualTo(202);
        String id = created.body().get("volume").get("id").asString();
        Await.until("volume available", () -> api.get(a, "/v3/" + alice.projectId() + "/volumes/" + id),
                r -> r.body().get("volume").get("status").asString().equals("available"));

        HttpJson.Response refused = migrate(a, id);
        assertThat(refused.status()).as(refused.raw()).isEqualTo(403);
        assertThat(refused.body()).isEqualTo(JsonMapper.builder().build().readTree(
                "{\"forbidden\": {\"code\": 403, \"message\": \"Policy doesn't allow " + MIGRATE
                        + " to be performed.\"}}"));
        assertThat(migrate(m, id).status()).as("mover is nobody special by default").isEqualTo(403);

        Files.writeString(tmp.resolve("policy.yaml"), String.join("\n",
                "# The operator lets the storage team move volumes.",
                "\"" + MIGRATE + "\": \"rule:admin_api or role:mover\"",
                ""));

        HttpJson.Response accepted = Await.until("the policy file read", () -> migrate(m, id),
                r -> r.status() != 403);
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        HttpJson.Response done = Await.until("migrated", () -> api.get(admin, "/v3/" + boss.projectId()
                        + "/volumes/" + id),
                r -> "success".equals(r.body().get("volume").path("os-vol-mig-status-attr:migstat").asString(null)));
        assertThat(done.body().get("volume").get("os-vol-host-attr:host").asString()).isEqualTo(host + "@f2#f2");
        // Still only for the role the file names.
        assertThat(api.post(a, "/v3/" + alice.projectId() + "/volumes/" + id + "/action",
                "{\"os-migrate_volume\": {\"host\": \"" + host + "@f1#f1\"}}").status()).isEqualTo(403);
    }
}
