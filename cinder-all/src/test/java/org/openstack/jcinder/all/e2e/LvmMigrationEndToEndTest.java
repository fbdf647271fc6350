package org.openstack.jcinder.all.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openstack.jcinder.testsupport.LoopVolumeGroups.last;
import static org.openstack.jcinder.testsupport.LoopVolumeGroups.sh;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
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
 * Migrations through the services with LVM backends on real lvm2 (two volume groups on loop-device PVs,
 * loop activation) and a file backend: LVM to LVM natively, LVM to file and file to LVM by host copy, the
 * bytes checked each time. Needs root and lvm2, like LvmVolumeDriverTest.
 */
class LvmMigrationEndToEndTest {

    private static final String ADMIN = "admin:proj-l";
    private static final long GIB = 1L << 30;
    /** Thick copies of 1 GiB through loop devices: minutes on a loaded machine, not the default 40 s. */
    private static final java.time.Duration SLOW = java.time.Duration.ofMinutes(4);
    static final String run = UUID.randomUUID().toString().substring(0, 6);
    static final String vgA = "jce-a-" + run;
    static final String vgB = "jce-b-" + run;
    static LoopVolumeGroups vgs;
    static Path dir;
    static String host;
    static ConfigurableApplicationContext all;
    static HttpJson http;

    @BeforeAll
    static void start() throws Exception {
        vgs = LoopVolumeGroups.create(8 * GIB, vgA, vgB);
        dir = vgs.dir();
        host = "lvm-" + run;
        Path conf = CinderConfFile.write(dir, "cinder.conf", String.join("\n",
                "[DEFAULT]",
                "host = " + host,
                "enabled_backends = lvm-a, lvm-b, file",
                "transport_url = " + TestServices.transportUrl(),
                "osapi_volume_listen_port = 0",
                "report_interval = 1",
                "[database]",
                "connection = " + TestServices.freshDatabase(),
                "[lvm-a]",
                "volume_driver = cinder.volume.drivers.lvm.LVMVolumeDriver",
                "volume_group = " + vgA,
                "lvm_activation = loop",
                "volume_clear = none",
                "[lvm-b]",
                "volume_driver = lvm",
                "volume_group = " + vgB,
                "lvm_activation = loop",
                "volume_clear = none",
                "volume_copy_engine = native",
                "[file]",
                "volume_driver = file",
                "file_volume_capacity_gb = 100"));
        all = CinderAllApplication.start(new String[] {"--config-file", conf.toString(), "--data-dir",
                dir.resolve("data").toString()});
        http = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) all).getWebServer().getPort());
        Await.until("three pools", () -> http.get(ADMIN, "/v3/scheduler-stats/get_pools"),
                r -> r.status() == 200 && r.body().get("pools").size() == 3);
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

    private static String createOn(String backend) {
        String type = "t-" + backend + "-" + UUID.randomUUID().toString().substring(0, 6);
        http.post(ADMIN, "/v3/types", "{\"volume_type\": {\"name\": \"" + type + "\", \"extra_specs\": "
                + "{\"volume_backend_name\": \"" + backend + "\"}}}");
        String id = http.post(ADMIN, "/v3/volumes", "{\"volume\": {\"size\": 1, \"volume_type\": \"" + type + "\"}}")
                .body().get("volume").get("id").stringValue();
        Await.until("available", () -> http.get(ADMIN, "/v3/volumes/" + id),
                r -> "available".equals(r.body().get("volume").get("status").stringValue()));
        // The type pins the backend; take it off so the volume may move.
        assertThat(http.post(ADMIN, "/v3/volumes/" + id + "/action", "{\"os-retype\": {\"new_type\": \"__DEFAULT__\"}}")
                .status()).isEqualTo(202);
        Await.until("retyped", () -> http.get(ADMIN, "/v3/volumes/" + id),
                r -> "__DEFAULT__".equals(r.body().get("volume").get("volume_type").stringValue())
                        && "available".equals(r.body().get("volume").get("status").stringValue()));
        return id;
    }

    /** The volume's bytes as the backend exposes them: the LV through a loop device, or the file. */
    private static Path dataOf(JsonNode v) throws Exception {
        String backend = v.get("os-vol-host-attr:host").stringValue().split("@")[1].split("#")[0];
        String name = "volume-" + (v.get("os-vol-mig-status-attr:name_id").isNull() ? v.get("id").stringValue()
                : v.get("os-vol-mig-status-attr:name_id").stringValue());
        if (backend.equals("file")) {
            return dir.resolve("data").resolve("volumes").resolve("file").resolve(name);
        }
        String vg = backend.equals("lvm-a") ? vgA : vgB;
        String seg = last(sh("lvs", "--driverloaded", "n", "--noheadings", "--units", "b", "--nosuffix", "-o",
                "seg_pe_ranges,vg_extent_size", vg + "/" + name));
        String[] parts = seg.split("\\s+");
        String pv = parts[0].substring(0, parts[0].indexOf(':'));
        long first = Long.parseLong(parts[0].substring(parts[0].indexOf(':') + 1).split("-")[0]);
        long peStart = Long.parseLong(last(sh("pvs", "--driverloaded", "n", "--noheadings", "--units", "b",
                "--nosuffix", "-o", "pe_start", pv)));
        String loop = last(sh("losetup", "--find", "--show", "--offset", Long.toString(peStart + first
                * Long.parseLong(parts[1])), "--sizelimit", Long.toString(GIB), pv));
        return Path.of(loop);
    }

    private static String digest(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 20];
        try (var in = Files.newInputStream(p)) {
            long left = GIB;
            for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0; left -= n) {
                md.update(buf, 0, n);
            }
        }
        if (p.toString().startsWith("/dev/loop")) {
            sh("losetup", "-d", p.toString());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String fill(Path p) throws Exception {
        Random random = new Random(11);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            for (long offset : new long[] {0, 77 << 20, GIB - 4096}) {
                byte[] data = new byte[4096];
                random.nextBytes(data);
                f.seek(offset);
                f.write(data);
            }
        }
        return digest(p);
    }

    private static JsonNode migrate(String id, String backend, boolean force) {
        assertThat(http.post(ADMIN, "/v3/volumes/" + id + "/action", "{\"os-migrate_volume\": {\"host\": \"" + host
                + "@" + backend + "\", \"force_host_copy\": " + force + "}}").status()).isEqualTo(202);
        return Await.until("migration of " + id, () -> http.get(ADMIN, "/v3/volumes/" + id),
                r -> "success".equals(r.body().get("volume").get("migration_status").stringValue())).body()
                .get("volume");
    }

    private static HttpJson.Response extend(String token, String id, String newSize) {
        return http.post(token, "/v3/volumes/" + id + "/action", "{\"os-extend\": {\"new_size\": " + newSize + "}}");
    }

    /** Snapshots on LVM with loop activation: a thick copy LV; a volume from it carries the same bytes. */
    @Test
    void lvmSnapshotIsAThickCopyAndAVolumeFromItHasTheSameBytes() throws Exception {
        String id = createOn("lvm-a");
        String before = fill(dataOf(show(id)));
        HttpJson.Response snap = http.post(ADMIN, "/v3/snapshots", "{\"snapshot\": {\"volume_id\": \"" + id + "\"}}");
        assertThat(snap.status()).as(snap.raw()).isEqualTo(202);
        String snapId = snap.body().get("snapshot").get("id").stringValue();
        Await.until("snapshot available", () -> http.get(ADMIN, "/v3/snapshots/" + snapId),
                r -> "available".equals(r.body().get("snapshot").get("status").stringValue()));
        assertThat(sh("lvs", "--driverloaded", "n", "--noheadings", "-o", "lv_name", vgA))
                .contains("_snapshot-" + snapId);
        // The volume changes afterwards; the snapshot keeps the point in time.
        fill2(dataOf(show(id)));
        HttpJson.Response made = http.post(ADMIN, "/v3/volumes", "{\"volume\": {\"snapshot_id\": \"" + snapId + "\"}}");
        assertThat(made.status()).as(made.raw()).isEqualTo(202);
        String newId = made.body().get("volume").get("id").stringValue();
        JsonNode v = Await.until("volume from snapshot", () -> http.get(ADMIN, "/v3/volumes/" + newId),
                r -> "available".equals(r.body().get("volume").get("status").stringValue())).body().get("volume");
        assertThat(v.get("os-vol-host-attr:host").stringValue()).contains("@lvm-a");
        assertThat(digest(dataOf(v))).isEqualTo(before);

        assertThat(http.delete(ADMIN, "/v3/snapshots/" + snapId).status()).isEqualTo(202);
        Await.until("snapshot gone", () -> http.get(ADMIN, "/v3/snapshots/" + snapId), r -> r.status() == 404);
        assertThat(sh("lvs", "--driverloaded", "n", "--noheadings", "-o", "lv_name", vgA))
                .doesNotContain("_snapshot-" + snapId);
        for (String v2 : List.of(newId, id)) {
            assertThat(http.delete(ADMIN, "/v3/volumes/" + v2).status()).isEqualTo(202);
            Await.until("volume gone", () -> http.get(ADMIN, "/v3/volumes/" + v2), r -> r.status() == 404);
        }
    }

    /**
     * Revert to snapshot on LVM with loop activation: the thick snapshot LV's blocks are copied back over the
     * volume's LV (SHA-256 before the snapshot, after overwriting, after the revert); then a cascade delete
     * removes the snapshot LV and the volume's LV.
     */
    @Test
    void lvmRevertCopiesTheSnapshotBackAndCascadeDeleteRemovesBothLvs() throws Exception {
        String id = createOn("lvm-b");
        String atSnapshot = fill(dataOf(show(id)));
        HttpJson.Response snap = http.post(ADMIN, "/v3/snapshots", "{\"snapshot\": {\"volume_id\": \"" + id + "\"}}");
        assertThat(snap.status()).as(snap.raw()).isEqualTo(202);
        String snapId = snap.body().get("snapshot").get("id").stringValue();
        Await.until("snapshot available", () -> http.get(ADMIN, "/v3/snapshots/" + snapId),
                r -> "available".equals(r.body().get("snapshot").get("status").stringValue()), SLOW);
        fill2(dataOf(show(id)));
        String overwritten = digest(dataOf(show(id)));
        assertThat(overwritten).isNotEqualTo(atSnapshot);

        HttpJson.Response revert = http.send(ADMIN, "POST", "/v3/volumes/" + id + "/action",
                "{\"revert\": {\"snapshot_id\": \"" + snapId + "\"}}", "3.40");
        assertThat(revert.status()).as(revert.raw()).isEqualTo(202);
        Await.until("reverted", () -> http.get(ADMIN, "/v3/volumes/" + id),
                r -> "available".equals(r.body().get("volume").get("status").stringValue()), SLOW);
        Await.until("snapshot available again", () -> http.get(ADMIN, "/v3/snapshots/" + snapId),
                r -> "available".equals(r.body().get("snapshot").get("status").stringValue()), SLOW);
        assertThat(digest(dataOf(show(id)))).isEqualTo(atSnapshot);

        assertThat(http.delete(ADMIN, "/v3/volumes/" + id + "?cascade=true").status()).isEqualTo(202);
        Await.until("volume gone", () -> http.get(ADMIN, "/v3/volumes/" + id), r -> r.status() == 404, SLOW);
        assertThat(http.get(ADMIN, "/v3/snapshots/" + snapId).status()).isEqualTo(404);
        String lvs = sh("lvs", "--driverloaded", "n", "--noheadings", "-o", "lv_name", vgB);
        assertThat(lvs).doesNotContain("_snapshot-" + snapId).doesNotContain("volume-" + id);
    }

    private static void fill2(Path p) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.seek(0);
            f.write(new byte[] {9, 9, 9, 9});
        }
        digest(p);
    }

    @Test
    void osExtendGrowsTheLvThroughTheServicesWithCindersChecks() throws Exception {
        String id = createOn("lvm-a");
        String lv = "volume-" + id;

        assertThat(extend(ADMIN, id, "1").raw()).contains("New size for extend must be greater than current size. "
                + "(current: 1, extended: 1)");
        assertThat(extend(ADMIN, id, "\"two\"").status()).isEqualTo(400);
        assertThat(extend(ADMIN, id, "0").status()).isEqualTo(400);
        assertThat(http.post(ADMIN, "/v3/volumes/" + id + "/action", "{\"os-extend\": {}}").raw())
                .contains("'new_size' is a required property");
        assertThat(extend("someone:other-project", id, "2").status()).isEqualTo(404);
        assertThat(extend(ADMIN, UUID.randomUUID().toString(), "2").status()).isEqualTo(404);

        assertThat(extend(ADMIN, id, "2").status()).isEqualTo(202);
        JsonNode v = Await.until("extended", () -> http.get(ADMIN, "/v3/volumes/" + id),
                r -> r.body().get("volume").get("size").asInt() == 2
                        && "available".equals(r.body().get("volume").get("status").stringValue())).body().get("volume");
        assertThat(v.get("size").asInt()).isEqualTo(2);
        assertThat(last(sh("lvs", "--driverloaded", "n", "--noheadings", "--units", "b", "--nosuffix", "-o",
                "lv_size", vgA + "/" + lv))).isEqualTo(Long.toString(2 * GIB));

        // More than the volume group holds: lvm2 refuses, the volume says so and keeps its size.
        assertThat(extend(ADMIN, id, "100").status()).isEqualTo(202);
        JsonNode failed = Await.until("error_extending", () -> http.get(ADMIN, "/v3/volumes/" + id),
                r -> "error_extending".equals(r.body().get("volume").get("status").stringValue())).body()
                .get("volume");
        assertThat(failed.get("size").asInt()).isEqualTo(2);
        assertThat(extend(ADMIN, id, "3").raw()).contains("status must be 'available' to extend, currently "
                + "error_extending");
    }

    private static HttpJson.Response act(String token, String id, String body) {
        return http.post(token, "/v3/volumes/" + id + "/action", body);
    }

    private static JsonNode copyingAtOneMibPerSecond(String id) {
        assertThat(act(ADMIN, id, "{\"os-migrate_volume\": {\"host\": \"" + host + "@file\", \"force_host_copy\": "
                + "true, \"bps_limit\": 1048576}}").status()).isEqualTo(202);
        Await.until("a throttled copy under way", () -> http.get(ADMIN, "/v3/volumes/" + id + "/migration"), r -> {
            JsonNode p = r.body().get("migration");
            return p != null && "copying".equals(p.get("phase").stringValue()) && p.get("bytes_copied").asLong() > 0;
        });
        return http.get(ADMIN, "/v3/volumes/" + id).body().get("volume");
    }

    @Test
    void aRunningHostCopyCanBeCancelledOrSpedUpByAnAdministrator() throws Exception {
        String id = createOn("lvm-b");
        String sum = fill(dataOf(show(id)));

        assertThat(act(ADMIN, id, "{\"os-migrate_volume_cancel\": {}}").raw()).contains("is not being migrated");
        assertThat(act(ADMIN, id, "{\"os-migrate_volume_update\": {\"bps_limit\": -1}}").raw())
                .contains("less than the minimum of 0");
        assertThat(act(ADMIN, id, "{\"os-migrate_volume_update\": {\"bps_limit\": \"fast\"}}").status()).isEqualTo(400);
        assertThat(act(ADMIN, id, "{\"os-migrate_volume_update\": {\"bps_limit\": 1.5}}").status()).isEqualTo(400);
        assertThat(act("user:proj-l", id, "{\"os-migrate_volume_cancel\": {}}").status()).isEqualTo(403);
        assertThat(act(ADMIN, UUID.randomUUID().toString(), "{\"os-migrate_volume_cancel\": {}}").status())
                .isEqualTo(404);

        // Cancel: the copy stops, the temporary volume goes, the source keeps its data and its place.
        JsonNode copying = copyingAtOneMibPerSecond(id);
        assertThat(migrationOf(copying).get("bps_limit").asLong()).isEqualTo(1048576);
        assertThat(act(ADMIN, id, "{\"os-migrate_volume_cancel\": {}}").status()).isEqualTo(202);
        JsonNode cancelled = Await.until("cancelled", () -> http.get(ADMIN, "/v3/volumes/" + id),
                r -> "error".equals(r.body().get("volume").get("migration_status").stringValue())).body().get("volume");
        assertThat(cancelled.get("status").stringValue()).isEqualTo("available");
        assertThat(cancelled.get("os-vol-host-attr:host").stringValue()).isEqualTo(host + "@lvm-b#lvm-b");
        assertThat(migrationOf(cancelled).get("detail").stringValue()).contains("cancelled");
        Await.until("temporary volume deleted", () -> http.get(ADMIN, "/v3/volumes/detail?all_tenants=1"),
                r -> !r.raw().contains("target:" + id));
        assertThat(act(ADMIN, id, "{\"os-migrate_volume_cancel\": {}}").status()).isEqualTo(400);
        assertThat(digest(dataOf(show(id)))).isEqualTo(sum);

        // Lifting the limit of a running copy: at 1 MiB/s the gigabyte would need 17 minutes.
        copyingAtOneMibPerSecond(id);
        assertThat(act(ADMIN, id, "{\"os-migrate_volume_update\": {\"bps_limit\": 0}}").status()).isEqualTo(202);
        JsonNode moved = Await.until("migrated after the limit was lifted", () -> http.get(ADMIN, "/v3/volumes/" + id),
                r -> "success".equals(r.body().get("volume").get("migration_status").stringValue()),
                java.time.Duration.ofSeconds(120)).body().get("volume");
        assertThat(migrationOf(moved).get("bps_limit").asLong()).isZero();
        assertThat(moved.get("os-vol-host-attr:host").stringValue()).isEqualTo(host + "@file#file");
        assertThat(digest(dataOf(moved))).isEqualTo(sum);
    }

    @Test
    void lvmToLvmNativelyThenToFileAndBackByHostCopy() throws Exception {
        String id = createOn("lvm-a");
        String sum = fill(dataOf(show(id)));

        JsonNode onB = migrate(id, "lvm-b", false);
        assertThat(migrationOf(onB).get("path").stringValue()).isEqualTo("driver");
        assertThat(onB.get("os-vol-host-attr:host").stringValue()).isEqualTo(host + "@lvm-b#lvm-b");
        assertThat(digest(dataOf(onB))).isEqualTo(sum);
        assertThat(sh("lvs", "--driverloaded", "n", "--noheadings", "-o", "lv_name", vgA)).doesNotContain(id);

        JsonNode onFile = migrate(id, "file", false);
        assertThat(migrationOf(onFile).get("path").stringValue()).isEqualTo("generic");
        // The file driver keeps the temporary object's name: _name_id points at it.
        assertThat(onFile.get("os-vol-mig-status-attr:name_id").isNull()).isFalse();
        assertThat(digest(dataOf(onFile))).isEqualTo(sum);

        JsonNode backOnA = migrate(id, "lvm-a", true);
        assertThat(backOnA.get("os-vol-host-attr:host").stringValue()).isEqualTo(host + "@lvm-a#lvm-a");
        // LVM renames the migrated LV to the volume's own name (Cinder's update_migrated_volume): no _name_id.
        assertThat(backOnA.get("os-vol-mig-status-attr:name_id").isNull()).isTrue();
        assertThat(sh("lvs", "--driverloaded", "n", "--noheadings", "-o", "lv_name", vgA))
                .contains("volume-" + id);
        // The host copies released the loop devices they used.
        assertThat(vgs.stackedLoops()).isZero();
        assertThat(digest(dataOf(backOnA))).isEqualTo(sum);
    }

    /** The volume's latest migration ({@code GET /volumes/{id}/migration}, admin), for a volume view. */
    private static JsonNode migrationOf(JsonNode volumeView) {
        return http.get(ADMIN, "/v3/volumes/" + volumeView.get("id").asString() + "/migration").body()
                .get("migration");
    }
}
