package org.openstack.jcinder.all.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.api.CinderApiApplication;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.CinderServiceLauncher;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.CinderConfFile;
import org.openstack.jcinder.testsupport.HttpJson;
import org.openstack.jcinder.testsupport.TestServices;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What operators watch, through the management listener of a real all-in-one (file backends, PostgreSQL,
 * RabbitMQ): the migration, RPC, API and capacity meters after real migrations, readiness with a backend whose
 * driver could not initialise, readiness following the database, and JSON log lines carrying the request id.
 */
class OperationsEndToEndTest {

    private static final String ADMIN = "admin:proj-ops";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    static String host;
    static String database;
    static ConfigurableApplicationContext all;
    static HttpJson http;
    static String management;
    static final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    static PrintStream originalOut;

    @BeforeAll
    static void start() throws Exception {
        database = TestServices.freshDatabase();
        host = "ops-" + UUID.randomUUID().toString().substring(0, 8);
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        Path conf = CinderConfFile.write(dir, "cinder.conf", String.join("\n",
                "[DEFAULT]",
                "host = " + host,
                "enabled_backends = f1, f2, broken",
                "transport_url = " + TestServices.transportUrl(),
                "osapi_volume_listen_port = 0",
                "report_interval = 1",
                "log_format = json",
                "[database]",
                "connection = " + database,
                "[f1]",
                "volume_driver = file",
                "file_volume_capacity_gb = 100",
                "[f2]",
                "volume_driver = file",
                "file_volume_capacity_gb = 50",
                "[broken]",
                "volume_driver = file",
                // A directory under a regular file cannot be created: the driver fails to initialise.
                "file_volume_dir = " + notADirectory.resolve("volumes")));
        // Logback's console appender writes to whatever System.out is at the time: a tee keeps the lines.
        originalOut = System.out;
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                originalOut.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                originalOut.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8));
        all = CinderAllApplication.start(new String[] {"--config-file", conf.toString(), "--data-dir",
                dir.resolve("data").toString(), "--no-compute"});
        http = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) all).getWebServer().getPort());
        management = "http://127.0.0.1:" + all.getEnvironment().getProperty("local.management.port");
        Await.until("two usable pools", () -> http.get(ADMIN, "/v3/scheduler-stats/get_pools?detail=true"),
                r -> r.status() == 200 && r.body().get("pools").size() >= 2);
    }

    @AfterAll
    static void stop() {
        if (all != null) {
            all.close();
        }
        if (originalOut != null) {
            System.setOut(originalOut);
        }
    }

    static HttpResponse<String> get(String url) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The sum of the samples of {@code name} whose labels include every one of {@code labels}. */
    static double sample(String metrics, String name, Map<String, String> labels) {
        double sum = 0;
        boolean found = false;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            if (labels.entrySet().stream().allMatch(l -> line.contains(l.getKey() + "=\"" + l.getValue() + "\""))) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? sum : Double.NaN;
    }

    private static String createUntyped() {
        String id = http.post(ADMIN, "/v3/volumes", "{\"volume\": {\"size\": 1}}").body().get("volume").get("id")
                .stringValue();
        Await.until("available", () -> http.get(ADMIN, "/v3/volumes/" + id),
                r -> "available".equals(r.body().get("volume").get("status").stringValue()));
        return id;
    }

    private static void migrateAndWait(String id, String body) {
        HttpJson.Response r = http.post(ADMIN, "/v3/volumes/" + id + "/action", "{\"os-migrate_volume\": " + body + "}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        Await.until("migration success", () -> http.get(ADMIN, "/v3/volumes/" + id),
                v -> "success".equals(v.body().get("volume").get("migration_status").stringValue()));
    }

    @Test
    void migrationsMoveTheMetersWithPathBackendAndOutcome() throws Exception {
        String id = createUntyped();
        // The capacity weigher puts it on f1 (100 GiB against 50); then driver-native to f2, generic back.
        migrateAndWait(id, "{\"host\": \"" + host + "@f2#f2\", \"force_host_copy\": false}");
        migrateAndWait(id, "{\"host\": \"" + host + "@f1#f1\", \"force_host_copy\": true}");

        HttpResponse<String> scrape = get(management + "/metrics");
        assertThat(scrape.statusCode()).isEqualTo(200);
        String m = scrape.body();
        assertThat(sample(m, "cinder_migrations_started_total", Map.of("path", "driver", "backend", "f1")))
                .isEqualTo(1.0);
        assertThat(sample(m, "cinder_migrations_finished_total",
                Map.of("path", "driver", "backend", "f1", "outcome", "success"))).isEqualTo(1.0);
        assertThat(sample(m, "cinder_migrations_started_total", Map.of("path", "generic", "backend", "f2")))
                .isEqualTo(1.0);
        assertThat(sample(m, "cinder_migrations_finished_total",
                Map.of("path", "generic", "backend", "f2", "outcome", "success"))).isEqualTo(1.0);
        assertThat(sample(m, "cinder_migration_copied_bytes_total", Map.of("path", "generic", "backend", "f2")))
                .isEqualTo((double) (1L << 30));
        assertThat(sample(m, "cinder_migration_phase_duration_seconds_count",
                Map.of("path", "generic", "backend", "f2", "phase", "copying"))).isEqualTo(1.0);
        assertThat(sample(m, "cinder_migration_phase_duration_seconds_bucket",
                Map.of("path", "generic", "phase", "copying", "le", "+Inf"))).isEqualTo(1.0);
        assertThat(sample(m, "cinder_migration_copy_rate_bytes_per_second_count",
                Map.of("path", "generic", "backend", "f2"))).isEqualTo(1.0);
        // RPC: the API cast the migration to the scheduler; calls are timed with their outcome.
        assertThat(sample(m, "cinder_rpc_client_seconds_count",
                Map.of("kind", "cast", "service", "cinder-scheduler", "outcome", "ok"))).isGreaterThanOrEqualTo(2);
        // API requests by route template and status.
        assertThat(sample(m, "http_server_requests_seconds_count",
                Map.of("uri", "/v3/volumes/{volumeId}/action", "status", "202"))).as(m.lines()
                .filter(l -> l.startsWith("http_server_requests_seconds_count")).toList().toString())
                .isGreaterThanOrEqualTo(2);
        // Capacity from the capability reports.
        assertThat(sample(m, "cinder_backend_capacity_gibibytes",
                Map.of("backend", host + "@f1", "pool", "f1", "kind", "total"))).isEqualTo(100.0);
        assertThat(sample(m, "cinder_backend_up", Map.of("backend", host + "@broken"))).isEqualTo(0.0);

        // log_format = json: the migration's lines carry its volume, migration id and phase as fields.
        assertThat(jsonLines()).anySatisfy(l -> {
            assertThat(l.path("volume_id").asString("")).isEqualTo(id);
            assertThat(l.path("migration_id").asString("")).isNotEmpty();
            assertThat(l.path("phase").asString("")).isNotEmpty();
        });
    }

    private static List<JsonNode> jsonLines() {
        List<JsonNode> lines = new ArrayList<>();
        String out;
        synchronized (captured) {
            out = captured.toString(StandardCharsets.UTF_8);
        }
        for (String line : out.split("\n")) {
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line)); // every JSON line parses on its own
            }
        }
        return lines;
    }

    @Test
    void readinessIsDownWithTheReasonWhileABackendFailedToInitialise() throws Exception {
        HttpResponse<String> live = get(management + "/health/liveness");
        assertThat(live.statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get(management + "/health/readiness");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
        JsonNode body = JSON.readTree(ready.body());
        assertThat(body.get("status").stringValue()).isEqualTo("DOWN");
        JsonNode backends = body.get("components").get("backends");
        assertThat(backends.get("status").stringValue()).isEqualTo("DOWN");
        assertThat(backends.get("details").get(host + "@broken").stringValue()).startsWith("down: ")
                .contains("cannot create volume directory");
        assertThat(backends.get("details").get(host + "@f1").stringValue()).isEqualTo("up");
        assertThat(body.get("components").get("db").get("status").stringValue()).isEqualTo("UP");
        assertThat(body.get("components").get("rabbit").get("status").stringValue()).isEqualTo("UP");
    }

    @Test
    void jsonLogLinesParseAndCarryTheRequestId() throws Exception {
        HttpJson.Response created = http.post(ADMIN, "/v3/volumes", "{\"volume\": {\"size\": 1}}");
        String requestId = created.headers().firstValue("x-openstack-request-id").orElseThrow();
        String volumeId = created.body().get("volume").get("id").stringValue();
        Await.until("available", () -> http.get(ADMIN, "/v3/volumes/" + volumeId),
                r -> "available".equals(r.body().get("volume").get("status").stringValue()));
        List<JsonNode> lines = jsonLines();
        assertThat(lines).isNotEmpty();
        assertThat(lines).allSatisfy(l -> {
            assertThat(l.has("@timestamp")).isTrue();
            assertThat(l.has("level")).isTrue();
            assertThat(l.has("logger_name")).isTrue();
            assertThat(l.has("message")).isTrue();
        });
        assertThat(lines).anySatisfy(l -> assertThat(l.path("request_id").asString("")).isEqualTo(requestId));
    }

    /**
     * A standalone cinder-volume serves the management endpoints only when [management] port is set, as its
     * only HTTP listener: its broken backend shows in readiness, and its meters scrape.
     */
    @Test
    void standaloneVolumeServiceServesReadinessAndMetrics() throws Exception {
        Path conf = CinderConfFile.write(dir, "volume-only.conf", String.join("\n",
                "[DEFAULT]",
                "host = " + host + "-standalone",
                "enabled_backends = broken",
                "transport_url = " + TestServices.transportUrl(),
                "[management]",
                "port = 0",
                "[database]",
                "connection = " + database,
                "[broken]",
                "volume_driver = file",
                "file_volume_dir = " + dir.resolve("plain-file").resolve("volumes")));
        try (ConfigurableApplicationContext volume = CinderServiceLauncher.run(
                org.openstack.jcinder.volume.CinderVolumeApplication.class, CinderConfig.load(conf), false,
                new String[0])) {
            String base = "http://127.0.0.1:" + ((WebServerApplicationContext) volume).getWebServer().getPort();
            HttpResponse<String> ready = get(base + "/health/readiness");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
            assertThat(JSON.readTree(ready.body()).get("components").get("backends").get("details")
                    .get(host + "-standalone@broken").stringValue()).startsWith("down: ");
            assertThat(get(base + "/health/liveness").statusCode()).isEqualTo(200);
            HttpResponse<String> metrics = get(base + "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes");
            // No API here: nothing answers on the management listener but the management endpoints.
            assertThat(get(base + "/v3/volumes").statusCode()).isEqualTo(404);
        }
    }

    /** A standalone cinder-scheduler: ready, and its capacity gauges follow the reports of the running backends. */
    @Test
    void standaloneSchedulerServesReadinessAndCapacity() throws Exception {
        Path conf = CinderConfFile.write(dir, "scheduler-only.conf", String.join("\n",
                "[DEFAULT]",
                "transport_url = " + TestServices.transportUrl(),
                "[management]",
                "port = 0",
                "[database]",
                "connection = " + database));
        try (ConfigurableApplicationContext scheduler = CinderServiceLauncher.run(
                org.openstack.jcinder.scheduler.CinderSchedulerApplication.class, CinderConfig.load(conf), false,
                new String[0])) {
            String base = "http://127.0.0.1:" + ((WebServerApplicationContext) scheduler).getWebServer().getPort();
            HttpResponse<String> ready = get(base + "/health/readiness");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            double total = Double.NaN;
            for (int i = 0; i < 50 && Double.isNaN(total); i++) {
                total = sample(get(base + "/metrics").body(), "cinder_backend_capacity_gibibytes",
                        Map.of("backend", host + "@f2", "pool", "f2", "kind", "total"));
                if (Double.isNaN(total)) {
                    Thread.sleep(200);
                }
            }
            assertThat(total).isEqualTo(50.0);
        }
    }

    /** The database behind a loopback proxy: readiness goes DOWN when it closes and UP again after. */
    @Test
    void readinessFollowsTheDatabase() throws Exception {
        URI pg = URI.create(database.replace("postgresql://", "http://"));
        try (CrashSafetyTest.Proxy proxy = new CrashSafetyTest.Proxy(pg.getHost(), pg.getPort())) {
            String viaProxy = database.replace(pg.getHost() + ":" + pg.getPort(), "127.0.0.1:" + proxy.port());
            Path conf = CinderConfFile.write(dir, "api-db-proxy.conf", String.join("\n",
                    "[DEFAULT]",
                    "transport_url = " + TestServices.transportUrl(),
                    "osapi_volume_listen_port = 0",
                    "[database]",
                    "connection = " + viaProxy));
            try (ConfigurableApplicationContext api = CinderServiceLauncher.run(CinderApiApplication.class,
                    CinderConfig.load(conf), true, new String[0])) {
                String readiness = "http://127.0.0.1:" + api.getEnvironment().getProperty("local.management.port")
                        + "/health/readiness";
                assertThat(get(readiness).statusCode()).isEqualTo(200);
                proxy.down();
                HttpResponse<String> down = get(readiness);
                assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
                assertThat(JSON.readTree(down.body()).get("components").get("db").get("status").stringValue())
                        .isEqualTo("DOWN");
                proxy.up();
                int status = 0;
                for (int i = 0; i < 50 && status != 200; i++) {
                    status = get(readiness).statusCode();
                    if (status != 200) {
                        Thread.sleep(200);
                    }
                }
                assertThat(status).isEqualTo(200);
            }
        }
    }
}
