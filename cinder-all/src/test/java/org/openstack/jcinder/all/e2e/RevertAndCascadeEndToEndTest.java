package org.openstack.jcinder.all.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openstack.jcinder.all.e2e.SnapshotsEndToEndTest.error;
import static org.openstack.jcinder.all.e2e.SnapshotsEndToEndTest.sha256;
import static org.openstack.jcinder.all.e2e.SnapshotsEndToEndTest.writeAt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.HttpJson;

import tools.jackson.databind.JsonNode;

/**
 * Revert to snapshot (3.40) and cascade delete through real HTTP against the all-in-one (one file backend,
 * PostgreSQL, RabbitMQ): the data checked by SHA-256, the states, Cinder's refusals with nothing changed.
 */
class RevertAndCascadeEndToEndTest {

    static final String ADMIN = "admin:" + hex();
    static final long GIB = 1L << 30;

    /** Where this class's own all-in-one would live, were the shared one not possible here. */
    @TempDir
    static Path dir;
    static SharedAllInOne.Handle all;
    /** The all-in-one's data directory: the file backend's volumes and snapshots are under it. */
    static Path data;
    static HttpJson http;

    @BeforeAll
    static void start() {
        all = SharedAllInOne.acquire(dir, "revert-" + UUID.randomUUID().toString().substring(0, 8));
        http = all.http();
        data = all.data();
    }

    @AfterAll
    static void stop() {
        all.release();
    }

    static String hex() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    static String member() {
        return "user" + hex().substring(0, 6) + ":" + hex();
    }

    static String volume(String token, int size) {
        HttpJson.Response r = http.post(token, "/v3/volumes", "{\"volume\": {\"size\": " + size + "}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String id = r.body().get("volume").get("id").stringValue();
        awaitVolume(token, id, "available");
        return id;
    }

    static JsonNode awaitVolume(String token, String id, String status) {
        return Await.until("volume " + id + " " + status, () -> http.get(token, "/v3/volumes/" + id),
                v -> v.status() == 200 && v.body().get("volume").get("status").stringValue().equals(status)).body()
                .get("volume");
    }

    static String snapshot(String token, String volumeId) {
        HttpJson.Response r = http.post(token, "/v3/snapshots", "{\"snapshot\": {\"volume_id\": \"" + volumeId
                + "\"}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String id = r.body().get("snapshot").get("id").stringValue();
        awaitSnapshot(token, id, "available");
        return id;
    }

    static void awaitSnapshot(String token, String id, String status) {
        Await.until("snapshot " + id + " " + status, () -> http.get(token, "/v3/snapshots/" + id),
                v -> v.status() == 200 && v.body().get("snapshot").get("status").stringValue().equals(status));
    }

    static String volumeStatus(String token, String id) {
        return http.get(token, "/v3/volumes/" + id).body().get("volume").get("status").stringValue();
    }

    static String snapshotStatus(String token, String id) {
        return http.get(token, "/v3/snapshots/" + id).body().get("snapshot").get("status").stringValue();
    }

    static HttpJson.Response revert(String token, String volumeId, String args, String version) {
        return http.send(token, "POST", "/v3/volumes/" + volumeId + "/action", "{\"revert\": " + args + "}",
                version);
    }

    static Path fileOf(String name) throws Exception {
        try (var files = Files.walk(data)) {
            return files.filter(p -> p.getFileName().toString().equals(name)).findFirst().orElseThrow();
        }
    }

    static boolean exists(String name) throws Exception {
        try (var files = Files.walk(data)) {
            return files.anyMatch(p -> p.getFileName().toString().equals(name));
        }
    }

    /** Blocks the file system gave the file (512-byte units, {@code stat %b}): a sparse file has few. */
    static long allocatedBlocks(Path p) throws Exception {
        Process proc = new ProcessBuilder("stat", "-c", "%b", p.toString()).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes()).strip();
        assertThat(proc.waitFor()).as(out).isZero();
        return Long.parseLong(out);
    }

    static byte[] random(long seed) {
        byte[] data = new byte[1 << 20];
        new java.util.Random(seed).nextBytes(data);
        return data;
    }

    @Test
    void revertPutsTheLatestSnapshotsDataBackSparseAndTheStatesReturnToAvailable() throws Exception {
        String alice = member();
        String vol = volume(alice, 1);
        Path volFile = fileOf("volume-" + vol);
        writeAt(volFile, 0, random(1));
        writeAt(volFile, 700L << 20, random(2));
        String atSnapshot = sha256(volFile, GIB);
        String snap = snapshot(alice, vol);

        // Overwritten after the snapshot, and new data where there was a hole.
        writeAt(volFile, 0, random(3));
        writeAt(volFile, 300L << 20, random(4));
        String overwritten = sha256(volFile, GIB);
        assertThat(overwritten).isNotEqualTo(atSnapshot);

        HttpJson.Response r = revert(alice, vol, "{\"snapshot_id\": \"" + snap + "\"}", "3.40");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        assertThat(r.raw()).isEmpty();
        awaitVolume(alice, vol, "available");
        awaitSnapshot(alice, snap, "available");

        Path after = fileOf("volume-" + vol);
        assertThat(Files.size(after)).isEqualTo(GIB);
        assertThat(sha256(after, GIB)).isEqualTo(atSnapshot);
        // Two 1 MiB extents of data: the reverted file stays sparse (far below 1 GiB allocated).
        assertThat(allocatedBlocks(after) * 512).isLessThan(16L << 20);
        assertThat(exists("volume-" + vol + ".revert")).isFalse();
        // The snapshot itself is untouched and may be reverted to again.
        assertThat(sha256(fileOf("snapshot-" + snap), GIB)).isEqualTo(atSnapshot);
        writeAt(after, 12345, new byte[] {7, 7, 7});
        assertThat(revert(alice, vol, "{\"snapshot_id\": \"" + snap + "\"}", "3.40").status()).isEqualTo(202);
        awaitSnapshot(alice, snap, "available");
        awaitVolume(alice, vol, "available");
        assertThat(sha256(fileOf("volume-" + vol), GIB)).isEqualTo(atSnapshot);
    }

    @Test
    void revertRefusalsAreCindersAndChangeNothing() throws Exception {
        String alice = member();
        String vol = volume(alice, 1);
        String body = "{\"snapshot_id\": \"%s\"}";

        // Before 3.40 the action does not exist; no snapshots yet.
        error(revert(alice, vol, "{\"snapshot_id\": null}", "3.39"), 404, "itemNotFound",
                "The resource could not be found.");
        error(revert(alice, vol, "{\"snapshot_id\": null}", "3.40"), 400, "badRequest",
                "Volume " + vol + " doesn't have any snapshots.");

        String older = snapshot(alice, vol);
        String latest = snapshot(alice, vol);
        Path volFile = fileOf("volume-" + vol);
        writeAt(volFile, 0, random(5));
        String data = sha256(volFile, GIB);

        error(revert(alice, vol, body.formatted(older), "3.40"), 400, "badRequest",
                "Specified snapshot " + older + " is None or not the latest one of volume " + vol + ".");
        error(revert(alice, vol, "{}", "3.40"), 400, "badRequest",
                "Specified snapshot None is None or not the latest one of volume " + vol + ".");
        error(revert(alice, vol, "{\"snapshot_id\": 7}", "3.40"), 400, "badRequest",
                "Invalid input for field/attribute snapshot_id. Value: 7. 7 is not of type 'string', 'null'");
        error(revert(alice, vol, "[1]", "3.40"), 400, "badRequest",
                "Invalid input for field/attribute revert. Value: [1]. [1] is not of type 'object'");
        error(revert(alice, "00000000-0000-4000-8000-0000000000aa", body.formatted(latest), "3.40"), 404,
                "itemNotFound", "Volume 00000000-0000-4000-8000-0000000000aa could not be found.");
        // Another project's volume is not found.
        error(revert(member(), vol, body.formatted(latest), "3.40"), 404, "itemNotFound",
                "Volume " + vol + " could not be found.");

        // The snapshot must be available (409, Cinder's InvalidSnapshot) and the volume too (409, InvalidVolume).
        assertThat(http.post(ADMIN, "/v3/snapshots/" + latest + "/action",
                "{\"os-reset_status\": {\"status\": \"error\"}}").status()).isEqualTo(202);
        error(revert(alice, vol, body.formatted(latest), "3.40"), 409, "conflictingRequest",
                "Invalid snapshot: Can't revert volume " + vol + " to its latest snapshot " + latest
                        + ". Snapshot's status must be 'available'.");
        assertThat(volumeStatus(alice, vol)).isEqualTo("available");
        assertThat(snapshotStatus(alice, latest)).isEqualTo("error");
        assertThat(http.post(ADMIN, "/v3/snapshots/" + latest + "/action",
                "{\"os-reset_status\": {\"status\": \"available\"}}").status()).isEqualTo(202);
        assertThat(http.post(ADMIN, "/v3/volumes/" + vol + "/action",
                "{\"os-reset_status\": {\"status\": \"error\"}}").status()).isEqualTo(202);
        error(revert(alice, vol, body.formatted(latest), "3.40"), 409, "conflictingRequest",
                "Invalid volume: Can't revert volume " + vol + " to its latest snapshot " + latest
                        + ". Volume's status must be 'available'.");
        assertThat(volumeStatus(alice, vol)).isEqualTo("error");
        assertThat(snapshotStatus(alice, latest)).isEqualTo("available");
        assertThat(http.post(ADMIN, "/v3/volumes/" + vol + "/action",
                "{\"os-reset_status\": {\"status\": \"available\"}}").status()).isEqualTo(202);

        // A volume extended after its snapshot: sizes differ (400), as the plugin's negative test expects.
        assertThat(http.post(alice, "/v3/volumes/" + vol + "/action", "{\"os-extend\": {\"new_size\": 2}}")
                .status()).isEqualTo(202);
        awaitVolume(alice, vol, "available");
        error(revert(alice, vol, body.formatted(latest), "3.40"), 400, "badRequest",
                "Can't revert volume " + vol + " to its latest snapshot " + latest
                        + ". The volume size must be equal to the snapshot size.");

        // Nothing changed: statuses, and the volume's data.
        assertThat(volumeStatus(alice, vol)).isEqualTo("available");
        assertThat(snapshotStatus(alice, latest)).isEqualTo("available");
        assertThat(snapshotStatus(alice, older)).isEqualTo("available");
        assertThat(sha256(fileOf("volume-" + vol), GIB)).isEqualTo(data);
    }

    @Test
    void cascadeDeletesTheSnapshotsThenTheVolumeAndGivesTheQuotaBack() throws Exception {
        String alice = member();
        String project = alice.substring(alice.indexOf(':') + 1);
        String vol = volume(alice, 1);
        String s1 = snapshot(alice, vol);
        String s2 = snapshot(alice, vol);
        // A volume made from one of them is independent of it (Tempest's volume-from-snapshot cascade case).
        HttpJson.Response fromSnap = http.post(alice, "/v3/volumes", "{\"volume\": {\"snapshot_id\": \"" + s1
                + "\"}}");
        String child = fromSnap.body().get("volume").get("id").stringValue();
        awaitVolume(alice, child, "available");

        // Without cascade the snapshots hold the delete back (Cinder's message); bad booleans are 400.
        error(http.delete(alice, "/v3/volumes/" + vol), 400, "badRequest", "Invalid volume: Volume status must be "
                + "available or error or error_restoring or error_extending or error_managing and must not be "
                + "migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated "
                + "from snapshots after volume transfer.");
        error(http.delete(alice, "/v3/volumes/" + vol + "?cascade=maybe"), 400, "badRequest",
                "Value 'maybe' for 'cascade' is not a boolean.");
        assertThat(http.delete(alice, "/v3/volumes/" + vol + "?cascade=false").status()).isEqualTo(400);
        assertThat(volumeStatus(alice, vol)).isEqualTo("available");
        assertThat(snapshotStatus(alice, s1)).isEqualTo("available");

        HttpJson.Response deleted = http.delete(alice, "/v3/volumes/" + vol + "?cascade=True");
        assertThat(deleted.status()).as(deleted.raw()).isEqualTo(202);
        Await.until("volume gone", () -> http.get(alice, "/v3/volumes/" + vol), r -> r.status() == 404);
        for (String s : new String[] {s1, s2}) {
            assertThat(http.get(alice, "/v3/snapshots/" + s).status()).isEqualTo(404);
            assertThat(exists("snapshot-" + s)).isFalse();
        }
        assertThat(exists("volume-" + vol)).isFalse();
        assertThat(http.get(alice, "/v3/snapshots").body().get("snapshots")).isEmpty();
        awaitVolume(alice, child, "available");
        JsonNode quota = http.get(alice, "/v3/" + project + "/os-quota-sets/" + project + "?usage=true").body()
                .get("quota_set");
        assertThat(quota.get("snapshots").get("in_use").intValue()).isZero();
        assertThat(quota.get("volumes").get("in_use").intValue()).isOne();
    }

    @Test
    void cascadeRefusesSnapshotsInOtherStatesUnlessForcedByAnAdmin() throws Exception {
        String alice = member();
        String vol = volume(alice, 1);
        String snap = snapshot(alice, vol);
        assertThat(http.post(ADMIN, "/v3/snapshots/" + snap + "/action",
                "{\"os-reset_status\": {\"status\": \"error_deleting\"}}").status()).isEqualTo(202);
        error(http.delete(alice, "/v3/volumes/" + vol + "?cascade=true"), 400, "badRequest", "Invalid volume: Volume "
                + "status must be available or error or error_restoring or error_extending or error_managing and "
                + "must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be "
                + "disassociated from snapshots after volume transfer.");
        assertThat(volumeStatus(alice, vol)).isEqualTo("available");
        assertThat(snapshotStatus(alice, snap)).isEqualTo("error_deleting");

        // force (3.23) is the admin's (volume:force_delete); before 3.23 it is ignored.
        error(http.send(alice, "DELETE", "/v3/volumes/" + vol + "?cascade=true&force=true", null, "3.23"), 403,
                "forbidden", "Policy doesn't allow volume:force_delete to be performed.");
        assertThat(http.send(ADMIN, "DELETE", "/v3/volumes/" + vol + "?cascade=true&force=true", null, "3.22")
                .status()).isEqualTo(400);
        assertThat(http.post(ADMIN, "/v3/volumes/" + vol + "/action",
                "{\"os-reset_status\": {\"status\": \"error\"}}").status()).isEqualTo(202);
        HttpJson.Response forced = http.send(ADMIN, "DELETE", "/v3/volumes/" + vol + "?cascade=true&force=true",
                null, "3.23");
        assertThat(forced.status()).as(forced.raw()).isEqualTo(202);
        Await.until("volume gone", () -> http.get(ADMIN, "/v3/volumes/" + vol), r -> r.status() == 404);
        assertThat(http.get(ADMIN, "/v3/snapshots/" + snap).status()).isEqualTo(404);
        assertThat(exists("snapshot-" + snap)).isFalse();
    }
}
