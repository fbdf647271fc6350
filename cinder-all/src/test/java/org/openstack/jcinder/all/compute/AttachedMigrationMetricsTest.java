package org.openstack.jcinder.all.compute;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.all.EmbeddedCompute;
import org.openstack.jcinder.compute.manager.VolumeSwapService;
import org.openstack.jcinder.compute.virt.HypervisorDriver;
import org.openstack.jcinder.compute.virt.simulated.SimulatedHypervisor;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.CinderConfFile;
import org.openstack.jcinder.testsupport.HttpJson;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The attached path's meters, as an operator scrapes them: one attached migration through the all-in-one with its
 * embedded compute service (simulated hypervisor, a guest writing throughout) moves Cinder's
 * {@code cinder_migration*} meters for path {@code attached} on Cinder's management listener and the swap, copy,
 * pivot and completion meters on the compute service's own listener; a swap whose domain vanishes counts as an
 * error on both sides. (The driver and generic paths: OperationsEndToEndTest.) Each test compares a scrape after
 * with one before, so their order does not matter.
 */
class AttachedMigrationMetricsTest {

    static final String ADMIN = "admin:proj-m";
    static final String USER = "bob:proj-m";
    static final double GIB = 1L << 30;
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    static String host;
    static ConfigurableApplicationContext all;
    static HttpJson cinder;
    static HttpJson nova;
    static String cinderMetrics;
    static String computeMetrics;
    static SimulatedHypervisor hypervisor;
    static VolumeSwapService swaps;

    @BeforeAll
    static void start() {
        host = "attm-" + UUID.randomUUID().toString().substring(0, 8);
        Path cinderConf = TwoFileBackends.cinderConf(dir, host, 0);
        Path novaConf = CinderConfFile.write(dir, "nova.conf", String.join("\n",
                "[DEFAULT]",
                "compute_driver = simulated",
                "osapi_compute_listen_port = 0",
                "[simulated]",
                "guest_workload = journal",
                "[compute]",
                "swap_volume_bandwidth = 268435456"));
        all = CinderAllApplication.start(new String[] {"--config-file", cinderConf.toString(),
                "--compute-config-file", novaConf.toString(), "--data-dir", dir.resolve("data").toString()});
        cinder = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) all).getWebServer().getPort());
        cinderMetrics = "http://127.0.0.1:" + all.getEnvironment().getProperty("local.management.port") + "/metrics";
        EmbeddedCompute compute = all.getBean(EmbeddedCompute.class);
        nova = new HttpJson(compute.endpoint().replace("/v2.1", ""));
        computeMetrics = "http://127.0.0.1:" + compute.context().getEnvironment().getProperty("local.management.port")
                + "/metrics";
        assertThat(computeMetrics).isNotEqualTo(cinderMetrics).doesNotContain(":null/");
        hypervisor = (SimulatedHypervisor) compute.context().getBean(HypervisorDriver.class);
        swaps = compute.context().getBean(VolumeSwapService.class);
        Await.until("both pools", () -> cinder.get(ADMIN, "/v3/scheduler-stats/get_pools"),
                r -> r.status() == 200 && r.body().get("pools").size() == 2);
    }

    @AfterAll
    static void stop() {
        if (all != null) {
            all.close();
        }
    }

    @Test
    void anAttachedMigrationMovesCindersAndTheComputeServicesMeters() throws Exception {
        Scrape cinderBefore = Scrape.of(cinderMetrics);
        Scrape computeBefore = Scrape.of(computeMetrics);
        String server = activeServer("metered");
        String volume = attachedVolume(server);

        migrate(volume);
        Await.until("migration success", () -> cinder.get(ADMIN, "/v3/volumes/" + volume),
                r -> "success".equals(r.body().get("volume").path("migration_status").asString(null)),
                Duration.ofSeconds(90));

        Scrape c = Scrape.of(cinderMetrics).minus(cinderBefore);
        Map<String, String> attachedF1 = Map.of("path", "attached", "backend", "f1");
        assertThat(c.value("cinder_migrations_started_total", attachedF1)).isEqualTo(1.0);
        assertThat(c.value("cinder_migrations_finished_total", Map.of("path", "attached", "backend", "f1",
                "outcome", "success"))).isEqualTo(1.0);
        assertThat(c.value("cinder_migrations_finished_total", Map.of("path", "attached", "outcome", "error")))
                .isZero();
        // The whole volume, though the compute service's last progress report came before the pivot.
        assertThat(c.value("cinder_migration_copied_bytes_total", attachedF1)).isEqualTo(GIB);
        assertThat(c.value("cinder_migration_phase_duration_seconds_count", Map.of("path", "attached",
                "backend", "f1", "phase", "waiting-for-compute"))).isEqualTo(1.0);
        assertThat(c.value("cinder_migration_copy_rate_bytes_per_second_count", attachedF1)).isEqualTo(1.0);
        // Not counted under the other paths.
        assertThat(c.value("cinder_migrations_started_total", Map.of("path", "generic"))).isZero();
        assertThat(c.value("cinder_migrations_started_total", Map.of("path", "driver"))).isZero();

        Scrape n = Scrape.of(computeMetrics).minus(computeBefore);
        Map<String, String> simulated = Map.of("driver", "simulated");
        assertThat(n.value("nova_compute_swap_volume_started_total", simulated)).isEqualTo(1.0);
        assertThat(n.value("nova_compute_swap_volume_finished_total", Map.of("driver", "simulated",
                "outcome", "success"))).isEqualTo(1.0);
        assertThat(n.value("nova_compute_swap_volume_finished_total", Map.of("outcome", "error"))).isZero();
        // The mirror copies every block once and the ones the guest wrote to again: at least the disk.
        assertThat(n.value("nova_compute_block_copy_bytes_total", simulated)).isGreaterThanOrEqualTo(GIB);
        assertThat(n.value("nova_compute_block_copy_duration_seconds_count", Map.of("driver", "simulated",
                "outcome", "success"))).isEqualTo(1.0);
        // About 4 s at 256 MiB/s: well above zero, whatever the machine.
        assertThat(n.value("nova_compute_block_copy_duration_seconds_sum", simulated)).isGreaterThan(1.0);
        assertThat(n.value("nova_compute_block_copy_pivot_seconds_count", simulated)).isEqualTo(1.0);
        assertThat(n.value("nova_compute_cinder_completion_seconds_count", Map.of("driver", "simulated",
                "reported", "success", "outcome", "ok"))).isEqualTo(1.0);
        assertThat(n.value("nova_compute_cinder_completion_errors_total", simulated)).isZero();
        assertThat(Scrape.of(computeMetrics).value("nova_compute_swap_volume_running", simulated)).isZero();
        // Cinder's meters are not on the compute service's listener, nor the compute service's on Cinder's.
        assertThat(n.text()).doesNotContain("cinder_migrations_started_total");
        assertThat(c.text()).doesNotContain("nova_compute_swap_volume_started_total");
    }

    @Test
    void aSwapWhoseDomainVanishesCountsAsAnErrorOnBothSides() throws Exception {
        Scrape cinderBefore = Scrape.of(cinderMetrics);
        Scrape computeBefore = Scrape.of(computeMetrics);
        String server = activeServer("vanishing");
        String volume = attachedVolume(server);

        migrate(volume);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!swaps.swapping(server, volume) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(swaps.swapping(server, volume)).as("swap started").isTrue();
        assertThat(Scrape.of(computeMetrics).value("nova_compute_swap_volume_running", Map.of("driver",
                "simulated"))).isEqualTo(1.0);
        Thread.sleep(300);
        hypervisor.destroy(server);
        Await.until("migration error", () -> cinder.get(ADMIN, "/v3/volumes/" + volume),
                r -> "error".equals(r.body().get("volume").path("migration_status").asString(null)),
                Duration.ofSeconds(60));

        Scrape c = Scrape.of(cinderMetrics).minus(cinderBefore);
        assertThat(c.value("cinder_migrations_started_total", Map.of("path", "attached", "backend", "f1")))
                .isEqualTo(1.0);
        assertThat(c.value("cinder_migrations_finished_total", Map.of("path", "attached", "backend", "f1",
                "outcome", "error"))).isEqualTo(1.0);
        assertThat(c.value("cinder_migrations_finished_total", Map.of("path", "attached", "outcome", "success")))
                .isZero();

        Scrape n = Scrape.of(computeMetrics).minus(computeBefore);
        assertThat(n.value("nova_compute_swap_volume_started_total", Map.of("driver", "simulated")))
                .isEqualTo(1.0);
        assertThat(n.value("nova_compute_swap_volume_finished_total", Map.of("driver", "simulated",
                "outcome", "error"))).isEqualTo(1.0);
        assertThat(n.value("nova_compute_swap_volume_finished_total", Map.of("outcome", "success"))).isZero();
        assertThat(n.value("nova_compute_block_copy_duration_seconds_count", Map.of("outcome", "error")))
                .isEqualTo(1.0);
        assertThat(n.value("nova_compute_block_copy_pivot_seconds_count", Map.of())).isZero();
        // Cinder was told of the failure, and took it.
        assertThat(n.value("nova_compute_cinder_completion_seconds_count", Map.of("reported", "error",
                "outcome", "ok"))).isEqualTo(1.0);
    }

    // --- helpers ---

    static void migrate(String volume) {
        HttpJson.Response r = cinder.post(ADMIN, "/v3/volumes/" + volume + "/action",
                "{\"os-migrate_volume\": {\"host\": \"" + host + "@f2#f2\"}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
    }

    static String activeServer(String name) {
        HttpJson.Response r = nova.post(USER, "/v2.1/servers", "{\"server\": {\"name\": \"" + name
                + "\", \"flavorRef\": \"1\", \"imageRef\": \"none\"}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String id = r.body().get("server").get("id").asString();
        Await.until("server ACTIVE", () -> nova.get(USER, "/v2.1/servers/" + id),
                x -> "ACTIVE".equals(x.body().path("server").path("status").asString(null)));
        return id;
    }

    /** A new 1 GiB volume on f1, attached to {@code server} (the guest writes to it from then on). */
    static String attachedVolume(String server) {
        HttpJson.Response r = cinder.post(USER, "/v3/volumes", "{\"volume\": {\"size\": 1}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String id = r.body().get("volume").get("id").asString();
        Await.until("volume available", () -> cinder.get(ADMIN, "/v3/volumes/" + id),
                x -> "available".equals(x.body().path("volume").path("status").asString(null)));
        JsonNode v = cinder.get(ADMIN, "/v3/volumes/" + id).body().get("volume");
        assertThat(v.get("os-vol-host-attr:host").asString()).isEqualTo(host + "@f1#f1");
        HttpJson.Response attach = nova.post(USER, "/v2.1/servers/" + server + "/os-volume_attachments",
                "{\"volumeAttachment\": {\"volumeId\": \"" + id + "\"}}");
        assertThat(attach.status()).as(attach.raw()).isEqualTo(200);
        return id;
    }

    /** One scrape of a management listener's Prometheus text; {@link #minus} gives what moved since another. */
    record Scrape(String text, Scrape before) {

        static Scrape of(String url) throws Exception {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(url).isEqualTo(200);
            return new Scrape(r.body(), null);
        }

        Scrape minus(Scrape earlier) {
            return new Scrape(text, earlier);
        }

        /**
         * The sum of the samples of {@code name} whose labels include every one of {@code labels} (0 when there
         * is none), less the same sum in the earlier scrape.
         */
        double value(String name, Map<String, String> labels) {
            return sum(text, name, labels) - (before == null ? 0 : sum(before.text, name, labels));
        }

        private static double sum(String metrics, String name, Map<String, String> labels) {
            double sum = 0;
            for (String line : metrics.split("\n")) {
                if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                    continue;
                }
                if (labels.entrySet().stream().allMatch(l -> line.contains(l.getKey() + "=\"" + l.getValue()
                        + "\""))) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        }
    }
}
