package org.openstack.jcinder.all.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.compute.NovaComputeApplication;
import org.openstack.jcinder.compute.config.NovaConfig;
import org.openstack.jcinder.shared.auth.RealKeystone;
import org.openstack.jcinder.shared.config.IniFile;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.HttpJson;
import org.openstack.jcinder.testsupport.TestServices;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;

/**
 * An attached migration with {@code auth_strategy = keystone} on both Cinder and its compute service, against
 * Debian's real Keystone: Cinder asks Nova to swap with its {@code [nova]} user's token and its
 * {@code [service_user]} token as {@code X-Service-Token}; Nova calls the progress and
 * {@code os-migrate_volume_completion} back with the token it was called with and its own service token. Both
 * services run in this JVM, each behind a recording proxy, so the test sees the headers each one received.
 * Neither is told where the other is: no {@code endpoint_override}, each finds the other in its token's service
 * catalog ({@code compute} and {@code volumev3}, registered through Keystone's API in a region of this class's
 * own, which {@code [nova] region_name} and {@code [cinder] os_region_name} name).
 */
class KeystoneAttachedMigrationTest {

    @TempDir
    static Path tmp;

    private static RealKeystone keystone;
    private static ConfigurableApplicationContext cinderApp;
    private static ConfigurableApplicationContext novaApp;
    private static Proxy toCinder;
    private static Proxy toNova;
    private static HttpJson cinder;
    private static HttpJson nova;
    private static String host;
    private static RealKeystone.Account alice;
    private static RealKeystone.Account boss;
    private static RealKeystone.Account cinderToNova;
    private static RealKeystone.Account cinderService;
    private static RealKeystone.Account novaService;
    private static String region;

    @BeforeAll
    static void start() throws Exception {
        keystone = RealKeystone.shared();
        String s = UUID.randomUUID().toString().substring(0, 8);
        RealKeystone.Account cinderAuth = keystone.createAccount("cinder-" + s, "service", "service");
        // Cinder's privileged user toward Nova: Nova's swap and events are admin or service, Cinder's
        // completion (called back with this token) is admin.
        cinderToNova = keystone.createAccount("cinder-nova-" + s, "service", "admin", "service");
        cinderService = keystone.createAccount("cinder-svc-" + s, "service", "service");
        novaService = keystone.createAccount("nova-" + s, "service", "service");
        alice = keystone.createAccount("alice-" + s, "project-m-" + s, "member", "reader");
        boss = keystone.createAccount("boss-" + s, "project-m-" + s, "admin", "member", "reader");
        host = "ksm-" + s;
        region = "Region-ksm-" + s;

        int cinderPort = freePort();
        toCinder = new Proxy("http://127.0.0.1:" + cinderPort);
        // As an operator registers them (openstack endpoint create volumev3 public http://…/v3/%(project_id)s).
        keystone.registerEndpoint("volumev3", "cinderv3", toCinder.url() + "/v3/%(project_id)s", region);
        novaApp = NovaComputeApplication.start(NovaConfig.from(IniFile.parse(Path.of("nova.conf"), List.of(
                "[DEFAULT]",
                "compute_driver = simulated",
                "osapi_compute_listen_port = 0",
                "[simulated]",
                "guest_workload = journal",
                "[compute]",
                "swap_volume_bandwidth = 268435456",
                "[api]",
                "auth_strategy = keystone",
                "[keystone_authtoken]",
                "auth_url = " + keystone.url(),
                "auth_type = password",
                "username = " + novaService.userName(),
                "password = " + novaService.password(),
                "project_name = service",
                "service_token_roles_required = true",
                "[cinder]",
                "os_region_name = " + region,
                "auth_type = password",
                "auth_url = " + keystone.url(),
                "username = " + novaService.userName(),
                "password = " + novaService.password(),
                "project_name = service",
                "[service_user]",
                "send_service_user_token = true",
                "auth_type = password",
                "auth_url = " + keystone.url(),
                "username = " + novaService.userName(),
                "password = " + novaService.password(),
                "project_name = service"))));
        toNova = new Proxy("http://127.0.0.1:" + ((WebServerApplicationContext) novaApp).getWebServer().getPort());
        keystone.registerEndpoint("compute", "nova", toNova.url() + "/v2.1", region);

        Path conf = tmp.resolve("cinder.conf");
        Files.writeString(conf, String.join("\n",
                "[DEFAULT]",
                "host = " + host,
                "enabled_backends = f1, f2",
                "transport_url = " + TestServices.transportUrl(),
                "osapi_volume_listen_port = " + cinderPort,
                "report_interval = 1",
                "auth_strategy = keystone",
                "[database]",
                "connection = " + TestServices.freshDatabase(),
                "[keystone_authtoken]",
                "auth_url = " + keystone.url(),
                "auth_type = password",
                "username = " + cinderAuth.userName(),
                "password = " + cinderAuth.password(),
                "project_name = service",
                "user_domain_name = Default",
                "project_domain_name = Default",
                "[nova]",
                "region_name = " + region,
                "interface = internal",
                "auth_type = password",
                "auth_url = " + keystone.url(),
                "username = " + cinderToNova.userName(),
                "password = " + cinderToNova.password(),
                "project_name = service",
                "user_domain_name = Default",
                "project_domain_name = Default",
                "[service_user]",
                "send_service_user_token = true",
                "auth_type = password",
                "auth_url = " + keystone.url(),
                "username = " + cinderService.userName(),
                "password = " + cinderService.password(),
                "project_name = service",
                "[f1]",
                "volume_driver = file",
                "file_volume_capacity_gb = 100",
                "[f2]",
                "volume_driver = file",
                "file_volume_capacity_gb = 50",
                ""));
        cinderApp = CinderAllApplication.start(new String[] {"--config-file", conf.toString(), "--data-dir",
                tmp.resolve("data").toString()});
        cinder = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) cinderApp).getWebServer().getPort());
        nova = new HttpJson(toNova.url());
        String admin = keystone.issueToken(boss);
        Await.until("both pools", () -> cinder.get(admin, "/v3/" + boss.projectId() + "/scheduler-stats/get_pools"),
                r -> r.status() == 200 && r.body().get("pools").size() == 2);
    }

    @AfterAll
    static void stop() {
        if (cinderApp != null) {
            cinderApp.close();
        }
        if (novaApp != null) {
            novaApp.close();
        }
        for (Proxy p : new Proxy[] {toCinder, toNova}) {
            if (p != null) {
                p.server.stop(0);
            }
        }
    }

    @Test
    void anAttachedVolumeMigratesWithServiceTokensBothWaysEachServiceFindingTheOtherInTheCatalog() throws InterruptedException {
        String user = keystone.issueToken(alice);
        String admin = keystone.issueToken(boss);
        String project = "/v3/" + alice.projectId();

        HttpJson.Response created = nova.post(user, "/v2.1/servers", "{\"server\": {\"name\": \"ks-1\", "
                + "\"flavorRef\": \"1\", \"imageRef\": \"none\"}}");
        assertThat(created.status()).as(created.raw()).isEqualTo(202);
        String server = created.body().get("server").get("id").asString();
        Await.until("server ACTIVE", () -> nova.get(user, "/v2.1/servers/" + server),
                r -> "ACTIVE".equals(r.body().path("server").path("status").asString("")));
        HttpJson.Response vol = cinder.post(user, project + "/volumes", "{\"volume\": {\"size\": 1}}");
        assertThat(vol.status()).as(vol.raw()).isEqualTo(202);
        String volume = vol.body().get("volume").get("id").asString();
        Await.until("volume available", () -> cinder.get(user, project + "/volumes/" + volume),
                r -> "available".equals(r.body().path("volume").path("status").asString("")));
        HttpJson.Response attached = nova.post(user, "/v2.1/servers/" + server + "/os-volume_attachments",
                "{\"volumeAttachment\": {\"volumeId\": \"" + volume + "\"}}");
        assertThat(attached.status()).as(attached.raw()).isEqualTo(200);
        JsonNode before = cinder.get(admin, project + "/volumes/" + volume).body().get("volume");
        assertThat(before.get("status").asString()).isEqualTo("in-use");
        assertThat(before.get("os-vol-host-attr:host").asString()).isEqualTo(host + "@f1#f1");
        // Nova found Cinder in the catalog and called it for alice's project with alice's token.
        assertThat(toCinder.seen).anySatisfy(x -> {
            assertThat(x.path()).isEqualTo("/v3/" + alice.projectId() + "/attachments");
            assertThat(x.authToken()).isEqualTo(user);
        });
        toNova.seen.clear();
        toCinder.seen.clear();

        HttpJson.Response migrate = cinder.post(admin, project + "/volumes/" + volume + "/action",
                "{\"os-migrate_volume\": {\"host\": \"" + host + "@f2#f2\"}}");
        assertThat(migrate.status()).as(migrate.raw()).isEqualTo(202);
        JsonNode done = Await.until("migration success", () -> cinder.get(admin, project + "/volumes/" + volume),
                r -> "success".equals(r.body().path("volume").path("os-vol-mig-status-attr:migstat").asString("")),
                Duration.ofSeconds(90)).body().get("volume");

        assertThat(done.get("id").asString()).isEqualTo(volume);
        assertThat(done.get("status").asString()).isEqualTo("in-use");
        assertThat(done.get("os-vol-host-attr:host").asString()).isEqualTo(host + "@f2#f2");
        assertThat(done.get("attachments").get(0).get("server_id").asString()).isEqualTo(server);
        JsonNode listed = nova.get(user, "/v2.1/servers/" + server + "/os-volume_attachments").body()
                .get("volumeAttachments");
        assertThat(listed.get(0).get("volumeId").asString()).isEqualTo(volume);

        // Cinder → Nova: the swap, as Cinder's [nova] user, with Cinder's [service_user] token.
        Seen swap = toNova.seen.stream().filter(x -> x.method().equals("PUT")).findFirst().orElseThrow();
        assertThat(swap.path()).isEqualTo("/v2.1/servers/" + server + "/os-volume_attachments/" + volume);
        assertThat(swap.status()).isEqualTo(202);
        assertThat(swap.authToken()).isNotEqualTo(user).isNotEqualTo(admin).doesNotContain(":");
        assertThat(swap.serviceToken()).isNotNull().isNotEqualTo(swap.authToken());
        assertThat(keystone.tokenUser(swap.authToken())).isEqualTo(cinderToNova.userId());
        assertThat(keystone.tokenUser(swap.serviceToken())).isEqualTo(cinderService.userId());
        // Nova → Cinder: the completion with the token Nova was called with, plus Nova's service token.
        Seen completion = toCinder.seen.stream().filter(x -> x.body().contains("os-migrate_volume_completion"))
                .findFirst().orElseThrow();
        assertThat(completion.status()).isEqualTo(200);
        assertThat(completion.authToken()).isEqualTo(swap.authToken());
        assertThat(keystone.tokenUser(completion.serviceToken())).isEqualTo(novaService.userId());
        assertThat(toCinder.seen).allSatisfy(x -> assertThat(x.serviceToken()).isNotNull());
        // The catalog's /v3/%(project_id)s endpoint, with the project of the token each call carries.
        assertThat(completion.path()).isEqualTo("/v3/" + cinderToNova.projectId() + "/volumes/" + volume
                + "/action");

        // Extending the attached volume: Cinder tells Nova with the same two tokens, and Nova takes the event.
        HttpJson.Response extend = cinder.send(user, "POST", project + "/volumes/" + volume + "/action",
                "{\"os-extend\": {\"new_size\": 2}}", "3.42");
        assertThat(extend.status()).as(extend.raw()).isEqualTo(202);
        Await.until("extended", () -> cinder.get(user, project + "/volumes/" + volume),
                r -> r.body().path("volume").path("size").asInt() == 2);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (toNova.seen.stream().noneMatch(x -> x.path().equals("/v2.1/os-server-external-events"))) {
            assertThat(System.nanoTime()).as("timed out waiting for the event at Nova").isLessThan(deadline);
            Thread.sleep(50);
        }
        Seen event = toNova.seen.stream().filter(x -> x.path().equals("/v2.1/os-server-external-events"))
                .findFirst().orElseThrow();
        assertThat(event.status()).isEqualTo(200);
        assertThat(event.body()).contains("volume-extended").contains(server);
        assertThat(keystone.tokenUser(event.authToken())).isEqualTo(cinderToNova.userId());
        assertThat(keystone.tokenUser(event.serviceToken())).isEqualTo(cinderService.userId());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    record Seen(String method, String path, String authToken, String serviceToken, String body, int status) {
    }

    /** Forwards every request to {@code target} and records what it carried. */
    static final class Proxy {
        private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "expect",
                "upgrade");
        final HttpServer server;
        final List<Seen> seen = new CopyOnWriteArrayList<>();
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        Proxy(String target) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.createContext("/", exchange -> {
                try (exchange) {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                            .method(exchange.getRequestMethod(), body.length == 0
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(body));
                    exchange.getRequestHeaders().forEach((name, values) -> {
                        if (!RESTRICTED.contains(name.toLowerCase())) {
                            values.forEach(v -> b.header(name, v));
                        }
                    });
                    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                    seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                            exchange.getRequestHeaders().getFirst("X-Auth-Token"),
                            exchange.getRequestHeaders().getFirst("X-Service-Token"), new String(body),
                            r.statusCode()));
                    r.headers().map().forEach((name, values) -> {
                        if (!RESTRICTED.contains(name.toLowerCase()) && !name.equalsIgnoreCase("transfer-encoding")
                                && !name.startsWith(":")) {
                            values.forEach(v -> exchange.getResponseHeaders().add(name, v));
                        }
                    });
                    exchange.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
                    exchange.getResponseBody().write(r.body());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }
    }
}
