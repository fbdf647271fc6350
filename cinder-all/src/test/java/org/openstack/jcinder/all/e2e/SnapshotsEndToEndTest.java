package org.openstack.jcinder.all.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.HttpJson;

import tools.jackson.databind.JsonNode;

/**
 * Snapshots through real HTTP against the all-in-one (one file backend, PostgreSQL, RabbitMQ): the lifecycle
 * and its views per microversion, metadata, the admin and service actions, quotas, and Cinder's refusals.
 */
class SnapshotsEndToEndTest {

    static final String ADMIN = "admin:" + hex();

    /** Where this class's own all-in-one would live, were the shared one not possible here. */
    @TempDir
    static Path dir;
    static SharedAllInOne.Handle all;
    /** The all-in-one's data directory: the file backend's volumes and snapshots are under it. */
    static Path data;
    static HttpJson http;

    @BeforeAll
    static void start() {
        all = SharedAllInOne.acquire(dir, "snap-" + UUID.randomUUID().toString().substring(0, 8));
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

    static List<String> keys(JsonNode o) {
        List<String> out = new ArrayList<>();
        o.propertyNames().forEach(out::add);
        return out;
    }

    static void error(HttpJson.Response r, int code, String fault, String message) {
        assertThat(r.status()).as(r.raw()).isEqualTo(code);
        assertThat(r.body().has(fault)).as(r.raw()).isTrue();
        assertThat(r.body().get(fault).get("message").stringValue()).as(r.raw()).isEqualTo(message);
    }

    static String volume(String token, int size) {
        HttpJson.Response r = http.post(token, "/v3/volumes", "{\"volume\": {\"size\": " + size + "}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String id = r.body().get("volume").get("id").stringValue();
        Await.until("volume " + id + " available", () -> http.get(token, "/v3/volumes/" + id),
                v -> v.body().get("volume").get("status").stringValue().equals("available"));
        return id;
    }

    static String snapshot(String token, String volumeId, String extra) {
        HttpJson.Response r = http.post(token, "/v3/snapshots", "{\"snapshot\": {\"volume_id\": \"" + volumeId
                + "\"" + extra + "}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String id = r.body().get("snapshot").get("id").stringValue();
        awaitStatus(token, id, "available");
        return id;
    }

    static void awaitStatus(String token, String id, String status) {
        Await.until("snapshot " + id + " " + status, () -> http.get(token, "/v3/snapshots/" + id),
                v -> v.status() == 200 && v.body().get("snapshot").get("status").stringValue().equals(status));
    }

    static void awaitGone(String token, String id) {
        Await.until("snapshot " + id + " gone", () -> http.get(token, "/v3/snapshots/" + id), v -> v.status() == 404);
    }

    static int inUse(String token, String project, String resource) {
        HttpJson.Response q = http.get(token, "/v3/" + project + "/os-quota-sets/" + project + "?usage=true");
        assertThat(q.status()).as(q.raw()).isEqualTo(200);
        return q.body().get("quota_set").get(resource).get("in_use").intValue();
    }

    @Test
    void lifecycleViewsMetadataAndQuota() throws Exception {
        String alice = member();
        String project = alice.substring(alice.indexOf(':') + 1);
        String vol = volume(alice, 2);

        HttpJson.Response created = http.post(alice, "/v3/snapshots", "{\"snapshot\": {\"volume_id\": \"" + vol
                + "\", \"name\": \"s1\", \"metadata\": {\"k\": \"v\"}}}");
        assertThat(created.status()).as(created.raw()).isEqualTo(202);
        JsonNode c = created.body().get("snapshot");
        // Tempest's create_snapshot schema at 3.0: exactly these keys (no extended attributes on create).
        assertThat(keys(c)).containsExactlyInAnyOrder("id", "created_at", "updated_at", "name", "description",
                "volume_id", "status", "size", "metadata");
        assertThat(c.get("status").stringValue()).isEqualTo("creating");
        assertThat(c.get("size").intValue()).isEqualTo(2);
        assertThat(c.get("description").isNull()).isTrue();
        String id = c.get("id").stringValue();
        awaitStatus(alice, id, "available");

        JsonNode shown = http.get(alice, "/v3/snapshots/" + id).body().get("snapshot");
        assertThat(keys(shown)).containsExactlyInAnyOrder("id", "created_at", "updated_at", "name", "description",
                "volume_id", "status", "size", "metadata", "os-extended-snapshot-attributes:progress",
                "os-extended-snapshot-attributes:project_id");
        assertThat(shown.get("os-extended-snapshot-attributes:progress").stringValue()).isEqualTo("100%");
        assertThat(shown.get("os-extended-snapshot-attributes:project_id").stringValue()).isEqualTo(project);
        assertThat(shown.get("metadata").get("k").stringValue()).isEqualTo("v");

        JsonNode v365 = http.send(alice, "GET", "/v3/snapshots/" + id, null, "3.65").body().get("snapshot");
        assertThat(keys(v365)).contains("group_snapshot_id", "user_id", "consumes_quota");
        assertThat(v365.get("consumes_quota").booleanValue()).isTrue();

        // The point-in-time copy exists on the backend, sparse like its volume.
        Path file = Files.walk(data).filter(p -> p.getFileName().toString().equals("snapshot-" + id))
                .findFirst().orElseThrow();
        assertThat(Files.size(file)).isEqualTo(2L << 30);

        JsonNode list = http.get(alice, "/v3/snapshots").body();
        assertThat(list.get("snapshots")).hasSize(1);
        assertThat(keys(list.get("snapshots").get(0))).doesNotContain("os-extended-snapshot-attributes:progress");
        assertThat(http.get(alice, "/v3/snapshots/detail?volume_id=" + vol).body().get("snapshots").get(0)
                .has("os-extended-snapshot-attributes:progress")).isTrue();
        assertThat(http.get(alice, "/v3/snapshots?status=error").body().get("snapshots")).isEmpty();
        assertThat(http.get(alice, "/v3/snapshots?name=s1").body().get("snapshots")).hasSize(1);

        assertThat(inUse(alice, project, "snapshots")).isEqualTo(1);
        assertThat(inUse(alice, project, "gigabytes")).isEqualTo(4); // the volume's 2 and the snapshot's 2

        HttpJson.Response updated = http.put(alice, "/v3/snapshots/" + id, "{\"snapshot\": {\"name\": \"s2\", "
                + "\"description\": \"d\"}}");
        assertThat(updated.status()).as(updated.raw()).isEqualTo(200);
        assertThat(updated.body().get("snapshot").get("name").stringValue()).isEqualTo("s2");

        // metadata: all routes
        assertThat(http.post(alice, "/v3/snapshots/" + id + "/metadata", "{\"metadata\": {\"a\": \"1\"}}").body()
                .get("metadata").size()).isEqualTo(2);
        assertThat(http.put(alice, "/v3/snapshots/" + id + "/metadata/a", "{\"meta\": {\"a\": \"2\"}}").body()
                .get("meta").get("a").stringValue()).isEqualTo("2");
        assertThat(http.get(alice, "/v3/snapshots/" + id + "/metadata/a").body().get("meta").get("a").stringValue())
                .isEqualTo("2");
        assertThat(http.delete(alice, "/v3/snapshots/" + id + "/metadata/a").status()).isEqualTo(200);
        error(http.get(alice, "/v3/snapshots/" + id + "/metadata/a"), 404, "itemNotFound",
                "Metadata item was not found");
        assertThat(http.put(alice, "/v3/snapshots/" + id + "/metadata", "{\"metadata\": {\"x\": \"y\"}}").body()
                .get("metadata").toString()).isEqualTo("{\"x\":\"y\"}");
        assertThat(http.get(alice, "/v3/snapshots/" + id + "/metadata").body().get("metadata").toString())
                .isEqualTo("{\"x\":\"y\"}");

        // A volume with a snapshot cannot be deleted (Cinder's message).
        assertThat(http.delete(alice, "/v3/volumes/" + vol).status()).isEqualTo(400);

        assertThat(http.delete(alice, "/v3/snapshots/" + id).status()).isEqualTo(202);
        awaitGone(alice, id);
        assertThat(Files.exists(file)).isFalse();
        assertThat(inUse(alice, project, "snapshots")).isEqualTo(0);
        assertThat(inUse(alice, project, "gigabytes")).isEqualTo(2);
    }

    @Test
    void refusalsAndPolicies() {
        String alice = member();
        String bob = member();
        String vol = volume(alice, 1);
        String snap = snapshot(alice, vol, "");

        // Other projects do not learn it exists.
        error(http.get(bob, "/v3/snapshots/" + snap), 404, "itemNotFound", "Snapshot " + snap
                + " could not be found.");
        assertThat(http.delete(bob, "/v3/snapshots/" + snap).status()).isEqualTo(404);
        assertThat(http.get(bob, "/v3/snapshots").body().get("snapshots")).isEmpty();
        error(http.post(bob, "/v3/snapshots", "{\"snapshot\": {\"volume_id\": \"" + vol + "\"}}"), 404,
                "itemNotFound", "Volume " + vol + " could not be found.");

        // Bad input.
        error(http.post(alice, "/v3/snapshots", "{\"snapshot\": {}}"), 400, "badRequest",
                "Invalid input for field/attribute snapshot. Value: {}. 'volume_id' is a required property");
        assertThat(http.post(alice, "/v3/snapshots", "{\"snapshot\": {\"volume_id\": \"" + vol
                + "\", \"bogus\": 1}}").status()).isEqualTo(400);
        assertThat(http.post(alice, "/v3/snapshots", "{\"snapshot\": {\"volume_id\": 5}}").status()).isEqualTo(400);
        error(http.post(alice, "/v3/snapshots", "{\"snapshot\": {\"volume_id\": null}}"), 404, "itemNotFound",
                "Volume None could not be found.");
        error(http.send(alice, "POST", "/v3/snapshots", "{\"snapshot\": {\"volume_id\": \"" + vol
                + "\", \"force\": false}}", "3.66"), 400, "badRequest", "Since microversion 3.66 the 'force' flag is "
                + "invalid for this request.  For backward compatability, however, when the 'force' flag is passed "
                + "with a value evaluating to True, it is silently ignored.");

        // Member may not reset or force-delete; admin may.
        error(http.post(alice, "/v3/snapshots/" + snap + "/action", "{\"os-reset_status\": {\"status\": \"error\"}}"),
                403, "forbidden", "Policy doesn't allow volume_extension:snapshot_admin_actions:reset_status to be "
                        + "performed.");
        assertThat(http.post(ADMIN, "/v3/snapshots/" + snap + "/action",
                "{\"os-reset_status\": {\"status\": \"error\"}}").status()).isEqualTo(202);
        assertThat(http.get(alice, "/v3/snapshots/" + snap).body().get("snapshot").get("status").stringValue())
                .isEqualTo("error");
        // update_snapshot_status: only from creating / deleting.
        error(http.post(alice, "/v3/snapshots/" + snap + "/action",
                "{\"os-update_snapshot_status\": {\"status\": \"available\"}}"), 400, "badRequest",
                "Invalid snapshot: Snapshot status error not allowed for update_snapshot_status");
        // A snapshot in creating cannot be deleted normally, but force-deleted by an admin.
        assertThat(http.post(ADMIN, "/v3/snapshots/" + snap + "/action",
                "{\"os-reset_status\": {\"status\": \"creating\"}}").status()).isEqualTo(202);
        error(http.delete(alice, "/v3/snapshots/" + snap), 400, "badRequest",
                "Invalid snapshot: Snapshot status must be available or error and must not be part of a group.");
        assertThat(http.post(alice, "/v3/snapshots/" + snap + "/action", "{\"os-force_delete\": {}}").status())
                .isEqualTo(403);
        assertThat(http.post(ADMIN, "/v3/snapshots/" + snap + "/action", "{\"os-force_delete\": {}}").status())
                .isEqualTo(202);
        awaitGone(alice, snap);
    }

    @Test
    void volumeStateRefusalsAndSnapshotQuota() {
        String alice = member();
        String project = alice.substring(alice.indexOf(':') + 1);
        String vol = volume(alice, 1);
        assertThat(http.post(alice, "/v3/volumes/" + vol + "/action", "{\"os-reserve\": null}").status())
                .isEqualTo(202);
        HttpJson.Response attached = http.post(alice, "/v3/volumes/" + vol + "/action", "{\"os-attach\": "
                + "{\"instance_uuid\": \"" + UUID.randomUUID() + "\", \"mountpoint\": \"/dev/vdb\"}}");
        assertThat(attached.status()).as(attached.raw()).isEqualTo(202);
        error(http.post(alice, "/v3/snapshots", "{\"snapshot\": {\"volume_id\": \"" + vol + "\"}}"), 400,
                "badRequest", "Invalid volume: Volume " + vol + " status must be available, but current status is: "
                        + "in-use.");
        // force (or 3.66) allows an in-use volume.
        String forced = snapshot(alice, vol, ", \"force\": true");
        assertThat(http.post(ADMIN, "/v3/volumes/" + vol + "/action",
                "{\"os-reset_status\": {\"status\": \"error\", \"attach_status\": \"detached\"}}").status())
                .isEqualTo(202);
        error(http.post(alice, "/v3/snapshots", "{\"snapshot\": {\"volume_id\": \"" + vol + "\", \"force\": true}}"),
                400, "badRequest", "Invalid volume: The snapshot cannot be created when the volume is in error "
                        + "status.");
        assertThat(http.post(ADMIN, "/v3/volumes/" + vol + "/action",
                "{\"os-reset_status\": {\"status\": \"available\"}}").status()).isEqualTo(202);

        // Quota: one snapshot allowed, the second is Cinder's 413.
        HttpJson.Response quota = http.put(ADMIN, "/v3/" + ADMIN.substring(6) + "/os-quota-sets/" + project,
                "{\"quota_set\": {\"snapshots\": 1}}");
        assertThat(quota.status()).as(quota.raw()).isEqualTo(200);
        error(http.post(alice, "/v3/snapshots", "{\"snapshot\": {\"volume_id\": \"" + vol + "\"}}"), 413,
                "overLimit", "Maximum number of snapshots allowed (1) exceeded");
        assertThat(http.get(alice, "/v3/snapshots").body().get("snapshots")).hasSize(1);
        assertThat(http.delete(alice, "/v3/snapshots/" + forced).status()).isEqualTo(202);
        awaitGone(alice, forced);
        assertThat(inUse(alice, project, "snapshots")).isEqualTo(0);
    }

    static Path fileOf(String name) throws Exception {
        try (var files = Files.walk(data)) {
            return files.filter(p -> p.getFileName().toString().equals(name)).findFirst().orElseThrow();
        }
    }

    /** SHA-256 of the first {@code bytes} of a file. */
    static String sha256(Path file, long bytes) throws Exception {
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            long left = bytes;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                md.update(buf, 0, n);
                left -= n;
            }
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    static void writeAt(Path file, long offset, byte[] data) throws Exception {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(data), offset);
        }
    }

    @Test
    void volumesFromSnapshotsAndVolumesCarryTheDataAndMigrationIsRefused() throws Exception {
        String alice = member();
        String vol = volume(alice, 1);
        Path volFile = fileOf("volume-" + vol);
        byte[] data = new byte[1 << 20];
        new java.util.Random(42).nextBytes(data);
        writeAt(volFile, 0, data);
        writeAt(volFile, 600L << 20, data);
        String original = sha256(volFile, 1L << 30);
        String snap = snapshot(alice, vol, "");
        // The volume changes after the snapshot: the snapshot keeps the point in time.
        writeAt(volFile, 4096, new byte[] {1, 2, 3});

        // A volume from the snapshot, larger than it: the snapshot's data, then zeros.
        HttpJson.Response fromSnap = http.post(alice, "/v3/volumes", "{\"volume\": {\"size\": 2, \"snapshot_id\": \""
                + snap + "\"}}");
        assertThat(fromSnap.status()).as(fromSnap.raw()).isEqualTo(202);
        assertThat(fromSnap.body().get("volume").get("snapshot_id").stringValue()).isEqualTo(snap);
        String v2 = fromSnap.body().get("volume").get("id").stringValue();
        Await.until("volume " + v2 + " available", () -> http.get(alice, "/v3/volumes/" + v2),
                r -> r.body().get("volume").get("status").stringValue().equals("available"));
        Path v2File = fileOf("volume-" + v2);
        assertThat(Files.size(v2File)).isEqualTo(2L << 30);
        assertThat(sha256(v2File, 1L << 30)).isEqualTo(original);
        byte[] tail = new byte[4096];
        try (var ch = java.nio.channels.FileChannel.open(v2File)) {
            ch.read(java.nio.ByteBuffer.wrap(tail), (1L << 30) + 12345);
        }
        assertThat(tail).containsOnly((byte) 0);
        JsonNode shown = http.get(alice, "/v3/volumes/" + v2).body().get("volume");
        assertThat(shown.get("snapshot_id").stringValue()).isEqualTo(snap);
        assertThat(shown.get("size").intValue()).isEqualTo(2);

        // Without a size the snapshot's; a clone of the (changed) volume carries its current data.
        String changed = sha256(volFile, 1L << 30);
        HttpJson.Response clone = http.post(alice, "/v3/volumes", "{\"volume\": {\"source_volid\": \"" + vol
                + "\", \"size\": 1}}");
        assertThat(clone.status()).as(clone.raw()).isEqualTo(202);
        assertThat(clone.body().get("volume").get("source_volid").stringValue()).isEqualTo(vol);
        String v3 = clone.body().get("volume").get("id").stringValue();
        Await.until("volume " + v3 + " available", () -> http.get(alice, "/v3/volumes/" + v3),
                r -> r.body().get("volume").get("status").stringValue().equals("available"));
        assertThat(sha256(fileOf("volume-" + v3), 1L << 30)).isEqualTo(changed).isNotEqualTo(original);

        // Refusals: smaller than the source, another project's snapshot or volume (404).
        String small = http.post(ADMIN, "/v3/volumes/" + v2 + "/action", "{\"os-extend\": {\"new_size\": 3}}")
                .raw();
        assertThat(small).isEmpty();
        Await.until("volume " + v2 + " extended", () -> http.get(alice, "/v3/volumes/" + v2),
                r -> r.body().get("volume").get("size").intValue() == 3);
        error(http.post(alice, "/v3/volumes", "{\"volume\": {\"size\": 2, \"source_volid\": \"" + v2 + "\"}}"),
                400, "badRequest", "Invalid input received: Volume size '2'GB cannot be smaller than original volume "
                        + "size  3GB. They must be >= original volume size.");
        String snap2 = snapshot(alice, v2, "");
        error(http.post(alice, "/v3/volumes", "{\"volume\": {\"size\": 2, \"snapshot_id\": \"" + snap2 + "\"}}"),
                400, "badRequest", "Invalid input received: Volume size '2'GB cannot be smaller than the snapshot "
                        + "size 3GB. They must be >= original snapshot size.");
        String bob = member();
        error(http.post(bob, "/v3/volumes", "{\"volume\": {\"size\": 3, \"snapshot_id\": \"" + snap2 + "\"}}"),
                404, "itemNotFound", "Snapshot " + snap2 + " could not be found.");
        error(http.post(bob, "/v3/volumes", "{\"volume\": {\"size\": 3, \"source_volid\": \"" + v2 + "\"}}"),
                404, "itemNotFound", "Volume " + v2 + " could not be found.");

        // A volume with snapshots cannot be migrated (Cinder's migrate_volume message).
        String host = http.get(ADMIN, "/v3/volumes/" + vol).body().get("volume").get("os-vol-host-attr:host")
                .stringValue();
        error(http.post(ADMIN, "/v3/volumes/" + vol + "/action", "{\"os-migrate_volume\": {\"host\": \"" + host
                + "\"}}"), 400, "badRequest", "Invalid volume: Volume " + vol + " status must be available or "
                + "in-use, must not be migrating, have snapshots, be replicated, be part of a group and destination "
                + "host/cluster must be different than the current one");
    }
}
