package org.openstack.jcinder.all.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.shared.auth.RealKeystone;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.HttpJson;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The all-in-one with {@code auth_strategy = keystone} against Debian's real Keystone ({@link RealKeystone}):
 * what keystonemiddleware and Cinder's keystonecontext would let through, refuse (401 with their body and
 * {@code WWW-Authenticate}) or fail closed on (503), and the real {@code openstack} CLI with password
 * authentication finding the volume API through Keystone's catalog.
 */
class KeystoneAuthEndToEndTest {

    /** Short, so a revocation shows within the test; long enough to outlive stopping Keystone. */
    private static final int TOKEN_CACHE_TIME = 8;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNode UNAUTHORIZED = JSON.readTree("""
            {"error": {"code": 401, "title": "Unauthorized",
                       "message": "The request you have made requires authentication."}}""");

    @TempDir
    static Path tmp;

    private static RealKeystone keystone;
    private static ConfigurableApplicationContext all;
    private static HttpJson api;
    private static String port;
    private static RealKeystone.Account alice;
    private static RealKeystone.Account bob;
    private static RealKeystone.Account boss;
    private static HttpServer glance;

    @BeforeAll
    static void start() throws Exception {
        keystone = RealKeystone.shared();
        System.out.println("Keystone on " + keystone.url() + ", started in " + keystone.startTime().toMillis() + " ms");
        String s = UUID.randomUUID().toString().substring(0, 8);
        RealKeystone.Account cinder = keystone.createAccount("cinder-" + s, "service", "service");
        alice = keystone.createAccount("alice-" + s, "project-a-" + s, "member", "reader");
        bob = keystone.createAccount("bob-" + s, "project-b-" + s, "member", "reader");
        boss = keystone.createAccount("boss-" + s, "project-a-" + s, "admin", "member", "reader");

        Path conf = tmp.resolve("cinder.conf");
        Files.writeString(conf, String.join("\n",
                "[DEFAULT]",
                "enabled_backends = file-1, file-2",
                "osapi_volume_listen_port = 0",
                "report_interval = 1",
                "auth_strategy = keystone",
                "[keystone_authtoken]",
                "www_authenticate_uri = " + keystone.url(),
                "auth_url = " + keystone.url(),
                "auth_type = password",
                "username = " + cinder.userName(),
                "password = " + cinder.password(),
                "project_name = service",
                "user_domain_name = Default",
                "project_domain_name = Default",
                "token_cache_time = " + TOKEN_CACHE_TIME,
                "memcached_servers = 127.0.0.1:11211",
                "[file-1]",
                "volume_driver = file",
                "volume_backend_name = file-1",
                "[file-2]",
                "volume_driver = file",
                "volume_backend_name = file-2",
                ""));
        all = CinderAllApplication.start(new String[] {"--data-dir", tmp.resolve("data").toString(),
                "--config-file", conf.toString()});
        port = Integer.toString(((WebServerApplicationContext) all).getWebServer().getPort());
        api = new HttpJson("http://127.0.0.1:" + port);
        keystone.registerEndpoint("volumev3", "cinderv3", "http://127.0.0.1:" + port + "/v3/%(project_id)s");
        // OSC 6.0's volume create builds its image client before it looks at --image, and that client runs
        // version discovery on the catalog's image endpoint. A cloud has Glance there; this stand-in answers
        // discovery only, so any real image call would fail the test.
        glance = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String glanceUrl = "http://127.0.0.1:" + glance.getAddress().getPort();
        byte[] versions = ("{\"versions\": [{\"id\": \"v2.16\", \"status\": \"CURRENT\", \"links\": "
                + "[{\"rel\": \"self\", \"href\": \"" + glanceUrl + "/v2/\"}]}]}").getBytes(StandardCharsets.UTF_8);
        glance.createContext("/", exchange -> {
            boolean discovery = exchange.getRequestURI().getPath().matches("/(v2/?)?");
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(discovery ? 300 : 501, discovery ? versions.length : -1);
            if (discovery) {
                exchange.getResponseBody().write(versions);
            }
            exchange.close();
        });
        glance.start();
        keystone.registerEndpoint("image", "glance", glanceUrl);
        String admin = keystone.issueToken(boss);
        Await.until("both pools", () -> api.get(admin, "/v3/" + boss.projectId() + "/scheduler-stats/get_pools"),
                r -> r.status() == 200 && r.body().get("pools").size() == 2);
    }

    @AfterAll
    static void stop() {
        if (all != null) {
            all.close();
        }
        if (glance != null) {
            glance.stop(0);
        }
    }

    @Test
    void aMemberSeesTheVolumesOfItsProjectOnlyAndNoAdminAttributes() {
        String a = keystone.issueToken(alice);
        String b = keystone.issueToken(bob);
        String mine = createVolume(a, alice.projectId(), "alices");
        String theirs = createVolume(b, bob.projectId(), "bobs");

        HttpJson.Response list = api.get(a, "/v3/" + alice.projectId() + "/volumes/detail");

        assertThat(list.status()).as(list.raw()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        list.body().get("volumes").forEach(v -> ids.add(v.get("id").asString()));
        assertThat(ids).contains(mine).doesNotContain(theirs);
        list.body().get("volumes").forEach(v -> assertThat(v.has("os-vol-host-attr:host")).isFalse());
        HttpJson.Response other = api.get(b, "/v3/" + bob.projectId() + "/volumes/" + mine);
        assertThat(other.status()).as(other.raw()).isEqualTo(404);
    }

    @Test
    void anAdminTokenSeesTheAdminOnlyAttributes() {
        String admin = keystone.issueToken(boss);
        String id = createVolume(admin, boss.projectId(), "bosses");

        HttpJson.Response show = Await.until("the volume placed", () -> api.get(admin,
                "/v3/" + boss.projectId() + "/volumes/" + id),
                r -> r.status() == 200 && r.body().get("volume").get("status").asString().equals("available"));

        assertThat(show.body().get("volume").get("os-vol-host-attr:host").asString()).contains("@file-");
    }

    @Test
    void garbageAndMissingTokensAre401WithKeystonemiddlewaresBodyAndWhereToAuthenticate() {
        for (String token : Arrays.asList("garbage", "gAAAAABnot-a-fernet-token", null)) {
            HttpJson.Response r = api.get(token, "/v3/" + alice.projectId() + "/volumes");

            assertThat(r.status()).as(token + ": " + r.raw()).isEqualTo(401);
            assertThat(r.body()).as(r.raw()).isEqualTo(UNAUTHORIZED);
            assertThat(r.headers().firstValue("WWW-Authenticate"))
                    .contains("Keystone uri=\"" + keystone.url() + "\"");
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        }
        HttpJson.Response versions = api.get(null, "/");
        assertThat(versions.status()).as("version discovery needs no token").isEqualTo(300);
    }

    @Test
    void aTokenForProjectAOnProjectBsUrlIsRefused() {
        HttpJson.Response r = api.get(keystone.issueToken(alice), "/v3/" + bob.projectId() + "/volumes");

        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.body().get("badRequest").get("message").asString()).startsWith("Malformed request url");
    }

    @Test
    void anInvalidServiceTokenIsRefusedAndAValidOneIsAccepted() {
        String a = keystone.issueToken(alice);
        HttpJson.Response bad = api.send(a, "GET", "/v3/" + alice.projectId() + "/volumes", null, null,
                Map.of("X-Service-Token", "garbage"));
        assertThat(bad.status()).as(bad.raw()).isEqualTo(401);

        HttpJson.Response good = api.send(a, "GET", "/v3/" + alice.projectId() + "/volumes", null, null,
                Map.of("X-Service-Token", keystone.issueToken(boss)));
        assertThat(good.status()).as(good.raw()).isEqualTo(200);
    }

    @Test
    void aRevokedTokenIsRefusedOnceItsCacheEntryIsGone() {
        String token = keystone.issueToken(alice);
        String path = "/v3/" + alice.projectId() + "/volumes";
        assertThat(api.get(token, path).status()).isEqualTo(200);

        keystone.revoke(token);

        HttpJson.Response refused = Await.until("the revoked token refused", () -> api.get(token, path),
                r -> r.status() != 200, Duration.ofSeconds(TOKEN_CACHE_TIME + 10));
        assertThat(refused.status()).as(refused.raw()).isEqualTo(401);
        assertThat(refused.body()).isEqualTo(UNAUTHORIZED);
    }

    @Test
    void withKeystoneDownCachedTokensStillWorkNewOnesGet503AndAllWorksWhenItReturns() {
        String path = "/v3/" + alice.projectId() + "/volumes";
        String cached = keystone.issueToken(alice);
        String fresh = keystone.issueToken(alice);
        assertThat(api.get(cached, path).status()).isEqualTo(200);

        keystone.stopServer();
        try {
            HttpJson.Response stillIn = api.get(cached, path);
            HttpJson.Response unavailable = api.get(fresh, path);

            assertThat(stillIn.status()).as(stillIn.raw()).isEqualTo(200);
            assertThat(unavailable.status()).as(unavailable.raw()).isEqualTo(503);
            assertThat(unavailable.body().get("error").get("code").asInt()).isEqualTo(503);
            assertThat(unavailable.body().get("error").get("message").asString())
                    .isEqualTo("The Keystone service is temporarily unavailable.");
        } finally {
            keystone.startServer();
        }
        HttpJson.Response back = api.get(fresh, path);
        assertThat(back.status()).as("Keystone is back: " + back.raw()).isEqualTo(200);
    }

    @Test
    void theOpenstackCliWithPasswordAuthCreatesAndListsAVolume() throws Exception {
        Optional<Path> cli = findOnPath("openstack");
        if (cli.isEmpty()) {
            if ("1".equals(System.getenv("CINDER_TEST_REQUIRE_CLI"))) {
                fail("the openstack CLI is not installed and CINDER_TEST_REQUIRE_CLI=1");
            }
            Assumptions.abort("the openstack CLI is not installed (python3-openstackclient)");
        }
        String name = "cli-" + UUID.randomUUID().toString().substring(0, 8);

        JsonNode created = JSON.readTree(openstack(cli.get(), "volume", "create", "--size", "1", name, "-f", "json"));
        JsonNode listed = JSON.readTree(openstack(cli.get(), "volume", "list", "-f", "json"));

        assertThat(created.get("name").asString()).isEqualTo(name);
        List<String> names = new ArrayList<>();
        listed.forEach(v -> names.add(v.get("Name").asString()));
        assertThat(names).contains(name);
        HttpJson.Response show = api.get(keystone.issueToken(alice),
                "/v3/" + alice.projectId() + "/volumes/" + created.get("id").asString());
        assertThat(show.status()).as("created in alice's project: " + show.raw()).isEqualTo(200);
    }

    @Test
    void anAdminMigratesAVolumeWithTheOpenstackCliAndTheCinderCliShowsIt() throws Exception {
        Path openstack = requireCli("openstack");
        Path cinder = requireCli("cinder");
        String name = "mig-" + UUID.randomUUID().toString().substring(0, 8);
        String id = JSON.readTree(run(openstack, boss, "volume", "create", "--size", "1", name, "-f", "json"))
                .get("id").asString();
        String admin = keystone.issueToken(boss);
        String path = "/v3/" + boss.projectId() + "/volumes/" + id;
        String from = Await.until("available", () -> api.get(admin, path),
                r -> r.body().get("volume").get("status").asString().equals("available"))
                .body().get("volume").get("os-vol-host-attr:host").asString();
        String backend = from.contains("@file-1") ? "file-2" : "file-1";
        String to = from.substring(0, from.indexOf('@')) + "@" + backend + "#" + backend;

        run(openstack, boss, "volume", "migrate", "--host", to, id);

        Await.until("migrated", () -> api.get(admin, path),
                r -> r.body().get("volume").get("migration_status").asString("").equals("success"));
        JsonNode shown = JSON.readTree(run(openstack, boss, "volume", "show", id, "-f", "json"));
        assertThat(shown.get("os-vol-host-attr:host").asString()).isEqualTo(to);
        String listed = run(cinder, boss, "list");
        assertThat(listed).contains(id).contains(name);
        assertThat(run(cinder, boss, "show", id)).contains(to);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static Path requireCli(String name) {
        Optional<Path> cli = findOnPath(name);
        if (cli.isEmpty()) {
            if ("1".equals(System.getenv("CINDER_TEST_REQUIRE_CLI"))) {
                fail("the " + name + " CLI is not installed and CINDER_TEST_REQUIRE_CLI=1");
            }
            Assumptions.abort("the " + name + " CLI is not installed");
        }
        return cli.get();
    }

    private static String createVolume(String token, String project, String name) {
        HttpJson.Response r = api.post(token, "/v3/" + project + "/volumes",
                "{\"volume\": {\"size\": 1, \"name\": \"" + name + "\"}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        return r.body().get("volume").get("id").asString();
    }

    /** The CLI as a user runs it: password authentication from {@code OS_*} variables, the catalog for the rest. */
    private static String openstack(Path cli, String... args) throws Exception {
        return run(cli, alice, args);
    }

    private static String run(Path cli, RealKeystone.Account who, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(cli.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("OS_"));
        env.put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
        env.put("OS_AUTH_URL", keystone.url());
        env.put("OS_AUTH_TYPE", "password");
        env.put("OS_IDENTITY_API_VERSION", "3");
        env.put("OS_USERNAME", who.userName());
        env.put("OS_PASSWORD", who.password());
        env.put("OS_PROJECT_NAME", who.projectName());
        env.put("OS_USER_DOMAIN_NAME", "Default");
        env.put("OS_PROJECT_DOMAIN_NAME", "Default");
        env.put("OS_VOLUME_API_VERSION", "3");
        // Other test classes register their own services in regions of their own in this shared Keystone.
        env.put("OS_REGION_NAME", "RegionOne");
        Path out = tmp.resolve("cli-" + UUID.randomUUID() + ".out");
        Path err = tmp.resolve("cli-" + UUID.randomUUID() + ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(cmd + " did not finish in 60 s");
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            fail(cmd + " exited " + p.exitValue() + "\nstdout: " + stdout + "\nstderr: "
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return stdout;
    }

    private static Optional<Path> findOnPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
