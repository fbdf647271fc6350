package org.openstack.jcinder.compute.cinder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openstack.jcinder.compute.config.NovaConfig;
import org.openstack.jcinder.compute.context.CallerContext;
import org.openstack.jcinder.shared.auth.StubKeystone;
import org.openstack.jcinder.shared.config.IniFile;
import org.openstack.jcinder.shared.context.RequestContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which tokens the compute service sends Cinder, against an in-process Cinder and a stand-in for Keystone's
 * {@code POST /v3/auth/tokens} (tokens {@code tok-<user>-<n>}). The real Keystone is in cinder-all's
 * {@code KeystoneAttachedMigrationTest}.
 */
class HttpCinderClientKeystoneTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    record Received(String path, Headers headers) {
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final List<Integer> answers = new ArrayList<>();
    private HttpServer cinder;
    private StubKeystone keystone;

    @BeforeEach
    void start() throws IOException {
        cinder = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        cinder.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestURI().getPath(), exchange.getRequestHeaders()));
            int status;
            synchronized (answers) {
                status = answers.isEmpty() ? 200 : answers.remove(0);
            }
            byte[] body = "{\"save_volume_id\": \"vol-old\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        cinder.start();
        keystone = new StubKeystone();
    }

    @AfterEach
    void stop() {
        cinder.stop(0);
        keystone.close();
    }

    private HttpCinderClient client(String authStrategy, boolean credentials) {
        String ks = keystone.url();
        List<String> lines = new ArrayList<>(List.of(
                "[DEFAULT]",
                "compute_driver = simulated",
                "[api]",
                "auth_strategy = " + authStrategy,
                "[keystone_authtoken]",
                "auth_url = " + ks,
                "auth_type = password",
                "username = nova",
                "password = pw",
                "project_name = service",
                "[cinder]",
                "endpoint_override = http://127.0.0.1:" + cinder.getAddress().getPort() + "/v3"));
        if (credentials) {
            lines.addAll(List.of(
                    "auth_type = password",
                    "auth_url = " + ks,
                    "username = admin-user",
                    "password = pw",
                    "project_name = service",
                    "[service_user]",
                    "send_service_user_token = true",
                    "auth_type = password",
                    "auth_url = " + ks,
                    "username = svc",
                    "password = pw",
                    "project_name = service"));
        }
        return new HttpCinderClient(NovaConfig.from(IniFile.parse(Path.of("nova.conf"), lines)));
    }

    private static CallerContext caller(String token) {
        return new CallerContext(new RequestContext("req-1", "u", "p", List.of("admin")), token);
    }

    private Received request() throws InterruptedException {
        Received r = received.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("a request reached Cinder").isNotNull();
        return r;
    }

    @Test
    void theCallersTokenGoesWithTheServiceUsersTokenAsServiceToken() throws Exception {
        client("keystone", true).migrateVolumeCompletion(caller("callers-token"), "vol-old", "vol-new", false);

        Received r = request();
        assertThat(r.path()).isEqualTo("/v3/volumes/vol-old/action");
        assertThat(r.headers().getFirst("X-Auth-Token")).isEqualTo("callers-token");
        assertThat(r.headers().getFirst("X-Service-Token")).isEqualTo("tok-svc-1");
        assertThat(keystone.issued()).doesNotContainKey("admin-user");
    }

    @Test
    void workWithoutACallersTokenGoesAsTheCinderUser() throws Exception {
        client("keystone", true).migrateVolumeCompletion(caller(null), "vol-old", "vol-new", false);

        Received r = request();
        assertThat(r.headers().getFirst("X-Auth-Token")).isEqualTo("tok-admin-user-1");
        assertThat(r.headers().getFirst("X-Service-Token")).isEqualTo("tok-svc-1");
    }

    @Test
    void withoutCredentialsOnlyTheCallersToken() throws Exception {
        client("noauth2", false).migrateVolumeCompletion(caller("alice:proj"), "vol-old", "vol-new", false);

        Received r = request();
        assertThat(r.headers().getFirst("X-Auth-Token")).isEqualTo("alice:proj");
        assertThat(r.headers().containsKey("X-Service-Token")).isFalse();
        assertThat(keystone.issued()).isEmpty();
    }

    @Test
    void a401RenewsTheServiceTokenAndTriesOnceMore() throws Exception {
        synchronized (answers) {
            answers.add(401);
        }
        client("keystone", true).migrateVolumeCompletion(caller("callers-token"), "vol-old", "vol-new", false);

        assertThat(request().headers().getFirst("X-Service-Token")).isEqualTo("tok-svc-1");
        Received again = request();
        assertThat(again.headers().getFirst("X-Auth-Token")).isEqualTo("callers-token");
        assertThat(again.headers().getFirst("X-Service-Token")).isEqualTo("tok-svc-2");
    }
}
