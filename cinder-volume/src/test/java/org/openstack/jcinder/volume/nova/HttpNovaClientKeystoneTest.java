package org.openstack.jcinder.volume.nova;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
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
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.openstack.jcinder.shared.auth.StubKeystone;
import org.openstack.jcinder.shared.config.IniFile;
import org.openstack.jcinder.shared.context.RequestContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which tokens the volume service sends Nova with Keystone credentials, against an in-process Nova and a
 * stand-in for Keystone's {@code POST /v3/auth/tokens} (tokens {@code tok-<user>-<n>}, n counting the issues).
 * The real Keystone is in cinder-all's {@code KeystoneAttachedMigrationTest}.
 */
class HttpNovaClientKeystoneTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final RequestContext CTX = new RequestContext("req-1", "alice-id", "proj-id", List.of("member"));

    record Received(String method, String path, Headers headers) {
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final List<Integer> answers = new ArrayList<>();
    private HttpServer nova;
    private StubKeystone keystone;

    @BeforeEach
    void start() throws IOException {
        nova = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        nova.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders()));
            int status;
            synchronized (answers) {
                status = answers.isEmpty() ? 202 : answers.remove(0);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        nova.start();
        keystone = new StubKeystone();
    }

    @AfterEach
    void stop() {
        nova.stop(0);
        keystone.close();
    }

    private HttpNovaClient client(String authStrategy, boolean sendServiceToken) {
        return client(authStrategy, sendServiceToken,
                List.of("endpoint_override = http://127.0.0.1:" + nova.getAddress().getPort() + "/v2.1"));
    }

    private HttpNovaClient client(String authStrategy, boolean sendServiceToken, List<String> novaLines) {
        String ks = keystone.url();
        List<String> lines = new ArrayList<>(List.of(
                "[DEFAULT]",
                "auth_strategy = " + authStrategy,
                "[keystone_authtoken]",
                "auth_url = " + ks,
                "auth_type = password",
                "username = cinder",
                "password = pw",
                "project_name = service",
                "[nova]",
                "auth_type = password",
                "auth_url = " + ks + "/v3",
                "username = privileged",
                "password = pw",
                "project_name = service",
                "[service_user]",
                "send_service_user_token = " + sendServiceToken,
                "auth_type = password",
                "auth_url = " + ks,
                "username = svc",
                "password = pw",
                "project_name = service"));
        lines.addAll(lines.indexOf("[service_user]"), novaLines);
        return new HttpNovaClient(CinderConfig.from(IniFile.parse(Path.of("cinder.conf"), lines)), JSON);
    }

    private Received request() throws InterruptedException {
        Received r = received.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("a request reached Nova").isNotNull();
        return r;
    }

    @Test
    void theSwapAndTheEventGoAsTheNovaUserWithTheServiceUsersTokenAsServiceToken() throws Exception {
        HttpNovaClient client = client("keystone", true);

        client.updateServerVolume(CTX, "srv-1", "vol-old", "vol-new");
        synchronized (answers) {
            answers.add(200);
        }
        client.volumeExtended(CTX, List.of("srv-1"), "vol-old");

        for (Received r : List.of(request(), request())) {
            assertThat(r.headers().getFirst("X-Auth-Token")).isEqualTo("tok-privileged-1");
            assertThat(r.headers().getFirst("X-Service-Token")).isEqualTo("tok-svc-1");
        }
        assertThat(keystone.issued().get("privileged").get()).as("the token is kept, not got per call").isEqualTo(1);
    }

    @Test
    void withoutSendServiceUserTokenOnlyTheNovaUsersToken() throws Exception {
        client("keystone", false).updateServerVolume(CTX, "srv-1", "vol-old", "vol-new");

        Received r = request();
        assertThat(r.headers().getFirst("X-Auth-Token")).isEqualTo("tok-privileged-1");
        assertThat(r.headers().containsKey("X-Service-Token")).isFalse();
        assertThat(keystone.issued()).doesNotContainKey("svc");
    }

    @Test
    void noServiceTokenWhenTheApiIsNotKeystone() throws Exception {
        client("noauth", true).updateServerVolume(CTX, "srv-1", "vol-old", "vol-new");

        Received r = request();
        assertThat(r.headers().getFirst("X-Auth-Token")).isEqualTo("tok-privileged-1");
        assertThat(r.headers().containsKey("X-Service-Token")).isFalse();
    }

    @Test
    void a401RenewsTheTokensAndTriesOnceMore() throws Exception {
        synchronized (answers) {
            answers.addAll(List.of(401, 202));
        }
        client("keystone", true).updateServerVolume(CTX, "srv-1", "vol-old", "vol-new");

        assertThat(request().headers().getFirst("X-Auth-Token")).isEqualTo("tok-privileged-1");
        Received again = request();
        assertThat(again.headers().getFirst("X-Auth-Token")).isEqualTo("tok-privileged-2");
        assertThat(again.headers().getFirst("X-Service-Token")).isEqualTo("tok-svc-2");

        synchronized (answers) {
            answers.addAll(List.of(401, 401));
        }
        assertThatThrownBy(() -> client("keystone", false).updateServerVolume(CTX, "srv-1", "vol-old", "vol-new"))
                .isInstanceOf(VolumeDriverException.class).hasMessageContaining("(401)");
        assertThat(received).hasSize(2);
    }

    @Test
    void keystoneRefusingThePasswordIsAVolumeDriverError() {
        keystone.stopIssuing();

        assertThatThrownBy(() -> client("keystone", true).updateServerVolume(CTX, "srv-1", "vol-old", "vol-new"))
                .isInstanceOf(VolumeDriverException.class)
                .hasMessageContaining("no token for [nova] user privileged from Keystone");
        assertThat(received).isEmpty();
    }

    /** A catalog with {@code compute} endpoints in two regions, each interface at its own path. */
    private void catalogWithNova() {
        String url = "http://127.0.0.1:" + nova.getAddress().getPort();
        keystone.catalog("""
                [{"type": "identity", "name": "keystone", "endpoints": [
                   {"interface": "public", "region_id": "RegionOne", "url": "%1$s/identity"}]},
                 {"type": "compute", "name": "nova", "endpoints": [
                   {"interface": "internal", "region_id": "RegionOne", "url": "%1$s/one-internal/v2.1"},
                   {"interface": "public", "region_id": "RegionOne", "url": "%1$s/one-public/v2.1"},
                   {"interface": "public", "region_id": "RegionTwo", "url": "%1$s/two-public/v2.1"}]}]"""
                .formatted(url));
    }

    @Test
    void withoutEndpointOverrideNovaIsTheComputeEndpointOfTheNovaUsersCatalog() throws Exception {
        catalogWithNova();

        client("keystone", true, List.of("region_name = RegionTwo")).updateServerVolume(CTX, "srv-1", "vol-old",
                "vol-new");
        client("keystone", true, List.of("region_name = RegionOne", "interface = internal"))
                .updateServerVolume(CTX, "srv-1", "vol-old", "vol-new");

        assertThat(request().path()).isEqualTo("/two-public/v2.1/servers/srv-1/os-volume_attachments/vol-old");
        assertThat(request().path()).isEqualTo("/one-internal/v2.1/servers/srv-1/os-volume_attachments/vol-old");
    }

    @Test
    void endpointOverrideWinsOverTheCatalog() throws Exception {
        catalogWithNova();

        client("keystone", true).updateServerVolume(CTX, "srv-1", "vol-old", "vol-new");

        assertThat(request().path()).isEqualTo("/v2.1/servers/srv-1/os-volume_attachments/vol-old");
    }

    @Test
    void noComputeEndpointInTheCatalogIsKeystoneauthsEndpointNotFoundAndNothingReachesNova() {
        catalogWithNova();

        assertThatThrownBy(() -> client("keystone", true, List.of("region_name = RegionThree"))
                .updateServerVolume(CTX, "srv-1", "vol-old", "vol-new"))
                .isInstanceOf(VolumeDriverException.class)
                .hasMessageContaining("Nova not found in the service catalog of [nova] user privileged: "
                        + "Could not find requested endpoint in Service Catalog. (service_type compute, "
                        + "interface public, region_name RegionThree");
        keystone.catalog("[]");
        assertThatThrownBy(() -> client("keystone", true, List.of()).volumeExtended(CTX, List.of("srv-1"), "v"))
                .isInstanceOf(VolumeDriverException.class)
                .hasMessageContaining("Could not find requested endpoint in Service Catalog.");
        assertThat(received).isEmpty();
    }
}
