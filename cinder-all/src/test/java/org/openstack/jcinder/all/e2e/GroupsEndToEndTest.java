package org.openstack.jcinder.all.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Generic volume groups (3.13-3.20) through real HTTP against the all-in-one (one file backend) on real
 * PostgreSQL: Tempest's flows (create/show/list/delete, update with add/remove volumes, reset_status, create
 * from a source group) checked against Tempest's schemas, Cinder's refusals, and who may do what.
 */
class GroupsEndToEndTest {

    static final String ADMIN = "admin:" + hex();

    /** Where this class's own all-in-one would live, were the shared one not possible here. */
    @TempDir
    static Path dir;
    static SharedAllInOne.Handle all;
    /** The all-in-one's data directory: the file backend's volumes and snapshots are under it. */
    static Path data;
    static HttpJson http;
    static String volumeType;
    static String otherType;
    static String groupType;

    @BeforeAll
    static void start() {
        all = SharedAllInOne.acquire(dir, "groups-" + UUID.randomUUID().toString().substring(0, 8));
        http = all.http();
        data = all.data();
        volumeType = http.post(ADMIN, "/v3/types", "{\"volume_type\": {\"name\": \"gvt-" + hex().substring(0, 6)
                + "\"}}").body().get("volume_type").get("id").stringValue();
        otherType = http.post(ADMIN, "/v3/types", "{\"volume_type\": {\"name\": \"gvo-" + hex().substring(0, 6)
                + "\"}}").body().get("volume_type").get("id").stringValue();
        groupType = http.send(ADMIN, "POST", "/v3/group_types", "{\"group_type\": {\"name\": \"ggt-"
                + hex().substring(0, 6) + "\"}}", "3.11").body().get("group_type").get("id").stringValue();
    }

    @AfterAll
    static void stop() {
        all.release();
    }

    static String hex() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    static HttpJson.Response call(String token, String version, String method, String path, String body) {
        return http.send(token, method, path, body, version);
    }

    static void schema(String name, HttpJson.Response r) {
        assertThat(TempestSchema.problems("groups", name, r)).as(name + ": " + r.raw()).isEmpty();
    }

    static void error(HttpJson.Response r, int code, String fault, String message) {
        assertThat(r.status()).as(r.raw()).isEqualTo(code);
        assertThat(r.body().get(fault).get("message").stringValue()).as(r.raw()).isEqualTo(message);
    }

    static String createGroup(String token, String name) {
        HttpJson.Response r = call(token, "3.13", "POST", "/v3/groups", "{\"group\": {\"name\": \"" + name
                + "\", \"group_type\": \"" + groupType + "\", \"volume_types\": [\"" + volumeType + "\"]}}");
        schema("create_group", r);
        String id = r.body().get("group").get("id").stringValue();
        Await.until("group " + id + " available", () -> call(token, "3.13", "GET", "/v3/groups/" + id, null),
                g -> g.body().get("group").get("status").stringValue().equals("available"));
        return id;
    }

    static String volumeIn(String token, String group) {
        HttpJson.Response r = call(token, "3.13", "POST", "/v3/volumes", "{\"volume\": {\"size\": 1, "
                + "\"volume_type\": \"" + volumeType + "\", \"group_id\": \"" + group + "\"}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        assertThat(r.body().get("volume").get("group_id").stringValue()).isEqualTo(group);
        String id = r.body().get("volume").get("id").stringValue();
        Await.until("volume " + id + " available", () -> http.get(token, "/v3/volumes/" + id),
                v -> v.body().get("volume").get("status").stringValue().equals("available"));
        return id;
    }

    static List<String> groupIdsOf(String token, String groupId) {
        List<String> out = new ArrayList<>();
        call(token, "3.13", "GET", "/v3/volumes/detail", null).body().get("volumes").forEach(v -> {
            if (groupId.equals(v.get("group_id").stringValue())) {
                out.add(v.get("id").stringValue());
            }
        });
        return out;
    }

    @Test
    void createShowListDeleteAsTempest() {
        String user = "alice:" + hex();
        String g1 = createGroup(user, "Group1");
        String g2 = createGroup(user, "Group2");
        String vol = volumeIn(user, g1);

        HttpJson.Response show = call(user, "3.13", "GET", "/v3/groups/" + g1, null);
        schema("show_group", show);
        JsonNode g = show.body().get("group");
        assertThat(g.get("name").stringValue()).isEqualTo("Group1");
        assertThat(g.get("volume_types").get(0).stringValue()).isEqualTo(volumeType);
        assertThat(g.get("group_type").stringValue()).isEqualTo(groupType);
        assertThat(g.has("group_snapshot_id")).isFalse();
        // 3.14 adds the sources, 3.25 the volumes on request, 3.38 replication_status.
        JsonNode g314 = call(user, "3.14", "GET", "/v3/groups/" + g1, null).body().get("group");
        assertThat(g314.has("group_snapshot_id") && g314.has("source_group_id")).isTrue();
        HttpJson.Response g338 = call(user, "3.38", "GET", "/v3/groups/" + g1 + "?list_volume=True", null);
        schema("show_group", g338);
        assertThat(g338.body().get("group").get("volumes").get(0).stringValue()).isEqualTo(vol);
        assertThat(g338.body().get("group").get("replication_status").stringValue()).isEqualTo("disabled");

        HttpJson.Response detail = call(user, "3.13", "GET", "/v3/groups/detail", null);
        schema("list_groups_with_detail", detail);
        assertThat(detail.body().get("groups")).hasSize(2);
        HttpJson.Response summary = call(user, "3.13", "GET", "/v3/groups", null);
        schema("list_groups_no_detail", summary);
        assertThat(groupIdsOf(user, g1)).containsExactly(vol);
        // Another project sees nothing of them.
        String bob = "bob:" + hex();
        assertThat(call(bob, "3.13", "GET", "/v3/groups", null).body().get("groups")).isEmpty();
        error(call(bob, "3.13", "GET", "/v3/groups/" + g1, null), 404, "itemNotFound",
                "Group " + g1 + " could not be found.");

        // A volume in a group is not deleted on its own; the group with volumes needs delete-volumes.
        assertThat(http.delete(user, "/v3/volumes/" + vol).status()).isEqualTo(400);
        error(call(user, "3.13", "POST", "/v3/groups/" + g1 + "/action", "{\"delete\": {}}"), 400, "badRequest",
                "Invalid Group: Group " + g1 + " still contains volumes. The delete-volumes flag is required to "
                        + "delete it.");
        HttpJson.Response del = call(user, "3.13", "POST", "/v3/groups/" + g1 + "/action",
                "{\"delete\": {\"delete-volumes\": true}}");
        schema("delete_group", del);
        assertThat(call(user, "3.13", "POST", "/v3/groups/" + g2 + "/action",
                "{\"delete\": {\"delete-volumes\": false}}").status()).isEqualTo(202);
        Await.until("volume " + vol + " gone", () -> http.get(user, "/v3/volumes/" + vol), v -> v.status() == 404);
        assertThat(call(user, "3.13", "GET", "/v3/groups/detail", null).body().get("groups")).isEmpty();
    }

    @Test
    void updateAddsAndRemovesVolumesAsTempest() {
        String user = "carol:" + hex();
        String grp = createGroup(user, "upd");
        String v1 = volumeIn(user, grp);
        String v2 = volumeIn(user, grp);
        HttpJson.Response upd = call(user, "3.13", "PUT", "/v3/groups/" + grp, "{\"group\": {\"name\": "
                + "\"new_group\", \"description\": \"This is a new group\", \"remove_volumes\": \"" + v2 + "\"}}");
        schema("update_group", upd);
        JsonNode g = call(user, "3.13", "GET", "/v3/groups/" + grp, null).body().get("group");
        assertThat(g.get("name").stringValue()).isEqualTo("new_group");
        assertThat(g.get("description").stringValue()).isEqualTo("This is a new group");
        assertThat(g.get("status").stringValue()).isEqualTo("available");
        assertThat(groupIdsOf(user, grp)).containsExactly(v1);
        assertThat(call(user, "3.13", "PUT", "/v3/groups/" + grp, "{\"group\": {\"add_volumes\": \"" + v2
                + "\"}}").status()).isEqualTo(202);
        assertThat(groupIdsOf(user, grp)).containsExactlyInAnyOrder(v1, v2);

        error(call(user, "3.13", "PUT", "/v3/groups/" + grp, "{\"group\": {\"add_volumes\": \"" + v1
                + "\", \"remove_volumes\": \"" + v1 + "\"}}"), 400, "badRequest",
                "Invalid volume: UUIDs ['" + v1 + "'] are in both add and remove volume list.");
        String missing = UUID.randomUUID().toString();
        error(call(user, "3.13", "PUT", "/v3/groups/" + grp, "{\"group\": {\"add_volumes\": \"" + missing
                + "\"}}"), 400, "badRequest", "Invalid volume: Cannot add volume " + missing + " to group " + grp
                + " because volume cannot be found.");
        error(call(user, "3.13", "PUT", "/v3/groups/" + grp, "{\"group\": {\"remove_volumes\": \"" + missing
                + "\"}}"), 400, "badRequest", "Invalid volume: Cannot remove volume " + missing + " from group "
                + grp + " because it is not in the group.");
        error(call(user, "3.13", "PUT", "/v3/groups/" + grp, "{\"group\": {\"name\": \"new_group\"}}"), 400,
                "badRequest", "Invalid Group: Cannot update group " + grp + " because no valid name, description, "
                        + "add_volumes, or remove_volumes were provided.");
        // A volume of a type the group does not take.
        String stray = http.post(user, "/v3/volumes", "{\"volume\": {\"size\": 1, \"volume_type\": \"" + otherType
                + "\"}}").body().get("volume").get("id").stringValue();
        Await.until("stray available", () -> http.get(user, "/v3/volumes/" + stray),
                v -> v.body().get("volume").get("status").stringValue().equals("available"));
        error(call(user, "3.13", "PUT", "/v3/groups/" + grp, "{\"group\": {\"add_volumes\": \"" + stray
                + "\"}}"), 400, "badRequest", "Invalid volume: Cannot add volume " + stray + " to group " + grp
                + " because volume type " + otherType + " is not supported by the group.");
        assertThat(groupIdsOf(user, grp)).containsExactlyInAnyOrder(v1, v2);
        // Another project's member may not touch it.
        assertThat(call("dave:" + hex(), "3.13", "PUT", "/v3/groups/" + grp, "{\"group\": {\"name\": \"x\"}}")
                .status()).isEqualTo(404);
    }

    @Test
    void groupsQuotaIsCountedAndEnforced() {
        String project = hex();
        String user = "hank:" + project;
        HttpJson.Response set = http.put(ADMIN, "/v3/os-quota-sets/" + project, "{\"quota_set\": {\"groups\": 1}}");
        assertThat(set.status()).as(set.raw()).isEqualTo(200);
        String grp = createGroup(user, "q1");
        error(call(user, "3.13", "POST", "/v3/groups", "{\"group\": {\"name\": \"q2\", \"group_type\": \""
                + groupType + "\", \"volume_types\": [\"" + volumeType + "\"]}}"), 413, "overLimit",
                "Maximum number of groups allowed (1) exceeded");
        assertThat(call(user, "3.13", "GET", "/v3/groups", null).body().get("groups")).hasSize(1);
        assertThat(call(user, "3.13", "POST", "/v3/groups/" + grp + "/action", "{\"delete\": {}}").status())
                .isEqualTo(202);
        createGroup(user, "q3");
    }

    @Test
    void resetStatusIsAdminOnlyAsTempest() {
        String user = "erin:" + hex();
        String grp = createGroup(user, "reset");
        for (String status : List.of("creating", "available", "error")) {
            HttpJson.Response r = call(ADMIN, "3.20", "POST", "/v3/groups/" + grp + "/action",
                    "{\"reset_status\": {\"status\": \"" + status + "\"}}");
            schema("reset_group_status", r);
            assertThat(call(user, "3.20", "GET", "/v3/groups/" + grp, null).body().get("group").get("status")
                    .stringValue()).isEqualTo(status);
        }
        error(call(user, "3.20", "POST", "/v3/groups/" + grp + "/action",
                "{\"reset_status\": {\"status\": \"available\"}}"), 403, "forbidden",
                "Policy doesn't allow group:reset_status to be performed.");
        assertThat(call(user, "3.20", "GET", "/v3/groups/" + grp, null).body().get("group").get("status")
                .stringValue()).isEqualTo("error");
        assertThat(call(ADMIN, "3.20", "POST", "/v3/groups/" + grp + "/action",
                "{\"reset_status\": {\"status\": \"bogus\"}}").status()).isEqualTo(400);
        // Before 3.20 there is no such action.
        assertThat(call(ADMIN, "3.19", "POST", "/v3/groups/" + grp + "/action",
                "{\"reset_status\": {\"status\": \"available\"}}").status()).isEqualTo(400);
        // Error status: a delete without volumes is allowed.
        assertThat(call(user, "3.20", "POST", "/v3/groups/" + grp + "/action", "{\"delete\": {}}").status())
                .isEqualTo(202);
    }

    @Test
    void createFromSourceAndBadInput() {
        String user = "frank:" + hex();
        String grp = createGroup(user, "src");
        // An empty source group: Cinder's refusal, nothing written (groups with volumes: GroupSnapshotsEndToEndTest).
        error(call(user, "3.14", "POST", "/v3/groups/action", "{\"create-from-src\": {\"source_group_id\": \""
                + grp + "\", \"name\": \"copy\"}}"), 400, "badRequest", "Invalid Group: Source Group is empty. No "
                + "group will be created.");
        assertThat(call(user, "3.14", "GET", "/v3/groups", null).body().get("groups")).hasSize(1);
        String missing = UUID.randomUUID().toString();
        error(call(user, "3.14", "POST", "/v3/groups/action", "{\"create-from-src\": {\"source_group_id\": \""
                + missing + "\"}}"), 404, "itemNotFound", "Group " + missing + " could not be found.");
        assertThat(call(user, "3.13", "POST", "/v3/groups/action", "{\"create-from-src\": {\"source_group_id\": \""
                + grp + "\"}}").status()).isEqualTo(404);

        assertThat(call(user, "3.12", "GET", "/v3/groups", null).status()).isEqualTo(404);
        for (String bad : List.of("{\"group\": {\"group_type\": \"" + groupType + "\"}}",
                "{\"group\": {\"group_type\": \"" + groupType + "\", \"volume_types\": []}}",
                "{\"group\": {\"group_type\": \"" + groupType + "\", \"volume_types\": \"x\"}}",
                "{\"group\": {\"group_type\": \"" + groupType + "\", \"volume_types\": [\"" + volumeType
                        + "\"], \"bogus\": 1}}",
                "{\"group\": {\"volume_types\": [\"" + volumeType + "\"]}}", "[]", "not json")) {
            HttpJson.Response r = call(user, "3.13", "POST", "/v3/groups", bad);
            assertThat(r.status()).as(bad + " -> " + r.raw()).isEqualTo(400);
        }
        error(call(user, "3.13", "POST", "/v3/groups", "{\"group\": {\"group_type\": \"nope\", \"volume_types\": [\""
                + volumeType + "\"]}}"), 404, "itemNotFound", "Group type nope could not be found.");
        assertThat(call(user, "3.13", "POST", "/v3/groups", "{\"group\": {\"group_type\": \"" + groupType
                + "\", \"volume_types\": [\"nope\"]}}").status()).isEqualTo(404);
        String reserved = call(ADMIN, "3.11", "GET", "/v3/group_types", null).body().get("group_types")
                .valueStream().filter(t -> t.get("name").stringValue().equals("default_cgsnapshot_type"))
                .findFirst().orElseThrow().get("id").stringValue();
        error(call(user, "3.13", "POST", "/v3/groups", "{\"group\": {\"group_type\": \"" + reserved
                + "\", \"volume_types\": [\"" + volumeType + "\"]}}"), 400, "badRequest", "Group_type " + reserved
                + " is reserved for migrating CGs to groups. Migrated group can only be operated by CG APIs.");
        // A volume in a group needs one of the group's types; a group type in use cannot be deleted.
        error(call(user, "3.13", "POST", "/v3/volumes", "{\"volume\": {\"size\": 1, \"volume_type\": \""
                + otherType + "\", \"group_id\": \"" + grp + "\"}}"), 400, "badRequest",
                "Invalid input received: Invalid volume_type provided: " + http.get(ADMIN, "/v3/types/"
                        + otherType).body().get("volume_type").get("name").stringValue()
                        + " (requested type must be supported by this group).");
        assertThat(call(user, "3.13", "POST", "/v3/volumes", "{\"volume\": {\"size\": 1, \"volume_type\": \""
                + volumeType + "\", \"group_id\": \"" + missing + "\"}}").status()).isEqualTo(404);
        assertThat(call(ADMIN, "3.11", "DELETE", "/v3/group_types/" + groupType, null).status()).isEqualTo(400);
        // The group's volume type is in use while the group lives.
        error(http.delete(ADMIN, "/v3/types/" + volumeType), 400, "badRequest", "Target volume type is still in use.");
        assertThat(call(user, "3.13", "POST", "/v3/groups/" + grp + "/action", "{\"delete\": {\"delete-volumes\": "
                + "\"maybe\"}}").status()).isEqualTo(400);
        assertThat(call(user, "3.13", "POST", "/v3/groups/" + grp + "/action", "{\"explode\": {}}").status())
                .isEqualTo(400);
        // A reader-less caller of another project cannot delete it; the group is still there.
        assertThat(call("gina:" + hex(), "3.13", "POST", "/v3/groups/" + grp + "/action", "{\"delete\": {}}")
                .status()).isEqualTo(404);
        assertThat(call(user, "3.13", "GET", "/v3/groups/" + grp, null).status()).isEqualTo(200);
    }
}
