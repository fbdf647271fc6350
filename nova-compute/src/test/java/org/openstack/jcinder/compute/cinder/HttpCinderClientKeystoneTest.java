package org.openstack.jcinder.compute.cinder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        return client(authStrategy, credentials,
                List.of("endpoint_override = http://127.0.0.1:" + cinder.getAddress().getPort() + "/v3"));
    }

    private HttpCinderClient client(String authStrategy, boolean credentials, List<String> cinderLines) {
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
                "[cinder]"));
        lines.addAll(cinderLines);
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

    /** volumev3 endpoints as Keystone lists them in a token: the token's project in place of %(project_id)s. */
    private void catalogWithCinder() {
        String url = "http://127.0.0.1:" + cinder.getAddress().getPort();
        keystone.catalog("""
                [{"type": "volumev3", "name": "cinderv3", "endpoints": [
                   {"interface": "internal", "region_id": "RegionOne", "url": "%1$s/one-internal/v3/%2$s"},
                   {"interface": "public", "region_id": "RegionOne", "url": "%1$s/one/v3/%2$s"},
                   {"interface": "public", "region_id": "RegionTwo", "url": "%1$s/two/v3/%2$s"}]}]"""
                .formatted(url, StubKeystone.PROJECT_ID));
    }

    @Test
    void withoutEndpointOverrideCinderIsTheVolumev3EndpointOfTheCatalogForTheCallersProject() throws Exception {
        catalogWithCinder();
        HttpCinderClient client = client("keystone", true, List.of("os_region_name = RegionTwo"));

        client.migrateVolumeCompletion(caller("callers-token"), "vol-old", "vol-new", false);
        client.migrateVolumeCompletion(caller(null), "vol-old", "vol-new", false);
        client("keystone", true, List.of("catalog_info = volumev3:cinderv3:internalURL"))
                .migrateVolumeCompletion(caller("callers-token"), "vol-old", "vol-new", false);

        assertThat(request().path()).as("the caller's project p").isEqualTo("/two/v3/p/volumes/vol-old/action");
        assertThat(request().path()).as("the [cinder] user's own project")
                .isEqualTo("/two/v3/" + StubKeystone.PROJECT_ID + "/volumes/vol-old/action");
        assertThat(request().path()).isEqualTo("/one-internal/v3/p/volumes/vol-old/action");
    }

    @Test
    void endpointTemplateAndEndpointOverrideWinOverTheCatalog() throws Exception {
        catalogWithCinder();
        String url = "http://127.0.0.1:" + cinder.getAddress().getPort();

        client("keystone", true, List.of("endpoint_template = " + url + "/tmpl/v3/%(project_id)s",
                "endpoint_override = " + url + "/override/v3"))
                .migrateVolumeCompletion(caller("callers-token"), "vol-old", "vol-new", false);
        client("keystone", true, List.of("endpoint_override = " + url + "/override/v3"))
                .migrateVolumeCompletion(caller("callers-token"), "vol-old", "vol-new", false);

        assertThat(request().path()).isEqualTo("/tmpl/v3/p/volumes/vol-old/action");
        assertThat(request().path()).isEqualTo("/override/v3/volumes/vol-old/action");
    }

    @Test
    void noVolumev3EndpointIsKeystoneauthsEndpointNotFoundAndNothingReachesCinder() {
        catalogWithCinder();

        assertThatThrownBy(() -> client("keystone", true, List.of("os_region_name = RegionThree"))
                .migrateVolumeCompletion(caller("callers-token"), "vol-old", "vol-new", false))
                .isInstanceOf(CinderException.class)
                .hasMessageContaining("Cinder not found in the service catalog of user admin-user: Could not find "
                        + "requested endpoint in Service Catalog. (service_type volumev3, interface public, "
                        + "region_name RegionThree");
        assertThat(received).isEmpty();
    }
}
