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
import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.SnapshotRepository;
import org.openstack.jcinder.common.db.TransferEntity;
import org.openstack.jcinder.common.db.TransferRepository;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.HttpJson;
import org.openstack.jcinder.testsupport.TestServices;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;

/**
 * Volume transfers end to end (all-in-one, real PostgreSQL and RabbitMQ, one file backend): both APIs
 * ({@code os-volume-transfer} and {@code volume-transfers}) at the microversions that change their views,
 * checked against Tempest's schemas; the volume and its quota usage moving to the accepting project; Cinder's
 * codes and messages for a wrong key, another project, a volume not available, a full quota, bad bodies; and
 * an operator's rule (policy.yaml) refusing one user the accept.
 */
class TransfersEndToEndTest {

    private static final String ADMIN = "admin:admin";

    @TempDir
    static Path dir;
    static ConfigurableApplicationContext all;
    static HttpJson http;
    static TransferRepository transfers;
    static String host;

    @BeforeAll
    static void start() throws Exception {
        host = "xfer-" + UUID.randomUUID().toString().substring(0, 8);
        Path conf = OneFileBackend.conf(dir, host, TestServices.freshDatabase());
        // One user may not accept (an operator's rule on top of Cinder's default).
        Files.writeString(conf.resolveSibling("policy.yaml"),
                "\"volume:accept_transfer\": \"not user_id:intruder and rule:xena_system_admin_or_project_member\"\n");
        all = CinderAllApplication.start(new String[] {"--config-file", conf.toString(), "--data-dir",
                dir.resolve("data").toString()});
        http = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) all).getWebServer().getPort());
        transfers = all.getBean(TransferRepository.class);
        Await.until("the pool", () -> http.get(ADMIN, "/v3/scheduler-stats/get_pools"),
                r -> r.status() == 200 && r.body().get("pools").size() == 1);
    }

    @AfterAll
    static void stop() {
        all.close();
    }

    private static String project() {
        return "p" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static String volume(String token, int size) {
        HttpJson.Response r = http.post(token, "/v3/volumes", "{\"volume\": {\"size\": " + size + "}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String id = r.body().get("volume").get("id").stringValue();
        status(token, id, "available");
        return id;
    }

    private static JsonNode status(String token, String id, String status) {
        return Await.until("volume " + id + " " + status, () -> http.get(token, "/v3/volumes/" + id),
                r -> r.status() == 200 && status.equals(r.body().get("volume").get("status").stringValue()))
                .body().get("volume");
    }

    private static HttpJson.Response send(String token, String method, String path, String body, String version) {
        return http.send(token, method, path, body, version);
    }

    private static void schema(String file, String name, HttpJson.Response r) {
        assertThat(TempestSchemas.check(TempestSchemas.load(file, name), r)).as(name + " " + file + ": " + r.raw())
                .isEmpty();
    }

    private static void error(HttpJson.Response r, int code, String message) {
        String kind = switch (code) {
            case 400 -> "badRequest";
            case 403 -> "forbidden";
            case 404 -> "itemNotFound";
            case 413 -> "overLimit";
            default -> throw new IllegalArgumentException();
        };
        assertThat(r.status()).as(r.raw()).isEqualTo(code);
        assertThat(r.body().get(kind).get("code").asInt()).as(r.raw()).isEqualTo(code);
        assertThat(r.body().get(kind).get("message").stringValue()).as(r.raw()).isEqualTo(message);
    }

    private static int inUse(String project, String resource) {
        HttpJson.Response r = http.get(ADMIN, "/v3/admin/os-quota-sets/" + project + "?usage=true");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body().get("quota_set").get(resource).get("in_use").asInt();
    }

    @Test
    void legacyApiCreateListShowAcceptMovesTheVolumeAndItsQuota() {
        String donor = project();
        String receiver = project();
        String alice = "alice:" + donor;
        String bob = "bob:" + receiver;
        String vol = volume(alice, 2);
        assertThat(inUse(donor, "gigabytes")).isEqualTo(2);

        HttpJson.Response created = http.post(alice, "/v3/" + donor + "/os-volume-transfer",
                "{\"transfer\": {\"volume_id\": \"" + vol + "\", \"name\": \"  gift  \"}}");
        schema("transfers-3.0.json", "create_volume_transfer", created);
        JsonNode t = created.body().get("transfer");
        String id = t.get("id").stringValue();
        String key = t.get("auth_key").stringValue();
        assertThat(key).matches("[0-9a-f]{16}");
        assertThat(t.get("name").stringValue()).isEqualTo("gift");
        assertThat(t.get("links").get(0).get("href").stringValue()).endsWith("/v3/" + donor
                + "/os-volume-transfer/" + id);
        assertThat(status(alice, vol, "awaiting-transfer").get("status").stringValue()).isEqualTo("awaiting-transfer");
        // Only the salted hash is stored.
        TransferEntity row = transfers.findById(id).orElseThrow();
        assertThat(row.getCryptHash()).hasSize(40).isNotEqualTo(key);
        assertThat(row.getSalt()).hasSize(8);

        HttpJson.Response list = http.get(alice, "/v3/" + donor + "/os-volume-transfer");
        schema("transfers-3.0.json", "list_volume_transfers_no_detail", list);
        assertThat(list.body().get("transfers")).hasSize(1);
        HttpJson.Response detail = http.get(alice, "/v3/" + donor + "/os-volume-transfer/detail");
        schema("transfers-3.0.json", "list_volume_transfers_with_detail", detail);
        HttpJson.Response shown = http.get(alice, "/v3/" + donor + "/os-volume-transfer/" + id);
        schema("transfers-3.0.json", "show_volume_transfer", shown);
        assertThat(shown.body().get("transfer").get("volume_id").stringValue()).isEqualTo(vol);
        assertThat(shown.body().get("transfer").has("auth_key")).isFalse();

        // The receiver cannot see it, nor delete it; an awaiting volume cannot be deleted.
        error(http.get(bob, "/v3/" + receiver + "/os-volume-transfer/" + id), 404,
                "Transfer " + id + " could not be found.");
        error(http.delete(bob, "/v3/" + receiver + "/os-volume-transfer/" + id), 404,
                "Transfer " + id + " could not be found.");
        assertThat(http.get(bob, "/v3/" + receiver + "/os-volume-transfer").body().get("transfers")).isEmpty();
        assertThat(http.delete(alice, "/v3/" + donor + "/volumes/" + vol).status()).isEqualTo(400);

        // A wrong key changes nothing.
        error(http.post(bob, "/v3/" + receiver + "/os-volume-transfer/" + id + "/accept",
                "{\"accept\": {\"auth_key\": \"0000000000000000\"}}"), 400,
                "Invalid auth key: Attempt to transfer " + id + " with invalid auth key.");
        assertThat(status(alice, vol, "awaiting-transfer")).isNotNull();

        HttpJson.Response accepted = http.post(bob, "/v3/" + receiver + "/os-volume-transfer/" + id + "/accept",
                "{\"accept\": {\"auth_key\": \"" + key + "\"}}");
        schema("transfers-3.0.json", "accept_volume_transfer", accepted);
        assertThat(accepted.body().get("transfer").get("volume_id").stringValue()).isEqualTo(vol);

        JsonNode moved = status(bob, vol, "available");
        assertThat(http.get(ADMIN, "/v3/admin/volumes/" + vol).body().get("volume")
                .get("os-vol-tenant-attr:tenant_id").stringValue()).isEqualTo(receiver);
        assertThat(moved.get("user_id").stringValue()).isEqualTo("bob");
        assertThat(http.get(alice, "/v3/" + donor + "/volumes/" + vol).status()).isEqualTo(404);
        assertThat(inUse(donor, "gigabytes")).isZero();
        assertThat(inUse(donor, "volumes")).isZero();
        assertThat(inUse(receiver, "gigabytes")).isEqualTo(2);
        assertThat(inUse(receiver, "volumes")).isEqualTo(1);

        // The transfer is over: gone from lists and show, a second accept is a 404.
        error(http.get(alice, "/v3/" + donor + "/os-volume-transfer/" + id), 404,
                "Transfer " + id + " could not be found.");
        error(http.post(bob, "/v3/" + receiver + "/os-volume-transfer/" + id + "/accept",
                "{\"accept\": {\"auth_key\": \"" + key + "\"}}"), 404, "Transfer " + id + " could not be found.");
        TransferEntity closed = transfers.findById(id).orElseThrow();
        assertThat(closed.isDeleted()).isTrue();
        assertThat(closed.isAccepted()).isTrue();
        assertThat(closed.getDestinationProjectId()).isEqualTo(receiver);
        // The receiver may delete its new volume.
        assertThat(http.delete(bob, "/v3/" + receiver + "/volumes/" + vol).status()).isEqualTo(202);
    }

    @Test
    void v3ApiViewsFollowTheMicroversion() {
        String donor = project();
        String alice = "alice:" + donor;
        String vol = volume(alice, 1);
        HttpJson.Response created = send(alice, "POST", "/v3/" + donor + "/volume-transfers",
                "{\"transfer\": {\"volume_id\": \"" + vol + "\", \"no_snapshots\": true}}", "3.57");
        schema("transfers-3.57.json", "create_volume_transfer", created);
        JsonNode t = created.body().get("transfer");
        String id = t.get("id").stringValue();
        assertThat(t.get("no_snapshots").booleanValue()).isTrue();
        assertThat(t.get("accepted").booleanValue()).isFalse();
        assertThat(t.get("source_project_id").stringValue()).isEqualTo(donor);
        assertThat(t.get("destination_project_id").isNull()).isTrue();
        assertThat(t.get("name").isNull()).isTrue();

        for (String[] v : new String[][] {{"3.0", "transfers-3.0.json"}, {"3.55", "transfers-3.55.json"},
                {"3.57", "transfers-3.57.json"}, {"3.70", "transfers-3.57.json"}}) {
            HttpJson.Response show = send(alice, "GET", "/v3/" + donor + "/volume-transfers/" + id, null, v[0]);
            schema(v[1], "show_volume_transfer", show);
            HttpJson.Response detail = send(alice, "GET", "/v3/" + donor + "/volume-transfers/detail", null, v[0]);
            schema(v[1], "list_volume_transfers_with_detail", detail);
            HttpJson.Response index = send(alice, "GET", "/v3/" + donor + "/volume-transfers", null, v[0]);
            schema(v[1], "list_volume_transfers_no_detail", index);
        }
        assertThat(send(alice, "GET", "/v3/" + donor + "/volume-transfers/" + id, null, "3.54").body()
                .get("transfer").has("no_snapshots")).isFalse();
        assertThat(send(alice, "GET", "/v3/" + donor + "/volume-transfers/" + id, null, "3.56").body()
                .get("transfer").has("accepted")).isFalse();

        // no_snapshots is refused before 3.55 and on the legacy API, as Cinder's schema does.
        error(send(alice, "POST", "/v3/" + donor + "/volume-transfers",
                "{\"transfer\": {\"volume_id\": \"" + vol + "\", \"no_snapshots\": true}}", "3.54"), 400,
                "Invalid input received: Additional properties are not allowed ('no_snapshots' was unexpected)");
        // The volume is no longer available.
        error(send(alice, "POST", "/v3/" + donor + "/volume-transfers",
                "{\"transfer\": {\"volume_id\": \"" + vol + "\"}}", "3.57"), 400,
                "Invalid volume: status must be available");

        HttpJson.Response deleted = send(alice, "DELETE", "/v3/" + donor + "/volume-transfers/" + id, null, "3.57");
        schema("transfers-3.57.json", "delete_volume_transfer", deleted);
        status(alice, vol, "available");
        error(send(alice, "GET", "/v3/" + donor + "/volume-transfers/" + id, null, "3.57"), 404,
                "Transfer " + id + " could not be found.");
        TransferEntity closed = transfers.findById(id).orElseThrow();
        assertThat(closed.isDeleted()).isTrue();
        assertThat(closed.isAccepted()).isFalse();
    }

    @Test
    void v3ListsFilterSortAndPageFrom359() {
        String donor = project();
        String alice = "alice:" + donor;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String vol = volume(alice, 1);
            HttpJson.Response r = send(alice, "POST", "/v3/" + donor + "/volume-transfers",
                    "{\"transfer\": {\"volume_id\": \"" + vol + "\", \"name\": \"t" + i + "\"}}", "3.59");
            assertThat(r.status()).as(r.raw()).isEqualTo(202);
            ids.add(r.body().get("transfer").get("id").stringValue());
        }
        String base = "/v3/" + donor + "/volume-transfers";
        // Before 3.59: oldest first.
        assertThat(names(send(alice, "GET", base, null, "3.58"))).containsExactly("t0", "t1", "t2");
        // From 3.59: newest first by default, sort and marker.
        assertThat(names(send(alice, "GET", base, null, "3.59"))).containsExactly("t2", "t1", "t0");
        assertThat(names(send(alice, "GET", base + "?sort=display_name:asc", null, "3.59")))
                .containsExactly("t0", "t1", "t2");
        HttpJson.Response page = send(alice, "GET", base + "?sort=display_name:asc&limit=2", null, "3.59");
        assertThat(names(page)).containsExactly("t0", "t1");
        assertThat(page.body().get("transfers_links").get(0).get("href").stringValue()).contains("marker=" + ids.get(1));
        assertThat(names(send(alice, "GET", base + "?sort=display_name:asc&marker=" + ids.get(1), null, "3.59")))
                .containsExactly("t2");
        assertThat(names(send(alice, "GET", base + "?name=t1", null, "3.59"))).containsExactly("t1");
        assertThat(names(send(alice, "GET", base + "?volume_id=nope", null, "3.59"))).isEmpty();
        assertThat(names(send(alice, "GET", base + "?bogus=1", null, "3.59"))).isEmpty();
        error(send(alice, "GET", base + "?sort=salty", null, "3.59"), 400, "Invalid input received: Invalid sort key");
        // As in Cinder, "name" filters (display_name) but is no sort key of the transfer table.
        error(send(alice, "GET", base + "?sort=name", null, "3.59"), 400, "Invalid input received: Invalid sort key");
        error(send(alice, "GET", base + "?limit=x", null, "3.59"), 400, "limit param must be an integer");
        // An administrator sees every project's with all_tenants, only its own without.
        assertThat(names(send(ADMIN, "GET", "/v3/admin/volume-transfers?all_tenants=1&name=t1", null, "3.59")))
                .contains("t1");
        assertThat(names(send(ADMIN, "GET", "/v3/admin/volume-transfers?name=t1", null, "3.59"))).isEmpty();
        assertThat(names(send(ADMIN, "GET", "/v3/admin/volume-transfers?all_tenants=1&project_id=" + donor, null,
                "3.59"))).containsExactly("t2", "t1", "t0");
        assertThat(names(send(ADMIN, "GET", "/v3/admin/volume-transfers?all_tenants=1&project_id=nobody", null,
                "3.59"))).isEmpty();
        assertThat(names(send(alice, "GET", base + "?project_id=nobody", null, "3.59")))
                .containsExactly("t2", "t1", "t0");
        // An administrator may withdraw another project's offer.
        assertThat(send(ADMIN, "DELETE", "/v3/admin/volume-transfers/" + ids.get(0), null, "3.59").status())
                .isEqualTo(202);
        assertThat(names(send(alice, "GET", base, null, "3.59"))).containsExactly("t2", "t1");
    }

    private static List<String> names(HttpJson.Response r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.body().get("transfers").forEach(t -> out.add(t.get("name").stringValue()));
        return out;
    }

    @Test
    void oddPathsQueriesAndBodiesNeverGiveA500() {
        String donor = project();
        String alice = "alice:" + donor;
        List<String> failures = new ArrayList<>();
        List<String> segments = List.of("x", "%20", "%27", "%00", "a".repeat(300), "detail%2F1", "..",
                UUID.randomUUID().toString());
        List<String> queries = List.of("limit=", "limit=-1", "limit=99999999999", "offset=-1", "offset=x",
                "marker=nope", "sort=", "sort=::", "sort=id:up", "sort_key=id&sort=id", "all_tenants=maybe",
                "created_at=x", "accepted=maybe", "no_snapshots=1", "name=%00", "project_id=other");
        List<String> bodies = List.of("", "null", "1", "\"s\"", "{}", "{\"transfer\": null}",
                "{\"transfer\": []}", "{\"transfer\": {\"volume_id\": null}}",
                "{\"transfer\": {\"volume_id\": \"" + UUID.randomUUID() + "\", \"name\": 5}}",
                "{\"transfer\": {\"volume_id\": \"" + UUID.randomUUID() + "\", \"no_snapshots\": \"maybe\"}}",
                "{\"accept\": null}", "{\"accept\": {\"auth_key\": null}}", "{\"accept\": {\"auth_key\": 1.5}}",
                "{\"accept\": {\"auth_key\": \"k\", \"x\": 1}}");
        for (String version : List.of("3.0", "3.55", "3.59", "3.70")) {
            for (String api : List.of("os-volume-transfer", "volume-transfers")) {
                String base = "/v3/" + donor + "/" + api;
                for (String seg : segments) {
                    check(failures, send(alice, "GET", base + "/" + seg, null, version));
                    check(failures, send(alice, "DELETE", base + "/" + seg, null, version));
                    check(failures, send(alice, "POST", base + "/" + seg + "/accept",
                            "{\"accept\": {\"auth_key\": \"k\"}}", version));
                }
                for (String q : queries) {
                    check(failures, send(alice, "GET", base + "?" + q, null, version));
                    check(failures, send(alice, "GET", base + "/detail?" + q, null, version));
                }
                for (String body : bodies) {
                    check(failures, send(alice, "POST", base, body, version));
                    check(failures, send(alice, "POST", base + "/" + UUID.randomUUID() + "/accept", body, version));
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    private static void check(List<String> failures, HttpJson.Response r) {
        if (r.status() >= 500 || r.body() == null && r.status() != 202) {
            failures.add(r.status() + " " + r.raw());
        }
    }

    /** Snapshots rows are written directly: the snapshot API is issue 11's. */
    private static String snapshot(String volumeId, String project, String status) {
        SnapshotEntity s = new SnapshotEntity();
        s.setId(UUID.randomUUID().toString());
        s.setVolumeId(volumeId);
        s.setStatus(status);
        s.setVolumeSize(1);
        s.setProjectId(project);
        s.setUserId("alice");
        s.setCreatedAt(java.time.LocalDateTime.now());
        all.getBean(SnapshotRepository.class).saveAndFlush(s);
        return s.getId();
    }

    @Test
    void snapshotsGoWithTheVolumeUnlessNoSnapshots() {
        String donor = project();
        String receiver = project();
        String alice = "alice:" + donor;
        String bob = "bob:" + receiver;
        SnapshotRepository snaps = all.getBean(SnapshotRepository.class);
        // A snapshot that is not available stops the create (without no_snapshots).
        String vol = volume(alice, 1);
        String busy = snapshot(vol, donor, "creating");
        error(http.post(alice, "/v3/" + donor + "/os-volume-transfer", "{\"transfer\": {\"volume_id\": \"" + vol
                + "\"}}"), 400, "Invalid snapshot: snapshot: " + busy + " status must be available");
        SnapshotEntity b = snaps.findById(busy).orElseThrow();
        b.setStatus("available");
        snaps.saveAndFlush(b);
        JsonNode t = http.post(alice, "/v3/" + donor + "/os-volume-transfer", "{\"transfer\": {\"volume_id\": \""
                + vol + "\"}}").body().get("transfer");
        HttpJson.Response r = http.post(bob, "/v3/" + receiver + "/os-volume-transfer/" + t.get("id").stringValue()
                + "/accept", "{\"accept\": {\"auth_key\": \"" + t.get("auth_key").stringValue() + "\"}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        assertThat(snaps.findById(busy).orElseThrow().getProjectId()).isEqualTo(receiver);
        assertThat(inUse(receiver, "snapshots")).isEqualTo(1);
        assertThat(inUse(receiver, "gigabytes")).isEqualTo(2);

        // With no_snapshots (3.55) the snapshot stays with the donor.
        String vol2 = volume(alice, 1);
        String kept = snapshot(vol2, donor, "available");
        JsonNode t2 = send(alice, "POST", "/v3/" + donor + "/volume-transfers", "{\"transfer\": {\"volume_id\": \""
                + vol2 + "\", \"no_snapshots\": \"yes\"}}", "3.55").body().get("transfer");
        assertThat(t2.get("no_snapshots").booleanValue()).isTrue();
        HttpJson.Response r2 = send(bob, "POST", "/v3/" + receiver + "/volume-transfers/" + t2.get("id").stringValue()
                + "/accept", "{\"accept\": {\"auth_key\": \"" + t2.get("auth_key").stringValue() + "\"}}", "3.55");
        schema("transfers-3.55.json", "accept_volume_transfer", r2);
        assertThat(snaps.findById(kept).orElseThrow().getProjectId()).isEqualTo(donor);
        assertThat(inUse(receiver, "snapshots")).isEqualTo(1);
        assertThat(inUse(receiver, "volumes")).isEqualTo(2);
    }

    @Test
    void acceptOverTheReceiversQuotaIs413AndChangesNothing() {
        String donor = project();
        String receiver = project();
        String alice = "alice:" + donor;
        String bob = "bob:" + receiver;
        String vol = volume(alice, 3);
        assertThat(http.put(ADMIN, "/v3/admin/os-quota-sets/" + receiver,
                "{\"quota_set\": {\"gigabytes\": 2}}").status()).isEqualTo(200);
        JsonNode t = http.post(alice, "/v3/" + donor + "/os-volume-transfer",
                "{\"transfer\": {\"volume_id\": \"" + vol + "\"}}").body().get("transfer");
        HttpJson.Response r = http.post(bob, "/v3/" + receiver + "/os-volume-transfer/" + t.get("id").stringValue()
                + "/accept", "{\"accept\": {\"auth_key\": \"" + t.get("auth_key").stringValue() + "\"}}");
        error(r, 413, "Requested volume or snapshot exceeds allowed gigabytes quota. Requested 3G, quota is 2G and "
                + "0G has been consumed.");
        assertThat(r.headers().firstValue("Retry-After")).contains("0");
        assertThat(inUse(donor, "gigabytes")).isEqualTo(3);
        assertThat(inUse(receiver, "gigabytes")).isZero();
        status(alice, vol, "awaiting-transfer");
        assertThat(http.get(alice, "/v3/" + donor + "/os-volume-transfer/" + t.get("id").stringValue()).status())
                .isEqualTo(200);
    }

    @Test
    void badInputAndPoliciesGetCindersAnswers() {
        String donor = project();
        String alice = "alice:" + donor;
        String vol = volume(alice, 1);
        String base = "/v3/" + donor + "/os-volume-transfer";
        error(http.post(alice, base, "{\"transfer\": {}}"), 400,
                "Invalid input received: 'volume_id' is a required property");
        error(http.post(alice, base, "{\"transfer\": {\"volume_id\": \"abc\"}}"), 400,
                "Invalid input for field/attribute volume_id. Value: abc. 'abc' is not a 'uuid'");
        error(http.post(alice, base, "{\"transfer\": {\"volume_id\": 7}}"), 400,
                "Invalid input for field/attribute volume_id. Value: 7. 7 is not of type 'string'");
        error(http.post(alice, base, "{\"transfer\": {\"volume_id\": \"" + vol + "\", \"x\": 1}}"), 400,
                "Invalid input received: Additional properties are not allowed ('x' was unexpected)");
        error(http.post(alice, base, "{\"transfer\": {\"volume_id\": \"" + vol + "\", \"name\": \"  \"}}"), 400,
                "Invalid input for field/attribute name. Value:   . '  ' is not valid under any of the given schemas");
        error(http.post(alice, base, "{\"nope\": {}}"), 400, "Invalid input received: 'transfer' is a required property");
        error(http.post(alice, base, "[1]"), 400, "Invalid input received: [1] is not of type 'object'");
        assertThat(http.post(alice, base, "{bad json").status()).isEqualTo(400);
        String missing = UUID.randomUUID().toString();
        error(http.post(alice, base, "{\"transfer\": {\"volume_id\": \"" + missing + "\"}}"), 404,
                "Volume " + missing + " could not be found.");
        // Another project's volume is not found either.
        error(http.post("eve:" + project(), "/v3/os-volume-transfer", "{\"transfer\": {\"volume_id\": \"" + vol
                + "\"}}"), 404, "Volume " + vol + " could not be found.");
        status(alice, vol, "available");

        JsonNode t = http.post(alice, base, "{\"transfer\": {\"volume_id\": \"" + vol + "\"}}").body().get("transfer");
        String id = t.get("id").stringValue();
        String accept = base + "/" + id + "/accept";
        error(http.post(alice, accept, "{\"accept\": {}}"), 400,
                "Invalid input received: 'auth_key' is a required property");
        error(http.post(alice, accept, "{\"accept\": {\"auth_key\": [1]}}"), 400,
                "Invalid input for field/attribute auth_key. Value: [1]. [1] is not of type 'string', 'integer'");
        error(http.post(alice, accept, "{\"accept\": {\"auth_key\": 12345}}"), 400,
                "Invalid auth key: Attempt to transfer " + id + " with invalid auth key.");
        error(http.post(alice, base + "/" + missing + "/accept", "{\"accept\": {\"auth_key\": \"x\"}}"), 404,
                "Transfer " + missing + " could not be found.");
        error(http.get(alice, base + "/" + missing), 404, "Transfer " + missing + " could not be found.");
        // The operator's rule: this user may not accept, whatever the key.
        String other = project();
        error(http.post("intruder:" + other, "/v3/" + other + "/os-volume-transfer/" + id + "/accept",
                "{\"accept\": {\"auth_key\": \"" + t.get("auth_key").stringValue() + "\"}}"), 403,
                "Policy doesn't allow volume:accept_transfer to be performed.");
        status(alice, vol, "awaiting-transfer");
        // A volume awaiting transfer cannot be migrated.
        HttpJson.Response migrate = http.post(ADMIN, "/v3/admin/volumes/" + vol + "/action",
                "{\"os-migrate_volume\": {\"host\": \"" + host + "@f1#elsewhere\"}}");
        error(migrate, 400, "Invalid volume: Volume " + vol + " status must be available or in-use, must not be "
                + "migrating, have snapshots, be replicated, be part of a group and destination host/cluster must be "
                + "different than the current one");
        status(alice, vol, "awaiting-transfer");
        // The extension is listed.
        HttpJson.Response ext = http.get(alice, "/v3/extensions/os-volume-transfer");
        assertThat(ext.status()).as(ext.raw()).isEqualTo(200);
        assertThat(ext.body().get("extension").get("name").stringValue()).isEqualTo("VolumeTransfer");
    }
}
