package org.openstack.jcinder.all.compute;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.shared.config.IniFile;
import org.openstack.jcinder.compute.NovaComputeApplication;
import org.openstack.jcinder.compute.config.NovaConfig;
import org.openstack.jcinder.compute.virt.HypervisorDriver;
import org.openstack.jcinder.compute.virt.simulated.JournalWorkload;
import org.openstack.jcinder.compute.virt.simulated.SimulatedHypervisor;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.HttpJson;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Cinder restarts while the compute service (a separate process in production; a separate context here) is
 * copying an attached volume. Cinder must not fail the migration nor delete the temporary volume the guest may
 * already run on; the compute service waits for Cinder to come back and completes, and nothing is lost.
 */
class AttachedMigrationRestartTest {

    static final String ADMIN = "admin:proj-r";
    static final long GIB = 1L << 30;

    @TempDir
    static Path dir;
    static String[] cinderArgs;
    static String host;
    static ConfigurableApplicationContext compute;
    static ConfigurableApplicationContext all;
    static HttpJson cinder;
    static HttpJson nova;

    @BeforeAll
    static void start() throws Exception {
        int cinderPort;
        try (ServerSocket s = new ServerSocket(0)) {
            cinderPort = s.getLocalPort();
        }
        compute = NovaComputeApplication.start(NovaConfig.from(IniFile.parse(Path.of("nova.conf"), List.of(
                "[DEFAULT]",
                "compute_driver = simulated",
                "osapi_compute_listen_port = 0",
                "[cinder]",
                "endpoint_override = http://127.0.0.1:" + cinderPort + "/v3",
                "[simulated]",
                "guest_workload = journal",
                "[compute]",
                // 1 GiB in about 16 s: Cinder is restarted in the middle of it.
                "swap_volume_bandwidth = 67108864"))));
        String computeEndpoint = "http://127.0.0.1:" + ((WebServerApplicationContext) compute).getWebServer()
                .getPort();
        nova = new HttpJson(computeEndpoint);
        host = "rst-" + UUID.randomUUID().toString().substring(0, 8);
        Path conf = TwoFileBackends.cinderConf(dir, host, cinderPort, "[nova]",
                "endpoint_override = " + computeEndpoint + "/v2.1");
        cinderArgs = new String[] {"--config-file", conf.toString(), "--data-dir", dir.resolve("data").toString()};
        all = CinderAllApplication.start(cinderArgs);
        cinder = new HttpJson("http://127.0.0.1:" + cinderPort);
        Await.until("both pools", () -> cinder.get(ADMIN, "/v3/scheduler-stats/get_pools"),
                r -> r.status() == 200 && r.body().get("pools").size() == 2);
    }

    @AfterAll
    static void stop() {
        if (all != null) {
            all.close();
        }
        if (compute != null) {
            compute.close();
        }
    }

    @Test
    void aCinderRestartDuringTheSwapNeitherFailsItNorLosesAWrite() throws Exception {
        String server = nova.post(ADMIN, "/v2.1/servers", "{\"server\": {\"name\": \"r\", \"flavorRef\": \"1\"}}")
                .body().get("server").get("id").asString();
        Await.until("ACTIVE", () -> nova.get(ADMIN, "/v2.1/servers/" + server),
                r -> "ACTIVE".equals(r.body().get("server").get("status").asString()));
        String volume = cinder.post(ADMIN, "/v3/volumes", "{\"volume\": {\"size\": 1}}").body().get("volume")
                .get("id").asString();
        Await.until("available", () -> cinder.get(ADMIN, "/v3/volumes/" + volume),
                r -> "available".equals(r.body().get("volume").get("status").asString()));
        assertThat(nova.post(ADMIN, "/v2.1/servers/" + server + "/os-volume_attachments",
                "{\"volumeAttachment\": {\"volumeId\": \"" + volume + "\"}}").status()).isEqualTo(200);
        assertThat(cinder.post(ADMIN, "/v3/volumes/" + volume + "/action",
                "{\"os-migrate_volume\": {\"host\": \"" + host + "@f2#f2\"}}").status()).isEqualTo(202);
        Await.until("compute copying", () -> cinder.get(ADMIN, "/v3/volumes/" + volume + "/migration"),
                r -> r.body().path("migration").path("bytes_copied").asLong() > 0);

        all.close();
        all = CinderAllApplication.start(cinderArgs);

        JsonNode done = Await.until("migration success after the restart",
                () -> cinder.get(ADMIN, "/v3/volumes/" + volume),
                r -> r.status() == 200 && "success".equals(
                        r.body().get("volume").path("os-vol-mig-status-attr:migstat").asString(null)),
                Duration.ofSeconds(120)).body().get("volume");
        assertThat(done.get("os-vol-host-attr:host").asString()).isEqualTo(host + "@f2#f2");
        assertThat(done.get("status").asString()).isEqualTo("in-use");
        Path newFile = dir.resolve("data/volumes/f2/volume-" + done.get("os-vol-mig-status-attr:name_id").asString());
        SimulatedHypervisor hv = (SimulatedHypervisor) compute.getBean(HypervisorDriver.class);
        assertThat(hv.disk(server, "vdb").orElseThrow().source()).isEqualTo(newFile);
        JournalWorkload guest = hv.workload(server, "vdb").orElseThrow();
        assertThat(guest.failure()).isNull();
        assertThat(JournalWorkload.verify(newFile, GIB, guest.acknowledged())).as("first lost record").isZero();
        Await.until("old copy deleted", () -> cinder.get(ADMIN, "/v3/volumes/" + volume),
                r -> !Files.exists(dir.resolve("data/volumes/f1/volume-" + volume)));
    }
}
