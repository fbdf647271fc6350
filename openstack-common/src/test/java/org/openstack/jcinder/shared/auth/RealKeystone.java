package org.openstack.jcinder.shared.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Debian's Keystone (package {@code keystone}, 22.x) run for tests without systemd: a fresh PostgreSQL database
 * on the local server ({@code CINDER_TEST_PG}, default {@code postgresql://postgres@127.0.0.1:5432}, trust auth),
 * a fernet key repository in a temporary directory, {@code keystone-manage db_sync}, {@code bootstrap}, then
 * {@code keystone-wsgi-public} under uwsgi on a free loopback port. Users, projects, roles, services and
 * endpoints are created through its API, as an operator's tools would.
 *
 * <p>One per JVM ({@link #shared()}, about 30 s to start; removed at exit): the test classes of a module share
 * it, each creating projects and users with names of its own. Without Keystone installed the calling test class
 * is skipped, unless {@code CINDER_TEST_REQUIRE_KEYSTONE=1} (CI), where that is a failure.
 */
public final class RealKeystone {

    public static final String ADMIN_PASSWORD = "admin-" + UUID.randomUUID();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path KEYSTONE_MANAGE = Path.of("/usr/bin/keystone-manage");
    private static final Path KEYSTONE_WSGI = Path.of("/usr/bin/keystone-wsgi-public");
    private static final Path UWSGI_PYTHON3 = Path.of("/usr/lib/uwsgi/plugins/python3_plugin.so");
    private static RealKeystone shared;

    private final Path dir;
    private final Path conf;
    private final String database;
    private final String pgUrl;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Process uwsgi;
    private String adminToken;
    private String adminProjectId;
    private Duration startTime;

    /** A user with a password and the project its tokens are scoped to. */
    public record Account(String userId, String userName, String password, String projectId, String projectName) {
    }

    private RealKeystone(Path dir, String database, String pgUrl, int port) {
        this.dir = dir;
        this.conf = dir.resolve("keystone.conf");
        this.database = database;
        this.pgUrl = pgUrl;
        this.port = port;
    }

    /** This JVM's Keystone, started on first use; the calling test class is skipped when it cannot run here. */
    public static synchronized RealKeystone shared() {
        String missing = missing();
        if (missing != null) {
            if ("1".equals(System.getenv("CINDER_TEST_REQUIRE_KEYSTONE"))) {
                Assertions.fail(missing + " and CINDER_TEST_REQUIRE_KEYSTONE=1");
            }
            Assumptions.abort(missing + " (apt-get install keystone uwsgi-plugin-python3)");
        }
        if (shared == null) {
            RealKeystone k = create();
            Runtime.getRuntime().addShutdownHook(new Thread(k::destroy, "keystone-cleanup"));
            k.bootstrap();
            k.startServer();
            shared = k;
        } else if (shared.uwsgi == null || !shared.uwsgi.isAlive()) {
            shared.startServer(); // a test stopped it to play an outage
        }
        return shared;
    }

    private static String missing() {
        for (Path p : List.of(KEYSTONE_MANAGE, KEYSTONE_WSGI, UWSGI_PYTHON3, Path.of("/usr/bin/uwsgi"))) {
            if (!Files.exists(p)) {
                return "Keystone cannot run here: " + p + " is missing";
            }
        }
        return null;
    }

    private static RealKeystone create() {
        String pg = System.getenv().getOrDefault("CINDER_TEST_PG", "postgresql://postgres@127.0.0.1:5432")
                .replaceAll("/+$", "");
        String db = "jcinder_keystone_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            return new RealKeystone(Files.createTempDirectory("jcinder-keystone-"), db, pg, freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/v3";
    }

    public Duration startTime() {
        return startTime;
    }

    // ------------------------------------------------------------------------------------------ life cycle

    private void bootstrap() {
        long started = System.nanoTime();
        try {
            Files.writeString(conf, String.join("\n",
                    "[DEFAULT]",
                    "log_file = " + dir.resolve("keystone.log"),
                    "[database]",
                    "connection = " + pgUrl + "/" + database,
                    "[identity]",
                    "password_hash_rounds = 4", // bcrypt's least: a test issues many tokens, each one hashes
                    "[token]",
                    "provider = fernet",
                    "expiration = 3600",
                    "[fernet_tokens]",
                    "key_repository = " + dir.resolve("fernet-keys"),
                    "[credential]",
                    "key_repository = " + dir.resolve("credential-keys"),
                    ""));
            run(List.of("psql", pgUrl + "/postgres", "-q", "-c", "CREATE DATABASE " + database));
            // Key repositories and the schema do not depend on each other: set them up side by side.
            Process fernet = start(manage("fernet_setup", "--keystone-user", "root", "--keystone-group", "root"),
                    "fernet_setup");
            Process credential = start(manage("credential_setup", "--keystone-user", "root", "--keystone-group",
                    "root"), "credential_setup");
            run(manage("db_sync"));
            await(fernet, "fernet_setup");
            await(credential, "credential_setup");
            run(manage("bootstrap", "--bootstrap-password", ADMIN_PASSWORD, "--bootstrap-public-url", url() + "/",
                    "--bootstrap-region-id", "RegionOne"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        startTime = Duration.ofNanos(System.nanoTime() - started);
    }

    /** Serves Keystone (again, after {@link #stopServer()}); returns once it answers. */
    public synchronized void startServer() {
        long started = System.nanoTime();
        try {
            ProcessBuilder pb = new ProcessBuilder("uwsgi", "--plugin", "python3", "--http-socket",
                    "127.0.0.1:" + port, "--wsgi-file", KEYSTONE_WSGI.toString(), "--env",
                    "OS_KEYSTONE_CONFIG_FILES=" + conf, "--master", "--processes", "1", "--threads", "4",
                    "--enable-threads", "--die-on-term", "--need-app",
                    // uwsgi's plain http-socket closes each connection after one answer without saying so,
                    // and a client reusing it fails its next POST; saying so makes clients reconnect.
                    "--add-header", "Connection: close")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("uwsgi.log").toFile()));
            pb.environment().put("OS_KEYSTONE_CONFIG_FILES", conf.toString());
            uwsgi = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url())).timeout(
                        Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (!uwsgi.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("Keystone did not start on " + url() + "; see "
                        + dir.resolve("uwsgi.log") + " and keystone.log: " + tail(dir.resolve("uwsgi.log")));
            }
            sleep(200);
        }
        startTime = (startTime == null ? Duration.ZERO : startTime).plusNanos(System.nanoTime() - started);
        adminToken = null;
    }

    /** Stops serving (the database and keys stay), to play an outage; {@link #startServer()} brings it back. */
    public synchronized void stopServer() {
        Process p = uwsgi;
        if (p == null) {
            return;
        }
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy(); // --die-on-term: SIGTERM ends the master and its worker
        try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        uwsgi = null;
    }

    private void destroy() {
        stopServer();
        try {
            run(List.of("psql", pgUrl + "/postgres", "-q", "-c",
                    "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)"));
        } catch (RuntimeException | IOException e) {
            System.err.println("keystone test database " + database + " not dropped: " + e);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; nothing else depends on it
        }
    }

    // --------------------------------------------------------------------------------------------- the API

    /** A token for {@code account}, scoped to its project. */
    public String issueToken(Account account) {
        return issueToken(account.userName(), account.password(), account.projectName());
    }

    public String issueToken(String user, String password, String project) {
        String body = """
                {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": %s,
                 "domain": {"id": "default"}, "password": %s}}},
                 "scope": {"project": {"name": %s, "domain": {"id": "default"}}}}}"""
                .formatted(quote(user), quote(password), quote(project));
        HttpResponse<String> r = send("POST", "/auth/tokens", null, body, Map.of());
        expect(r, 201, "issue a token for " + user);
        return r.headers().firstValue("X-Subject-Token").orElseThrow();
    }

    /** {@code DELETE /v3/auth/tokens}: Keystone refuses the token from now on. */
    public void revoke(String token) {
        expect(send("DELETE", "/auth/tokens", admin(), null, Map.of("X-Subject-Token", token)), 204,
                "revoke a token");
    }

    /** The id of the user {@code token} was issued to ({@code GET /v3/auth/tokens}); fails when it is not valid. */
    public String tokenUser(String token) {
        return json(expect(send("GET", "/auth/tokens?nocatalog", admin(), null, Map.of("X-Subject-Token", token)),
                200, "validate a token")).path("token").path("user").path("id").asString();
    }

    public String createProject(String name) {
        return create("/projects", "project", Map.of("name", name, "domain_id", "default"));
    }

    public String roleId(String name) {
        JsonNode roles = json(expect(send("GET", "/roles?name=" + name, admin(), null, Map.of()), 200, "list roles"))
                .path("roles");
        return roles.isEmpty() ? create("/roles", "role", Map.of("name", name)) : roles.get(0).path("id").asString();
    }

    /** A new user with {@code roles} on a new project (or the named one, created when it does not exist). */
    public Account createAccount(String userName, String projectName, String... roles) {
        String projectId = projectId(projectName);
        String password = "pw-" + UUID.randomUUID();
        String userId = create("/users", "user", Map.of("name", userName, "password", password,
                "domain_id", "default", "default_project_id", projectId));
        for (String role : roles) {
            expect(send("PUT", "/projects/" + projectId + "/users/" + userId + "/roles/" + roleId(role), admin(),
                    null, Map.of()), 204, "grant " + role);
        }
        return new Account(userId, userName, password, projectId, projectName);
    }

    /** A catalog entry, so clients that look services up (the {@code openstack} CLI) find {@code url}. */
    public void registerEndpoint(String type, String name, String url) {
        registerEndpoint(type, name, url, "RegionOne");
    }

    /**
     * A service with public, internal and admin endpoints at {@code url} in {@code region} (created when new), as
     * {@code openstack service create} and {@code openstack endpoint create} do. Test classes share this
     * Keystone: each registers in a region of its own and looks up in it only.
     */
    public void registerEndpoint(String type, String name, String url, String region) {
        HttpResponse<String> r = send("POST", "/regions", admin(), JSON.writeValueAsString(
                Map.of("region", Map.of("id", region))), Map.of());
        if (r.statusCode() != 201 && r.statusCode() != 409) {
            expect(r, 201, "create region " + region);
        }
        String serviceId = create("/services", "service", Map.of("type", type, "name", name));
        for (String iface : List.of("public", "internal", "admin")) {
            create("/endpoints", "endpoint", Map.of("service_id", serviceId, "interface", iface, "url", url,
                    "region_id", region));
        }
    }

    private String projectId(String name) {
        JsonNode found = json(expect(send("GET", "/projects?name=" + name, admin(), null, Map.of()), 200,
                "list projects")).path("projects");
        return found.isEmpty() ? createProject(name) : found.get(0).path("id").asString();
    }

    private String create(String path, String kind, Map<String, Object> fields) {
        String body = JSON.writeValueAsString(Map.of(kind, fields));
        return json(expect(send("POST", path, admin(), body, Map.of()), 201, "create " + kind + " " + fields))
                .path(kind).path("id").asString();
    }

    private synchronized String admin() {
        if (adminToken == null) {
            adminToken = issueToken("admin", ADMIN_PASSWORD, "admin");
        }
        return adminToken;
    }

    private HttpResponse<String> send(String method, String path, String token, String body,
                                      Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        if (token != null) {
            b.header("X-Auth-Token", token);
        }
        headers.forEach(b::header);
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> expect(HttpResponse<String> r, int status, String what) {
        if (r.statusCode() != status) {
            throw new IllegalStateException("Keystone: " + what + ": " + r.statusCode() + " " + r.body());
        }
        return r;
    }

    private static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    private static String quote(String s) {
        return JSON.writeValueAsString(s);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private List<String> manage(String... args) {
        List<String> cmd = new ArrayList<>(List.of(KEYSTONE_MANAGE.toString(), "--config-file", conf.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private Process start(List<String> cmd, String name) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".out").toFile()).start();
    }

    private void run(List<String> cmd) throws IOException {
        String name = cmd.size() > 3 && cmd.get(0).equals(KEYSTONE_MANAGE.toString()) ? cmd.get(3) : "psql";
        await(start(cmd, name), name);
    }

    private void await(Process p, String name) {
        try {
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(name + " did not finish in 180 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(name + " failed (" + p.exitValue() + "): "
                    + tail(dir.resolve(name + ".out")));
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(" + file + " unreadable)";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
