package org.openstack.jcinder.all.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openstack.jcinder.compute.NovaComputeApplication;
import org.openstack.jcinder.compute.config.NovaConfig;
import org.openstack.jcinder.shared.auth.RealKeystone;
import org.openstack.jcinder.shared.config.IniFile;
import org.openstack.jcinder.testsupport.HttpJson;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The compute service's API with {@code [api] auth_strategy = keystone}: the same validation as the volume API
 * (openstack-common), against Debian's real Keystone. Here rather than in nova-compute so the JVM that runs
 * the volume API's Keystone tests starts Keystone once for both.
 */
class ComputeKeystoneAuthTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static RealKeystone keystone;
    private static ConfigurableApplicationContext compute;
    private static HttpJson nova;
    private static RealKeystone.Account carol;
    private static RealKeystone.Account novaService;

    @BeforeAll
    static void start() {
        keystone = RealKeystone.shared();
        String s = UUID.randomUUID().toString().substring(0, 8);
        novaService = keystone.createAccount("nova-" + s, "service", "service");
        carol = keystone.createAccount("carol-" + s, "project-c-" + s, "member", "reader");
        compute = NovaComputeApplication.start(NovaConfig.from(IniFile.parse(Path.of("nova.conf"), List.of(
                "[DEFAULT]",
                "compute_driver = simulated",
                "osapi_compute_listen_port = 0",
                "[api]",
                "auth_strategy = keystone",
                "[keystone_authtoken]",
                "auth_url = " + keystone.url(),
                "auth_type = password",
                "username = " + novaService.userName(),
                "password = " + novaService.password(),
                "project_name = service",
                "service_token_roles_required = true"))));
        nova = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) compute).getWebServer().getPort());
    }

    @AfterAll
    static void stop() {
        if (compute != null) {
            compute.close();
        }
    }

    @Test
    void aValidTokenListsServers() {
        HttpJson.Response r = nova.get(keystone.issueToken(carol), "/v2.1/servers");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().get("servers").isArray()).isTrue();
    }

    @Test
    void aGarbageTokenIs401WithKeystonemiddlewaresBodyAndHeader() {
        HttpJson.Response r = nova.get("garbage", "/v2.1/servers");

        assertThat(r.status()).as(r.raw()).isEqualTo(401);
        assertThat(r.body()).isEqualTo(JSON.readTree("""
                {"error": {"code": 401, "title": "Unauthorized",
                           "message": "The request you have made requires authentication."}}"""));
        // www_authenticate_uri is not set: keystonemiddleware falls back to the identity endpoint.
        assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Keystone uri=\"" + keystone.url() + "\"");
    }

    @Test
    void aServiceTokenWithoutAServiceRoleIsRefusedWhenServiceRolesAreRequired() {
        String user = keystone.issueToken(carol);

        HttpJson.Response member = nova.send(user, "GET", "/v2.1/servers", null, null,
                Map.of("X-Service-Token", keystone.issueToken(carol)));
        HttpJson.Response service = nova.send(user, "GET", "/v2.1/servers", null, null,
                Map.of("X-Service-Token", keystone.issueToken(novaService)));

        assertThat(member.status()).as(member.raw()).isEqualTo(401);
        assertThat(service.status()).as(service.raw()).isEqualTo(200);
    }
}
