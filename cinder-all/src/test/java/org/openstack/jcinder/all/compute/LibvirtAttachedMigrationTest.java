package org.openstack.jcinder.all.compute;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.all.EmbeddedCompute;
import org.openstack.jcinder.compute.virt.libvirt.LibvirtHost;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.CinderConfFile;
import org.openstack.jcinder.testsupport.HttpJson;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The attached path through Cinder's API with real libvirt and QEMU (software emulation): a transient domain
 * with the volume's file as {@code vdb}, {@code os-migrate_volume} to the other backend, Nova's libvirt
 * sequence (block copy onto the new volume, pivot), the completion. The new volume holds the same bytes,
 * the domain's disk is the new file, the old one is deleted, and the user sees the same volume and attachment.
 */
class LibvirtAttachedMigrationTest {

    static final String ADMIN = "admin:proj-v";
    static final long GIB = 1L << 30;

    @TempDir
    static Path dir;
    static Path data;
    static String host;
    static ConfigurableApplicationContext all;
    static HttpJson cinder;
    static HttpJson nova;

    @BeforeAll
    static void start() throws Exception {
        LibvirtHost.require();
        host = "lv-" + UUID.randomUUID().toString().substring(0, 8);
        data = dir.resolve("data");
        Path cinderConf = TwoFileBackends.cinderConf(dir, host, 0);
        Path novaConf = CinderConfFile.write(dir, "nova.conf", String.join("\n",
                "[DEFAULT]",
                "compute_driver = libvirt.LibvirtDriver",
                "osapi_compute_listen_port = 0",
                "[libvirt]",
                "connection_uri = " + LibvirtHost.URI,
                "virt_type = qemu"));
        all = CinderAllApplication.start(new String[] {"--config-file", cinderConf.toString(),
                "--compute-config-file", novaConf.toString(), "--data-dir", data.toString()});
        cinder = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) all).getWebServer().getPort());
        nova = new HttpJson(all.getBean(EmbeddedCompute.class).endpoint().replace("/v2.1", ""));
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
    void libvirtMirrorsAndPivotsAnAttachedVolumeThatCinderMigrates() throws Exception {
        String server = nova.post(ADMIN, "/v2.1/servers", "{\"server\": {\"name\": \"qemu-guest\", \"flavorRef\": "
                + "\"1\", \"imageRef\": \"none\"}}").body().get("server").get("id").asString();
        Await.until("ACTIVE", () -> nova.get(ADMIN, "/v2.1/servers/" + server),
                r -> "ACTIVE".equals(r.body().get("server").get("status").asString()), Duration.ofSeconds(60));
        String volume = cinder.post(ADMIN, "/v3/volumes", "{\"volume\": {\"size\": 1}}").body().get("volume")
                .get("id").asString();
        Await.until("available", () -> cinder.get(ADMIN, "/v3/volumes/" + volume),
                r -> "available".equals(r.body().get("volume").get("status").asString()));
        Path oldFile = data.resolve("volumes/f1/volume-" + volume);
        byte[] chunk = new byte[4 << 20];
        new Random(11).nextBytes(chunk);
        try (RandomAccessFile f = new RandomAccessFile(oldFile.toFile(), "rw")) {
            f.seek(0);
            f.write(chunk);
            f.seek(GIB - chunk.length);
            f.write(chunk);
        }
        String before = sha256(oldFile);
        HttpJson.Response attach = nova.post(ADMIN, "/v2.1/servers/" + server + "/os-volume_attachments",
                "{\"volumeAttachment\": {\"volumeId\": \"" + volume + "\"}}");
        assertThat(attach.status()).as(attach.raw()).isEqualTo(200);
        String domain = "instance-" + server;
        assertThat(LibvirtHost.virsh("domblklist", domain)).contains(oldFile.toString());
        String attachmentId = cinder.get(ADMIN, "/v3/volumes/" + volume).body().get("volume").get("attachments")
                .get(0).get("attachment_id").asString();

        assertThat(cinder.post(ADMIN, "/v3/volumes/" + volume + "/action",
                "{\"os-migrate_volume\": {\"host\": \"" + host + "@f2#f2\"}}").status()).isEqualTo(202);
        JsonNode done = Await.until("migration success", () -> cinder.get(ADMIN, "/v3/volumes/" + volume),
                r -> "success".equals(r.body().get("volume").path("os-vol-mig-status-attr:migstat").asString(null)),
                Duration.ofSeconds(120)).body().get("volume");

        assertThat(done.get("id").asString()).isEqualTo(volume);
        assertThat(done.get("status").asString()).isEqualTo("in-use");
        assertThat(done.get("os-vol-host-attr:host").asString()).isEqualTo(host + "@f2#f2");
        assertThat(done.get("attachments")).hasSize(1);
        assertThat(done.get("attachments").get(0).get("server_id").asString()).isEqualTo(server);
        assertThat(done.get("attachments").get(0).get("attachment_id").asString()).isNotEqualTo(attachmentId);
        Path newFile = data.resolve("volumes/f2/volume-" + done.get("os-vol-mig-status-attr:name_id").asString());
        assertThat(LibvirtHost.virsh("domblklist", domain)).contains(newFile.toString())
                .doesNotContain(oldFile.toString());
        assertThat(nova.get(ADMIN, "/v2.1/servers/" + server + "/os-volume_attachments").body()
                .get("volumeAttachments").get(0).get("volumeId").asString()).isEqualTo(volume);
        assertThat(sha256(newFile)).as("the new volume's bytes").isEqualTo(before);
        Await.until("old volume deleted", () -> cinder.get(ADMIN, "/v3/volumes/" + volume),
                r -> !Files.exists(oldFile));

        // Extended while attached (3.42): Cinder grows the file, Nova's volume-extended event resizes the
        // running domain's disk (virDomainBlockResize).
        assertThat(cinder.send(ADMIN, "POST", "/v3/volumes/" + volume + "/action",
                "{\"os-extend\": {\"new_size\": 2}}", "3.42").status()).isEqualTo(202);
        Await.until("domain disk of 2 GiB", () -> cinder.get(ADMIN, "/v3/volumes/" + volume), r -> {
            try {
                return LibvirtHost.virsh("domblkinfo", domain, "vdb").contains("Capacity:       " + 2 * GIB);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(cinder.get(ADMIN, "/v3/volumes/" + volume).body().get("volume").get("status").asString())
                .isEqualTo("in-use");

        assertThat(nova.delete(ADMIN, "/v2.1/servers/" + server).status()).isEqualTo(204);
        assertThat(LibvirtHost.virsh("list", "--all", "--name")).doesNotContain(domain);
        assertThat(cinder.get(ADMIN, "/v3/volumes/" + volume).body().get("volume").get("status").asString())
                .isEqualTo("available");
    }

    static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 20];
        try (var in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
