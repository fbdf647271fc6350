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
 * Manage and unmanage on a real LVM backend (lvm2 on a loop device, {@code lvm_activation = loop}) through
 * the all-in-one on PostgreSQL and RabbitMQ: a foreign LV is renamed {@code volume-<id>} at its size rounded up
 * to GiB, its bytes unchanged; unmanage keeps the LV under its name; a snapshot LV ({@code _snapshot-<id>})
 * round-trips the same way; the manageable lists mark what is managed; a missing LV ends in
 * {@code error_managing} with nothing renamed. Needs root and lvm2, like LvmMigrationEndToEndTest.
 */
class LvmManageEndToEndTest {

    private static final String ADMIN = "admin:proj-lm";
    private static final long GIB = 1L << 30;
    static final String run = UUID.randomUUID().toString().substring(0, 6);
    static final String vg = "jcm-" + run;
    static LoopVolumeGroups vgs;
    static String host;
    static ConfigurableApplicationContext all;
    static HttpJson http;

    @BeforeAll
    static void start() throws Exception {
        vgs = LoopVolumeGroups.create(8 * GIB, vg);
        host = "lvmm-" + run;
        Path conf = CinderConfFile.write(vgs.dir(), "cinder.conf", String.join("\n",
                "[DEFAULT]",
                "host = " + host,
                "enabled_backends = lvm",
                "transport_url = " + TestServices.transportUrl(),
                "osapi_volume_listen_port = 0",
                "report_interval = 1",
                "[database]",
                "connection = " + TestServices.freshDatabase(),
                "[management]",
                "port = 0",
                "[lvm]",
                "volume_driver = cinder.volume.drivers.lvm.LVMVolumeDriver",
                "volume_group = " + vg,
                "lvm_activation = loop",
                "volume_clear = none"));
        all = CinderAllApplication.start(new String[] {"--config-file", conf.toString(), "--data-dir",
                vgs.dir().resolve("data").toString()});
        http = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) all).getWebServer().getPort());
        Await.until("the pool", () -> http.get(ADMIN, "/v3/scheduler-stats/get_pools"),
                r -> r.status() == 200 && r.body().get("pools").size() == 1);
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

    static List<String> lvNames() throws Exception {
        return sh("lvs", "--driverloaded", "n", "--noheadings", "-o", "lv_name", vg).lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("WARNING")).sorted().toList();
    }

    /** The LV's bytes through a loop device on its extents (this CI has no device-mapper). */
    static String onLv(String lv, long bytes, IoFunction f) throws Exception {
        String seg = last(sh("lvs", "--driverloaded", "n", "--noheadings", "--units", "b", "--nosuffix", "-o",
                "seg_pe_ranges,vg_extent_size", vg + "/" + lv));
        String[] parts = seg.split("\\s+");
        String pv = parts[0].substring(0, parts[0].indexOf(':'));
        long first = Long.parseLong(parts[0].substring(parts[0].indexOf(':') + 1).split("-")[0]);
        long peStart = Long.parseLong(last(sh("pvs", "--driverloaded", "n", "--noheadings", "--units", "b",
                "--nosuffix", "-o", "pe_start", pv)));
        String loop = last(sh("losetup", "--find", "--show", "--offset", Long.toString(peStart + first
                * Long.parseLong(parts[1])), "--sizelimit", Long.toString(bytes), pv));
        try {
            return f.apply(Path.of(loop));
        } finally {
            sh("losetup", "-d", loop);
        }
    }

    interface IoFunction {
        String apply(Path p) throws Exception;
    }

    static String sha256(Path p, long bytes) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 20];
        try (var in = Files.newInputStream(p)) {
            long left = bytes;
            for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0; left -= n) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String fill(Path p, long bytes) throws Exception {
        Random random = new Random(5);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            for (long offset : new long[] {0, 123 << 20, bytes - 4096}) {
                byte[] data = new byte[4096];
                random.nextBytes(data);
                f.seek(offset);
                f.write(data);
            }
        }
        return sha256(p, bytes);
    }

    static String awaitVolume(String id, String status) {
        Await.until("volume " + id + " " + status, () -> http.get(ADMIN, "/v3/volumes/" + id),
                r -> r.status() == 200 && status.equals(r.body().get("volume").get("status").stringValue()));
        return id;
    }

    static void awaitGone(String path) {
        Await.until(path + " gone", () -> http.get(ADMIN, path), r -> r.status() == 404);
    }

    static JsonNode entry(String path, String key, String name) {
        for (JsonNode e : http.send(ADMIN, "GET", path, null, "3.8").body().get(key)) {
            if (name.equals(e.get("reference").get("source-name").stringValue())) {
                return e;
            }
        }
        throw new AssertionError(name + " not offered by " + path);
    }

    @Test
    void foreignLvIsRenamedAtItsSizeRoundedUpAndUnmanageKeepsIt() throws Exception {
        String foreign = "foreign-" + run;
        // 1200 MiB: 1.17 GiB, so the volume is 2 GiB (Cinder's LVM driver rounds up).
        sh("lvcreate", "--driverloaded", "n", "-an", "-Zn", "-L", "1200m", "-n", foreign, vg);
        long bytes = 1200L << 20;
        String sum = onLv(foreign, bytes, p -> fill(p, bytes));
        JsonNode offered = entry("/v3/manageable_volumes/detail?host=" + host + "@lvm", "manageable-volumes",
                foreign);
        assertThat(offered.get("size").intValue()).isEqualTo(2);
        assertThat(offered.get("safe_to_manage").booleanValue()).isTrue();

        HttpJson.Response r = http.send(ADMIN, "POST", "/v3/manageable_volumes", "{\"volume\": {\"host\": \""
                + host + "@lvm#lvm\", \"ref\": {\"source-name\": \"" + foreign + "\"}, \"name\": \"adopted\"}}",
                "3.8");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String id = awaitVolume(r.body().get("volume").get("id").stringValue(), "available");
        JsonNode v = http.get(ADMIN, "/v3/volumes/" + id).body().get("volume");
        assertThat(v.get("size").intValue()).isEqualTo(2);
        assertThat(v.get("os-vol-host-attr:host").stringValue()).isEqualTo(host + "@lvm#lvm");
        assertThat(lvNames()).contains("volume-" + id).doesNotContain(foreign);
        assertThat(onLv("volume-" + id, bytes, p -> sha256(p, bytes))).isEqualTo(sum);
        JsonNode managed = entry("/v3/manageable_volumes/detail?host=" + host + "@lvm", "manageable-volumes",
                "volume-" + id);
        assertThat(managed.get("safe_to_manage").booleanValue()).isFalse();
        assertThat(managed.get("reason_not_safe").stringValue()).isEqualTo("already managed");
        assertThat(managed.get("cinder_id").stringValue()).isEqualTo(id);

        // Unmanage: the record goes, the LV stays under its name with its bytes; managed again it is renamed.
        assertThat(http.post(ADMIN, "/v3/volumes/" + id + "/action", "{\"os-unmanage\": {}}").status())
                .isEqualTo(202);
        awaitGone("/v3/volumes/" + id);
        assertThat(lvNames()).contains("volume-" + id);
        assertThat(onLv("volume-" + id, bytes, p -> sha256(p, bytes))).isEqualTo(sum);
        r = http.post(ADMIN, "/v3/os-volume-manage", "{\"volume\": {\"host\": \"" + host + "@lvm\", \"ref\": "
                + "{\"source-name\": \"volume-" + id + "\"}}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String again = awaitVolume(r.body().get("volume").get("id").stringValue(), "available");
        assertThat(lvNames()).contains("volume-" + again).doesNotContain("volume-" + id);
        assertThat(onLv("volume-" + again, bytes, p -> sha256(p, bytes))).isEqualTo(sum);
        assertThat(http.delete(ADMIN, "/v3/volumes/" + again).status()).isEqualTo(202);
        awaitGone("/v3/volumes/" + again);
        assertThat(lvNames()).doesNotContain("volume-" + again);
    }

    @Test
    void snapshotLvRoundTripsAndAMissingLvEndsInErrorManaging() throws Exception {
        String vol = http.post(ADMIN, "/v3/volumes", "{\"volume\": {\"size\": 1}}").body().get("volume").get("id")
                .stringValue();
        awaitVolume(vol, "available");
        String sum = onLv("volume-" + vol, GIB, p -> fill(p, GIB));
        String snap = http.post(ADMIN, "/v3/snapshots", "{\"snapshot\": {\"volume_id\": \"" + vol + "\"}}").body()
                .get("snapshot").get("id").stringValue();
        Await.until("snapshot", () -> http.get(ADMIN, "/v3/snapshots/" + snap),
                s -> "available".equals(s.body().get("snapshot").get("status").stringValue()));
        assertThat(http.post(ADMIN, "/v3/snapshots/" + snap + "/action", "{\"os-unmanage\": {}}").status())
                .isEqualTo(202);
        awaitGone("/v3/snapshots/" + snap);
        assertThat(lvNames()).contains("_snapshot-" + snap);
        JsonNode offered = entry("/v3/manageable_snapshots/detail?host=" + host + "@lvm", "manageable-snapshots",
                "_snapshot-" + snap);
        assertThat(offered.get("safe_to_manage").booleanValue()).isTrue();
        assertThat(offered.has("source_reference")).isTrue();
        // Tempest's default reference for the LVM driver: {"source-name": "_snapshot-<id>"}.
        HttpJson.Response r = http.post(ADMIN, "/v3/os-snapshot-manage", "{\"snapshot\": {\"volume_id\": \"" + vol
                + "\", \"ref\": {\"source-name\": \"_snapshot-" + snap + "\"}}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String newSnap = r.body().get("snapshot").get("id").stringValue();
        Await.until("managed snapshot", () -> http.get(ADMIN, "/v3/snapshots/" + newSnap),
                s -> "available".equals(s.body().get("snapshot").get("status").stringValue()));
        assertThat(lvNames()).contains("_snapshot-" + newSnap).doesNotContain("_snapshot-" + snap);
        assertThat(onLv("_snapshot-" + newSnap, GIB, p -> sha256(p, GIB))).isEqualTo(sum);

        List<String> before = lvNames();
        r = http.post(ADMIN, "/v3/os-volume-manage", "{\"volume\": {\"host\": \"" + host + "@lvm\", \"ref\": "
                + "{\"source-name\": \"no-such-lv\"}}}");
        String failed = awaitVolume(r.body().get("volume").get("id").stringValue(), "error_managing");
        r = http.post(ADMIN, "/v3/os-volume-manage", "{\"volume\": {\"host\": \"" + host + "@lvm\", \"ref\": "
                + "{\"source-name\": \"_snapshot-" + newSnap + "\"}}}");
        String taken = awaitVolume(r.body().get("volume").get("id").stringValue(), "error_managing");
        assertThat(lvNames()).isEqualTo(before);
        for (String id : List.of(failed, taken)) {
            http.delete(ADMIN, "/v3/volumes/" + id);
            awaitGone("/v3/volumes/" + id);
        }
        assertThat(lvNames()).isEqualTo(before);
        http.delete(ADMIN, "/v3/snapshots/" + newSnap);
        awaitGone("/v3/snapshots/" + newSnap);
        http.delete(ADMIN, "/v3/volumes/" + vol);
        awaitGone("/v3/volumes/" + vol);
        assertThat(vgs.stackedLoops()).isZero();
    }
}
