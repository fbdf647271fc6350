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
import org.openstack.jcinder.testsupport.HttpJson;

import tools.jackson.databind.JsonNode;

/**
 * Group types and group specs (3.11) through real HTTP against the all-in-one on real PostgreSQL: Tempest's
 * flows and schemas, Cinder's codes and messages, the admin-only rules, the reserved default type.
 */
class GroupTypesEndToEndTest {

    static final String ADMIN = "admin:" + hex();
    static final String V = "3.11";

    /** Where this class's own all-in-one would live, were the shared one not possible here. */
    @TempDir
    static Path dir;
    static SharedAllInOne.Handle all;
    /** The all-in-one's data directory: the file backend's volumes and snapshots are under it. */
    static Path data;
    static HttpJson http;

    @BeforeAll
    static void start() {
        all = SharedAllInOne.acquire(dir, "gtypes-" + UUID.randomUUID().toString().substring(0, 8));
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

    static HttpJson.Response call(String token, String method, String path, String body) {
        return http.send(token, method, path, body, V);
    }

    static void schema(String name, HttpJson.Response r) {
        assertThat(TempestSchema.problems("group_types", name, r)).as(name + ": " + r.raw()).isEmpty();
    }

    static void error(HttpJson.Response r, int code, String fault, String message) {
        assertThat(r.status()).as(r.raw()).isEqualTo(code);
        assertThat(r.body().get(fault).get("message").stringValue()).as(r.raw()).isEqualTo(message);
        assertThat(r.body().get(fault).get("code").asInt()).isEqualTo(code);
    }

    static List<String> names(HttpJson.Response list) {
        List<String> out = new ArrayList<>();
        list.body().get("group_types").forEach(t -> out.add(t.get("name").stringValue()));
        return out;
    }

    @Test
    void createListUpdateShowDeleteAsTempest() {
        String name = "gt-" + hex().substring(0, 8);
        HttpJson.Response created = call(ADMIN, "POST", "/v3/group_types", "{\"group_type\": {\"name\": \"" + name
                + "\", \"description\": \"desc\", \"group_specs\": {\"consistent_group_snapshot_enabled\": "
                + "\"<is> False\"}, \"is_public\": true}}");
        schema("create_group_type", created);
        JsonNode t = created.body().get("group_type");
        assertThat(t.get("name").stringValue()).isEqualTo(name);
        assertThat(t.get("group_specs").get("consistent_group_snapshot_enabled").stringValue())
                .isEqualTo("<is> False");
        String id = t.get("id").stringValue();

        HttpJson.Response list = call(ADMIN, "GET", "/v3/group_types", null);
        schema("list_group_types", list);
        assertThat(names(list)).contains(name, "default_cgsnapshot_type");

        HttpJson.Response updated = call(ADMIN, "PUT", "/v3/group_types/" + id,
                "{\"group_type\": {\"name\": \"" + name + "-u\", \"description\": \"updated\"}}");
        schema("update_group_type", updated);
        assertThat(updated.body().get("group_type").get("name").stringValue()).isEqualTo(name + "-u");
        assertThat(updated.body().get("group_type").get("description").stringValue()).isEqualTo("updated");

        HttpJson.Response shown = call(ADMIN, "GET", "/v3/group_types/" + id, null);
        schema("show_group_type", shown);
        assertThat(shown.body().get("group_type").get("is_public").booleanValue()).isTrue();

        // A member sees the type without its specs (group:access_group_types_specs is admin-only).
        HttpJson.Response memberShow = call("alice:" + hex(), "GET", "/v3/group_types/" + id, null);
        schema("show_group_type", memberShow);
        assertThat(memberShow.body().get("group_type").has("group_specs")).isFalse();

        HttpJson.Response deleted = call(ADMIN, "DELETE", "/v3/group_types/" + id, null);
        assertThat(deleted.status()).isEqualTo(202);
        assertThat(names(call(ADMIN, "GET", "/v3/group_types", null))).doesNotContain(name + "-u");
        error(call(ADMIN, "GET", "/v3/group_types/" + id, null), 404, "itemNotFound",
                "Group type " + id + " could not be found.");
    }

    @Test
    void listSortsAndFiltersOnIsPublicAsTempest() {
        String a = "a_" + hex().substring(0, 8);
        String b = "b_" + hex().substring(0, 8);
        assertThat(call(ADMIN, "POST", "/v3/group_types", "{\"group_type\": {\"name\": \"" + a
                + "\", \"is_public\": true}}").status()).isEqualTo(202);
        String bId = call(ADMIN, "POST", "/v3/group_types", "{\"group_type\": {\"name\": \"" + b
                + "\", \"is_public\": false}}").body().get("group_type").get("id").stringValue();

        List<String> asc = names(call(ADMIN, "GET", "/v3/group_types?sort=name:asc&is_public=None", null));
        assertThat(asc.indexOf(a)).isNotNegative().isLessThan(asc.indexOf(b));
        List<String> desc = names(call(ADMIN, "GET", "/v3/group_types?sort=name:desc&is_public=None", null));
        assertThat(desc.indexOf(b)).isNotNegative().isLessThan(desc.indexOf(a));
        assertThat(names(call(ADMIN, "GET", "/v3/group_types?is_public=False", null))).contains(b)
                .doesNotContain(a);
        assertThat(names(call(ADMIN, "GET", "/v3/group_types?is_public=True", null))).contains(a)
                .doesNotContain(b);

        // A member sees public types only, whatever it asks, and not a private one by id.
        String member = "alice:" + hex();
        assertThat(names(call(member, "GET", "/v3/group_types?is_public=None", null))).contains(a)
                .doesNotContain(b);
        assertThat(call(member, "GET", "/v3/group_types/" + bId, null).status()).isEqualTo(404);

        error(call(ADMIN, "GET", "/v3/group_types?sort=bogus:asc", null), 400, "badRequest",
                "Invalid input received: Invalid sort key");
        error(call(ADMIN, "GET", "/v3/group_types?is_public=maybe", null), 400, "badRequest",
                "Invalid is_public filter [maybe]");
    }

    @Test
    void groupSpecsCrudAsTempest() {
        String id = call(ADMIN, "POST", "/v3/group_types", "{\"group_type\": {\"name\": \"specs-" + hex()
                .substring(0, 8) + "\"}}").body().get("group_type").get("id").stringValue();
        String base = "/v3/group_types/" + id + "/group_specs";
        HttpJson.Response created = call(ADMIN, "POST", base, "{\"group_specs\": {\"key1\": \"value1\", "
                + "\"key2\": \"value2\"}}");
        schema("create_or_update_group_type_specs", created);
        HttpJson.Response list = call(ADMIN, "GET", base, null);
        schema("list_group_type_specs", list);
        assertThat(list.body().get("group_specs").get("key2").stringValue()).isEqualTo("value2");
        HttpJson.Response one = call(ADMIN, "GET", base + "/key1", null);
        schema("show_group_type_specs_item", one);
        assertThat(one.body().get("key1").stringValue()).isEqualTo("value1");
        HttpJson.Response upd = call(ADMIN, "PUT", base + "/key1", "{\"key1\": \"value1-u\"}");
        schema("update_group_type_specs_item", upd);
        assertThat(call(ADMIN, "GET", base + "/key1", null).body().get("key1").stringValue())
                .isEqualTo("value1-u");
        assertThat(call(ADMIN, "DELETE", base + "/key2", null).status()).isEqualTo(202);

        error(call(ADMIN, "GET", base + "/key2", null), 404, "itemNotFound",
                "Group Type " + id + " has no extra spec with key key2.");
        error(call(ADMIN, "DELETE", base + "/key2", null), 404, "itemNotFound",
                "Group Type " + id + " has no specs with key key2.");
        error(call(ADMIN, "PUT", base + "/key1", "{\"other\": \"v\"}"), 400, "badRequest",
                "Request body and URI mismatch");
        assertThat(call(ADMIN, "POST", base, "{\"group_specs\": {\"bad key\": \"v\"}}").status()).isEqualTo(400);
        assertThat(call(ADMIN, "POST", base, "{\"group_specs\": \"nope\"}").status()).isEqualTo(400);
        error(call(ADMIN, "GET", "/v3/group_types/nope/group_specs", null), 404, "itemNotFound",
                "Group type nope could not be found.");
        // Members may not read or write specs.
        String member = "alice:" + hex();
        assertThat(call(member, "GET", base, null).status()).isEqualTo(403);
        assertThat(call(member, "POST", base, "{\"group_specs\": {\"k\": \"v\"}}").status()).isEqualTo(403);
        assertThat(call(ADMIN, "GET", base, null).body().get("group_specs").has("k")).isFalse();
    }

    @Test
    void badInputPoliciesAndVersions() {
        String member = "alice:" + hex();
        error(call(member, "POST", "/v3/group_types", "{\"group_type\": {\"name\": \"m\"}}"), 403, "forbidden",
                "Policy doesn't allow group:group_types:create to be performed.");
        assertThat(names(call(ADMIN, "GET", "/v3/group_types?is_public=None", null))).doesNotContain("m");
        // Before 3.11 the resource does not exist.
        assertThat(http.send(ADMIN, "GET", "/v3/group_types", null, "3.10").status()).isEqualTo(404);

        assertThat(call(ADMIN, "POST", "/v3/group_types", "{\"group_type\": {}}").status()).isEqualTo(400);
        assertThat(call(ADMIN, "POST", "/v3/group_types", "{\"group_type\": {\"name\": \"x\", \"bogus\": 1}}")
                .status()).isEqualTo(400);
        assertThat(call(ADMIN, "POST", "/v3/group_types", "{\"group_type\": {\"name\": \"x\", \"is_public\": "
                + "\"perhaps\"}}").status()).isEqualTo(400);
        assertThat(call(ADMIN, "POST", "/v3/group_types", "not json").status()).isEqualTo(400);
        String dup = "dup-" + hex().substring(0, 6);
        assertThat(call(ADMIN, "POST", "/v3/group_types", "{\"group_type\": {\"name\": \"" + dup + "\"}}")
                .status()).isEqualTo(202);
        error(call(ADMIN, "POST", "/v3/group_types", "{\"group_type\": {\"name\": \"" + dup + "\"}}"), 409,
                "conflictingRequest", "Group Type " + dup + " already exists.");

        String id = call(ADMIN, "GET", "/v3/group_types?sort=name:asc", null).body().get("group_types").get(0)
                .get("id").stringValue();
        error(call(ADMIN, "PUT", "/v3/group_types/" + id, "{\"group_type\": {}}"), 400, "badRequest",
                "Specify group type name, description or a combination thereof.");
        error(call(ADMIN, "PUT", "/v3/group_types/" + id, "{\"group_type\": {\"name\": \"  \"}}"), 400,
                "badRequest", "Group type name can not be empty.");
        assertThat(call(member, "PUT", "/v3/group_types/" + id, "{\"group_type\": {\"description\": \"x\"}}")
                .status()).isEqualTo(403);
        assertThat(call(member, "DELETE", "/v3/group_types/" + id, null).status()).isEqualTo(403);
        error(call(ADMIN, "DELETE", "/v3/group_types/zzzzz", null), 404, "itemNotFound",
                "Group type zzzzz could not be found.");

        // No default_group_type configured: Cinder's message.
        error(call(ADMIN, "GET", "/v3/group_types/default", null), 404, "itemNotFound",
                "Default group type can not be found.");
    }
}
