package org.openstack.jcinder.all.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openstack.jcinder.compute.virt.HypervisorDriver;
import org.openstack.jcinder.compute.virt.libvirt.LibvirtDriver;
import org.openstack.jcinder.compute.virt.libvirt.LibvirtHost;
import org.openstack.jcinder.testsupport.HttpJson;

import tools.jackson.databind.JsonNode;

/**
 * The attached cross-host migration with the libvirt driver: a transient QEMU domain (no guest OS, so no
 * writer: the data is checked by SHA-256) whose volume on node A is a network disk reached by QEMU's own iSCSI
 * initiator with a libvirt CHAP secret; migrated to node B by libvirt's block copy LUN to LUN.
 */
class CrossHostLibvirtAttachedMigrationTest extends CrossHostAttachedNodes {

    static LibvirtDriver libvirt;

    @BeforeAll
    static void startLibvirt() throws Exception {
        LibvirtHost.require();
        startNodes(List.of("compute_driver = libvirt.LibvirtDriver"), List.of("[libvirt]",
                "connection_uri = " + LibvirtHost.URI, "virt_type = qemu"));
        libvirt = (LibvirtDriver) computeContext.getBean(HypervisorDriver.class);
    }

    @Test
    void libvirtCopiesAnAttachedVolumeFromAsLunToBsLun() throws Exception {
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
        Path oldFile = dir.resolve("a").resolve("volume-" + nameOf(id));
        byte[] chunk = new byte[4 << 20];
        new Random(17).nextBytes(chunk);
        try (RandomAccessFile f = new RandomAccessFile(oldFile.toFile(), "rw")) {
            f.seek(0);
            f.write(chunk);
            f.seek(GIB - chunk.length);
            f.write(chunk);
        }
        String before = sha256(oldFile);

        HttpJson.Response server = nova.post(ADMIN, "/v2.1/servers", "{\"server\": {\"name\": \"x\", "
                + "\"flavorRef\": \"1\", \"imageRef\": \"none\"}}");
        String uuid = server.body().get("server").get("id").stringValue();
        await("server ACTIVE", () -> nova.get(ADMIN, "/v2.1/servers/" + uuid),
                x -> "ACTIVE".equals(x.body().path("server").path("status").asString()), Duration.ofSeconds(60));
        HttpJson.Response attach = nova.post(ADMIN, "/v2.1/servers/" + uuid + "/os-volume_attachments",
                "{\"volumeAttachment\": {\"volumeId\": \"" + id + "\"}}");
        assertThat(attach.status()).as(attach.raw()).isEqualTo(200);
        String oldIqn = "iqn.2010-10.org.openstack:volume-" + nameOf(id);
        assertThat(libvirt.liveXml(uuid)).contains("protocol='iscsi'").contains("name='" + oldIqn + "/1'")
                .contains("name='" + net.node("a").address() + "'");
        assertThat(LibvirtHost.virsh("secret-list")).contains("jcinder-chap-" + oldIqn);

        JsonNode done = migrate(id, "node-b-" + run + "@b#b", false);
        assertThat(done.get("migration_status").stringValue()).as(nodeA.logTail(6000)).isEqualTo("success");
        assertThat(done.get("status").stringValue()).isEqualTo("in-use");
        String newIqn = "iqn.2010-10.org.openstack:volume-" + nameOf(id);
        assertThat(libvirt.liveXml(uuid)).contains("name='" + newIqn + "/1'")
                .contains("name='" + net.node("b").address() + "'").doesNotContain(oldIqn);
        assertThat(sha256(dir.resolve("b").resolve("volume-" + nameOf(id)))).isEqualTo(before);
        assertThat(tgtdA.show()).doesNotContain("Target ");
        assertThat(exportFiles("a")).isEmpty();
        String secrets = LibvirtHost.virsh("secret-list");
        assertThat(secrets).doesNotContain("jcinder-chap-" + oldIqn).contains("jcinder-chap-" + newIqn);

        // A domain without an OS never releases a hot-plugged disk: deleting the server ends it all.
        assertThat(nova.delete(ADMIN, "/v2.1/servers/" + uuid).status()).isEqualTo(204);
        assertThat(LibvirtHost.virsh("secret-list")).doesNotContain("jcinder-chap-" + newIqn);
        await("volume available again", () -> cinder.get(ADMIN, "/v3/volumes/" + id),
                x -> "available".equals(x.body().get("volume").get("status").stringValue()), Duration.ofSeconds(60));
        assertThat(tgtdB.show()).doesNotContain("Target ");
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) >= 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
