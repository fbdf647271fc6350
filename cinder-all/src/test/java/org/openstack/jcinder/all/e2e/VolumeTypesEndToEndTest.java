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
 * Volume types, QoS specs, private types and encryption types through real HTTP against the all-in-one on real
 * PostgreSQL: Cinder's views (checked against Tempest's response schemas and key by key), codes and messages,
 * who sees what, and the retype refusals.
 */
class VolumeTypesEndToEndTest {

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
        all = SharedAllInOne.acquire(dir, "types-" + UUID.randomUUID().toString().substring(0, 8));
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

    static void schema(String file, String name, HttpJson.Response r) {
        assertThat(TempestSchema.problems(file, name, r)).as(name + ": " + r.raw()).isEmpty();
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

    static String createType(String body) {
        HttpJson.Response r = http.post(ADMIN, "/v3/types", body);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body().get("volume_type").get("id").stringValue();
    }

    static String volume(String token, String type) {
        HttpJson.Response r = http.post(token, "/v3/volumes", "{\"volume\": {\"size\": 1, \"volume_type\": \"" + type
                + "\"}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String id = r.body().get("volume").get("id").stringValue();
        Await.until("volume " + id + " available", () -> http.get(token, "/v3/volumes/" + id),
                v -> v.body().get("volume").get("status").stringValue().equals("available"));
        return id;
    }

    static void deleteVolume(String token, String id) {
        assertThat(http.delete(token, "/v3/volumes/" + id).status()).isEqualTo(202);
        Await.until("volume " + id + " gone", () -> http.get(ADMIN, "/v3/volumes/" + id), v -> v.status() == 404);
    }

    @Test
    void typeViewsAreCindersForEachCallAndCaller() {
        String name = "views-" + hex().substring(0, 6);
        HttpJson.Response created = http.post(ADMIN, "/v3/types", "{\"volume_type\": {\"name\": \"" + name
                + "\", \"description\": \"d\", \"extra_specs\": {\"volume_backend_name\": \"f1\", "
                + "\"multiattach\": \"<is> False\"}}}");
        schema("volume_types", "create_volume_type", created);
        JsonNode t = created.body().get("volume_type");
        assertThat(keys(t)).containsExactly("id", "name", "is_public", "extra_specs", "description",
                "os-volume-type-access:is_public");
        String id = t.get("id").stringValue();

        HttpJson.Response adminShow = http.get(ADMIN, "/v3/types/" + id);
        schema("volume_types", "show_volume_type", adminShow);
        assertThat(keys(adminShow.body().get("volume_type"))).containsExactly("id", "name", "is_public",
                "description", "extra_specs", "qos_specs_id", "os-volume-type-access:is_public");
        assertThat(adminShow.body().get("volume_type").get("qos_specs_id").isNull()).isTrue();

        // A project member: no qos_specs_id, only the user-visible extra specs.
        HttpJson.Response memberShow = http.get("alice:" + hex(), "/v3/types/" + id);
        schema("volume_types", "show_volume_type", memberShow);
        JsonNode mt = memberShow.body().get("volume_type");
        assertThat(keys(mt)).containsExactly("id", "name", "is_public", "description", "extra_specs",
                "os-volume-type-access:is_public");
        assertThat(keys(mt.get("extra_specs"))).containsExactly("multiattach");

        HttpJson.Response list = http.get("alice:" + hex(), "/v3/types");
        schema("volume_types", "list_volume_types", list);
        schema("volume_types", "list_volume_types", http.get(ADMIN, "/v3/types"));

        HttpJson.Response updated = http.put(ADMIN, "/v3/types/" + id, "{\"volume_type\": {\"description\": \"e\"}}");
        schema("volume_types", "update_volume_types", updated);
        assertThat(keys(updated.body().get("volume_type"))).containsExactly("id", "name", "is_public",
                "extra_specs", "description");
        assertThat(updated.body().get("volume_type").get("description").stringValue()).isEqualTo("e");

        schema("volume_types", "show_volume_type", http.get("bob:" + hex(), "/v3/types/default"));
        assertThat(http.get(ADMIN, "/v3/types/default").body().get("volume_type").get("name").stringValue())
                .isEqualTo("__DEFAULT__");

        // Extra specs: list, set, show one, update one, delete one.
        HttpJson.Response specs = http.get(ADMIN, "/v3/types/" + id + "/extra_specs");
        schema("volume_types", "list_volume_types_extra_specs", specs);
        assertThat(keys(specs.body().get("extra_specs"))).containsExactlyInAnyOrder("volume_backend_name",
                "multiattach");
        assertThat(keys(http.get("carl:" + hex(), "/v3/types/" + id + "/extra_specs").body().get("extra_specs")))
                .containsExactly("multiattach");
        HttpJson.Response set = http.post(ADMIN, "/v3/types/" + id + "/extra_specs",
                "{\"extra_specs\": {\"k1\": \"v1\"}}");
        schema("volume_types", "create_volume_types_extra_specs", set);
        assertThat(set.body().toString()).isEqualTo("{\"extra_specs\":{\"k1\":\"v1\"}}");
        HttpJson.Response one = http.get(ADMIN, "/v3/types/" + id + "/extra_specs/k1");
        schema("volume_types", "show_volume_types_extra_specs", one);
        assertThat(one.body().toString()).isEqualTo("{\"k1\":\"v1\"}");
        HttpJson.Response put = http.put(ADMIN, "/v3/types/" + id + "/extra_specs/k1", "{\"k1\": \"v2\"}");
        schema("volume_types", "update_volume_type_extra_specs", put);
        assertThat(put.body().toString()).isEqualTo("{\"k1\":\"v2\"}");
        schema("volume_types", "delete_volume_types_extra_specs",
                http.delete(ADMIN, "/v3/types/" + id + "/extra_specs/k1"));
        error(http.get(ADMIN, "/v3/types/" + id + "/extra_specs/k1"), 404, "itemNotFound",
                "Volume Type " + id + " has no extra specs with key k1.");
        // Non-admins may not see sensitive specs one by one either.
        error(http.get("carl:" + hex(), "/v3/types/" + id + "/extra_specs/volume_backend_name"), 404,
                "itemNotFound", "Volume Type " + id + " has no extra specs with key volume_backend_name.");

        schema("volume_types", "delete_volume_type", http.delete(ADMIN, "/v3/types/" + id));
        error(http.get(ADMIN, "/v3/types/" + id), 404, "itemNotFound", "Volume type " + id + " could not be found.");
    }

    @Test
    void typeChangesRefuseWhatCinderRefuses() {
        String name = "bad-" + hex().substring(0, 6);
        String id = createType("{\"volume_type\": {\"name\": \"" + name + "\"}}");
        error(http.post(ADMIN, "/v3/types", "{\"volume_type\": {\"name\": \"" + name + "\"}}"), 409, "conflictingRequest",
                "Volume Type " + name + " already exists.");
        error(http.post("alice:" + hex(), "/v3/types", "{\"volume_type\": {\"name\": \"x\"}}"), 403, "forbidden",
                "Policy doesn't allow volume_extension:type_create to be performed.");
        error(http.put("alice:" + hex(), "/v3/types/" + id, "{\"volume_type\": {\"name\": \"x\"}}"), 403,
                "forbidden", "Policy doesn't allow volume_extension:type_update to be performed.");
        error(http.delete("alice:" + hex(), "/v3/types/" + id), 403, "forbidden",
                "Policy doesn't allow volume_extension:type_delete to be performed.");
        error(http.post("alice:" + hex(), "/v3/types/" + id + "/extra_specs", "{\"extra_specs\": {\"a\": \"b\"}}"),
                403, "forbidden", "Policy doesn't allow volume_extension:types_extra_specs:create to be performed.");
        error(http.put(ADMIN, "/v3/types/" + id, "{\"volume_type\": {}}"), 400, "badRequest",
                "Specify volume type name, description, is_public or a combination thereof.");
        error(http.put(ADMIN, "/v3/types/" + id, "{\"volume_type\": {\"name\": \"  \"}}"), 400, "badRequest",
                "Volume type name can not be empty.");
        error(http.put(ADMIN, "/v3/types/" + id + "/extra_specs/a", "{\"b\": \"c\"}"), 400, "badRequest",
                "Request body and URI mismatch");
        assertThat(http.post(ADMIN, "/v3/types", "{\"volume_type\": {\"name\": \"y\", \"is_public\": true}}")
                .status()).isEqualTo(400);
        assertThat(http.post(ADMIN, "/v3/types", "{\"volume_type\": ").status()).isEqualTo(400);
        assertThat(http.post(ADMIN, "/v3/types", "{\"volume_type\": {\"name\": \"z\"}, \"extra\": 1}").status())
                .isEqualTo(400);
        assertThat(http.post(ADMIN, "/v3/types/" + id + "/extra_specs", "{\"extra_specs\": {\"a b\": \"c\"}}")
                .status()).isEqualTo(400);
        assertThat(http.post(ADMIN, "/v3/types/" + id + "/extra_specs", "{\"extra_specs\": {\"a\": 1}}")
                .status()).isEqualTo(400);
        String unknown = UUID.randomUUID().toString();
        error(http.get(ADMIN, "/v3/types/" + unknown + "/extra_specs"), 404, "itemNotFound",
                "Volume type " + unknown + " could not be found.");
        error(http.get(ADMIN, "/v3/types?is_public=maybe"), 400, "badRequest", "Invalid is_public filter [maybe]");

        // Extra specs are frozen while a volume has the type.
        String vol = volume(ADMIN, id);
        error(http.post(ADMIN, "/v3/types/" + id + "/extra_specs", "{\"extra_specs\": {\"a\": \"b\"}}"), 400,
                "badRequest", "Volume Type is currently in use.");
        error(http.delete(ADMIN, "/v3/types/" + id), 400, "badRequest", "Target volume type is still in use.");
        deleteVolume(ADMIN, vol);
    }

    @Test
    void typeListFiltersAsCinder() {
        String tag = hex().substring(0, 6);
        String multi = createType("{\"volume_type\": {\"name\": \"multi-" + tag + "\", \"extra_specs\": "
                + "{\"multiattach\": \"<is> True\", \"volume_backend_name\": \"f1-" + tag + "\"}}}");
        String member = "erin:" + hex();
        String specFilter = "/v3/types?extra_specs=%7B%27multiattach%27%3A%20%27%3Cis%3E%20True%27%7D";
        assertThat(http.send(member, "GET", specFilter, null, "3.52").body().toString()).contains(multi);
        // A sensitive spec in a non-admin's filter matches nothing; an admin may use it.
        String backendFilter = "/v3/types?extra_specs=%7B%27volume_backend_name%27%3A%27f1-" + tag + "%27%7D";
        assertThat(http.send(member, "GET", backendFilter, null, "3.52").body().get("volume_types")).isEmpty();
        JsonNode byBackend = http.send(ADMIN, "GET", backendFilter, null, "3.52").body().get("volume_types");
        assertThat(byBackend).hasSize(1);
        assertThat(byBackend.get(0).get("id").stringValue()).isEqualTo(multi);
        // Non-admins: other filters are dropped before 3.52 and refused from 3.52.
        assertThat(http.get(member, "/v3/types?name=nothing-like-it").body().get("volume_types")).isNotEmpty();
        error(http.send(member, "GET", "/v3/types?name=x", null, "3.52"), 400, "badRequest",
                "Invalid filters name are found in query options.");
        assertThat(http.get(ADMIN, "/v3/types?name=multi-" + tag).body().get("volume_types")).hasSize(1);
        assertThat(http.get(ADMIN, "/v3/types?colour=red").body().get("volume_types")).isEmpty();
    }

    @Test
    void projectDefaultTypesFromMicroversion362() {
        String project = hex();
        String member = "frank:" + project;
        String name = "proj-default-" + hex().substring(0, 6);
        String type = createType("{\"volume_type\": {\"name\": \"" + name + "\"}}");
        assertThat(http.get(ADMIN, "/v3/default-types").status()).isEqualTo(404);
        error(http.send(member, "PUT", "/v3/default-types/" + project, "{\"default_type\": {\"volume_type\": \""
                + name + "\"}}", "3.62"), 403, "forbidden", "You are not authorized to perform this operation.");
        error(http.send(ADMIN, "PUT", "/v3/default-types/" + project, "{\"default_type\": {\"volume_type\": "
                + "\"nope\"}}", "3.62"), 400, "badRequest", "Volume type with name nope could not be found.");

        HttpJson.Response set = http.send(ADMIN, "PUT", "/v3/default-types/" + project,
                "{\"default_type\": {\"volume_type\": \"" + name + "\"}}", "3.62");
        assertThat(set.status()).as(set.raw()).isEqualTo(200);
        String expected = "{\"default_type\":{\"project_id\":\"" + project + "\",\"volume_type_id\":\"" + type
                + "\"}}";
        assertThat(set.body().toString()).isEqualTo(expected);
        assertThat(http.send(ADMIN, "GET", "/v3/default-types/" + project, null, "3.62").body().toString())
                .isEqualTo(expected);
        assertThat(http.send(ADMIN, "GET", "/v3/default-types", null, "3.62").body().toString())
                .contains(expected.substring(16, expected.length() - 1));
        // The project's volumes and its GET /types/default use it.
        assertThat(http.get(member, "/v3/types/default").body().get("volume_type").get("id").stringValue())
                .isEqualTo(type);
        String vol = http.post(member, "/v3/volumes", "{\"volume\": {\"size\": 1}}").body().get("volume")
                .get("id").stringValue();
        assertThat(http.get(member, "/v3/volumes/" + vol).body().get("volume").get("volume_type").stringValue())
                .isEqualTo(name);
        error(http.delete(ADMIN, "/v3/types/" + type), 400, "badRequest",
                "The volume type " + type + " is a default volume type and cannot be deleted.");
        String confDefault = http.get(ADMIN, "/v3/types/default").body().get("volume_type").get("id").stringValue();
        error(http.delete(ADMIN, "/v3/types/" + confDefault), 400, "badRequest",
                "The volume type " + confDefault + " is a default volume type and cannot be deleted.");

        assertThat(http.send(ADMIN, "DELETE", "/v3/default-types/" + project, null, "3.62").status()).isEqualTo(204);
        error(http.send(ADMIN, "GET", "/v3/default-types/" + project, null, "3.62"), 404, "itemNotFound",
                "Default type for project " + project + " not found.");
        assertThat(http.get(member, "/v3/types/default").body().get("volume_type").get("id").stringValue())
                .isEqualTo(confDefault);
        Await.until("volume " + vol + " available", () -> http.get(member, "/v3/volumes/" + vol),
                v -> v.body().get("volume").get("status").stringValue().equals("available"));
        deleteVolume(member, vol);
    }

    @Test
    void qosSpecsLifecycleAndAssociations() {
        String name = "qos-" + hex().substring(0, 6);
        HttpJson.Response created = http.post(ADMIN, "/v3/qos-specs", "{\"qos_specs\": {\"name\": \"" + name
                + "\", \"consumer\": \"front-end\", \"total_iops_sec\": \"500\"}}");
        assertThat(created.status()).as(created.raw()).isEqualTo(200);
        schema("qos", "show_qos", created);
        JsonNode q = created.body().get("qos_specs");
        String qid = q.get("id").stringValue();
        assertThat(keys(created.body())).containsExactly("qos_specs", "links");
        assertThat(keys(q)).containsExactly("id", "name", "consumer", "specs");
        assertThat(q.get("consumer").stringValue()).isEqualTo("front-end");
        assertThat(q.get("specs").toString()).isEqualTo("{\"total_iops_sec\":\"500\"}");
        assertThat(created.body().get("links").get(0).get("href").stringValue()).endsWith("/qos-specs/" + qid);

        schema("qos", "show_qos", http.get(ADMIN, "/v3/qos-specs/" + qid));
        HttpJson.Response list = http.get(ADMIN, "/v3/qos-specs");
        schema("qos", "list_qos", list);
        assertThat(list.body().get("qos_specs").toString()).contains(qid);

        HttpJson.Response set = http.put(ADMIN, "/v3/qos-specs/" + qid,
                "{\"qos_specs\": {\"read_iops_sec\": \"100\", \"write_iops_sec\": \"50\", \"consumer\": \"both\"}}");
        schema("qos", "set_qos_key", set);
        assertThat(set.body().toString())
                .isEqualTo("{\"qos_specs\":{\"read_iops_sec\":\"100\",\"write_iops_sec\":\"50\",\"consumer\":\"both\"}}");
        schema("qos", "unset_qos_key", http.put(ADMIN, "/v3/qos-specs/" + qid + "/delete_keys",
                "{\"keys\": [\"write_iops_sec\"]}"));
        JsonNode shown = http.get(ADMIN, "/v3/qos-specs/" + qid).body().get("qos_specs");
        assertThat(shown.get("consumer").stringValue()).isEqualTo("both");
        assertThat(keys(shown.get("specs"))).containsExactlyInAnyOrder("total_iops_sec", "read_iops_sec");
        error(http.put(ADMIN, "/v3/qos-specs/" + qid + "/delete_keys", "{\"keys\": [\"read_iops_sec\", \"nope\"]}"),
                404, "itemNotFound", "QoS spec " + qid + " has no spec with key nope.");
        // Cinder keeps the keys deleted before the missing one.
        assertThat(keys(http.get(ADMIN, "/v3/qos-specs/" + qid).body().get("qos_specs").get("specs")))
                .containsExactly("total_iops_sec");

        String typeName = "qos-type-" + hex().substring(0, 6);
        String type = createType("{\"volume_type\": {\"name\": \"" + typeName + "\"}}");
        schema("qos", "associate_qos", http.get(ADMIN, "/v3/qos-specs/" + qid + "/associate?vol_type_id=" + type));
        HttpJson.Response assoc = http.get(ADMIN, "/v3/qos-specs/" + qid + "/associations");
        schema("qos", "show_association_qos", assoc);
        assertThat(assoc.body().toString()).isEqualTo("{\"qos_associations\":[{\"association_type\":\"volume_type\","
                + "\"name\":\"" + typeName + "\",\"id\":\"" + type + "\"}]}");
        assertThat(http.get(ADMIN, "/v3/types/" + type).body().get("volume_type").get("qos_specs_id").stringValue())
                .isEqualTo(qid);

        String other = http.post(ADMIN, "/v3/qos-specs", "{\"qos_specs\": {\"name\": \"other-" + name + "\"}}").body()
                .get("qos_specs").get("id").stringValue();
        assertThat(http.get(ADMIN, "/v3/qos-specs/" + other).body().get("qos_specs").get("consumer").stringValue())
                .isEqualTo("back-end");
        error(http.get(ADMIN, "/v3/qos-specs/" + other + "/associate?vol_type_id=" + type), 400, "badRequest",
                "Invalid volume type: Type " + type + " is already associated with another qos specs: " + qid);
        error(http.get(ADMIN, "/v3/qos-specs/" + qid + "/associate"), 400, "badRequest",
                "Volume Type id must not be None.");
        String missingType = UUID.randomUUID().toString();
        error(http.get(ADMIN, "/v3/qos-specs/" + qid + "/associate?vol_type_id=" + missingType), 404,
                "itemNotFound", "Volume type " + missingType + " could not be found.");
        error(http.delete(ADMIN, "/v3/qos-specs/" + qid), 400, "badRequest", "Qos specs still in use.");
        error(http.delete(ADMIN, "/v3/qos-specs/" + qid + "?force=perhaps"), 400, "badRequest",
                "Value 'perhaps' for 'force' is not a boolean.");

        schema("qos", "disassociate_qos",
                http.get(ADMIN, "/v3/qos-specs/" + qid + "/disassociate?vol_type_id=" + type));
        assertThat(http.get(ADMIN, "/v3/qos-specs/" + qid + "/associations").body().get("qos_associations"))
                .isEmpty();
        http.get(ADMIN, "/v3/qos-specs/" + qid + "/associate?vol_type_id=" + type);
        schema("qos", "disassociate_all_qos", http.get(ADMIN, "/v3/qos-specs/" + qid + "/disassociate_all"));
        assertThat(http.get(ADMIN, "/v3/types/" + type).body().get("volume_type").get("qos_specs_id").isNull())
                .isTrue();
        http.get(ADMIN, "/v3/qos-specs/" + qid + "/associate?vol_type_id=" + type);
        schema("qos", "delete_qos", http.delete(ADMIN, "/v3/qos-specs/" + qid + "?force=true"));
        assertThat(http.get(ADMIN, "/v3/types/" + type).body().get("volume_type").get("qos_specs_id").isNull())
                .isTrue();
        error(http.get(ADMIN, "/v3/qos-specs/" + qid), 404, "itemNotFound", "No such QoS spec " + qid + ".");
        http.delete(ADMIN, "/v3/qos-specs/" + other);
    }

    @Test
    void qosSpecsRefuseBadInputAndNonAdmins() {
        String name = "dup-" + hex().substring(0, 6);
        assertThat(http.post(ADMIN, "/v3/qos-specs", "{\"qos_specs\": {\"name\": \"" + name + "\"}}").status())
                .isEqualTo(200);
        error(http.post(ADMIN, "/v3/qos-specs", "{\"qos_specs\": {\"name\": \"" + name + "\"}}"), 409, "conflictingRequest",
                "QoS Specs " + name + " already exists.");
        HttpJson.Response consumer = http.post(ADMIN, "/v3/qos-specs",
                "{\"qos_specs\": {\"name\": \"c-" + name + "\", \"consumer\": \"hypervisor\"}}");
        assertThat(consumer.status()).isEqualTo(400);
        assertThat(consumer.body().get("badRequest").get("message").stringValue())
                .startsWith("Invalid qos specs: Valid consumer of QoS specs are: ")
                .contains("'back-end', 'front-end', 'both'");
        assertThat(http.post(ADMIN, "/v3/qos-specs", "{\"qos_specs\": {\"consumer\": \"both\"}}").status())
                .isEqualTo(400);
        assertThat(http.post(ADMIN, "/v3/qos-specs", "{\"qos_specs\": [").status()).isEqualTo(400);
        assertThat(http.put(ADMIN, "/v3/qos-specs/x/delete_keys", "{\"keys\": \"a\"}").status()).isEqualTo(400);
        String missing = UUID.randomUUID().toString();
        error(http.get(ADMIN, "/v3/qos-specs/" + missing), 404, "itemNotFound", "No such QoS spec " + missing + ".");
        error(http.put(ADMIN, "/v3/qos-specs/" + missing, "{\"qos_specs\": {\"a\": \"b\"}}"), 404, "itemNotFound",
                "No such QoS spec " + missing + ".");
        error(http.delete(ADMIN, "/v3/qos-specs/" + missing), 404, "itemNotFound",
                "No such QoS spec " + missing + ".");
        String member = "alice:" + hex();
        error(http.get(member, "/v3/qos-specs"), 403, "forbidden",
                "Policy doesn't allow volume_extension:qos_specs_manage:get_all to be performed.");
        error(http.post(member, "/v3/qos-specs", "{\"qos_specs\": {\"name\": \"m\"}}"), 403, "forbidden",
                "Policy doesn't allow volume_extension:qos_specs_manage:create to be performed.");
        error(http.get(member, "/v3/qos-specs/" + missing + "/associate?vol_type_id=x"), 403, "forbidden",
                "Policy doesn't allow volume_extension:qos_specs_manage:update to be performed.");
    }

    @Test
    void privateTypesAreVisibleOnlyToProjectsWithAccess() {
        String projectA = hex();
        String projectB = hex();
        String alice = "alice:" + projectA;
        String bob = "bob:" + projectB;
        String name = "private-" + hex().substring(0, 6);
        HttpJson.Response created = http.post(ADMIN, "/v3/types", "{\"volume_type\": {\"name\": \"" + name
                + "\", \"os-volume-type-access:is_public\": false}}");
        schema("volume_types", "create_volume_type", created);
        assertThat(created.body().get("volume_type").get("is_public").booleanValue()).isFalse();
        String id = created.body().get("volume_type").get("id").stringValue();

        error(http.get(alice, "/v3/types/" + id), 404, "itemNotFound", "Volume type " + id + " could not be found.");
        assertThat(http.get(alice, "/v3/types").body().toString()).doesNotContain(id);
        error(http.post(alice, "/v3/volumes", "{\"volume\": {\"size\": 1, \"volume_type\": \"" + id + "\"}}"), 404,
                "itemNotFound", "Volume type " + id + " could not be found.");
        error(http.post(alice, "/v3/volumes", "{\"volume\": {\"size\": 1, \"volume_type\": \"" + name + "\"}}"),
                404, "itemNotFound", "Volume type with name " + name + " could not be found.");
        // Admins: public types by default, private ones with is_public=false, all with is_public=None.
        assertThat(http.get(ADMIN, "/v3/types").body().toString()).doesNotContain(id);
        assertThat(http.get(ADMIN, "/v3/types?is_public=false").body().toString()).contains(id)
                .doesNotContain("__DEFAULT__");
        assertThat(http.get(ADMIN, "/v3/types?is_public=None").body().toString()).contains(id).contains("__DEFAULT__");
        assertThat(http.get(ADMIN, "/v3/types/" + id).status()).isEqualTo(200);

        schema("volume_types", "add_type_access", http.post(ADMIN, "/v3/types/" + id + "/action",
                "{\"addProjectAccess\": {\"project\": \"" + projectA + "\"}}"));
        HttpJson.Response access = http.get(ADMIN, "/v3/types/" + id + "/os-volume-type-access");
        schema("volume_types", "list_type_access", access);
        assertThat(access.body().toString()).isEqualTo("{\"volume_type_access\":[{\"volume_type_id\":\"" + id
                + "\",\"project_id\":\"" + projectA + "\"}]}");
        error(http.post(ADMIN, "/v3/types/" + id + "/action", "{\"addProjectAccess\": {\"project\": \"" + projectA
                + "\"}}"), 409, "conflictingRequest", "Volume type access for " + id + " / " + projectA
                + " combination already exists.");

        assertThat(http.get(alice, "/v3/types/" + id).status()).isEqualTo(200);
        assertThat(http.get(alice, "/v3/types").body().toString()).contains(id);
        String vol = volume(alice, id);
        assertThat(http.get(bob, "/v3/types/" + id).status()).isEqualTo(404);
        assertThat(http.get(bob, "/v3/types").body().toString()).doesNotContain(id);

        error(http.get(alice, "/v3/types/" + id + "/os-volume-type-access"), 403, "forbidden",
                "Policy doesn't allow volume_extension:volume_type_access:get_all_for_type to be performed.");
        error(http.post(alice, "/v3/types/" + id + "/action", "{\"addProjectAccess\": {\"project\": \"" + projectB
                + "\"}}"), 403, "forbidden",
                "Policy doesn't allow volume_extension:volume_type_access:addProjectAccess to be performed.");
        assertThat(http.post(ADMIN, "/v3/types/" + id + "/action", "{\"addProjectAccess\": {}}").status())
                .isEqualTo(400);
        error(http.post(ADMIN, "/v3/types/" + id + "/action", "{\"removeProjectAccess\": {\"project\": \""
                + projectB + "\"}}"), 404, "itemNotFound", "Volume type access not found for " + id + " / "
                + projectB + " combination.");
        schema("volume_types", "remove_type_access", http.post(ADMIN, "/v3/types/" + id + "/action",
                "{\"removeProjectAccess\": {\"project\": \"" + projectA + "\"}}"));
        assertThat(http.get(alice, "/v3/types/" + id).status()).isEqualTo(404);

        String unknown = UUID.randomUUID().toString();
        error(http.post(ADMIN, "/v3/types/" + unknown + "/action", "{\"addProjectAccess\": {\"project\": \"p\"}}"),
                404, "itemNotFound", "Volume type " + unknown + " could not be found.");
        String publicType = createType("{\"volume_type\": {\"name\": \"pub-" + name + "\"}}");
        error(http.get(ADMIN, "/v3/types/" + publicType + "/os-volume-type-access"), 404, "itemNotFound",
                "Access list not available for public volume types.");
        error(http.post(ADMIN, "/v3/types/" + publicType + "/action", "{\"addProjectAccess\": {\"project\": \"p\"}}"),
                400, "badRequest", "Invalid volume type: Type access modification is not applicable to public "
                        + "volume type.");
        deleteVolume(alice, vol);
    }

    @Test
    void encryptionTypesAndTheirRules() {
        String id = createType("{\"volume_type\": {\"name\": \"luks-" + hex().substring(0, 6) + "\"}}");
        HttpJson.Response empty = http.get(ADMIN, "/v3/types/" + id + "/encryption");
        schema("encryption_types", "show_encryption_type", empty);
        assertThat(empty.body().toString()).isEqualTo("{}");

        HttpJson.Response created = http.post(ADMIN, "/v3/types/" + id + "/encryption", "{\"encryption\": "
                + "{\"provider\": \"luks\", \"control_location\": \"front-end\", \"cipher\": \"aes-xts-plain64\", "
                + "\"key_size\": \"256\"}}");
        schema("encryption_types", "create_encryption_type", created);
        JsonNode e = created.body().get("encryption");
        assertThat(keys(e)).containsExactly("provider", "control_location", "cipher", "key_size", "volume_type_id",
                "encryption_id");
        assertThat(e.get("key_size").intValue()).isEqualTo(256);
        String encryptionId = e.get("encryption_id").stringValue();

        HttpJson.Response shown = http.get(ADMIN, "/v3/types/" + id + "/encryption");
        schema("encryption_types", "show_encryption_type", shown);
        assertThat(keys(shown.body())).containsExactlyInAnyOrder("volume_type_id", "encryption_id", "cipher",
                "key_size", "provider", "control_location", "created_at", "updated_at", "deleted_at", "deleted");
        HttpJson.Response item = http.get(ADMIN, "/v3/types/" + id + "/encryption/provider");
        schema("encryption_types", "show_encryption_specs_item", item);
        assertThat(item.body().toString()).isEqualTo("{\"provider\":\"luks\"}");
        error(http.get(ADMIN, "/v3/types/" + id + "/encryption/colour"), 404, "itemNotFound",
                "Volume type encryption for type " + id + " does not exist.");
        error(http.post(ADMIN, "/v3/types/" + id + "/encryption", "{\"encryption\": {\"provider\": \"luks\", "
                + "\"control_location\": \"front-end\"}}"), 400, "badRequest",
                "Volume type encryption for type " + id + " already exists.");
        HttpJson.Response updated = http.put(ADMIN, "/v3/types/" + id + "/encryption/" + encryptionId,
                "{\"encryption\": {\"key_size\": 512}}");
        schema("encryption_types", "update_encryption_type", updated);
        assertThat(updated.body().toString()).isEqualTo("{\"encryption\":{\"key_size\":512}}");
        assertThat(http.get(ADMIN, "/v3/types/" + id + "/encryption").body().get("key_size").intValue())
                .isEqualTo(512);
        assertThat(http.post(ADMIN, "/v3/types/" + id + "/encryption", "{\"encryption\": {\"provider\": \"luks\", "
                + "\"control_location\": \"middle\"}}").status()).isEqualTo(400);
        error(http.get("alice:" + hex(), "/v3/types/" + id + "/encryption"), 403, "forbidden",
                "Policy doesn't allow volume_extension:volume_type_encryption:get to be performed.");

        // A volume of the type is encrypted, and the spec is frozen while it exists.
        String plain = createType("{\"volume_type\": {\"name\": \"plain-" + hex().substring(0, 6) + "\"}}");
        String vol = volume(ADMIN, id);
        assertThat(http.get(ADMIN, "/v3/volumes/" + vol).body().get("volume").get("encrypted").booleanValue())
                .isTrue();
        error(http.put(ADMIN, "/v3/types/" + id + "/encryption/" + encryptionId, "{\"encryption\": "
                + "{\"key_size\": 128}}"), 400, "badRequest", "Cannot update encryption specs. Volume type in use.");
        error(http.delete(ADMIN, "/v3/types/" + id + "/encryption/" + encryptionId), 400, "badRequest",
                "Cannot delete encryption specs. Volume type in use.");
        HttpJson.Response retype = http.post(ADMIN, "/v3/volumes/" + vol + "/action",
                "{\"os-retype\": {\"new_type\": \"" + plain + "\", \"migration_policy\": \"on-demand\"}}");
        assertThat(retype.status()).as(retype.raw()).isEqualTo(400);
        assertThat(retype.body().get("badRequest").get("message").stringValue())
                .contains("Retype between volume types with different encryption is not supported");
        assertThat(http.get(ADMIN, "/v3/volumes/" + vol).body().get("volume").get("status").stringValue())
                .isEqualTo("available");
        String plainVol = volume(ADMIN, plain);
        assertThat(http.get(ADMIN, "/v3/volumes/" + plainVol).body().get("volume").get("encrypted").booleanValue())
                .isFalse();
        assertThat(http.post(ADMIN, "/v3/volumes/" + plainVol + "/action", "{\"os-retype\": {\"new_type\": \"" + id
                + "\"}}").status()).isEqualTo(400);
        deleteVolume(ADMIN, vol);
        deleteVolume(ADMIN, plainVol);

        schema("encryption_types", "delete_encryption_type",
                http.delete(ADMIN, "/v3/types/" + id + "/encryption/" + encryptionId));
        assertThat(http.get(ADMIN, "/v3/types/" + id + "/encryption").body().toString()).isEqualTo("{}");
        error(http.delete(ADMIN, "/v3/types/" + id + "/encryption/" + encryptionId), 404, "itemNotFound",
                "Volume type encryption for type " + id + " does not exist.");
    }

    @Test
    void inUseRetypeMayNotChangeFrontEndQos() {
        String frontEnd = http.post(ADMIN, "/v3/qos-specs", "{\"qos_specs\": {\"name\": \"fe-" + hex().substring(0, 6)
                + "\", \"consumer\": \"front-end\", \"total_iops_sec\": \"100\"}}").body().get("qos_specs").get("id")
                .stringValue();
        String from = createType("{\"volume_type\": {\"name\": \"from-" + hex().substring(0, 6) + "\"}}");
        String to = createType("{\"volume_type\": {\"name\": \"to-" + hex().substring(0, 6) + "\"}}");
        http.get(ADMIN, "/v3/qos-specs/" + frontEnd + "/associate?vol_type_id=" + to);
        String vol = volume(ADMIN, from);
        assertThat(http.post(ADMIN, "/v3/volumes/" + vol + "/action", "{\"os-reserve\": {}}").status())
                .isEqualTo(202);
        HttpJson.Response attach = http.post(ADMIN, "/v3/volumes/" + vol + "/action", "{\"os-attach\": "
                + "{\"instance_uuid\": \"" + UUID.randomUUID() + "\", \"mountpoint\": \"/dev/vdb\"}}");
        assertThat(attach.status()).as(attach.raw()).isEqualTo(202);
        assertThat(http.get(ADMIN, "/v3/volumes/" + vol).body().get("volume").get("status").stringValue())
                .isEqualTo("in-use");
        error(http.post(ADMIN, "/v3/volumes/" + vol + "/action", "{\"os-retype\": {\"new_type\": \"" + to + "\"}}"),
                400, "badRequest", "Invalid volume: Retype needs volume to be in available or in-use state, not be "
                        + "part of an active migration or a consistency group, requested type has to be different "
                        + "that the one from the volume, and for in-use volumes front-end qos specs cannot change.");
        assertThat(http.get(ADMIN, "/v3/volumes/" + vol).body().get("volume").get("volume_type").stringValue())
                .startsWith("from-");

        // An available volume may change front-end QoS: the hypervisor picks them up at the next attach.
        String available = volume(ADMIN, from);
        HttpJson.Response retype = http.post(ADMIN, "/v3/volumes/" + available + "/action",
                "{\"os-retype\": {\"new_type\": \"" + to + "\"}}");
        assertThat(retype.status()).as(retype.raw()).isEqualTo(202);
        Await.until("volume " + available + " retyped", () -> http.get(ADMIN, "/v3/volumes/" + available),
                v -> v.body().get("volume").get("volume_type").stringValue().startsWith("to-")
                        && v.body().get("volume").get("status").stringValue().equals("available"));
    }
}
