package org.openstack.jcinder.all.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.HttpJson;

import tools.jackson.databind.JsonNode;

/**
 * Group snapshots (3.14-3.58), groups made from a group snapshot or a source group (3.14), and the legacy
 * consistency group and cgsnapshot APIs, through real HTTP against the all-in-one (one file backend) on real
 * PostgreSQL and RabbitMQ: Tempest's flows checked against Tempest's schemas, the new volumes' data checked by
 * checksum against the sources, quotas, Cinder's refusals and list-query messages.
 */
class GroupSnapshotsEndToEndTest {

    static final String ADMIN = "admin:" + hex();

    /** Where this class's own all-in-one would live, were the shared one not possible here. */
    @TempDir
    static Path dir;
    static SharedAllInOne.Handle all;
    /** The all-in-one's data directory: the file backend's volumes and snapshots are under it. */
    static Path data;
    static HttpJson http;
    static String volumeType;
    static String groupType;

    @BeforeAll
    static void start() {
        all = SharedAllInOne.acquire(dir, "gsnap-" + UUID.randomUUID().toString().substring(0, 8));
        http = all.http();
        data = all.data();
        volumeType = http.post(ADMIN, "/v3/types", "{\"volume_type\": {\"name\": \"gst-" + hex().substring(0, 6)
                + "\"}}").body().get("volume_type").get("id").stringValue();
        groupType = http.send(ADMIN, "POST", "/v3/group_types", "{\"group_type\": {\"name\": \"gsg-"
                + hex().substring(0, 6) + "\"}}", "3.11").body().get("group_type").get("id").stringValue();
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

    static String project(String token) {
        return token.substring(token.indexOf(':') + 1);
    }

    static HttpJson.Response call(String token, String version, String method, String path, String body) {
        return http.send(token, method, path, body, version);
    }

    static void schema(String name, HttpJson.Response r) {
        assertThat(TempestSchema.problems("group_snapshots", name, r)).as(name + ": " + r.raw()).isEmpty();
    }

    static void error(HttpJson.Response r, int code, String fault, String message) {
        assertThat(r.status()).as(r.raw()).isEqualTo(code);
        assertThat(r.body().get(fault).get("message").stringValue()).as(r.raw()).isEqualTo(message);
    }

    static String createGroup(String token) {
        HttpJson.Response r = call(token, "3.13", "POST", "/v3/groups", "{\"group\": {\"name\": \"g\", "
                + "\"group_type\": \"" + groupType + "\", \"volume_types\": [\"" + volumeType + "\"]}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        return r.body().get("group").get("id").stringValue();
    }

    static String volumeIn(String token, String key, String group) {
        HttpJson.Response r = call(token, "3.13", "POST", "/v3/volumes", "{\"volume\": {\"size\": 1, "
                + "\"volume_type\": \"" + volumeType + "\", \"" + key + "\": \"" + group + "\"}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String id = r.body().get("volume").get("id").stringValue();
        awaitVolume(token, id, "available");
        return id;
    }

    static void awaitVolume(String token, String id, String status) {
        Await.until("volume " + id + " " + status, () -> http.get(token, "/v3/volumes/" + id),
                v -> v.status() == 200 && v.body().get("volume").get("status").stringValue().equals(status));
    }

    static void awaitGroupSnapshot(String token, String id, String status) {
        Await.until("group snapshot " + id + " " + status,
                () -> call(token, "3.14", "GET", "/v3/group_snapshots/" + id, null),
                r -> r.status() == 200 && r.body().get("group_snapshot").get("status").stringValue().equals(status));
    }

    static void awaitGroup(String token, String id, String status) {
        Await.until("group " + id + " " + status, () -> call(token, "3.14", "GET", "/v3/groups/" + id, null),
                r -> r.status() == 200 && r.body().get("group").get("status").stringValue().equals(status));
    }

    /** The group's volumes (from the detailed list at 3.14). */
    static List<JsonNode> volumesOf(String token, String group) {
        List<JsonNode> out = new ArrayList<>();
        call(token, "3.14", "GET", "/v3/volumes/detail", null).body().get("volumes").forEach(v -> {
            if (group.equals(v.get("group_id").stringValue())) {
                out.add(v);
            }
        });
        return out;
    }

    /** Member snapshots by volume id (the detailed snapshot list at 3.14 shows group_snapshot_id). */
    static Map<String, JsonNode> membersOf(String token, String groupSnapshot) {
        Map<String, JsonNode> out = new TreeMap<>();
        call(token, "3.14", "GET", "/v3/snapshots/detail", null).body().get("snapshots").forEach(s -> {
            if (groupSnapshot.equals(s.get("group_snapshot_id").stringValue())) {
                out.put(s.get("volume_id").stringValue(), s);
            }
        });
        return out;
    }

    static int inUse(String token, String resource) {
        String project = project(token);
        HttpJson.Response q = http.get(token, "/v3/" + project + "/os-quota-sets/" + project + "?usage=true");
        assertThat(q.status()).as(q.raw()).isEqualTo(200);
        return q.body().get("quota_set").get(resource).get("in_use").intValue();
    }

    static Path fileOf(String name) throws Exception {
        try (var files = Files.walk(data)) {
            return files.filter(p -> p.getFileName().toString().equals(name)).findFirst().orElseThrow();
        }
    }

    /** Distinct data at three places of a 1 GiB volume: its start, the middle and the last MiB. */
    static void fill(String volumeId, byte seed) throws Exception {
        byte[] data = new byte[1 << 20];
        new java.util.Random(seed).nextBytes(data);
        Path f = fileOf("volume-" + volumeId);
        for (long off : new long[] {0, 512L << 20, (1L << 30) - (1 << 20)}) {
            SnapshotsEndToEndTest.writeAt(f, off, data);
        }
    }

    static String sha(String volumeOrSnapshotFile) throws Exception {
        return SnapshotsEndToEndTest.sha256(fileOf(volumeOrSnapshotFile), 1L << 30);
    }

    @Test
    void groupSnapshotsAndGroupsFromThemCarryTheData() throws Exception {
        String alice = member();
        String grp = createGroup(alice);
        String v1 = volumeIn(alice, "group_id", grp);
        String v2 = volumeIn(alice, "group_id", grp);
        fill(v1, (byte) 1);
        fill(v2, (byte) 2);
        Map<String, String> original = new TreeMap<>(Map.of(v1, sha("volume-" + v1), v2, sha("volume-" + v2)));
        assertThat(original.get(v1)).isNotEqualTo(original.get(v2));

        // Create: Tempest's schema, then available once both members are.
        HttpJson.Response created = call(alice, "3.14", "POST", "/v3/group_snapshots", "{\"group_snapshot\": "
                + "{\"group_id\": \"" + grp + "\", \"name\": \"gs1\", \"description\": \"two\"}}");
        schema("create_group_snapshot", created);
        String gs = created.body().get("group_snapshot").get("id").stringValue();
        assertThat(created.body().get("group_snapshot").get("group_type_id").stringValue()).isEqualTo(groupType);
        awaitGroupSnapshot(alice, gs, "available");
        Map<String, JsonNode> members = membersOf(alice, gs);
        assertThat(members.keySet()).containsExactlyInAnyOrder(v1, v2);
        members.values().forEach(s -> {
            assertThat(s.get("status").stringValue()).isEqualTo("available");
            assertThat(s.get("name").stringValue()).isEqualTo("gs1");
        });
        assertThat(inUse(alice, "snapshots")).isEqualTo(2);
        assertThat(inUse(alice, "groups")).isEqualTo(1);
        // The members hold the volumes' data as it was; the volumes then change.
        for (String v : List.of(v1, v2)) {
            assertThat(sha("snapshot-" + members.get(v).get("id").stringValue())).isEqualTo(original.get(v));
        }
        fill(v1, (byte) 3);
        String changed = sha("volume-" + v1);

        HttpJson.Response show = call(alice, "3.14", "GET", "/v3/group_snapshots/" + gs, null);
        schema("show_group_snapshot", show);
        JsonNode g = show.body().get("group_snapshot");
        assertThat(g.get("group_id").stringValue()).isEqualTo(grp);
        assertThat(g.get("description").stringValue()).isEqualTo("two");
        assertThat(g.has("project_id")).isFalse();
        assertThat(call(ADMIN, "3.58", "GET", "/v3/group_snapshots/" + gs, null).body().get("group_snapshot")
                .get("project_id").stringValue()).isEqualTo(project(alice));
        HttpJson.Response detail = call(alice, "3.14", "GET", "/v3/group_snapshots/detail", null);
        schema("list_group_snapshots_with_detail", detail);
        assertThat(detail.body().get("group_snapshots")).hasSize(1);
        HttpJson.Response summary = call(alice, "3.14", "GET", "/v3/group_snapshots", null);
        schema("list_group_snapshots_no_detail", summary);
        assertThat(summary.body().get("group_snapshots").get(0).get("id").stringValue()).isEqualTo(gs);
        assertThat(call(member(), "3.14", "GET", "/v3/group_snapshots", null).body().get("group_snapshots"))
                .isEmpty();
        error(call(member(), "3.14", "GET", "/v3/group_snapshots/" + gs, null), 404, "itemNotFound",
                "GroupSnapshot " + gs + " could not be found.");

        // Members go only with their group snapshot; the group and its volumes stay while it exists.
        String m1 = members.get(v1).get("id").stringValue();
        error(http.delete(alice, "/v3/snapshots/" + m1), 400, "badRequest", "Invalid snapshot: Snapshot status "
                + "must be available or error and must not be part of a group.");
        error(call(alice, "3.14", "POST", "/v3/groups/" + grp + "/action", "{\"delete\": {\"delete-volumes\": "
                + "true}}"), 400, "badRequest", "Invalid Group: Group has existing snapshots.");

        // A group from the group snapshot: a new volume from each member, the data of the snapshot.
        HttpJson.Response fromSnap = call(alice, "3.14", "POST", "/v3/groups/action", "{\"create-from-src\": "
                + "{\"group_snapshot_id\": \"" + gs + "\", \"name\": \"from-snap\"}}");
        assertThat(fromSnap.status()).as(fromSnap.raw()).isEqualTo(202);
        assertThat(TempestSchema.problems("groups", "create_group_from_source", fromSnap)).isEmpty();
        String g2 = fromSnap.body().get("group").get("id").stringValue();
        awaitGroup(alice, g2, "available");
        JsonNode g2view = call(alice, "3.14", "GET", "/v3/groups/" + g2, null).body().get("group");
        assertThat(g2view.get("group_snapshot_id").stringValue()).isEqualTo(gs);
        assertThat(g2view.get("group_type").stringValue()).isEqualTo(groupType);
        List<JsonNode> g2vols = volumesOf(alice, g2);
        assertThat(g2vols).hasSize(2);
        List<String> g2shas = new ArrayList<>();
        for (JsonNode v : g2vols) {
            assertThat(v.get("status").stringValue()).isEqualTo("available");
            assertThat(v.get("snapshot_id").stringValue()).isIn(members.get(v1).get("id").stringValue(),
                    members.get(v2).get("id").stringValue());
            g2shas.add(sha("volume-" + v.get("id").stringValue()));
        }
        assertThat(g2shas).containsExactlyInAnyOrderElementsOf(original.values());
        assertThat(inUse(alice, "groups")).isEqualTo(2);
        // A group from the source group: clones of its volumes as they are now.
        HttpJson.Response fromGroup = call(alice, "3.14", "POST", "/v3/groups/action", "{\"create-from-src\": "
                + "{\"source_group_id\": \"" + grp + "\", \"name\": \"clone\"}}");
        assertThat(fromGroup.status()).as(fromGroup.raw()).isEqualTo(202);
        String g3 = fromGroup.body().get("group").get("id").stringValue();
        awaitGroup(alice, g3, "available");
        assertThat(call(alice, "3.14", "GET", "/v3/groups/" + g3, null).body().get("group").get("source_group_id")
                .stringValue()).isEqualTo(grp);
        List<String> g3shas = new ArrayList<>();
        for (JsonNode v : volumesOf(alice, g3)) {
            assertThat(v.get("source_volid").stringValue()).isIn(v1, v2);
            g3shas.add(sha("volume-" + v.get("id").stringValue()));
        }
        assertThat(g3shas).containsExactlyInAnyOrder(changed, original.get(v2));

        // Delete: the members go with it, and their quota.
        error(call(alice, "3.13", "DELETE", "/v3/group_snapshots/" + gs, null), 404, "itemNotFound",
                "The resource could not be found.");
        HttpJson.Response del = call(alice, "3.14", "DELETE", "/v3/group_snapshots/" + gs, null);
        schema("delete_group_snapshot", del);
        Await.until("group snapshot " + gs + " gone", () -> call(alice, "3.14", "GET", "/v3/group_snapshots/" + gs,
                null), r -> r.status() == 404);
        assertThat(membersOf(alice, gs)).isEmpty();
        assertThat(Files.exists(data) && Files.walk(data)
                .noneMatch(p -> p.getFileName().toString().equals("snapshot-" + m1))).isTrue();
        assertThat(inUse(alice, "snapshots")).isEqualTo(0);
        for (String id : List.of(g3, g2, grp)) {
            assertThat(call(alice, "3.14", "POST", "/v3/groups/" + id + "/action", "{\"delete\": "
                    + "{\"delete-volumes\": true}}").status()).isEqualTo(202);
        }
        Await.until("volumes gone", () -> call(alice, "3.14", "GET", "/v3/volumes", null),
                r -> r.body().get("volumes").isEmpty());
        assertThat(inUse(alice, "groups")).isEqualTo(0);
        assertThat(inUse(alice, "volumes")).isEqualTo(0);
    }

    @Test
    void resetStatusRefusalsAndListQueries() {
        String bob = member();
        String grp = createGroup(bob);
        volumeIn(bob, "group_id", grp);
        String gs = call(bob, "3.14", "POST", "/v3/group_snapshots", "{\"group_snapshot\": {\"group_id\": \"" + grp
                + "\", \"name\": \"r\"}}").body().get("group_snapshot").get("id").stringValue();
        awaitGroupSnapshot(bob, gs, "available");

        // reset_status: 3.19, admin only, Cinder's statuses.
        String reset = "{\"reset_status\": {\"status\": \"error\"}}";
        error(call(ADMIN, "3.18", "POST", "/v3/group_snapshots/" + gs + "/action", reset), 400, "badRequest",
                "There is no such action: reset_status");
        assertThat(call(bob, "3.19", "POST", "/v3/group_snapshots/" + gs + "/action", reset).status())
                .isEqualTo(403);
        error(call(ADMIN, "3.19", "POST", "/v3/group_snapshots/" + gs + "/action", "{\"reset_status\": "
                + "{\"status\": \"weird\"}}"), 400, "badRequest", "Invalid input for field/attribute status. Value: "
                + "weird. 'weird' is not a 'group_snapshot_status'");
        for (String s : List.of("creating", "available", "error")) {
            HttpJson.Response r = call(ADMIN, "3.19", "POST", "/v3/group_snapshots/" + gs + "/action",
                    "{\"reset_status\": {\"status\": \"" + s + "\"}}");
            schema("reset_group_snapshot_status", r);
            awaitGroupSnapshot(bob, gs, s);
        }
        // An error group snapshot can be deleted; a creating one cannot.
        call(ADMIN, "3.19", "POST", "/v3/group_snapshots/" + gs + "/action", "{\"reset_status\": {\"status\": "
                + "\"creating\"}}");
        error(call(bob, "3.14", "DELETE", "/v3/group_snapshots/" + gs, null), 400, "badRequest",
                "Invalid GroupSnapshot: GroupSnapshot status must be available or error, and no Group can be "
                        + "currently using it as source for its creation.");
        call(ADMIN, "3.19", "POST", "/v3/group_snapshots/" + gs + "/action", "{\"reset_status\": {\"status\": "
                + "\"available\"}}");

        // Bad bodies and unknown groups write nothing.
        String missing = UUID.randomUUID().toString();
        error(call(bob, "3.14", "POST", "/v3/group_snapshots", "{\"group_snapshot\": {\"group_id\": \"" + missing
                + "\"}}"), 404, "itemNotFound", "Group " + missing + " could not be found.");
        error(call(bob, "3.14", "POST", "/v3/group_snapshots", "{\"group_snapshot\": {\"group_id\": \"nope\"}}"),
                400, "badRequest", "Invalid input for field/attribute group_id. Value: nope. 'nope' is not a 'uuid'");
        for (String bad : List.of("{\"group_snapshot\": {}}", "{\"group_snapshot\": {\"group_id\": \"" + grp
                + "\", \"bogus\": 1}}", "{\"gs\": {}}", "[]")) {
            assertThat(call(bob, "3.14", "POST", "/v3/group_snapshots", bad).status()).as(bad).isEqualTo(400);
        }
        assertThat(call(bob, "3.13", "POST", "/v3/group_snapshots", "{\"group_snapshot\": {\"group_id\": \"" + grp
                + "\"}}").status()).isEqualTo(404);
        error(call(bob, "3.14", "POST", "/v3/groups/action", "{\"create-from-src\": {\"group_snapshot_id\": \""
                + missing + "\"}}"), 404, "itemNotFound", "GroupSnapshot " + missing + " could not be found.");
        assertThat(call(bob, "3.14", "GET", "/v3/group_snapshots", null).body().get("group_snapshots")).hasSize(1);

        // Lists: 3.29 reads Cinder's paging and sort, with api/common.py's messages; before, no parameter counts.
        assertThat(call(bob, "3.14", "GET", "/v3/group_snapshots?limit=x", null).status()).isEqualTo(200);
        error(call(bob, "3.29", "GET", "/v3/group_snapshots?limit=x", null), 400, "badRequest",
                "limit param must be an integer");
        error(call(bob, "3.29", "GET", "/v3/group_snapshots?limit=-1", null), 400, "badRequest",
                "limit param must be positive");
        error(call(bob, "3.29", "GET", "/v3/group_snapshots?offset=-1", null), 400, "badRequest",
                "offset must be >= 0");
        error(call(bob, "3.29", "GET", "/v3/group_snapshots?sort=name:sideways", null), 400, "badRequest",
                "Invalid input received: Unknown sort direction, must be 'desc' or 'asc'.");
        error(call(bob, "3.29", "GET", "/v3/group_snapshots?sort=colour", null), 400, "badRequest",
                "Invalid input received: Invalid sort key");
        error(call(bob, "3.29", "GET", "/v3/group_snapshots?sort=name&sort_key=id", null), 400, "badRequest",
                "The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be used with the 'sort' "
                        + "parameter.");
        error(call(bob, "3.29", "GET", "/v3/group_snapshots?marker=" + missing, null), 404, "itemNotFound",
                "GroupSnapshot " + missing + " could not be found.");
        error(call(bob, "3.33", "GET", "/v3/group_snapshots?volume_id=x", null), 400, "badRequest",
                "Invalid filters volume_id are found in query options.");
        assertThat(call(bob, "3.33", "GET", "/v3/group_snapshots?status=available&all_tenants=1", null).body()
                .get("group_snapshots")).hasSize(1);
        assertThat(call(bob, "3.29", "GET", "/v3/group_snapshots?status=error", null).body().get("group_snapshots"))
                .isEmpty();
        assertThat(call(bob, "3.29", "GET", "/v3/group_snapshots?limit=0", null).body().get("group_snapshots"))
                .isEmpty();

        assertThat(call(bob, "3.14", "DELETE", "/v3/group_snapshots/" + gs, null).status()).isEqualTo(202);
        Await.until("group snapshot gone", () -> call(bob, "3.14", "GET", "/v3/group_snapshots/" + gs, null),
                r -> r.status() == 404);
        assertThat(call(bob, "3.14", "POST", "/v3/groups/" + grp + "/action", "{\"delete\": {\"delete-volumes\": "
                + "true}}").status()).isEqualTo(202);
    }

    @Test
    void consistencyGroupsAndCgsnapshotsAsTheTempestPlugin() throws Exception {
        String carol = member();
        HttpJson.Response cg = http.post(carol, "/v3/consistencygroups", "{\"consistencygroup\": {\"volume_types\": \""
                + volumeType + "\", \"name\": \"CG1\"}}");
        assertThat(cg.status()).as(cg.raw()).isEqualTo(202);
        String cgId = cg.body().get("consistencygroup").get("id").stringValue();
        assertThat(cg.body().get("consistencygroup").get("name").stringValue()).isEqualTo("CG1");
        JsonNode shown = http.get(carol, "/v3/consistencygroups/" + cgId).body().get("consistencygroup");
        assertThat(shown.get("status").stringValue()).isEqualTo("available");
        assertThat(shown.get("volume_types").get(0).stringValue()).isEqualTo(volumeType);
        assertThat(shown.has("created_at") && shown.has("availability_zone") && shown.has("description")).isTrue();
        String vol = volumeIn(carol, "consistencygroup_id", cgId);
        fill(vol, (byte) 7);
        String data = sha("volume-" + vol);
        // The volume shows its CG as consistencygroup_id; the CG is no generic group.
        assertThat(http.get(carol, "/v3/volumes/" + vol).body().get("volume").get("consistencygroup_id").stringValue())
                .isEqualTo(cgId);
        assertThat(call(carol, "3.13", "GET", "/v3/groups", null).body().get("groups")).isEmpty();
        assertThat(call(carol, "3.13", "GET", "/v3/groups/" + cgId, null).status()).isEqualTo(400);
        JsonNode listed = http.get(carol, "/v3/consistencygroups/detail").body().get("consistencygroups");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("id").stringValue()).isEqualTo(cgId);
        assertThat(http.get(carol, "/v3/consistencygroups").body().get("consistencygroups").get(0).size())
                .isEqualTo(2);

        // A cgsnapshot: a group snapshot the group_snapshots API does not show.
        HttpJson.Response cgs = http.post(carol, "/v3/cgsnapshots", "{\"cgsnapshot\": {\"consistencygroup_id\": \""
                + cgId + "\", \"name\": \"cgsnap\"}}");
        assertThat(cgs.status()).as(cgs.raw()).isEqualTo(202);
        String cgsId = cgs.body().get("cgsnapshot").get("id").stringValue();
        Await.until("cgsnapshot available", () -> http.get(carol, "/v3/cgsnapshots/" + cgsId),
                r -> r.body().get("cgsnapshot").get("status").stringValue().equals("available"));
        JsonNode cgsView = http.get(carol, "/v3/cgsnapshots/" + cgsId).body().get("cgsnapshot");
        assertThat(cgsView.get("consistencygroup_id").stringValue()).isEqualTo(cgId);
        assertThat(http.get(carol, "/v3/cgsnapshots/detail").body().get("cgsnapshots")).hasSize(1);
        assertThat(call(carol, "3.14", "GET", "/v3/group_snapshots", null).body().get("group_snapshots")).isEmpty();
        assertThat(call(carol, "3.14", "GET", "/v3/group_snapshots/" + cgsId, null).status()).isEqualTo(400);

        // CGs from the cgsnapshot and from the CG carry the data.
        for (String src : List.of("\"cgsnapshot_id\": \"" + cgsId + "\"", "\"source_cgid\": \"" + cgId + "\"")) {
            HttpJson.Response copy = http.post(carol, "/v3/consistencygroups/create_from_src",
                    "{\"consistencygroup-from-src\": {" + src + ", \"name\": \"copy\"}}");
            assertThat(copy.status()).as(copy.raw()).isEqualTo(202);
            String copyId = copy.body().get("consistencygroup").get("id").stringValue();
            Await.until("CG " + copyId + " available", () -> http.get(carol, "/v3/consistencygroups/" + copyId),
                    r -> r.body().get("consistencygroup").get("status").stringValue().equals("available"));
            List<JsonNode> vols = volumesOf(carol, copyId);
            assertThat(vols).hasSize(1);
            assertThat(vols.get(0).get("consistencygroup_id").stringValue()).isEqualTo(copyId);
            assertThat(sha("volume-" + vols.get(0).get("id").stringValue())).isEqualTo(data);
            assertThat(http.post(carol, "/v3/consistencygroups/" + copyId + "/delete", "{\"consistencygroup\": "
                    + "{\"force\": true}}").status()).isEqualTo(202);
            assertThat(http.get(carol, "/v3/consistencygroups/" + copyId).status()).isEqualTo(404);
        }
        error(http.post(carol, "/v3/consistencygroups/create_from_src", "{\"consistencygroup-from-src\": {\"name\": "
                + "\"x\"}}"), 400, "badRequest", "Either 'cgsnapshot_id' or 'source_cgid' must be provided to "
                + "create consistency group x from source.");
        error(http.post(carol, "/v3/consistencygroups", "{\"consistencygroup\": {\"volume_types\": \"\", \"name\": "
                + "\"y\"}}"), 400, "badRequest", "volume_types must be provided to create consistency group y.");
        error(http.send(carol, "PUT", "/v3/consistencygroups/" + cgId, "{\"consistencygroup\": {}}", null), 400,
                "badRequest", "Name, description, add_volumes, and remove_volumes can not be all empty in the "
                        + "request body.");
        assertThat(http.send(carol, "PUT", "/v3/consistencygroups/" + cgId, "{\"consistencygroup\": {\"name\": "
                + "\"CG1b\"}}", null).status()).isEqualTo(202);
        assertThat(http.get(carol, "/v3/consistencygroups/" + cgId).body().get("consistencygroup").get("name")
                .stringValue()).isEqualTo("CG1b");
        // The CG with a cgsnapshot stays; without it, a forced delete takes its volume.
        error(http.post(carol, "/v3/consistencygroups/" + cgId + "/delete", "{\"consistencygroup\": {\"force\": "
                + "true}}"), 400, "badRequest", "Invalid Group: Group has existing snapshots.");
        assertThat(http.delete(carol, "/v3/cgsnapshots/" + cgsId).status()).isEqualTo(202);
        Await.until("cgsnapshot gone", () -> http.get(carol, "/v3/cgsnapshots/" + cgsId), r -> r.status() == 404);
        assertThat(http.post(carol, "/v3/consistencygroups/" + cgId + "/delete", "{\"consistencygroup\": {\"force\": "
                + "true}}").status()).isEqualTo(202);
        Await.until("volume gone", () -> http.get(carol, "/v3/volumes/" + vol), r -> r.status() == 404);
        assertThat(http.get(carol, "/v3/consistencygroups/" + cgId).status()).isEqualTo(404);
        assertThat(inUse(carol, "groups")).isEqualTo(0);
    }
}
