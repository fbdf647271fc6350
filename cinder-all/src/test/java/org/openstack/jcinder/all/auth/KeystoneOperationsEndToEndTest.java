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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.shared.auth.RealKeystone;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.HttpJson;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an operator of a Keystone cloud relies on, against Debian's real Keystone ({@link RealKeystone}) and the
 * all-in-one with {@code auth_strategy = keystone} and keystonemiddleware's default token cache (300 s):
 * <ul>
 *   <li>the real {@code openstack} CLI with a generated {@code clouds.yaml} and the real {@code cinder} CLI with
 *       {@code --os-auth-url} and friends create, list, show and migrate a volume, finding the volume API in the
 *       catalog ({@code volumev3}, registered through Keystone's API in this class's own region);</li>
 *   <li>Keystone stopped for 20 s (its uwsgi process ended, the same port served again afterwards): tokens
 *       validated before keep working from the cache, new ones get Cinder's 503 quickly, volumes are still
 *       created and scheduled; after it is back, new tokens work with no restart of Cinder;</li>
 *   <li>a {@code [nova]} user whose catalog has no compute endpoint in {@code [nova] region_name}: migrating an
 *       attached volume logs keystoneauth's EndpointNotFound and ends in error with the source untouched.</li>
 * </ul>
 */
@ExtendWith(OutputCaptureExtension.class)
class KeystoneOperationsEndToEndTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    private static final JsonNode UNAVAILABLE = JSON.readTree("""
            {"error": {"code": 503, "title": "Service Unavailable",
                       "message": "The Keystone service is temporarily unavailable."}}""");

    @TempDir
    static Path tmp;

    private static RealKeystone keystone;
    private static ConfigurableApplicationContext all;
    private static HttpJson api;
    private static String host;
    private static String region;
    private static RealKeystone.Account alice;
    private static RealKeystone.Account boss;
    private static HttpServer glance;

    @BeforeAll
    static void start() throws Exception {
        keystone = RealKeystone.shared();
        String s = UUID.randomUUID().toString().substring(0, 8);
        host = "ops-" + s;
        region = "Region-ops-" + s;
        RealKeystone.Account cinder = keystone.createAccount("cinder-ops-" + s, "service", "service");
        RealKeystone.Account cinderToNova = keystone.createAccount("cinder-ops-nova-" + s, "service", "admin",
                "service");
        alice = keystone.createAccount("alice-ops-" + s, "project-ops-" + s, "member", "reader");
        boss = keystone.createAccount("boss-ops-" + s, "project-ops-" + s, "admin", "member", "reader");

        Path conf = tmp.resolve("cinder.conf");
        Files.writeString(conf, String.join("\n",
                "[DEFAULT]",
                "host = " + host,
                "enabled_backends = ops-1, ops-2",
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
                // Nova is looked up in the catalog of this user's token, in a region with no compute endpoint.
                "[nova]",
                "auth_type = password",
                "auth_url = " + keystone.url(),
                "username = " + cinderToNova.userName(),
                "password = " + cinderToNova.password(),
                "project_name = service",
                "user_domain_id = default",
                "project_domain_id = default",
                "region_name = " + region,
                "[ops-1]",
                "volume_driver = file",
                "volume_backend_name = ops-1",
                "[ops-2]",
                "volume_driver = file",
                "volume_backend_name = ops-2",
                ""));
        all = CinderAllApplication.start(new String[] {"--data-dir", tmp.resolve("data").toString(),
                "--config-file", conf.toString()});
        String port = Integer.toString(((WebServerApplicationContext) all).getWebServer().getPort());
        api = new HttpJson("http://127.0.0.1:" + port);
        keystone.registerEndpoint("volumev3", "cinderv3", "http://127.0.0.1:" + port + "/v3/%(project_id)s", region);
        // OSC's volume create runs version discovery on the catalog's image endpoint (see KeystoneAuthEndToEndTest):
        // a stand-in that answers discovery only.
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
        keystone.registerEndpoint("image", "glance", glanceUrl, region);
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

    // ------------------------------------------------------------------------------------------------ CLIs

    @Test
    void theOpenstackCliWithCloudsYamlCreatesListsShowsAndMigratesAVolume() throws Exception {
        Path openstack = requireCli("openstack");
        Path cloudsYaml = tmp.resolve("clouds.yaml");
        Files.writeString(cloudsYaml, String.join("\n",
                "clouds:",
                "  jcinder-ops:",
                "    auth_type: password",
                "    auth:",
                "      auth_url: " + keystone.url(),
                "      username: \"" + boss.userName() + "\"",
                "      password: \"" + boss.password() + "\"",
                "      project_name: \"" + boss.projectName() + "\"",
                "      user_domain_name: Default",
                "      project_domain_name: Default",
                "    region_name: " + region,
                "    identity_api_version: 3",
                "    volume_api_version: 3",
                ""));
        String name = "osc-" + UUID.randomUUID().toString().substring(0, 8);

        JsonNode created = JSON.readTree(osc(openstack, cloudsYaml, "volume", "create", "--size", "1", name, "-f",
                "json"));
        String id = created.get("id").asString();
        assertThat(created.get("name").asString()).isEqualTo(name);
        assertThat(created.get("size").asInt()).isEqualTo(1);
        String from = awaitAvailable(id);
        JsonNode listed = JSON.readTree(osc(openstack, cloudsYaml, "volume", "list", "-f", "json"));
        JsonNode shown = JSON.readTree(osc(openstack, cloudsYaml, "volume", "show", id, "-f", "json"));
        String to = otherPool(from);
        String migrate = osc(openstack, cloudsYaml, "volume", "migrate", "--host", to, id);

        assertThat(listed.findValuesAsString("ID")).contains(id);
        assertThat(listed.findValuesAsString("Name")).contains(name);
        assertThat(shown.get("status").asString()).isEqualTo("available");
        assertThat(shown.get("os-vol-tenant-attr:tenant_id").asString()).isEqualTo(boss.projectId());
        assertThat(shown.get("user_id").asString()).isEqualTo(boss.userId());
        assertThat(shown.get("os-vol-host-attr:host").asString()).isEqualTo(from);
        assertThat(migrate).isBlank();
        awaitMigrated(id);
        JsonNode after = JSON.readTree(osc(openstack, cloudsYaml, "volume", "show", id, "-f", "json"));
        assertThat(after.get("os-vol-host-attr:host").asString()).isEqualTo(to);
        assertThat(after.get("os-vol-mig-status-attr:migstat").asString()).isEqualTo("success");
        assertThat(after.get("status").asString()).isEqualTo("available");
    }

    @Test
    void theCinderCliWithOsAuthOptionsCreatesListsShowsAndMigratesAVolume() throws Exception {
        Path cinder = requireCli("cinder");
        String name = "cli-" + UUID.randomUUID().toString().substring(0, 8);

        Map<String, String> created = properties(cinderCli(cinder, "create", "--name", name, "1"));
        String id = created.get("id");
        String from = awaitAvailable(id);
        String listed = cinderCli(cinder, "list");
        Map<String, String> shown = properties(cinderCli(cinder, "show", id));
        String to = otherPool(from);
        String migrate = cinderCli(cinder, "migrate", id, to);

        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(created).containsEntry("name", name).containsEntry("size", "1")
                .containsEntry("os-vol-tenant-attr:tenant_id", boss.projectId())
                .containsEntry("user_id", boss.userId());
        assertThat(listed.lines().filter(l -> l.contains(id)).findFirst()).get().asString()
                .contains(name).contains("available");
        assertThat(shown).containsEntry("id", id).containsEntry("status", "available")
                .containsEntry("os-vol-host-attr:host", from);
        assertThat(migrate).contains("Request to migrate volume").contains("has been accepted");
        awaitMigrated(id);
        Map<String, String> after = properties(cinderCli(cinder, "show", id));
        assertThat(after).containsEntry("os-vol-host-attr:host", to)
                .containsEntry("os-vol-mig-status-attr:migstat", "success")
                .containsEntry("status", "available");
    }

    // ------------------------------------------------------------------------------------ Keystone outage

    @Test
    void keystoneStoppedFor20sCachedTokensWorkNewOnesGet503NothingElseBreaksAndItAllWorksAfterwards() {
        String project = "/v3/" + alice.projectId();
        String cached = keystone.issueToken(alice);
        String fresh = keystone.issueToken(alice);
        String admin = keystone.issueToken(boss);
        assertThat(api.get(cached, project + "/volumes").status()).isEqualTo(200);
        assertThat(api.get(admin, project + "/volumes").status()).isEqualTo(200);

        String during;
        keystone.stopServer();
        long stopped = System.nanoTime();
        try {
            // Each request: the cached token in, the new one out with Cinder's 503, at once (no hang on Keystone).
            HttpJson.Response create = api.post(cached, project + "/volumes",
                    "{\"volume\": {\"size\": 1, \"name\": \"during-outage\"}}");
            assertThat(create.status()).as(create.raw()).isEqualTo(202);
            during = create.body().get("volume").get("id").asString();
            int rounds = 0;
            while (System.nanoTime() - stopped < OUTAGE.toNanos()) {
                HttpJson.Response in = api.get(cached, project + "/volumes/" + during);
                assertThat(in.status()).as(in.raw()).isEqualTo(200);
                long asked = System.nanoTime();
                HttpJson.Response out = api.get(fresh, project + "/volumes");
                assertThat(out.status()).as(out.raw()).isEqualTo(503);
                assertThat(out.body()).isEqualTo(UNAVAILABLE);
                assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(5));
                rounds++;
                sleep(2000);
            }
            assertThat(rounds).isGreaterThanOrEqualTo(5);
            // The scheduler and the volume service never needed Keystone: the volume is there.
            HttpJson.Response made = Await.until("the volume created during the outage available",
                    () -> api.get(cached, project + "/volumes/" + during),
                    r -> "available".equals(r.body().path("volume").path("status").asString("")));
            assertThat(made.body().get("volume").get("name").asString()).isEqualTo("during-outage");
            assertThat(api.get(admin, "/v3/" + boss.projectId() + "/scheduler-stats/get_pools").status())
                    .isEqualTo(200);
        } finally {
            keystone.startServer();
        }

        // Back: the token refused during the outage, and a token issued now, work; nothing was restarted.
        HttpJson.Response back = api.get(fresh, project + "/volumes/" + during);
        assertThat(back.status()).as(back.raw()).isEqualTo(200);
        String newer = keystone.issueToken(alice);
        HttpJson.Response list = api.get(newer, project + "/volumes");
        assertThat(list.status()).as(list.raw()).isEqualTo(200);
        assertThat(list.body().get("volumes").findValuesAsString("id")).contains(during);
        HttpJson.Response delete = api.delete(newer, project + "/volumes/" + during);
        assertThat(delete.status()).as(delete.raw()).isEqualTo(202);
    }

    // ------------------------------------------------------------------------- no compute in the catalog

    @Test
    void noComputeEndpointInTheCatalogFailsTheAttachedMigrationWithTheSourceIntact(CapturedOutput output) {
        String admin = keystone.issueToken(boss);
        String project = "/v3/" + boss.projectId();
        HttpJson.Response vol = api.post(admin, project + "/volumes", "{\"volume\": {\"size\": 1}}");
        assertThat(vol.status()).as(vol.raw()).isEqualTo(202);
        String volume = vol.body().get("volume").get("id").asString();
        String from = awaitAvailable(volume);
        // Attached as Nova attaches: an attachment for a server, with a connector, then completed.
        String server = UUID.randomUUID().toString();
        HttpJson.Response attachment = api.send(admin, "POST", project + "/attachments",
                "{\"attachment\": {\"volume_uuid\": \"" + volume + "\", \"instance_uuid\": \"" + server + "\", "
                        + "\"connector\": {\"host\": \"compute-x\", \"mountpoint\": \"/dev/vdb\", "
                        + "\"multipath\": false, \"platform\": \"x86_64\"}}}", "3.44");
        assertThat(attachment.status()).as(attachment.raw()).isEqualTo(200);
        String attachmentId = attachment.body().get("attachment").get("id").asString();
        HttpJson.Response complete = api.send(admin, "POST", project + "/attachments/" + attachmentId + "/action",
                "{\"os-complete\": {}}", "3.44");
        assertThat(complete.status()).as(complete.raw()).isEqualTo(204);
        assertThat(api.get(admin, project + "/volumes/" + volume).body().get("volume").get("status").asString())
                .isEqualTo("in-use");

        HttpJson.Response migrate = api.post(admin, project + "/volumes/" + volume + "/action",
                "{\"os-migrate_volume\": {\"host\": \"" + otherPool(from) + "\"}}");
        assertThat(migrate.status()).as(migrate.raw()).isEqualTo(202);
        JsonNode failed = Await.until("the migration ends in error", () -> api.get(admin, project + "/volumes/"
                        + volume),
                r -> "error".equals(r.body().path("volume").path("os-vol-mig-status-attr:migstat").asString("")),
                Duration.ofSeconds(60)).body().get("volume");

        assertThat(failed.get("status").asString()).isEqualTo("in-use");
        assertThat(failed.get("os-vol-host-attr:host").asString()).isEqualTo(from);
        assertThat(failed.get("attachments").get(0).get("server_id").asString()).isEqualTo(server);
        assertThat(output.getAll()).contains("Could not find requested endpoint in Service Catalog. "
                + "(service_type compute, interface public, region_name " + region);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** The volume's pool once it is available. */
    private static String awaitAvailable(String id) {
        String admin = keystone.issueToken(boss);
        return Await.until("volume " + id + " available", () -> api.get(admin, "/v3/" + boss.projectId()
                        + "/volumes/" + id),
                r -> "available".equals(r.body().path("volume").path("status").asString("")))
                .body().get("volume").get("os-vol-host-attr:host").asString();
    }

    private static void awaitMigrated(String id) {
        String admin = keystone.issueToken(boss);
        Await.until("volume " + id + " migrated", () -> api.get(admin, "/v3/" + boss.projectId() + "/volumes/"
                        + id),
                r -> "success".equals(r.body().path("volume").path("os-vol-mig-status-attr:migstat").asString("")),
                Duration.ofSeconds(90));
    }

    private static String otherPool(String from) {
        String backend = from.endsWith("@ops-1#ops-1") ? "ops-2" : "ops-1";
        return host + "@" + backend + "#" + backend;
    }

    private static Path requireCli(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        if ("1".equals(System.getenv("CINDER_TEST_REQUIRE_CLI"))) {
            fail("the " + name + " CLI is not installed and CINDER_TEST_REQUIRE_CLI=1");
        }
        Assumptions.abort("the " + name + " CLI is not installed");
        return null;
    }

    /** {@code openstack --os-cloud jcinder-ops …} with only the generated clouds.yaml to go by. */
    private static String osc(Path cli, Path cloudsYaml, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(cli.toString(), "--os-cloud", "jcinder-ops"));
        cmd.addAll(Arrays.asList(args));
        return run(cmd, Map.of("OS_CLIENT_CONFIG_FILE", cloudsYaml.toString()));
    }

    /** {@code cinder} with password authentication from its command-line options. */
    private static String cinderCli(Path cli, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(cli.toString(),
                "--os-auth-type", "password",
                "--os-auth-url", keystone.url(),
                "--os-username", boss.userName(),
                "--os-password", boss.password(),
                "--os-project-name", boss.projectName(),
                "--os-user-domain-name", "Default",
                "--os-project-domain-name", "Default",
                "--os-volume-api-version", "3.44"));
        cmd.addAll(Arrays.asList(args));
        // cinderclient 9 has no --os-region-name (only a hidden --os_region_name): the region from the environment.
        return run(cmd, Map.of("OS_REGION_NAME", region));
    }

    /** Runs a client with no OS_* of the caller's environment and a HOME of its own; fails on a non-zero exit. */
    private static String run(List<String> cmd, Map<String, String> extraEnv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("OS_"));
        env.put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
        env.put("LC_ALL", "C.UTF-8");
        env.putAll(extraEnv);
        Path out = tmp.resolve("cli-" + UUID.randomUUID() + ".out");
        Path err = tmp.resolve("cli-" + UUID.randomUUID() + ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(cmd + " did not finish in 90 s");
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            fail(String.join(" ", cmd).replace(boss.password(), "***") + " exited " + p.exitValue()
                    + "\nstdout: " + stdout + "\nstderr: " + Files.readString(err, StandardCharsets.UTF_8));
        }
        return stdout;
    }

    /** cinderclient's two-column "Property | Value" table as a map. */
    private static Map<String, String> properties(String table) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String line : table.lines().toList()) {
            if (line.startsWith("|")) {
                String[] cells = line.substring(1, line.lastIndexOf('|')).split("\\|", -1);
                if (cells.length == 2 && !cells[0].strip().equals("Property")) {
                    map.put(cells[0].strip(), cells[1].strip());
                }
            }
        }
        assertThat(map).as("a Property | Value table in:\n" + table).isNotEmpty();
        return map;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
