package org.openstack.jcinder.all.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
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
import org.openstack.jcinder.scheduler.CinderSchedulerApplication;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.CinderConfFile;
import org.openstack.jcinder.testsupport.HttpJson;
import org.openstack.jcinder.testsupport.NamespaceNetwork;
import org.openstack.jcinder.testsupport.NodeProcess;
import org.openstack.jcinder.testsupport.TestServices;
import org.openstack.jcinder.testsupport.Tgtd;
import org.openstack.jcinder.volume.CinderVolumeApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;

/**
 * Two storage nodes on one machine ({@code docs/multi-host.md}): node A and node B each in its own network
 * namespace with its own tgtd and its own cinder-volume JVM ({@code host = node-a-…}, {@code node-b-…}, file
 * backends exporting with {@code target_helper = tgtadm}); the API and the scheduler run in this JVM, and all
 * share the machine's PostgreSQL and RabbitMQ through relays on the bridge. A generic migration from A to B:
 * B creates and exports the new volume, A copies into it over iSCSI (qemu-img, libiscsi), then the
 * {@code _name_id} swap; byte for byte. A failed copy and a detach remove B's export; the export is reached
 * from A's namespace with its CHAP secret and refused with a wrong one.
 */
class CrossHostMigrationEndToEndTest {

    private static final String ADMIN = "admin:proj-a";
    private static final long MIB = 1L << 20;

    @TempDir
    static Path dir;
    static final String run = UUID.randomUUID().toString().substring(0, 8);
    static NamespaceNetwork net;
    static final List<AutoCloseable> started = new ArrayList<>();
    static final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    static Tgtd tgtdA;
    static Tgtd tgtdB;
    static NodeProcess nodeA;
    static NodeProcess nodeB;
    static HttpJson http;

    @BeforeAll
    static void startNodes() throws Exception {
        Tgtd.assumeAvailable();
        net = NamespaceNetwork.create("a", "b");
        String database = TestServices.freshDatabase();
        String transport = TestServices.transportUrl();
        net.relay(URI.create(database.replace("postgresql://", "http://")).getPort());
        net.relay(URI.create(transport.replace("rabbit://", "http://")).getPort());
        tgtdA = Tgtd.start(net.node("a").netns(), net.node("a").address(), 3260);
        tgtdB = Tgtd.start(net.node("b").netns(), net.node("b").address(), 3260);

        String common = "report_interval = 1\nservice_down_time = 20\nrpc_response_timeout = 60\n"
                + "osapi_volume_listen_port = 0\n";
        String viaBridge = "transport_url = " + transport.replace("127.0.0.1", net.bridgeAddress()) + "\n" + common
                + "[database]\nconnection = " + database.replace("127.0.0.1", net.bridgeAddress()) + "\n";
        nodeA = startNode("a", tgtdA, viaBridge);
        nodeB = startNode("b", tgtdB, viaBridge);

        String local = "transport_url = " + transport + "\n" + common + "[database]\nconnection = " + database + "\n";
        contexts.add(start(CinderSchedulerApplication.class, "scheduler.conf",
                "[DEFAULT]\nhost = sched-" + run + "\n" + local, false));
        ConfigurableApplicationContext api = start(CinderApiApplication.class, "api.conf",
                "[DEFAULT]\nhost = api-" + run + "\n" + local, true);
        contexts.add(api);
        http = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) api).getWebServer().getPort());
        Await.until("both nodes' pools reported", () -> http.get(ADMIN, "/v3/scheduler-stats/get_pools"),
                r -> r.status() == 200 && r.body().get("pools").size() == 2, Duration.ofSeconds(180));
    }

    private static NodeProcess startNode(String node, Tgtd tgtd, String viaBridge) throws Exception {
        String conf = "[DEFAULT]\nhost = node-" + node + "-" + run + "\nenabled_backends = " + node + "\n" + viaBridge
                + "[" + node + "]\nvolume_driver = file\nfile_volume_dir = " + dir.resolve(node)
                + "\nfile_volume_capacity_gb = 20\ntarget_helper = tgtadm\ntarget_ip_address = "
                + net.node(node).address() + "\ntarget_port = 3260\ntgt_control_port = " + tgtd.controlPort()
                + "\nvolumes_dir = " + dir.resolve(node + "-exports") + "\n";
        Path file = CinderConfFile.write(dir, "volume-" + node + ".conf", conf);
        return NodeProcess.start(net, node, CinderVolumeApplication.class, file, dir.resolve("node-" + node + ".log"));
    }

    private static ConfigurableApplicationContext start(Class<?> app, String file, String conf, boolean web) {
        Path path = CinderConfFile.write(dir, file, conf);
        return CinderServiceLauncher.run(app, CinderConfig.load(path), web, new String[0]);
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (int i = contexts.size() - 1; i >= 0; i--) {
            contexts.get(i).close();
        }
        for (AutoCloseable c : new AutoCloseable[] {nodeA, nodeB, tgtdA, tgtdB, net}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static HttpJson.Response await(String what, java.util.function.Supplier<HttpJson.Response> call,
                                           Predicate<HttpJson.Response> done) {
        try {
            return Await.until(what, call, done, Duration.ofSeconds(120));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n--- node A:\n" + nodeA.logTail(3000) + "\n--- node B:\n"
                    + nodeB.logTail(3000), e);
        }
    }

    private static JsonNode show(String id) {
        return http.get(ADMIN, "/v3/volumes/" + id).body().get("volume");
    }

    /** A volume of 1 GiB on node A, holding random data at its start and near its end. */
    private static String volumeOnA(long seed) throws Exception {
        HttpJson.Response r = http.post(ADMIN, "/v3/volumes", "{\"volume\": {\"size\": 1, \"name\": \"x\", "
                + "\"availability_zone\": null}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String id = r.body().get("volume").get("id").stringValue();
        JsonNode v = await("volume " + id + " available", () -> http.get(ADMIN, "/v3/volumes/" + id),
                x -> "available".equals(x.body().get("volume").get("status").stringValue())).body().get("volume");
        String host = v.get("os-vol-host-attr:host").stringValue();
        if (!host.startsWith("node-a-")) {
            // The capacity weigher chose B: move it to A first (driver-agnostic generic path, also cross-host).
            migrate(id, "node-a-" + run + "@a#a");
        }
        Path file = dir.resolve("a").resolve("volume-" + nameOf(id));
        Random random = new Random(seed);
        byte[] block = new byte[(int) MIB];
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            for (long off : new long[] {0, 700 * MIB}) {
                f.seek(off);
                for (int i = 0; i < 24; i++) {
                    random.nextBytes(block);
                    f.write(block);
                }
            }
        }
        return id;
    }

    private static String nameOf(String id) {
        JsonNode v = show(id);
        JsonNode nameId = v.get("os-vol-mig-status-attr:name_id");
        return nameId != null && nameId.isString() ? nameId.stringValue() : id;
    }

    private static JsonNode migrate(String id, String host) {
        HttpJson.Response r = http.post(ADMIN, "/v3/volumes/" + id + "/action",
                "{\"os-migrate_volume\": {\"host\": \"" + host + "\", \"force_host_copy\": true}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        return await("migration of " + id + " finished", () -> http.get(ADMIN, "/v3/volumes/" + id), x -> {
            JsonNode ms = x.body().get("volume").get("migration_status");
            return ms.isString() && (ms.stringValue().equals("success") || ms.stringValue().equals("error"));
        }).body().get("volume");
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[(int) MIB];
            for (int n; (n = in.read(buf)) >= 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static List<Path> files(Path d) {
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        } catch (Exception e) {
            return List.of();
        }
    }

    private static List<Path> exportFiles(String node) throws Exception {
        Path d = dir.resolve(node + "-exports");
        if (!Files.exists(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        }
    }

    @Test
    void genericMigrationFromNodeAToNodeBCopiesOverIscsiByteForByte() throws Exception {
        String id = volumeOnA(1);
        String before = sha256(dir.resolve("a").resolve("volume-" + nameOf(id)));

        JsonNode done = migrate(id, "node-b-" + run + "@b#b");
        assertThat(done.get("migration_status").stringValue()).as(nodeA.logTail(4000)).isEqualTo("success");
        assertThat(done.get("os-vol-host-attr:host").stringValue()).isEqualTo("node-b-" + run + "@b#b");
        Path moved = dir.resolve("b").resolve("volume-" + nameOf(id));
        assertThat(moved).exists();
        assertThat(sha256(moved)).isEqualTo(before);
        // The copy ran on A against B's export, and the export is gone again.
        assertThat(nodeA.logTail(200_000)).contains("over iSCSI with qemu-img")
                .contains("iscsi://").contains(net.node("b").address() + ":3260");
        assertThat(tgtdB.show()).doesNotContain("Target ");
        assertThat(exportFiles("b")).isEmpty();
        await("old copy on A deleted", () -> http.get(ADMIN, "/v3/volumes/" + id),
                x -> Files.notExists(dir.resolve("a").resolve("volume-" + id)));
    }

    @Test
    void aFailedCopyRemovesTheDestinationsExport() throws Exception {
        String id = volumeOnA(2);
        // The source is shorter than the volume: the copy on A fails after B created and exported the target.
        Path source = dir.resolve("a").resolve("volume-" + nameOf(id));
        try (RandomAccessFile f = new RandomAccessFile(source.toFile(), "rw")) {
            f.setLength(MIB);
        }
        List<Path> onBBefore = files(dir.resolve("b"));
        JsonNode failed = migrate(id, "node-b-" + run + "@b#b");
        assertThat(failed.get("migration_status").stringValue()).isEqualTo("error");
        assertThat(failed.get("os-vol-host-attr:host").stringValue()).startsWith("node-a-" + run);
        assertThat(nodeA.logTail(200_000)).contains("qemu-img convert");
        await("B's temporary volume deleted", () -> http.get(ADMIN, "/v3/volumes/" + id),
                x -> files(dir.resolve("b")).equals(onBBefore));
        assertThat(tgtdB.show()).doesNotContain("Target ");
        assertThat(exportFiles("b")).isEmpty();
    }

    @Test
    void anAttachmentGetsBsIscsiExportWhichAReachesWithItsSecretOnly() throws Exception {
        String id = volumeOnA(3);
        assertThat(migrate(id, "node-b-" + run + "@b#b").get("migration_status").stringValue()).isEqualTo("success");
        HttpJson.Response created = http.send(ADMIN, "POST", "/v3/attachments", "{\"attachment\": {\"volume_uuid\": \""
                + id + "\", \"instance_uuid\": \"" + UUID.randomUUID() + "\", \"connector\": {\"host\": \"node-a\", "
                + "\"initiator\": \"iqn.1993-08.org.debian:01:node-a\"}}}", "3.44");
        assertThat(created.status()).as(created.raw()).isEqualTo(200);
        JsonNode ci = created.body().get("attachment").get("connection_info");
        assertThat(ci.get("driver_volume_type").stringValue()).isEqualTo("iscsi");
        JsonNode data = ci.get("data");
        String iqn = "iqn.2010-10.org.openstack:volume-" + nameOf(id);
        assertThat(data.get("target_portal").stringValue()).isEqualTo(net.node("b").address() + ":3260");
        assertThat(data.get("target_iqn").stringValue()).isEqualTo(iqn);
        assertThat(data.get("target_lun").asInt()).isEqualTo(1);
        assertThat(data.get("auth_method").stringValue()).isEqualTo("CHAP");
        assertThat(data.get("volume_id").stringValue()).isEqualTo(id);
        assertThat(tgtdB.show()).contains(iqn);

        // From node A's namespace, with libiscsi: the secret opens it, a wrong one is refused by the target.
        Path secret = dir.resolve("secret");
        Files.writeString(secret, data.get("auth_password").stringValue());
        Path wrong = dir.resolve("wrong");
        Files.writeString(wrong, data.get("auth_password").stringValue() + "x");
        String opts = "driver=raw,file.driver=iscsi,file.transport=tcp,file.portal="
                + data.get("target_portal").stringValue() + ",file.target=" + iqn + ",file.lun=1,file.user="
                + data.get("auth_username").stringValue() + ",file.password-secret=s0";
        assertThat(net.exec("a", "qemu-img", "info", "--object", "secret,id=s0,file=" + secret, "--image-opts", opts))
                .contains("virtual size: 1 GiB");
        ProcessBuilder refused = net.inNode("a", List.of("qemu-img", "info", "--object", "secret,id=s0,file=" + wrong,
                "--image-opts", opts)).redirectErrorStream(true);
        Process p = refused.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isNotZero();
        assertThat(out).contains("Authentication failure");

        String attachmentId = created.body().get("attachment").get("id").stringValue();
        assertThat(http.send(ADMIN, "DELETE", "/v3/attachments/" + attachmentId, null, "3.44").status())
                .isEqualTo(200);
        assertThat(tgtdB.show()).doesNotContain(iqn);
        assertThat(exportFiles("b")).isEmpty();
    }
}
