package org.openstack.jcinder.all.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.CinderConfFile;
import org.openstack.jcinder.testsupport.HttpJson;
import org.openstack.jcinder.testsupport.TestServices;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;

/**
 * The operator and user APIs end to end on real PostgreSQL and RabbitMQ: user messages written by the scheduler
 * and the volume service and read through the API (owner only), their expiry; availability zones, hosts,
 * capabilities, extensions, resource filters, the volume summary; services enable/disable (scheduling and
 * migration follow it) and freeze/thaw. Two file backends, f1 larger than f2, so new volumes go to f1 unless it
 * is disabled.
 */
class OperatorApisEndToEndTest {

    private static final String ADMIN = "admin:admin";
    private static final String ALICE = "alice:proj-a";
    private static final String BOB = "bob:proj-b";

    @TempDir
    static Path dir;
    static String database;
    static String host = "ops-" + UUID.randomUUID().toString().substring(0, 8);
    static ConfigurableApplicationContext all;
    static HttpJson http;

    @BeforeAll
    static void start() {
        database = TestServices.freshDatabase();
        Path conf = CinderConfFile.write(dir, "cinder.conf", String.join("\n",
                "[DEFAULT]",
                "host = " + host,
                "enabled_backends = f1, f2",
                "transport_url = " + TestServices.transportUrl(),
                "osapi_volume_listen_port = 0",
                "report_interval = 1",
                "message_reap_interval = 1",
                "[database]",
                "connection = " + database,
                "[f1]",
                "volume_driver = file",
                "file_volume_capacity_gb = 100",
                "[f2]",
                "volume_driver = file",
                "file_volume_capacity_gb = 50", ""));
        all = CinderAllApplication.start(new String[] {"--config-file", conf.toString(), "--data-dir",
                dir.resolve("data").toString()});
        http = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) all).getWebServer().getPort());
        Await.until("both pools", () -> http.get(ADMIN, "/v3/scheduler-stats/get_pools"),
                r -> r.status() == 200 && r.body().get("pools").size() == 2);
    }

    @AfterAll
    static void stop() {
        if (all != null) {
            all.close();
        }
    }

    // ------------------------------------------------------------------------------------------- messages

    @Test
    void noValidBackendLeavesAMessageOnlyItsProjectCanReadAndDelete() {
        String type = createType("nowhere-" + UUID.randomUUID().toString().substring(0, 6), "volume_backend_name",
                "no-such-backend");
        String id = createVolume(ALICE, 1, "\"volume_type\": \"" + type + "\"");
        awaitStatus(ALICE, id, "error");

        HttpJson.Response list = Await.until("alice's message", () -> get(ALICE, "/v3/proj-a/messages", "3.3"),
                r -> r.status() == 200 && forVolume(r.body().get("messages"), id) != null);
        JsonNode m = forVolume(list.body().get("messages"), id);
        assertThat(m.get("event_id").stringValue()).isEqualTo("VOLUME_VOLUME_001_003");
        assertThat(m.get("user_message").stringValue())
                .isEqualTo("schedule allocate volume:Could not find any available weighted backend.");
        assertThat(m.get("message_level").stringValue()).isEqualTo("ERROR");
        assertThat(m.get("resource_type").stringValue()).isEqualTo("VOLUME");
        assertThat(m.get("request_id").stringValue()).startsWith("req-");
        assertThat(m.get("links").get(0).get("href").stringValue()).endsWith("/v3/proj-a/messages/"
                + m.get("id").stringValue());
        // Cinder's message_ttl default: 30 days after creation.
        assertThat(Duration.between(LocalDateTime.parse(m.get("created_at").stringValue()),
                LocalDateTime.parse(m.get("guaranteed_until").stringValue())).toSeconds()).isEqualTo(2592000);
        assertThat(iterable(m).keySet()).containsExactlyInAnyOrder("id", "event_id", "user_message",
                "message_level", "created_at", "guaranteed_until", "request_id", "links", "resource_type",
                "resource_uuid");
        String messageId = m.get("id").stringValue();

        HttpJson.Response shown = get(ALICE, "/v3/proj-a/messages/" + messageId, "3.3");
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.body().get("message").get("resource_uuid").stringValue()).isEqualTo(id);
        // Filters (3.5+) and the non-admin filter check (3.33+).
        HttpJson.Response filtered = get(ALICE, "/v3/proj-a/messages?resource_uuid=" + id, "3.33");
        assertThat(filtered.body().get("messages")).hasSize(1);
        assertThat(get(ALICE, "/v3/proj-a/messages?event_id=VOLUME_VOLUME_001_999", "3.33").body()
                .get("messages")).isEmpty();
        assertError(get(ALICE, "/v3/proj-a/messages?project_id=proj-b", "3.33"), 400, "badRequest",
                "Invalid filters project_id are found in query options.");
        assertError(get(ALICE, "/v3/proj-a/messages?sort=nope:asc", "3.5"), 400, "badRequest",
                "Invalid input received: Invalid sort key");
        assertError(get(ALICE, "/v3/proj-a/messages?sort=created_at:up", "3.5"), 400, "badRequest",
                "Invalid input received: Unknown sort direction, must be 'desc' or 'asc'.");
        assertError(get(ALICE, "/v3/proj-a/messages?limit=-1", "3.5"), 400, "badRequest",
                "limit param must be positive");
        assertError(get(ALICE, "/v3/proj-a/messages?marker=" + UUID.randomUUID(), "3.5"), 404, "itemNotFound",
                null);
        assertThat(get(ALICE, "/v3/proj-a/messages?limit=1&sort=created_at:asc", "3.5").body().get("messages"))
                .hasSize(1);
        // Before 3.3 there is no such resource.
        assertError(get(ALICE, "/v3/proj-a/messages", "3.0"), 404, "itemNotFound",
                "The resource could not be found.");

        // Another project neither lists, reads nor deletes it; an admin sees it.
        assertThat(forVolume(get(BOB, "/v3/proj-b/messages", "3.3").body().get("messages"), id)).isNull();
        assertError(get(BOB, "/v3/proj-b/messages/" + messageId, "3.3"), 404, "itemNotFound",
                "Message " + messageId + " could not be found.");
        assertError(http.send(BOB, "DELETE", "/v3/proj-b/messages/" + messageId, null, "3.3"), 404,
                "itemNotFound", "Message " + messageId + " could not be found.");
        assertThat(forVolume(get(ADMIN, "/v3/admin/messages", "3.3").body().get("messages"), id)).isNotNull();

        assertThat(http.send(ALICE, "DELETE", "/v3/proj-a/messages/" + messageId, null, "3.3").status())
                .isEqualTo(204);
        assertError(get(ALICE, "/v3/proj-a/messages/" + messageId, "3.3"), 404, "itemNotFound",
                "Message " + messageId + " could not be found.");
    }

    @Test
    void failedExtendAndFailedMigrationLeaveMessagesForTheOwner() throws Exception {
        String id = createVolume(ALICE, 1, null);
        JsonNode v = awaitStatus(ALICE, id, "available");
        String backend = backendOf(id);
        // The backing file grows behind the service's back: the driver then refuses to "extend" it to 2 GiB.
        try (RandomAccessFile f = new RandomAccessFile(volumeFile(backend, id).toFile(), "rw")) {
            f.setLength(5L << 30);
        }
        assertThat(http.send(ALICE, "POST", "/v3/proj-a/volumes/" + id + "/action",
                "{\"os-extend\": {\"new_size\": 2}}", "3.3").status()).isEqualTo(202);
        awaitStatus(ALICE, id, "error_extending");
        JsonNode extend = Await.until("extend message", () -> get(ALICE, "/v3/proj-a/messages?resource_uuid=" + id,
                "3.5"), r -> r.status() == 200 && r.body().get("messages").size() == 1).body().get("messages").get(0);
        assertThat(extend.get("event_id").stringValue()).isEqualTo("VOLUME_VOLUME_007_010");
        assertThat(extend.get("user_message").stringValue())
                .isEqualTo("extend volume:Volume Driver failed to extend volume.");
        assertThat(v).isNotNull();

        // A migration whose source vanished fails on the volume service, which tells the owner.
        String id2 = createVolume(ALICE, 1, null);
        awaitStatus(ALICE, id2, "available");
        String from = backendOf(id2);
        String to = from.equals("f1") ? "f2" : "f1";
        Files.delete(volumeFile(from, id2));
        HttpJson.Response migrate = http.send(ADMIN, "POST", "/v3/admin/volumes/" + id2 + "/action",
                "{\"os-migrate_volume\": {\"host\": \"" + host + "@" + to + "\"}}", "3.3");
        assertThat(migrate.status()).as(migrate.raw()).isEqualTo(202);
        JsonNode migration = Await.until("migration message", () -> get(ALICE,
                "/v3/proj-a/messages?resource_uuid=" + id2, "3.5"),
                r -> r.status() == 200 && r.body().get("messages").size() == 1).body().get("messages").get(0);
        assertThat(migration.get("event_id").stringValue()).isEqualTo("VOLUME_VOLUME_017_031");
        assertThat(migration.get("user_message").stringValue()).isEqualTo(
                "migrate volume:Volume migration failed; the volume remains on its original backend.");
        // The admin asked, but the message is the owner's: another project does not see it.
        assertThat(get(BOB, "/v3/proj-b/messages?resource_uuid=" + id2, "3.5").body().get("messages")).isEmpty();
    }

    @Test
    void expiredMessagesAreReaped() throws Exception {
        String type = createType("reaped-" + UUID.randomUUID().toString().substring(0, 6), "volume_backend_name",
                "none-either");
        String id = createVolume(BOB, 1, "\"volume_type\": \"" + type + "\"");
        awaitStatus(BOB, id, "error");
        JsonNode m = Await.until("bob's message", () -> get(BOB, "/v3/proj-b/messages?resource_uuid=" + id, "3.5"),
                r -> r.status() == 200 && r.body().get("messages").size() == 1).body().get("messages").get(0);
        // Its guaranteed time passes (message_ttl elapsed), and the scheduler's reaper (every second here) removes it.
        try (Connection c = jdbc(); PreparedStatement s = c.prepareStatement(
                "update messages set expires_at = ? where id = ?")) {
            s.setObject(1, LocalDateTime.now().minusDays(1));
            s.setString(2, m.get("id").stringValue());
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
        Await.until("message reaped", () -> get(BOB, "/v3/proj-b/messages/" + m.get("id").stringValue(), "3.3"),
                r -> r.status() == 404);
        try (Connection c = jdbc(); PreparedStatement s = c.prepareStatement(
                "select count(*) from messages where id = ?")) {
            s.setString(1, m.get("id").stringValue());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("removed from the table, not soft-deleted").isZero();
            }
        }
    }

    // --------------------------------------------------------------------------------- zones, hosts, ...

    @Test
    void availabilityZonesHostsCapabilitiesExtensionsAndFilters() {
        HttpJson.Response zones = get(ALICE, "/v3/proj-a/os-availability-zone", null);
        assertThat(zones.status()).isEqualTo(200);
        assertThat(zones.body().get("availabilityZoneInfo").get(0).get("zoneName").stringValue()).isEqualTo("nova");
        assertThat(zones.body().get("availabilityZoneInfo").get(0).get("zoneState").get("available").booleanValue())
                .isTrue();

        HttpJson.Response hosts = get(ADMIN, "/v3/admin/os-hosts", null);
        assertThat(hosts.status()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        hosts.body().get("hosts").forEach(h -> {
            names.add(h.get("host_name").stringValue() + " " + h.get("service").stringValue());
            assertThat(h.get("service-status").stringValue()).isEqualTo("available");
            assertThat(h.get("service-state").stringValue()).isEqualTo("enabled");
            assertThat(iterable(h).keySet()).containsExactlyInAnyOrder("host_name", "service", "zone",
                    "service-status", "service-state", "last-update");
        });
        assertThat(names).contains(host + " cinder-scheduler", host + "@f1 cinder-volume",
                host + "@f2 cinder-volume");
        assertThat(get(ADMIN, "/v3/admin/os-hosts?zone=elsewhere", null).body().get("hosts")).isEmpty();
        HttpJson.Response show = get(ADMIN, "/v3/admin/os-hosts/" + host + "@f1", null);
        assertThat(show.status()).as(show.raw()).isEqualTo(200);
        JsonNode total = show.body().get("host").get(0).get("resource");
        assertThat(total.get("project").stringValue()).isEqualTo("(total)");
        assertThat(total.get("volume_count").isString()).isTrue();
        assertError(get(ADMIN, "/v3/admin/os-hosts/nosuchhost", null), 404, "itemNotFound",
                "Service cinder-volume could not be found on host nosuchhost.");
        assertError(get(ALICE, "/v3/proj-a/os-hosts", null), 403, "forbidden",
                "Policy doesn't allow volume_extension:hosts to be performed.");

        HttpJson.Response caps = get(ADMIN, "/v3/admin/capabilities/" + host + "@f1", null);
        assertThat(caps.status()).as(caps.raw()).isEqualTo(200);
        assertThat(caps.body().get("namespace").stringValue()).isEqualTo("OS::Storage::Capabilities::" + host + "@f1");
        assertThat(iterable(caps.body()).keySet()).containsExactlyInAnyOrder("pool_name", "description",
                "volume_backend_name", "namespace", "visibility", "driver_version", "vendor_name", "properties",
                "storage_protocol", "replication_targets", "display_name");
        assertThat(caps.body().get("properties").get("thin_provisioning").get("type").stringValue())
                .isEqualTo("boolean");
        assertError(get(ADMIN, "/v3/admin/capabilities/nosuch@x", null), 404, "itemNotFound",
                "Can't find service: nosuch@x");
        assertError(get(ALICE, "/v3/proj-a/capabilities/" + host + "@f1", null), 403, "forbidden",
                "Policy doesn't allow volume_extension:capabilities to be performed.");

        HttpJson.Response ext = get(ALICE, "/v3/proj-a/extensions", null);
        assertThat(ext.status()).isEqualTo(200);
        List<String> aliases = new ArrayList<>();
        ext.body().get("extensions").forEach(e -> aliases.add(e.get("alias").stringValue()));
        assertThat(aliases).contains("os-services", "os-hosts", "os-availability-zone", "capabilities",
                "os-extended-services", "os-vol-host-attr");
        assertThat(get(ALICE, "/v3/proj-a/extensions/os-hosts", null).body().get("extension").get("name")
                .stringValue()).isEqualTo("Hosts");
        assertError(get(ALICE, "/v3/proj-a/extensions/nope", null), 404, "itemNotFound", null);

        HttpJson.Response filters = get(ALICE, "/v3/proj-a/resource_filters?resource=message", "3.33");
        assertThat(filters.body().get("resource_filters")).hasSize(1);
        assertThat(filters.body().get("resource_filters").get(0).get("filters").toString()).isEqualTo(
                "[\"resource_uuid\",\"resource_type\",\"event_id\",\"request_id\",\"message_level\"]");
        assertThat(get(ALICE, "/v3/proj-a/resource_filters", "3.33").body().get("resource_filters")).hasSize(9);
        assertThat(get(ALICE, "/v3/proj-a/resource_filters?resource=nope", "3.33").body().get("resource_filters"))
                .isEmpty();
        assertError(get(ALICE, "/v3/proj-a/resource_filters", "3.32"), 404, "itemNotFound",
                "The resource could not be found.");
    }

    @Test
    void volumeSummaryCountsTheProjectsVolumesAndFromThreeThirtySixTheirMetadata() {
        String carol = "carol:proj-sum";
        String a = createVolume(carol, 1, "\"metadata\": {\"tier\": \"gold\"}");
        String b = createVolume(carol, 2, "\"metadata\": {\"tier\": \"silver\", \"app\": \"db\"}");
        awaitStatus(carol, a, "available");
        awaitStatus(carol, b, "available");
        HttpJson.Response s = get(carol, "/v3/proj-sum/volumes/summary", "3.12");
        assertThat(s.status()).as(s.raw()).isEqualTo(200);
        assertThat(s.body().get("volume-summary").get("total_count").intValue()).isEqualTo(2);
        assertThat(s.body().get("volume-summary").get("total_size").intValue()).isEqualTo(3);
        assertThat(s.body().get("volume-summary").has("metadata")).isFalse();
        JsonNode withMeta = get(carol, "/v3/proj-sum/volumes/summary", "3.36").body().get("volume-summary");
        assertThat(withMeta.get("metadata").get("tier").toString()).contains("gold").contains("silver");
        assertThat(withMeta.get("metadata").get("app").toString()).isEqualTo("[\"db\"]");
        // all_tenants is an admin's; an ordinary user still sees only its own project.
        assertThat(get(carol, "/v3/proj-sum/volumes/summary?all_tenants=1", "3.12").body().get("volume-summary")
                .get("total_count").intValue()).isEqualTo(2);
        assertThat(get(ADMIN, "/v3/admin/volumes/summary?all_tenants=1", "3.12").body().get("volume-summary")
                .get("total_count").intValue()).isGreaterThanOrEqualTo(2);
        assertError(get(carol, "/v3/proj-sum/volumes/summary?all_tenants=maybe", "3.12"), 400, "badRequest",
                "Value 'maybe' for 'all_tenants' is not a boolean.");
        assertError(get(carol, "/v3/proj-sum/volumes/summary", "3.11"), 404, "itemNotFound",
                "Volume summary could not be found.");
    }

    // ------------------------------------------------------------------------------------------ services

    @Test
    void aDisabledBackendIsNeitherScheduledNorAMigrationDestinationUntilEnabled() {
        String f1 = host + "@f1";
        HttpJson.Response disabled = http.send(ADMIN, "PUT", "/v3/admin/os-services/disable-log-reason",
                "{\"host\": \"" + f1 + "\", \"binary\": \"cinder-volume\", \"disabled_reason\": \"maintenance\"}",
                "3.0");
        assertThat(disabled.status()).as(disabled.raw()).isEqualTo(200);
        assertThat(disabled.raw()).isEqualTo("{\"disabled_reason\":\"maintenance\",\"disabled\":true,\"host\":\""
                + f1 + "\",\"service\":\"\",\"binary\":\"cinder-volume\",\"status\":\"disabled\"}");
        try {
            JsonNode listed = service(f1, "3.0");
            assertThat(listed.get("status").stringValue()).isEqualTo("disabled");
            assertThat(listed.get("disabled_reason").stringValue()).isEqualTo("maintenance");
            assertThat(listed.has("cluster")).isFalse();
            assertThat(service(f1, "3.7").has("cluster")).isTrue();
            assertThat(service(f1, "3.49").get("backend_state").stringValue()).isEqualTo("up");
            JsonNode zones = get(ALICE, "/v3/proj-a/os-availability-zone", null).body();
            assertThat(zones.get("availabilityZoneInfo").get(0).get("zoneState").get("available").booleanValue())
                    .as("f2 still enabled in the zone").isTrue();

            String id = createVolume(ALICE, 1, null);
            awaitStatus(ALICE, id, "available");
            assertThat(backendOf(id)).as("the larger f1 is disabled").isEqualTo("f2");
            HttpJson.Response refused = http.send(ADMIN, "POST", "/v3/admin/volumes/" + id + "/action",
                    "{\"os-migrate_volume\": {\"host\": \"" + f1 + "\"}}", "3.0");
            assertError(refused, 400, "badRequest", "Invalid host: No available service named '" + f1 + "'");
            assertThat(get(ADMIN, "/v3/admin/os-hosts", null).body().get("hosts").toString()).doesNotContain(f1);
        } finally {
            HttpJson.Response enabled = http.send(ADMIN, "PUT", "/v3/admin/os-services/enable",
                    "{\"host\": \"" + f1 + "\", \"binary\": \"cinder-volume\"}", "3.0");
            assertThat(enabled.raw()).isEqualTo("{\"disabled\":false,\"host\":\"" + f1
                    + "\",\"service\":\"\",\"binary\":\"cinder-volume\",\"status\":\"enabled\"}");
        }
        assertThat(service(f1, "3.0").get("status").stringValue()).isEqualTo("enabled");
        String id = createVolume(ALICE, 1, null);
        awaitStatus(ALICE, id, "available");
        assertThat(backendOf(id)).isEqualTo("f1");
        String onF2 = createVolumeOn("f2");
        assertThat(http.send(ADMIN, "POST", "/v3/admin/volumes/" + onF2 + "/action",
                "{\"os-migrate_volume\": {\"host\": \"" + f1 + "\"}}", "3.0").status()).isEqualTo(202);
        Await.until("migrated to f1", () -> http.get(ADMIN, "/v3/admin/volumes/" + onF2),
                r -> "success".equals(r.body().get("volume").get("migration_status").stringValue()));

        // disable (no reason) and the deprecated "service" key; then back.
        HttpJson.Response d = http.send(ADMIN, "PUT", "/v3/admin/os-services/disable",
                "{\"host\": \"" + host + "\", \"service\": \"cinder-scheduler\"}", "3.0");
        assertThat(d.raw()).isEqualTo("{\"disabled\":true,\"host\":\"" + host
                + "\",\"service\":\"cinder-scheduler\",\"binary\":\"\",\"status\":\"disabled\"}");
        assertThat(http.send(ADMIN, "PUT", "/v3/admin/os-services/enable",
                "{\"host\": \"" + host + "\", \"binary\": \"cinder-scheduler\"}", "3.0").status()).isEqualTo(200);
    }

    @Test
    void servicesActionsAnswerBadInputAsCinderDoes() {
        String f2 = host + "@f2";
        assertError(http.send(ALICE, "PUT", "/v3/proj-a/os-services/disable",
                "{\"host\": \"" + f2 + "\", \"binary\": \"cinder-volume\"}", "3.0"), 403, "forbidden",
                "Policy doesn't allow volume_extension:services:update to be performed.");
        assertError(http.send(ALICE, "GET", "/v3/proj-a/os-services", null, "3.0"), 403, "forbidden",
                "Policy doesn't allow volume_extension:services:index to be performed.");
        assertError(put("/v3/admin/os-services/disable", "{\"binary\": \"cinder-volume\"}"), 400, "badRequest",
                "Invalid input received: Host field is missing.");
        assertError(put("/v3/admin/os-services/disable", "{\"host\": \"" + f2 + "\"}"), 400, "badRequest",
                "{'host': '" + f2 + "'} is not valid under any of the given schemas");
        assertError(put("/v3/admin/os-services/disable", "{\"host\": \"nosuch\", \"binary\": \"cinder-volume\"}"),
                404, "itemNotFound", "Service cinder-volume could not be found on host nosuch.");
        assertError(put("/v3/admin/os-services/disable", "{\"host\": \"" + f2
                + "\", \"binary\": \"cinder-volume\", \"x\": 1}"), 400, "badRequest",
                "Additional properties are not allowed ('x' was unexpected)");
        assertError(put("/v3/admin/os-services/disable", "{\"host\": \"a b\", \"binary\": \"cinder-volume\"}"),
                400, "badRequest", null);
        assertError(put("/v3/admin/os-services/disable-log-reason", "{\"host\": \"" + f2
                + "\", \"binary\": \"cinder-volume\", \"disabled_reason\": \"   \"}"), 400, "badRequest",
                "Invalid input for field/attribute disabled_reason. Value:    . '   ' is not a 'disabled_reason'");
        assertError(put("/v3/admin/os-services/reboot", "{}"), 400, "badRequest",
                "Invalid input received: Unknown action");
        assertError(put("/v3/admin/os-services/disable", "{\"host\": "), 400, "badRequest", null);
        assertError(put("/v3/admin/os-services/freeze", "{}"), 400, "badRequest",
                "Invalid input received: Host field is missing.");
        assertError(http.send(ADMIN, "PUT", "/v3/admin/os-services/freeze", "{}", "3.26"), 400, "badRequest",
                "Invalid input received: One and only one of cluster and host must be set.");
        assertError(put("/v3/admin/os-services/freeze", "{\"host\": \"nosuch\"}"), 400, "badRequest",
                "Invalid input received: No service found with host=nosuch");
        assertError(put("/v3/admin/os-services/thaw", "{\"host\": \"" + f2 + "\"}"), 400, "badRequest",
                "Invalid input received: No service could be changed: frozen in ['" + f2
                        + "'] must be True to failover.");
        // Nothing changed.
        JsonNode s = service(f2, "3.0");
        assertThat(s.get("status").stringValue()).isEqualTo("enabled");
        assertThat(s.get("frozen").booleanValue()).isFalse();
    }

    @Test
    void aFrozenBackendRefusesDeletesUntilThawed() {
        String onF2 = createVolumeOn("f2");
        String f2 = host + "@f2";
        HttpJson.Response frozen = put("/v3/admin/os-services/freeze", "{\"host\": \"" + f2 + "\"}");
        assertThat(frozen.status()).as(frozen.raw()).isEqualTo(200);
        try {
            assertThat(service(f2, "3.0").get("frozen").booleanValue()).isTrue();
            assertError(put("/v3/admin/os-services/freeze", "{\"host\": \"" + f2 + "\"}"), 400, "badRequest",
                    "Invalid input received: No service could be changed: frozen in ['" + f2
                            + "'] must be False to failover.");
            assertError(http.send(ALICE, "DELETE", "/v3/proj-a/volumes/" + onF2, null, "3.0"), 400, "badRequest",
                    "Invalid input received: Modification operations are not allowed on frozen storage backends.");
            assertThat(http.get(ALICE, "/v3/proj-a/volumes/" + onF2).body().get("volume").get("status")
                    .stringValue()).isEqualTo("available");
        } finally {
            assertThat(put("/v3/admin/os-services/thaw", "{\"host\": \"" + f2 + "\"}").status()).isEqualTo(200);
        }
        assertThat(service(f2, "3.0").get("frozen").booleanValue()).isFalse();
        assertThat(http.send(ALICE, "DELETE", "/v3/proj-a/volumes/" + onF2, null, "3.0").status()).isEqualTo(202);
    }

    /** Hostile paths, queries and bodies on every route of these APIs: never a 5xx, always a Cinder error body. */
    @Test
    void hostileInputNeverFailsTheServer() {
        String[] segments = {"%00", "%C3%28", "..%2F..", "a%20b", "x".repeat(300), "%25", "%23pool", "'", "null",
            "%E2%80%8F", "-1", "1e999"};
        String[] bodies = {"null", "[]", "1", "\"s\"", "{\"host\": []}", "{\"host\": {}}", "{\"host\": 1}",
            "{\"host\": null, \"binary\": null}", "{\"host\": \"" + "h".repeat(300) + "\", \"binary\": \"b\"}",
            "{\"host\": \"h\", \"binary\": 7}", "{\"host\": \"h\\u0000\", \"binary\": \"b\"}",
            "{\"cluster\": 5}", "{\"host\": \"h\", \"disabled_reason\": []}", "{", ""};
        List<String> failures = new ArrayList<>();
        for (String token : List.of(ADMIN, ALICE)) {
            String p = token.equals(ADMIN) ? "/v3/admin" : "/v3/proj-a";
            for (String version : new String[] {"3.0", "3.5", "3.33", "3.70"}) {
                for (String seg : segments) {
                    for (String path : List.of(p + "/messages/" + seg, p + "/messages?sort=" + seg,
                            p + "/messages?marker=" + seg, p + "/messages?limit=" + seg, p + "/messages?offset=" + seg,
                            p + "/messages?" + seg + "=1", p + "/os-hosts/" + seg, p + "/os-hosts?zone=" + seg,
                            p + "/capabilities/" + seg, p + "/extensions/" + seg,
                            p + "/resource_filters?resource=" + seg, p + "/volumes/summary?all_tenants=" + seg,
                            p + "/os-services?host=" + seg)) {
                        check(failures, http.send(token, "GET", path, null, version), "GET " + path);
                    }
                    check(failures, http.send(token, "DELETE", p + "/messages/" + seg, null, version),
                            "DELETE " + seg);
                }
                for (String action : List.of("enable", "disable", "disable-log-reason", "freeze", "thaw", "x")) {
                    for (String body : bodies) {
                        check(failures, http.send(token, "PUT", p + "/os-services/" + action, body, version),
                                "PUT " + action + " " + body);
                    }
                }
            }
        }
        assertThat(failures).isEmpty();
        JsonNode f2 = service(host + "@f2", "3.0");
        assertThat(f2.get("status").stringValue()).isEqualTo("enabled");
        assertThat(f2.get("frozen").booleanValue()).isFalse();
    }

    private static void check(List<String> failures, HttpJson.Response r, String what) {
        if (r.status() >= 500) {
            failures.add(what + " -> " + r.status() + " " + r.raw());
        } else if (r.status() >= 400 && (r.body() == null || !r.body().isObject() || r.body().size() != 1
                || !r.body().properties().iterator().next().getValue().has("message"))) {
            failures.add(what + " -> " + r.status() + " without a Cinder error body: " + r.raw());
        }
    }

    // ------------------------------------------------------------------------------------------- helpers

    private static HttpJson.Response get(String token, String path, String version) {
        return http.send(token, "GET", path, null, version);
    }

    private static HttpJson.Response put(String path, String json) {
        return http.send(ADMIN, "PUT", path, json, "3.0");
    }

    private static void assertError(HttpJson.Response r, int code, String kind, String message) {
        assertThat(r.status()).as(r.raw()).isEqualTo(code);
        assertThat(r.body().get(kind).get("code").intValue()).as(r.raw()).isEqualTo(code);
        if (message != null) {
            assertThat(r.body().get(kind).get("message").stringValue()).as(r.raw()).isEqualTo(message);
        }
    }

    private static JsonNode service(String serviceHost, String version) {
        for (JsonNode s : get(ADMIN, "/v3/admin/os-services?binary=cinder-volume", version).body().get("services")) {
            if (s.get("host").stringValue().equals(serviceHost)) {
                return s;
            }
        }
        throw new AssertionError("no service " + serviceHost);
    }

    private static String createType(String name, String key, String value) {
        HttpJson.Response r = http.post(ADMIN, "/v3/admin/types", "{\"volume_type\": {\"name\": \"" + name
                + "\", \"extra_specs\": {\"" + key + "\": \"" + value + "\"}}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body().get("volume_type").get("id").stringValue();
    }

    private static String createVolume(String token, int size, String extra) {
        HttpJson.Response r = http.post(token, "/v3/volumes", "{\"volume\": {\"size\": " + size
                + (extra == null ? "" : ", " + extra) + "}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        return r.body().get("volume").get("id").stringValue();
    }

    /** A volume of alice's placed on {@code backend} (the other one disabled meanwhile). */
    private static String createVolumeOn(String backend) {
        String other = host + "@" + (backend.equals("f1") ? "f2" : "f1");
        assertThat(put("/v3/admin/os-services/disable", "{\"host\": \"" + other + "\", \"binary\": "
                + "\"cinder-volume\"}").status()).isEqualTo(200);
        try {
            String id = createVolume(ALICE, 1, null);
            awaitStatus(ALICE, id, "available");
            assertThat(backendOf(id)).isEqualTo(backend);
            return id;
        } finally {
            put("/v3/admin/os-services/enable", "{\"host\": \"" + other + "\", \"binary\": \"cinder-volume\"}");
        }
    }

    private static JsonNode awaitStatus(String token, String id, String status) {
        return Await.until("volume " + id + " " + status, () -> http.get(token, "/v3/volumes/" + id),
                r -> r.status() == 200 && status.equals(r.body().get("volume").get("status").stringValue()))
                .body().get("volume");
    }

    /** The backend ({@code f1}/{@code f2}) holding a volume, from the admin's view of it. */
    private static String backendOf(String id) {
        String h = http.get(ADMIN, "/v3/admin/volumes/" + id).body().get("volume").get("os-vol-host-attr:host")
                .stringValue();
        return h.substring(h.indexOf('@') + 1, h.indexOf('#'));
    }

    private static Path volumeFile(String backend, String id) {
        return dir.resolve("data").resolve("volumes").resolve(backend).resolve("volume-" + id);
    }

    private static JsonNode forVolume(JsonNode messages, String volumeId) {
        for (JsonNode m : messages) {
            if (m.has("resource_uuid") && m.get("resource_uuid").stringValue().equals(volumeId)) {
                return m;
            }
        }
        return null;
    }

    private static java.util.Map<String, JsonNode> iterable(JsonNode object) {
        java.util.Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
        object.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static Connection jdbc() throws Exception {
        URI uri = URI.create(database.replace("postgresql://", "http://"));
        String user = uri.getUserInfo() == null ? "postgres" : uri.getUserInfo().split(":")[0];
        String password = uri.getUserInfo() != null && uri.getUserInfo().contains(":")
                ? uri.getUserInfo().split(":", 2)[1] : null;
        return DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort()
                + uri.getPath(), user, password);
    }
}
