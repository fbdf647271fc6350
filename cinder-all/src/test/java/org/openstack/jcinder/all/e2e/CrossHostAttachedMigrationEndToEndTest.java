package org.openstack.jcinder.all.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.api.CinderApiApplication;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.CinderServiceLauncher;
import org.openstack.jcinder.compute.NovaComputeApplication;
import org.openstack.jcinder.compute.config.NovaConfig;
import org.openstack.jcinder.compute.virt.Disk;
import org.openstack.jcinder.compute.virt.HypervisorDriver;
import org.openstack.jcinder.compute.virt.simulated.JournalWorkload;
import org.openstack.jcinder.compute.virt.simulated.SimulatedHypervisor;
import org.openstack.jcinder.scheduler.CinderSchedulerApplication;
import org.openstack.jcinder.shared.config.IniFile;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.CinderConfFile;
import org.openstack.jcinder.testsupport.HttpJson;
import org.openstack.jcinder.testsupport.NamespaceNetwork;
import org.openstack.jcinder.testsupport.NodeProcess;
import org.openstack.jcinder.testsupport.TestServices;
import org.openstack.jcinder.testsupport.Tgtd;
import org.openstack.jcinder.volume.CinderVolumeApplication;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;

/**
 * An attached volume migrated between storage nodes ({@code docs/multi-host.md}, "Attached volumes across
 * nodes") with the simulated hypervisor and a journaling guest ({@link CrossHostAttachedNodes} has the set-up):
 * the guest's volume is on A and reached over iSCSI (A's portal, CHAP); Cinder asks the compute service to swap,
 * B exports the new volume, the hypervisor mirrors A's LUN onto B's over iSCSI while the guest keeps writing,
 * pivots, and every write the guest had acknowledged is in B's file afterwards; A's export is gone.
 */
class CrossHostAttachedMigrationEndToEndTest extends CrossHostAttachedNodes {

    static SimulatedHypervisor hypervisor;

    @BeforeAll
    static void startSimulated() throws Exception {
        startNodes(List.of("compute_driver = simulated"), List.of("[simulated]", "guest_workload = journal"));
        hypervisor = (SimulatedHypervisor) computeContext.getBean(HypervisorDriver.class);
    }

    @Test
    void anAttachedVolumeMovesFromNodeAToNodeBOverIscsiWithoutLosingAnAcknowledgedWrite() throws Exception {
        // A 1 GiB volume on A with a 1 MiB random pattern the guest never touches.
        HttpJson.Response created = cinder.post(ADMIN, "/v3/volumes", "{\"volume\": {\"size\": 1}}");
        assertThat(created.status()).as(created.raw()).isEqualTo(202);
        String id = created.body().get("volume").get("id").stringValue();
        JsonNode v = await("volume available", () -> cinder.get(ADMIN, "/v3/volumes/" + id),
                x -> "available".equals(x.body().get("volume").get("status").stringValue()), Duration.ofSeconds(120))
                .body().get("volume");
        if (!v.get("os-vol-host-attr:host").stringValue().startsWith("node-a-")) {
            assertThat(migrate(id, "node-a-" + run + "@a#a", true).get("migration_status").stringValue())
                    .isEqualTo("success");
        }
        byte[] pattern = new byte[1 << 20];
        new Random(5).nextBytes(pattern);
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("a").resolve("volume-" + nameOf(id)).toFile(),
                "rw")) {
            f.seek(PATTERN_AT);
            f.write(pattern);
        }

        // A server on the compute node with the volume attached: A exports it, the guest reaches it over iSCSI.
        HttpJson.Response server = nova.post(ADMIN, "/v2.1/servers", "{\"server\": {\"name\": \"x\", "
                + "\"flavorRef\": \"1\", \"imageRef\": \"none\"}}");
        assertThat(server.status()).as(server.raw()).isEqualTo(202);
        String uuid = server.body().get("server").get("id").stringValue();
        await("server ACTIVE", () -> nova.get(ADMIN, "/v2.1/servers/" + uuid),
                x -> "ACTIVE".equals(x.body().path("server").path("status").asString()), Duration.ofSeconds(60));
        HttpJson.Response attach = nova.post(ADMIN, "/v2.1/servers/" + uuid + "/os-volume_attachments",
                "{\"volumeAttachment\": {\"volumeId\": \"" + id + "\"}}");
        assertThat(attach.status()).as(attach.raw()).isEqualTo(200);
        Disk before = hypervisor.disk(uuid, "vdb").orElseThrow();
        assertThat(before.iscsi()).as("attached over iSCSI").isNotNull();
        assertThat(before.iscsi().host()).isEqualTo(net.node("a").address());
        assertThat(tgtdA.show()).contains("volume-" + nameOf(id));
        JournalWorkload guest = hypervisor.workload(uuid, "vdb").orElseThrow();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (guest.acknowledged() < 50 && guest.failure() == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long atRequest = guest.acknowledged();
        assertThat(atRequest).as("guest writes over iSCSI: " + guest.failure()).isGreaterThanOrEqualTo(50);

        JsonNode done = migrate(id, "node-b-" + run + "@b#b", false);
        long atCompletion = guest.acknowledged();
        assertThat(done.get("migration_status").stringValue()).as(nodeA.logTail(6000)).isEqualTo("success");
        assertThat(done.get("status").stringValue()).isEqualTo("in-use");
        assertThat(done.get("os-vol-host-attr:host").stringValue()).isEqualTo("node-b-" + run + "@b#b");
        JsonNode migration = cinder.get(ADMIN, "/v3/volumes/" + id + "/migration").body().get("migration");
        assertThat(migration.get("path").asString()).isEqualTo("attached");
        String nameId = nameOf(id);

        // The guest now runs on B's export of the new volume; A's export is gone.
        Disk after = hypervisor.disk(uuid, "vdb").orElseThrow();
        assertThat(after.iscsi().host()).isEqualTo(net.node("b").address());
        assertThat(after.iscsi().iqn()).endsWith("volume-" + nameId);
        assertThat(tgtdA.show()).doesNotContain("Target ");
        assertThat(exportFiles("a")).isEmpty();
        assertThat(tgtdB.show()).contains("volume-" + nameId);

        // It kept writing during the migration and after it; every acknowledged record is in B's file.
        while (guest.acknowledged() < atCompletion + 20 && guest.failure() == null) {
            Thread.sleep(10);
        }
        assertThat(atCompletion).isGreaterThan(atRequest);
        HttpJson.Response detach = nova.delete(ADMIN, "/v2.1/servers/" + uuid + "/os-volume_attachments/" + id);
        assertThat(detach.status()).as(detach.raw()).isEqualTo(202);
        long acknowledged = guest.acknowledged();
        assertThat(guest.failure()).isNull();
        Path newFile = dir.resolve("b").resolve("volume-" + nameId);
        assertThat(JournalWorkload.verify(newFile, GIB, acknowledged)).as("first lost record of " + acknowledged)
                .isZero();
        byte[] copied = new byte[pattern.length];
        try (RandomAccessFile f = new RandomAccessFile(newFile.toFile(), "r")) {
            f.seek(PATTERN_AT);
            f.readFully(copied);
        }
        assertThat(copied).isEqualTo(pattern);
        // The detach ended the session and B's export too; the old copy on A is deleted.
        await("volume available again", () -> cinder.get(ADMIN, "/v3/volumes/" + id),
                x -> "available".equals(x.body().get("volume").get("status").stringValue()), Duration.ofSeconds(60));
        assertThat(tgtdB.show()).doesNotContain("Target ");
        await("old copy on A deleted", () -> cinder.get(ADMIN, "/v3/volumes/" + id),
                x -> Files.notExists(dir.resolve("a").resolve("volume-" + id)), Duration.ofSeconds(60));
    }
}
