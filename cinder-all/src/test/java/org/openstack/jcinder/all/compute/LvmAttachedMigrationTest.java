package org.openstack.jcinder.all.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openstack.jcinder.testsupport.LoopVolumeGroups.sh;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.all.EmbeddedCompute;
import org.openstack.jcinder.compute.virt.HypervisorDriver;
import org.openstack.jcinder.compute.virt.simulated.JournalWorkload;
import org.openstack.jcinder.compute.virt.simulated.SimulatedHypervisor;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.CinderConfFile;
import org.openstack.jcinder.testsupport.HttpJson;
import org.openstack.jcinder.testsupport.LoopVolumeGroups;
import org.openstack.jcinder.testsupport.TestServices;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The attached path between two real lvm2 backends: the guest's disk is a block device (the LV mapped with
 * {@code lvm_activation = loop}), the swap mirrors it onto the destination LV's device while the guest writes,
 * and detaching afterwards releases the loop devices the backends set up.
 */
class LvmAttachedMigrationTest {

    static final String ADMIN = "admin:proj-l";
    static final long GIB = 1L << 30;
    static final String run = UUID.randomUUID().toString().substring(0, 6);
    static final String vgA = "jca-a-" + run;
    static final String vgB = "jca-b-" + run;
    static LoopVolumeGroups vgs;
    static String host;
    static ConfigurableApplicationContext all;
    static HttpJson cinder;
    static HttpJson nova;
    static SimulatedHypervisor hypervisor;

    @BeforeAll
    static void start() throws Exception {
        vgs = LoopVolumeGroups.create(3 * GIB, vgA, vgB);
        Path dir = vgs.dir();
        host = "lva-" + run;
        Path cinderConf = CinderConfFile.write(dir, "cinder.conf", String.join("\n",
                "[DEFAULT]",
                "host = " + host,
                "enabled_backends = lvm-a, lvm-b",
                "transport_url = " + TestServices.transportUrl(),
                "osapi_volume_listen_port = 0",
                "report_interval = 1",
                "[database]",
                "connection = " + TestServices.freshDatabase(),
                "[lvm-a]",
                "volume_driver = lvm",
                "volume_group = " + vgA,
                "lvm_activation = loop",
                "volume_clear = none",
                "[lvm-b]",
                "volume_driver = lvm",
                "volume_group = " + vgB,
                "lvm_activation = loop",
                "volume_clear = none"));
        Path novaConf = CinderConfFile.write(dir, "nova.conf", String.join("\n",
                "[DEFAULT]",
                "compute_driver = simulated",
                "osapi_compute_listen_port = 0",
                "[simulated]",
                "guest_workload = journal"));
        all = CinderAllApplication.start(new String[] {"--config-file", cinderConf.toString(),
                "--compute-config-file", novaConf.toString(), "--data-dir", dir.resolve("data").toString()});
        cinder = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) all).getWebServer().getPort());
        EmbeddedCompute compute = all.getBean(EmbeddedCompute.class);
        nova = new HttpJson(compute.endpoint().replace("/v2.1", ""));
        hypervisor = (SimulatedHypervisor) compute.context().getBean(HypervisorDriver.class);
        Await.until("two pools", () -> cinder.get(ADMIN, "/v3/scheduler-stats/get_pools"),
                r -> r.status() == 200 && r.body().get("pools").size() == 2);
    }

    @AfterAll
    static void stop() throws Exception {
        if (all != null) {
            all.close();
        }
        if (vgs != null) {
            vgs.close();
        }
    }

    @Test
    void anAttachedLogicalVolumeMovesToTheOtherVolumeGroupUnderItsGuest() throws Exception {
        String server = nova.post(ADMIN, "/v2.1/servers", "{\"server\": {\"name\": \"lvm-guest\", \"flavorRef\": "
                + "\"1\"}}").body().get("server").get("id").asString();
        Await.until("ACTIVE", () -> nova.get(ADMIN, "/v2.1/servers/" + server),
                r -> "ACTIVE".equals(r.body().get("server").get("status").asString()));
        String volume = cinder.post(ADMIN, "/v3/volumes", "{\"volume\": {\"size\": 1}}").body().get("volume")
                .get("id").asString();
        JsonNode v = Await.until("available", () -> cinder.get(ADMIN, "/v3/volumes/" + volume),
                r -> "available".equals(r.body().get("volume").get("status").asString())).body().get("volume");
        String from = v.get("os-vol-host-attr:host").asString();
        String to = host + (from.endsWith("#lvm-a") ? "@lvm-b#lvm-b" : "@lvm-a#lvm-a");
        assertThat(nova.post(ADMIN, "/v2.1/servers/" + server + "/os-volume_attachments",
                "{\"volumeAttachment\": {\"volumeId\": \"" + volume + "\"}}").status()).isEqualTo(200);
        Path oldDevice = hypervisor.disk(server, "vdb").orElseThrow().source();
        assertThat(oldDevice.toString()).startsWith("/dev/loop");
        byte[] pattern = new byte[1 << 20];
        new Random(5).nextBytes(pattern);
        hypervisor.guestWrite(server, "vdb", 700L << 20, pattern);
        JournalWorkload guest = hypervisor.workload(server, "vdb").orElseThrow();

        assertThat(cinder.post(ADMIN, "/v3/volumes/" + volume + "/action",
                "{\"os-migrate_volume\": {\"host\": \"" + to + "\"}}").status()).isEqualTo(202);
        JsonNode done = Await.until("migrated", () -> cinder.get(ADMIN, "/v3/volumes/" + volume),
                r -> "success".equals(r.body().get("volume").path("os-vol-mig-status-attr:migstat").asString(null)),
                Duration.ofSeconds(90)).body().get("volume");
        assertThat(done.get("os-vol-host-attr:host").asString()).isEqualTo(to);
        assertThat(done.get("status").asString()).isEqualTo("in-use");

        Path newDevice = hypervisor.disk(server, "vdb").orElseThrow().source();
        assertThat(newDevice).isNotEqualTo(oldDevice);
        assertThat(newDevice.toString()).startsWith("/dev/loop");
        long acknowledged = guest.acknowledged();
        assertThat(guest.failure()).isNull();
        assertThat(JournalWorkload.verify(newDevice, GIB, acknowledged)).as("first lost record").isZero();
        byte[] moved = new byte[pattern.length];
        try (RandomAccessFile d = new RandomAccessFile(newDevice.toFile(), "r")) {
            d.seek(700L << 20);
            d.readFully(moved);
        }
        assertThat(moved).isEqualTo(pattern);
        String oldVg = from.endsWith("#lvm-a") ? vgA : vgB;
        Await.until("old LV removed", () -> cinder.get(ADMIN, "/v3/volumes/" + volume),
                r -> !lvs(oldVg).contains("volume-"));

        assertThat(nova.delete(ADMIN, "/v2.1/servers/" + server + "/os-volume_attachments/" + volume).status())
                .isEqualTo(202);
        assertThat(vgs.stackedLoops()).as("loop devices left on the PVs after detaching").isZero();
    }

    static String lvs(String vg) {
        try {
            return sh("lvs", "--driverloaded", "n", "--noheadings", "-o", "lv_name", vg);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
