package org.openstack.jcinder.all.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openstack.jcinder.testsupport.LoopVolumeGroups.last;
import static org.openstack.jcinder.testsupport.LoopVolumeGroups.sh;

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
import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.CinderConfFile;
import org.openstack.jcinder.testsupport.HttpJson;
import org.openstack.jcinder.testsupport.LoopVolumeGroups;
import org.openstack.jcinder.testsupport.TestServices;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;

/**
 * {@code os-migrate_volume} with this project's {@code with_snapshots} through the all-in-one (PostgreSQL,
 * RabbitMQ, two file backends, two LVM volume groups on loop-device PVs with loop activation): the volume and
 * its snapshots move together, every object's bytes checked by SHA-256 before and after, snapshot ids kept; a
 * destination that refuses a snapshot's copy leaves everything on the source; Cinder's refusals stay the default.
 * Needs root and lvm2, like LvmMigrationEndToEndTest.
 */
class SnapshotMigrationEndToEndTest {

    private static final String ADMIN = "admin:proj-sm";
    private static final long GIB = 1L << 30;
    static final String run = UUID.randomUUID().toString().substring(0, 6);
    static final String vgA = "jcs-a-" + run;
    static final String vgB = "jcs-b-" + run;
    static LoopVolumeGroups vgs;
    static Path dir;
    static String host;
    static ConfigurableApplicationContext all;
    static HttpJson http;

    @BeforeAll
    static void start() throws Exception {
        vgs = LoopVolumeGroups.create(8 * GIB, vgA, vgB);
        dir = vgs.dir();
        host = "snapmig-" + run;
        Path conf = CinderConfFile.write(dir, "cinder.conf", String.join("\n",
                "[DEFAULT]",
                "host = " + host,
                "enabled_backends = file1, file2, lvm-a, lvm-b",
                "transport_url = " + TestServices.transportUrl(),
                "osapi_volume_listen_port = 0",
                "report_interval = 1",
                "quota_volumes = -1",
                "quota_snapshots = -1",
                "quota_gigabytes = -1",
                "[database]",
                "connection = " + TestServices.freshDatabase(),
                "[file1]",
                "volume_driver = file",
                "file_volume_capacity_gb = 100",
                "[file2]",
                "volume_driver = file",
                "file_volume_capacity_gb = 100",
                "volume_copy_engine = native",
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
        all = CinderAllApplication.start(new String[] {"--config-file", conf.toString(), "--data-dir",
                dir.resolve("data").toString()});
        http = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) all).getWebServer().getPort());
        Await.until("four pools", () -> http.get(ADMIN, "/v3/scheduler-stats/get_pools"),
                r -> r.status() == 200 && r.body().get("pools").size() == 4);
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

    private static JsonNode show(String id) {
        return http.get(ADMIN, "/v3/volumes/" + id).body().get("volume");
    }

    private static HttpJson.Response act(String id, String body) {
        return http.post(ADMIN, "/v3/volumes/" + id + "/action", body);
    }

    /** A 1 GiB volume on {@code backend}, its type then changed to the default so that it may move. */
    private static String createOn(String backend) {
        String type = "t-" + backend + "-" + UUID.randomUUID().toString().substring(0, 6);
        http.post(ADMIN, "/v3/types", "{\"volume_type\": {\"name\": \"" + type + "\", \"extra_specs\": "
                + "{\"volume_backend_name\": \"" + backend + "\"}}}");
        String id = http.post(ADMIN, "/v3/volumes", "{\"volume\": {\"size\": 1, \"volume_type\": \"" + type + "\"}}")
                .body().get("volume").get("id").stringValue();
        Await.until("available", () -> http.get(ADMIN, "/v3/volumes/" + id),
                r -> "available".equals(r.body().get("volume").get("status").stringValue()));
        assertThat(act(id, "{\"os-retype\": {\"new_type\": \"__DEFAULT__\"}}").status()).isEqualTo(202);
        Await.until("retyped", () -> http.get(ADMIN, "/v3/volumes/" + id),
                r -> "__DEFAULT__".equals(r.body().get("volume").get("volume_type").stringValue())
                        && "available".equals(r.body().get("volume").get("status").stringValue()));
        return id;
    }

    private static String snapshot(String volumeId) {
        HttpJson.Response r = http.post(ADMIN, "/v3/snapshots", "{\"snapshot\": {\"volume_id\": \"" + volumeId
                + "\"}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String id = r.body().get("snapshot").get("id").stringValue();
        // An LVM snapshot under loop activation is a thick 1 GiB copy: slow on a busy machine.
        Await.until("snapshot " + id + " available", () -> http.get(ADMIN, "/v3/snapshots/" + id),
                s -> "available".equals(s.body().get("snapshot").get("status").stringValue()), Duration.ofSeconds(240));
        return id;
    }

    private static String backendOf(JsonNode volume) {
        return volume.get("os-vol-host-attr:host").stringValue().split("@")[1].split("#")[0];
    }

    private static String nameOf(JsonNode volume) {
        return "volume-" + (volume.get("os-vol-mig-status-attr:name_id").isNull() ? volume.get("id").stringValue()
                : volume.get("os-vol-mig-status-attr:name_id").stringValue());
    }

    private static Path fileOf(String backend, String object) {
        return dir.resolve("data").resolve("volumes").resolve(backend).resolve(object);
    }

    /** An object's bytes on a backend: the file, or the LV through a loop device on its extents. */
    private static Path dataOf(String backend, String object) throws Exception {
        if (backend.startsWith("file")) {
            return fileOf(backend, object);
        }
        String vg = backend.equals("lvm-a") ? vgA : vgB;
        String lv = object.startsWith("snapshot-") ? "_" + object : object;
        String seg = last(sh("lvs", "--driverloaded", "n", "--noheadings", "--units", "b", "--nosuffix", "-o",
                "seg_pe_ranges,vg_extent_size", vg + "/" + lv));
        String[] parts = seg.split("\\s+");
        String pv = parts[0].substring(0, parts[0].indexOf(':'));
        long first = Long.parseLong(parts[0].substring(parts[0].indexOf(':') + 1).split("-")[0]);
        long peStart = Long.parseLong(last(sh("pvs", "--driverloaded", "n", "--noheadings", "--units", "b",
                "--nosuffix", "-o", "pe_start", pv)));
        return Path.of(last(sh("losetup", "--find", "--show", "--offset", Long.toString(peStart + first
                * Long.parseLong(parts[1])), "--sizelimit", Long.toString(GIB), pv)));
    }

    private static String digest(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 20];
        try (var in = Files.newInputStream(p)) {
            long left = GIB;
            for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0; left -= n) {
                md.update(buf, 0, n);
            }
        } finally {
            if (p.toString().startsWith("/dev/loop")) {
                sh("losetup", "-d", p.toString());
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String digestOf(String backend, String object) throws Exception {
        return digest(dataOf(backend, object));
    }

    /** Writes random blocks (a new pattern per {@code seed}) into the volume; answers the volume's new digest. */
    private static String write(String volumeId, int seed) throws Exception {
        JsonNode v = show(volumeId);
        Path p = dataOf(backendOf(v), nameOf(v));
        Random random = new Random(seed);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            for (long offset : new long[] {0, (long) seed << 20, GIB - 4096}) {
                byte[] data = new byte[4096];
                random.nextBytes(data);
                f.seek(offset);
                f.write(data);
            }
        }
        return digest(p);
    }

    private static JsonNode migrateWithSnapshots(String id, String backend, boolean force, String outcome) {
        HttpJson.Response r = act(id, "{\"os-migrate_volume\": {\"host\": \"" + host + "@" + backend
                + "\", \"force_host_copy\": " + force + ", \"with_snapshots\": true}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        return Await.until("migration of " + id + " " + outcome, () -> http.get(ADMIN, "/v3/volumes/" + id),
                v -> outcome.equals(v.body().get("volume").get("migration_status").stringValue()),
                Duration.ofSeconds(300)).body().get("volume");
    }

    private static JsonNode migrationOf(String id) {
        return http.get(ADMIN, "/v3/volumes/" + id + "/migration").body().get("migration");
    }

    private static JsonNode volumeFromSnapshot(String snapshotId) {
        HttpJson.Response made = http.post(ADMIN, "/v3/volumes", "{\"volume\": {\"snapshot_id\": \"" + snapshotId
                + "\"}}");
        assertThat(made.status()).as(made.raw()).isEqualTo(202);
        String id = made.body().get("volume").get("id").stringValue();
        return Await.until("volume from snapshot", () -> http.get(ADMIN, "/v3/volumes/" + id),
                r -> "available".equals(r.body().get("volume").get("status").stringValue()), Duration.ofSeconds(240))
                .body().get("volume");
    }

    @Test
    void fileToFileByHostCopyMovesTheVolumeWithBothSnapshots() throws Exception {
        String id = createOn("file1");
        String atFirst = write(id, 3);
        String s1 = snapshot(id);
        String atSecond = write(id, 5);
        String s2 = snapshot(id);
        String now = write(id, 7);
        assertThat(digestOf("file1", "snapshot-" + s1)).isEqualTo(atFirst);
        assertThat(digestOf("file1", "snapshot-" + s2)).isEqualTo(atSecond);

        JsonNode moved = migrateWithSnapshots(id, "file2", true, "success");

        assertThat(moved.get("os-vol-host-attr:host").stringValue()).isEqualTo(host + "@file2#file2");
        assertThat(moved.get("status").stringValue()).isEqualTo("available");
        assertThat(digestOf("file2", nameOf(moved))).isEqualTo(now);
        // Same ids, same volume; the bytes of each point in time on the new backend; the old copies gone.
        for (String[] s : new String[][] {{s1, atFirst}, {s2, atSecond}}) {
            JsonNode snap = http.get(ADMIN, "/v3/snapshots/" + s[0]).body().get("snapshot");
            assertThat(snap.get("status").stringValue()).isEqualTo("available");
            assertThat(snap.get("volume_id").stringValue()).isEqualTo(id);
            assertThat(digestOf("file2", "snapshot-" + s[0])).isEqualTo(s[1]);
            assertThat(Files.exists(fileOf("file1", "snapshot-" + s[0]))).isFalse();
        }
        JsonNode migration = migrationOf(id);
        assertThat(migration.get("path").stringValue()).isEqualTo("generic");
        assertThat(migration.get("bytes_total").asLong()).isEqualTo(3 * GIB);
        assertThat(migration.get("bytes_copied").asLong()).isEqualTo(3 * GIB);

        // A moved snapshot serves a new volume, made on its new backend.
        JsonNode fromS1 = volumeFromSnapshot(s1);
        assertThat(backendOf(fromS1)).isEqualTo("file2");
        assertThat(digestOf("file2", nameOf(fromS1))).isEqualTo(atFirst);
    }

    @Test
    void aDestinationThatRefusesTheSecondSnapshotLeavesEverythingOnTheSource() throws Exception {
        String id = createOn("file1");
        String atFirst = write(id, 11);
        String s1 = snapshot(id);
        String atSecond = write(id, 13);
        String s2 = snapshot(id);
        // Something already holds the second snapshot's name on the destination: it will not make the copy.
        Path planted = fileOf("file2", "snapshot-" + s2);
        Files.createDirectories(planted.getParent());
        Files.writeString(planted, "not the migration's");

        JsonNode failed = migrateWithSnapshots(id, "file2", true, "error");

        assertThat(failed.get("os-vol-host-attr:host").stringValue()).isEqualTo(host + "@file1#file1");
        assertThat(failed.get("status").stringValue()).isEqualTo("available");
        assertThat(failed.get("os-vol-mig-status-attr:name_id").isNull()).isTrue();
        assertThat(digestOf("file1", nameOf(failed))).isEqualTo(atSecond);
        assertThat(digestOf("file1", "snapshot-" + s1)).isEqualTo(atFirst);
        assertThat(digestOf("file1", "snapshot-" + s2)).isEqualTo(atSecond);
        assertThat(migrationOf(id).get("detail").stringValue()).contains("already exists");
        // The copy of the first snapshot is removed; what was there before is left alone.
        assertThat(Files.exists(fileOf("file2", "snapshot-" + s1))).isFalse();
        assertThat(Files.readString(planted)).isEqualTo("not the migration's");
        Await.until("temporary volume deleted", () -> http.get(ADMIN, "/v3/volumes/detail?all_tenants=1"),
                r -> !r.raw().contains("target:" + id));
        // The snapshots still serve new volumes on the source.
        JsonNode fromS1 = volumeFromSnapshot(s1);
        assertThat(backendOf(fromS1)).isEqualTo("file1");
        assertThat(digestOf("file1", nameOf(fromS1))).isEqualTo(atFirst);

        // Once the name is free the same migration goes through.
        Files.delete(planted);
        JsonNode moved = migrateWithSnapshots(id, "file2", true, "success");
        assertThat(backendOf(moved)).isEqualTo("file2");
        assertThat(digestOf("file2", "snapshot-" + s2)).isEqualTo(atSecond);
    }

    @Test
    void lvmToLvmNativelyThenToFileByHostCopy() throws Exception {
        String id = createOn("lvm-a");
        String atFirst = write(id, 17);
        String s1 = snapshot(id);
        String atSecond = write(id, 19);
        String s2 = snapshot(id);
        String now = write(id, 23);

        JsonNode onB = migrateWithSnapshots(id, "lvm-b", false, "success");

        assertThat(migrationOf(id).get("path").stringValue()).isEqualTo("driver");
        assertThat(migrationOf(id).get("bytes_copied").asLong()).isEqualTo(3 * GIB);
        assertThat(backendOf(onB)).isEqualTo("lvm-b");
        assertThat(digestOf("lvm-b", nameOf(onB))).isEqualTo(now);
        assertThat(digestOf("lvm-b", "snapshot-" + s1)).isEqualTo(atFirst);
        assertThat(digestOf("lvm-b", "snapshot-" + s2)).isEqualTo(atSecond);
        String leftOnA = sh("lvs", "--driverloaded", "n", "--noheadings", "-o", "lv_name", vgA);
        assertThat(leftOnA).doesNotContain(id).doesNotContain(s1).doesNotContain(s2);
        JsonNode fromS2 = volumeFromSnapshot(s2);
        assertThat(backendOf(fromS2)).isEqualTo("lvm-b");
        assertThat(digestOf("lvm-b", nameOf(fromS2))).isEqualTo(atSecond);

        // LVM to file: no native way, the host copy carries the chain (thick LVs into sparse files).
        JsonNode onFile = migrateWithSnapshots(id, "file1", false, "success");
        assertThat(migrationOf(id).get("path").stringValue()).isEqualTo("generic");
        assertThat(backendOf(onFile)).isEqualTo("file1");
        assertThat(digestOf("file1", nameOf(onFile))).isEqualTo(now);
        assertThat(digestOf("file1", "snapshot-" + s1)).isEqualTo(atFirst);
        assertThat(digestOf("file1", "snapshot-" + s2)).isEqualTo(atSecond);
        assertThat(sh("lvs", "--driverloaded", "n", "--noheadings", "-o", "lv_name", vgB))
                .doesNotContain("_snapshot-" + s1).doesNotContain("_snapshot-" + s2);
        assertThat(vgs.stackedLoops()).isZero();
    }

    @Test
    void withoutTheKeyCindersRefusalStandsAndBadOrAttachedRequestsAreRefused() {
        String id = createOn("file1");
        String s1 = snapshot(id);

        HttpJson.Response cinders = act(id, "{\"os-migrate_volume\": {\"host\": \"" + host + "@file2\"}}");
        assertThat(cinders.status()).as(cinders.raw()).isEqualTo(400);
        assertThat(cinders.raw()).contains("must not be migrating, have snapshots");
        HttpJson.Response no = act(id, "{\"os-migrate_volume\": {\"host\": \"" + host + "@file2\", "
                + "\"with_snapshots\": false}}");
        assertThat(no.status()).as(no.raw()).isEqualTo(400);
        assertThat(no.raw()).contains("have snapshots");

        HttpJson.Response bad = act(id, "{\"os-migrate_volume\": {\"host\": \"" + host + "@file2\", "
                + "\"with_snapshots\": \"yes\"}}");
        assertThat(bad.status()).as(bad.raw()).isEqualTo(400);
        assertThat(bad.body().get("badRequest").get("message").stringValue())
                .isEqualTo("Invalid input for field/attribute with_snapshots. Value: yes. \"yes\" is not of type "
                        + "'boolean'");
        // Accepted at an older microversion too (the key is this project's, like bps_limit), and admin only.
        HttpJson.Response member = http.post("member:proj-sm", "/v3/volumes/" + id + "/action",
                "{\"os-migrate_volume\": {\"host\": \"" + host + "@file2\", \"with_snapshots\": true}}");
        assertThat(member.status()).as(member.raw()).isEqualTo(403);

        // Attached: Nova's swap moves the active disk only, so the snapshots could not follow.
        assertThat(act(id, "{\"os-reserve\": null}").status()).isEqualTo(202);
        assertThat(act(id, "{\"os-attach\": {\"instance_uuid\": \"" + UUID.randomUUID() + "\", \"mountpoint\": "
                + "\"/dev/vdb\", \"mode\": \"rw\"}}").status()).isEqualTo(202);
        HttpJson.Response attached = http.send(ADMIN, "POST", "/v3/volumes/" + id + "/action",
                "{\"os-migrate_volume\": {\"host\": \"" + host + "@file2\", \"with_snapshots\": true}}", "3.0");
        assertThat(attached.status()).as(attached.raw()).isEqualTo(400);
        assertThat(attached.raw()).contains("is attached").contains("Nova's swap");
        assertThat(show(id).get("migration_status").isNull()).isTrue();
        assertThat(http.get(ADMIN, "/v3/snapshots/" + s1).body().get("snapshot").get("status").stringValue())
                .isEqualTo("available");
    }
}
