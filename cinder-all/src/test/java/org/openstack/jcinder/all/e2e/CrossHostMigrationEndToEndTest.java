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
import java.util.Set;
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
    static String viaBridge;

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

        // service_down_time 60: a killed node's JVM is usually back within it (its interrupted copy resumes);
        // reconcile every 15 s so the crash tests' clean-up comes quickly.
        String common = "report_interval = 1\nservice_down_time = 60\nrpc_response_timeout = 60\n"
                + "osapi_volume_listen_port = 0\nmigration_reconcile_interval = 15\n";
        viaBridge = "transport_url = " + transport.replace("127.0.0.1", net.bridgeAddress()) + "\n" + common
                + "[database]\nconnection = " + database.replace("127.0.0.1", net.bridgeAddress()) + "\n";
        nodeA = startNode("a", tgtdA, "node-a.log");
        nodeB = startNode("b", tgtdB, "node-b.log");

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

    private static NodeProcess startNode(String node, Tgtd tgtd, String log) throws Exception {
        String conf = "[DEFAULT]\nhost = node-" + node + "-" + run + "\nenabled_backends = " + node + "\n" + viaBridge
                + "[" + node + "]\nvolume_driver = file\nfile_volume_dir = " + dir.resolve(node)
                + "\nfile_volume_capacity_gb = 20\ntarget_helper = tgtadm\ntarget_ip_address = "
                + net.node(node).address() + "\ntarget_port = 3260\ntgt_control_port = " + tgtd.controlPort()
                + "\nvolumes_dir = " + dir.resolve(node + "-exports") + "\n";
        Path file = CinderConfFile.write(dir, "volume-" + node + ".conf", conf);
        return NodeProcess.start(net, node, CinderVolumeApplication.class, file, dir.resolve(log));
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
        // The nodes' logs (each life of a killed node has its own) outlive the temporary directory.
        Path keep = Files.createDirectories(Path.of("target", "crosshost-logs", run));
        for (Path log : files(dir)) {
            if (log.getFileName().toString().endsWith(".log")) {
                Files.copy(log, keep.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
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
        // B's stale-export reconciler (every 15 s, exports older than 15 s) leaves an attached volume's export.
        // Once the export is past that age, a stale export planted beside it is removed by a pass that judged
        // both: proof that a pass ran, instead of a sleep long enough for one.
        Path export = dir.resolve("b-exports").resolve("volume-" + nameOf(id));
        assertThat(export).exists();
        java.time.Instant judgeable = Files.getLastModifiedTime(export).toInstant().plusSeconds(17);
        Thread.sleep(Math.max(0, Duration.between(java.time.Instant.now(), judgeable).toMillis()));
        String decoy = plantStaleExportOnB(dir.resolve("decoy.img"));
        Await.condition("a pass of B's reconciler after the export's 15 s", () -> {
            try {
                return !tgtdB.show().contains(decoy);
            } catch (Exception e) {
                return false;
            }
        }, Duration.ofSeconds(60));
        assertThat(nodeB.logTail(400_000)).contains("Removing stale export " + decoy);
        assertThat(tgtdB.show()).contains(iqn);
        assertThat(nodeB.logTail(400_000)).doesNotContain("Removing stale export volume-" + nameOf(id));

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

    /**
     * Starts a migration to {@code host} without waiting for it, its copy held to 4 MiB/s (the 48 MiB of data
     * take about 12 s, so a kill lands mid-copy; a resumed copy keeps the limit).
     */
    private static void startMigration(String id, String host) {
        HttpJson.Response r = http.post(ADMIN, "/v3/volumes/" + id + "/action",
                "{\"os-migrate_volume\": {\"host\": \"" + host + "\", \"force_host_copy\": true, "
                + "\"bps_limit\": " + (4 * MIB) + "}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
    }

    /** Waits until node A's copy of {@code id} into B's export runs, then a moment more: mid-copy. */
    private static void awaitCopyRunning(String id) throws Exception {
        Await.condition("A copying " + id + " over iSCSI", () -> nodeA.logTail(400_000)
                .contains("Migration of volume " + id + ": copying"), Duration.ofSeconds(120));
        Thread.sleep(3000);
        HttpJson.Response r = http.get(ADMIN, "/v3/volumes/" + id);
        assertThat(r.body().get("volume").get("migration_status").stringValue()).as("still copying at the kill")
                .isEqualTo("migrating");
    }

    /** A node's JVM started again on the same files and tgtd, its log in a new file; up when initialised. */
    private static NodeProcess restart(String node, Tgtd tgtd, String log) throws Exception {
        NodeProcess p = startNode(node, tgtd, log);
        Await.condition("node " + node + " back", () -> p.logTail(400_000)
                .contains("Backend node-" + node + "-" + run + "@" + node + " initialised"), Duration.ofSeconds(300));
        return p;
    }

    /**
     * After a crash mid-copy the rules of {@code docs/operations.md} hold across the two nodes: the migration
     * ended one way or the other (never left migrating), the volume's bytes are those it had, wherever it is
     * now, B holds no temporary volume, tgtd on B has no target and volumes_dir no export file, and a later
     * migration works. Returns the final status.
     */
    private static String assertCrashRulesHold(String id, String before, Set<Path> onBBefore) throws Exception {
        JsonNode end = Await.until("migration of " + id + " ended", () -> http.get(ADMIN, "/v3/volumes/" + id), x -> {
            JsonNode ms = x.body().get("volume").get("migration_status");
            return ms.isString() && (ms.stringValue().equals("success") || ms.stringValue().equals("error"));
        }, Duration.ofSeconds(420)).body().get("volume");
        String status = end.get("migration_status").stringValue();
        String host = end.get("os-vol-host-attr:host").stringValue();
        String node = "success".equals(status) ? "b" : "a";
        assertThat(host).as(status).startsWith("node-" + node + "-" + run);
        assertThat(end.get("status").stringValue()).isEqualTo("available");
        Path data = dir.resolve(node).resolve("volume-" + nameOf(id));
        assertThat(sha256(data)).as("the volume's bytes on " + node).isEqualTo(before);
        // B keeps only what it had plus, after a success, the volume itself: the temporary volume of a failed
        // attempt is deleted, and so is any export of it (the reconciler's job when B or A was down).
        Set<Path> expectedOnB = new java.util.HashSet<>(onBBefore);
        if ("success".equals(status)) {
            expectedOnB.add(data);
        }
        try {
            Await.condition("B left with its own volumes only and no export", () -> {
                try {
                    return Set.copyOf(files(dir.resolve("b"))).equals(expectedOnB) && exportFiles("b").isEmpty()
                            && !tgtdB.show().contains("Target ");
                } catch (Exception e) {
                    return false;
                }
            }, Duration.ofSeconds(120));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nB: " + files(dir.resolve("b")) + " exports "
                    + exportFiles("b") + "\n" + tgtdB.show() + "\n--- node A:\n" + nodeA.logTail(4000)
                    + "\n--- node B:\n" + nodeB.logTail(4000), e);
        }
        // And the volume still migrates: back to the other node, byte for byte.
        String other = "b".equals(node) ? "a" : "b";
        JsonNode again = migrate(id, "node-" + other + "-" + run + "@" + other + "#" + other);
        assertThat(again.get("migration_status").stringValue()).as(nodeA.logTail(4000) + nodeB.logTail(4000))
                .isEqualTo("success");
        assertThat(sha256(dir.resolve(other).resolve("volume-" + nameOf(id)))).isEqualTo(before);
        return status;
    }

    @Test
    void aCrashOfTheCopyingSourceNodeResumesOrFailsAndLeavesNoExportOnB() throws Exception {
        String id = volumeOnA(4);
        String before = sha256(dir.resolve("a").resolve("volume-" + nameOf(id)));
        Set<Path> onBBefore = Set.copyOf(files(dir.resolve("b")));
        startMigration(id, "node-b-" + run + "@b#b");
        awaitCopyRunning(id);
        nodeA.kill(); // the JVM and its qemu-img: B's export stays, with nobody writing to it
        assertThat(tgtdB.show()).as("B's export survives A's crash").contains("Target ");
        nodeA = restart("a", tgtdA, "node-a-2.log");

        String status = assertCrashRulesHold(id, before, onBBefore);
        System.out.println("Crash of node A mid-copy: the migration ended in " + status);
        String log = nodeA.logTail(400_000);
        if ("success".equals(status)) {
            // A came back within service_down_time: it resumed, over iSCSI from byte 0 (qemu-img has no range).
            assertThat(log).contains("Migration of volume " + id + ": resuming the copy")
                    .contains("over iSCSI with qemu-img from byte 0");
        } else {
            // B's reconciler saw A down for longer than service_down_time first: failed, temporary volume deleted.
            assertThat(http.get(ADMIN, "/v3/volumes/" + id).raw()).doesNotContain("\"migrating\"");
            assertThat(nodeB.logTail(400_000)).contains("is down");
        }
    }

    @Test
    void aCrashOfTheDestinationNodeMidCopyLeavesNoExportOnceItIsBack() throws Exception {
        String id = volumeOnA(5);
        String before = sha256(dir.resolve("a").resolve("volume-" + nameOf(id)));
        Set<Path> onBBefore = Set.copyOf(files(dir.resolve("b")));
        startMigration(id, "node-b-" + run + "@b#b");
        awaitCopyRunning(id);
        // B's JVM dies; its tgtd, a process of its own, keeps serving the export A is writing into.
        nodeB.kill();
        nodeB = restart("b", tgtdB, "node-b-2.log");
        System.out.println("Crash of node B mid-copy: the migration ended in "
                + assertCrashRulesHold(id, before, onBBefore));
    }

    /**
     * An export on B (file in volumes_dir and tgtd target, written two minutes ago) of a volume no row names, as a
     * crash can leave it: B's reconciler removes it at its next pass. Answers its name.
     */
    private static String plantStaleExportOnB(Path backing) throws Exception {
        if (Files.notExists(backing)) {
            try (RandomAccessFile f = new RandomAccessFile(backing.toFile(), "rw")) {
                f.setLength(MIB);
            }
        }
        String name = "volume-" + UUID.randomUUID();
        Path file = Files.createDirectories(dir.resolve("b-exports")).resolve(name);
        Files.writeString(file, "<target iqn.2010-10.org.openstack:" + name + ">\n    backing-store " + backing
                + "\n    driver iscsi\n</target>\n");
        Process p = new ProcessBuilder("tgt-admin", "-C", Integer.toString(tgtdB.controlPort()), "-c",
                file.toString(), "--update", "iqn.2010-10.org.openstack:" + name).inheritIO().start();
        assertThat(p.waitFor()).isZero();
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minusSeconds(120)));
        return name;
    }

    @Test
    void staleExportsOnBAreRemovedByItsReconciler() throws Exception {
        // What a crash can leave on B when no message will ever come to remove it: an export (file and target)
        // of a volume no row names, and a target without its file. B's reconciler removes both within an
        // interval (15 s here) once they are older than one.
        Path backing = dir.resolve("stale.img");
        String withFile = plantStaleExportOnB(backing);
        String targetOnly = plantStaleExportOnB(backing);
        Files.delete(dir.resolve("b-exports").resolve(targetOnly));
        assertThat(tgtdB.show()).contains(withFile).contains(targetOnly);

        Await.condition("B's stale exports removed", () -> {
            try {
                return exportFiles("b").isEmpty() && !tgtdB.show().contains("Target ");
            } catch (Exception e) {
                return false;
            }
        }, Duration.ofSeconds(90));
        assertThat(nodeB.logTail(400_000)).contains("Removing stale export " + withFile)
                .contains("Removing stale export " + targetOnly);
    }
}
