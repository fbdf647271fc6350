package org.openstack.jcinder.all.quotas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.CinderConfFile;
import org.openstack.jcinder.testsupport.HttpJson;
import org.openstack.jcinder.testsupport.TestServices;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;

/**
 * Quotas end to end (all-in-one, real PostgreSQL and RabbitMQ, two file backends): os-quota-sets and
 * os-quota-class-sets with Cinder's bodies, codes and messages, limits, enforcement on create and extend,
 * concurrent creates against a small quota, and a migration that never counts its temporary volume.
 */
class QuotasEndToEndTest {

    private static final String ADMIN = "admin:admin";
    /** Tempest's show_quota_set schema: required keys. */
    private static final List<String> REQUIRED = List.of("id", "volumes", "snapshots", "backups",
            "per_volume_gigabytes", "gigabytes", "backup_gigabytes", "groups");
    private static final Set<String> ABSOLUTE = Set.of("totalSnapshotsUsed", "maxTotalBackups",
            "maxTotalVolumeGigabytes", "maxTotalSnapshots", "maxTotalBackupGigabytes", "totalBackupGigabytesUsed",
            "maxTotalVolumes", "totalVolumesUsed", "totalBackupsUsed", "totalGigabytesUsed");

    @TempDir
    static Path dir;
    static String host;
    static ConfigurableApplicationContext all;
    static HttpJson http;
    static VolumeRepository volumes;

    @BeforeAll
    static void start() {
        host = "quota-" + UUID.randomUUID().toString().substring(0, 8);
        Path conf = CinderConfFile.write(dir, "cinder.conf", String.join("\n",
                "[DEFAULT]",
                "host = " + host,
                "enabled_backends = f1, f2",
                "transport_url = " + TestServices.transportUrl(),
                "osapi_volume_listen_port = 0",
                "report_interval = 1",
                "quota_volumes = 12",
                "[database]",
                "connection = " + TestServices.freshDatabase(),
                "[f1]",
                "volume_driver = file",
                "file_volume_capacity_gb = 100",
                "[f2]",
                "volume_driver = file",
                "file_volume_capacity_gb = 50"));
        all = CinderAllApplication.start(new String[] {"--config-file", conf.toString(), "--data-dir",
                dir.resolve("data").toString()});
        http = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) all).getWebServer().getPort());
        volumes = all.getBean(VolumeRepository.class);
        Await.until("both pools", () -> http.get(ADMIN, "/v3/scheduler-stats/get_pools"),
                r -> r.status() == 200 && r.body().get("pools").size() == 2);
    }

    @AfterAll
    static void stop() {
        all.close();
    }

    private static String project() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private static JsonNode quotaSet(String project, boolean usage) {
        HttpJson.Response r = http.get(ADMIN, "/v3/admin/os-quota-sets/" + project + (usage ? "?usage=true" : ""));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body().get("quota_set");
    }

    private static HttpJson.Response update(String project, String body) {
        return http.put(ADMIN, "/v3/admin/os-quota-sets/" + project, body);
    }

    private static String create(String token, int size, String type) {
        HttpJson.Response r = http.post(token, "/v3/volumes", "{\"volume\": {\"size\": " + size
                + (type == null ? "" : ", \"volume_type\": \"" + type + "\"") + "}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        return r.body().get("volume").get("id").stringValue();
    }

    private static JsonNode awaitStatus(String token, String id, String status) {
        return Await.until("volume " + id + " " + status, () -> http.get(token, "/v3/volumes/" + id),
                r -> status.equals(r.body().get("volume").get("status").stringValue())).body().get("volume");
    }

    private static void assertOverLimit(HttpJson.Response r, String message) {
        assertThat(r.status()).as(r.raw()).isEqualTo(413);
        assertThat(r.body().get("overLimit").get("code").asInt()).isEqualTo(413);
        assertThat(r.body().get("overLimit").get("message").stringValue()).isEqualTo(message);
        assertThat(r.headers().firstValue("Retry-After")).contains("0");
    }

    /** Waits for a condition on something other than an HTTP answer (rows in the database, a quota set). */
    private static <T> T waitFor(String what, java.util.function.Supplier<T> read, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = read.get();
            if (done.test(last)) {
                return last;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("timed out waiting for " + what + "; last: " + last);
    }

    private static long liveVolumes(String project) {
        return volumes.findAll().stream().filter(v -> project.equals(v.getProjectId()) && !v.isDeleted()).count();
    }

    @Test
    void showDefaultsUpdateAndDeleteAsCinder() {
        String p = project();
        JsonNode set = quotaSet(p, false);
        assertThat(set.propertyNames()).containsAll(REQUIRED);
        assertThat(set.get("id").stringValue()).isEqualTo(p);
        assertThat(set.get("volumes").asInt()).isEqualTo(12); // cinder.conf's quota_volumes
        assertThat(set.get("gigabytes").asInt()).isEqualTo(1000);
        assertThat(set.get("snapshots").asInt()).isEqualTo(10);
        assertThat(set.get("per_volume_gigabytes").asInt()).isEqualTo(-1);
        assertThat(set.get("groups").asInt()).isEqualTo(10);
        assertThat(set.get("volumes___DEFAULT__").asInt()).isEqualTo(-1); // per-type keys of every type

        JsonNode defaults = http.get(ADMIN, "/v3/admin/os-quota-sets/" + p + "/defaults").body().get("quota_set");
        assertThat(defaults.get("volumes").asInt()).isEqualTo(12);
        assertThat(defaults.get("id").stringValue()).isEqualTo(p);

        HttpJson.Response r = update(p, "{\"quota_set\": {\"volumes\": 5, \"gigabytes\": \"20\", "
                + "\"gigabytes___DEFAULT__\": 7, \"tenant_id\": \"ignored\"}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        JsonNode updated = r.body().get("quota_set");
        assertThat(updated.has("id")).isFalse(); // Cinder's update answers without it
        assertThat(updated.get("volumes").asInt()).isEqualTo(5);
        assertThat(updated.get("gigabytes").asInt()).isEqualTo(20);
        assertThat(updated.get("gigabytes___DEFAULT__").asInt()).isEqualTo(7);
        assertThat(quotaSet(p, false).get("volumes").asInt()).isEqualTo(5);
        // The project-less URL form answers the same.
        assertThat(http.get(ADMIN, "/v3/os-quota-sets/" + p).body().get("quota_set").get("volumes").asInt())
                .isEqualTo(5);

        r = http.delete(ADMIN, "/v3/admin/os-quota-sets/" + p);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(quotaSet(p, false).get("volumes").asInt()).isEqualTo(12);
        assertThat(quotaSet(p, false).get("gigabytes___DEFAULT__").asInt()).isEqualTo(-1);
    }

    @Test
    void usageFollowsCreateAndDelete() {
        String p = project();
        String token = "alice:" + p;
        JsonNode before = quotaSet(p, true);
        assertThat(before.get("volumes").propertyNames()).containsExactlyInAnyOrder("limit", "in_use", "reserved");
        assertThat(before.get("volumes").get("in_use").asInt()).isZero();
        String id = create(token, 2, null);
        JsonNode after = quotaSet(p, true);
        assertThat(after.get("volumes").get("in_use").asInt()).isEqualTo(1);
        assertThat(after.get("gigabytes").get("in_use").asInt()).isEqualTo(2);
        assertThat(after.get("volumes___DEFAULT__").get("in_use").asInt()).isEqualTo(1);
        assertThat(after.get("gigabytes___DEFAULT__").get("in_use").asInt()).isEqualTo(2);
        assertThat(after.get("volumes").get("limit").asInt()).isEqualTo(12);
        // A member reads their own project's usage (Cinder's reader rule).
        assertThat(http.get(token, "/v3/" + p + "/os-quota-sets/" + p + "?usage=True").status()).isEqualTo(200);

        awaitStatus(token, id, "available");
        assertThat(http.delete(token, "/v3/volumes/" + id).status()).isEqualTo(202);
        waitFor("usage released", () -> quotaSet(p, true),
                q -> q.get("volumes").get("in_use").asInt() == 0 && q.get("gigabytes").get("in_use").asInt() == 0
                        && q.get("volumes___DEFAULT__").get("in_use").asInt() == 0);
    }

    @Test
    void quotaClassesAndTheDefaultClass() {
        HttpJson.Response r = http.get(ADMIN, "/v3/admin/os-quota-class-sets/gold");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().get("quota_class_set").get("id").stringValue()).isEqualTo("gold");
        assertThat(r.body().get("quota_class_set").get("volumes").asInt()).isEqualTo(12);

        r = http.put(ADMIN, "/v3/admin/os-quota-class-sets/gold", "{\"quota_class_set\": {\"volumes\": 30, "
                + "\"snapshots\": \"4\"}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        JsonNode set = r.body().get("quota_class_set");
        assertThat(set.has("id")).isFalse();
        assertThat(set.get("volumes").asInt()).isEqualTo(30);
        assertThat(set.get("snapshots").asInt()).isEqualTo(4);
        assertThat(set.get("gigabytes").asInt()).isEqualTo(1000);

        // The "default" class is every project's default (use_default_quota_class).
        String p = project();
        r = http.put(ADMIN, "/v3/admin/os-quota-class-sets/default", "{\"quota_class_set\": {\"backups\": 3}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        try {
            assertThat(quotaSet(p, false).get("backups").asInt()).isEqualTo(3);
            assertThat(http.get(ADMIN, "/v3/admin/os-quota-sets/" + p + "/defaults").body().get("quota_set")
                    .get("backups").asInt()).isEqualTo(3);
        } finally {
            http.put(ADMIN, "/v3/admin/os-quota-class-sets/default", "{\"quota_class_set\": {\"backups\": 10}}");
        }
        // Members may neither read nor change classes.
        assertThat(http.get("bob:" + p, "/v3/" + p + "/os-quota-class-sets/gold").status()).isEqualTo(403);
        r = http.put("bob:" + p, "/v3/" + p + "/os-quota-class-sets/gold", "{\"quota_class_set\": {\"volumes\": 1}}");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body().get("forbidden").get("message").stringValue())
                .isEqualTo("Policy doesn't allow volume_extension:quota_classes:update to be performed.");
    }

    @Test
    void limitsShowAbsoluteLimitsAndUsage() {
        String p = project();
        String token = "carol:" + p;
        assertThat(update(p, "{\"quota_set\": {\"volumes\": 4, \"gigabytes\": 9}}").status()).isEqualTo(200);
        create(token, 3, null);
        HttpJson.Response r = http.get(token, "/v3/" + p + "/limits");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().propertyNames()).containsExactly("limits");
        assertThat(r.body().get("limits").get("rate").isArray()).isTrue();
        assertThat(r.body().get("limits").get("rate")).isEmpty();
        JsonNode abs = r.body().get("limits").get("absolute");
        assertThat(new HashSet<>(abs.propertyNames())).isEqualTo(ABSOLUTE);
        assertThat(abs.get("maxTotalVolumes").asInt()).isEqualTo(4);
        assertThat(abs.get("maxTotalVolumeGigabytes").asInt()).isEqualTo(9);
        assertThat(abs.get("maxTotalSnapshots").asInt()).isEqualTo(10);
        assertThat(abs.get("maxTotalBackups").asInt()).isEqualTo(10);
        assertThat(abs.get("maxTotalBackupGigabytes").asInt()).isEqualTo(1000);
        assertThat(abs.get("totalVolumesUsed").asInt()).isEqualTo(1);
        assertThat(abs.get("totalGigabytesUsed").asInt()).isEqualTo(3);
        assertThat(abs.get("totalSnapshotsUsed").asInt()).isZero();
        // From 3.39 an administrator may ask for another project.
        r = http.send(ADMIN, "GET", "/v3/admin/limits?project_id=" + p, null, "3.39");
        assertThat(r.body().get("limits").get("absolute").get("maxTotalVolumes").asInt()).isEqualTo(4);
        r = http.send(ADMIN, "GET", "/v3/admin/limits?project_id=" + p, null, "3.38");
        assertThat(r.body().get("limits").get("absolute").get("maxTotalVolumes").asInt()).isEqualTo(12);
        // A member's project_id is ignored (Cinder pops it).
        r = http.send("carol:other-" + p, "GET", "/v3/limits?project_id=" + p, null, "3.50");
        assertThat(r.body().get("limits").get("absolute").get("totalVolumesUsed").asInt()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        not an integer       | {"quota_set": {"volumes": "abc"}}      | volumes must be an integer
        a float              | {"quota_set": {"volumes": 1.5}}        | volumes must be an integer
        null                 | {"quota_set": {"gigabytes": null}}     | gigabytes must be an integer
        below -1             | {"quota_set": {"volumes": -2}}         | volumes must be >= -1
        too large            | {"quota_set": {"volumes": 2147483648}} | volumes must be <= 2147483647
        unknown key          | {"quota_set": {"volumes": 1, "bogus": 1, "ram": 2}} | Invalid input received: Bad key(s) in quota set: bogus, ram
        unknown type key     | {"quota_set": {"volumes_nosuchtype": 1}} | Invalid input received: Bad key(s) in quota set: volumes_nosuchtype
        empty set            | {"quota_set": {}}                      | Invalid input for field/attribute quota_set. Value: {}. {} does not have enough properties
        set not an object    | {"quota_set": 5}                       | Invalid input for field/attribute quota_set. Value: 5. 5 is not of type 'object'
        missing set          | {"volumes": 5}                         | 'quota_set' is a required property
        extra root key       | {"quota_set": {"volumes": 1}, "x": 1}  | Additional properties are not allowed ('x' was unexpected)
        """)
    void badQuotaSetUpdatesAreRefusedAndChangeNothing(String what, String body, String message) {
        String p = project();
        HttpJson.Response r = update(p, body);
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.body().get("badRequest").get("message").stringValue()).isEqualTo(message);
        assertThat(quotaSet(p, false).get("volumes").asInt()).isEqualTo(12);
        assertThat(quotaSet(p, false).get("gigabytes").asInt()).isEqualTo(1000);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        not digits       | {"quota_class_set": {"volumes": "abc"}}  | Invalid input for field/attribute volumes. Value: abc. 'abc' does not match '^[0-9]*$'
        below -1         | {"quota_class_set": {"volumes": -2}}     | Invalid input for field/attribute volumes. Value: -2. -2 is less than the minimum of -1
        a float          | {"quota_class_set": {"volumes": 1.5}}    | Invalid input for field/attribute volumes. Value: 1.5. 1.5 is not of type 'integer', 'string'
        unknown key      | {"quota_class_set": {"bogus": 1}}        | Invalid input received: Bad key(s) in quota class set: bogus
        missing set      | {"volumes": 1}                           | 'quota_class_set' is a required property
        """)
    void badQuotaClassUpdatesAreRefused(String what, String body, String message) {
        HttpJson.Response r = http.put(ADMIN, "/v3/admin/os-quota-class-sets/silver", body);
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.body().get("badRequest").get("message").stringValue()).isEqualTo(message);
        assertThat(http.get(ADMIN, "/v3/admin/os-quota-class-sets/silver").body().get("quota_class_set")
                .get("volumes").asInt()).isEqualTo(12);
    }

    @Test
    void policiesAsCinders() {
        String p = project();
        String member = "dave:" + p;
        HttpJson.Response r = http.put(member, "/v3/" + p + "/os-quota-sets/" + p, "{\"quota_set\": {\"volumes\": 50}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(403);
        assertThat(r.body().get("forbidden").get("message").stringValue())
                .isEqualTo("Policy doesn't allow volume_extension:quotas:update to be performed.");
        assertThat(http.delete(member, "/v3/" + p + "/os-quota-sets/" + p).status()).isEqualTo(403);
        // Another project's quotas: a member may not even read them.
        r = http.get(member, "/v3/" + p + "/os-quota-sets/someone-else");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body().get("forbidden").get("message").stringValue())
                .isEqualTo("Policy doesn't allow volume_extension:quotas:show to be performed.");
        assertThat(http.get(member, "/v3/" + p + "/os-quota-sets/someone-else/defaults").status()).isEqualTo(403);
        assertThat(http.get(member, "/v3/" + p + "/os-quota-sets/" + p).status()).isEqualTo(200);
        assertThat(quotaSet(p, false).get("volumes").asInt()).isEqualTo(12);
        // Schema before policy, as Cinder's decorator orders them.
        assertThat(http.put(member, "/v3/" + p + "/os-quota-sets/" + p, "{\"quota_set\": {\"bogus\": 1}}").status())
                .isEqualTo(400);
        r = http.get(ADMIN, "/v3/admin/os-quota-sets/" + p + "?usage=maybe");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().get("badRequest").get("message").stringValue())
                .isEqualTo("Value 'maybe' for 'usage' is not a boolean.");
    }

    @Test
    void aLimitBelowWhatIsUsedIsRefused() {
        String p = project();
        String token = "erin:" + p;
        assertThat(update(p, "{\"quota_set\": {\"volumes\": 3}}").status()).isEqualTo(200);
        create(token, 1, null);
        create(token, 1, null);
        HttpJson.Response r = update(p, "{\"quota_set\": {\"volumes\": 1}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.body().get("badRequest").get("message").stringValue()).isEqualTo("Quota volumes limit must be "
                + "equal or greater than existing resources. Current usage is 2 and the requested limit is 1.");
        assertThat(quotaSet(p, false).get("volumes").asInt()).isEqualTo(3);
        assertThat(update(p, "{\"quota_set\": {\"volumes\": 2}}").status()).isEqualTo(200);
        assertThat(update(p, "{\"quota_set\": {\"volumes\": -1}}").status()).isEqualTo(200);
    }

    @Test
    void createIsRefusedOverEachLimitWithCindersMessages() {
        String p = project();
        String token = "frank:" + p;
        assertThat(update(p, "{\"quota_set\": {\"volumes\": 1, \"gigabytes\": 5, \"per_volume_gigabytes\": 4}}")
                .status()).isEqualTo(200);
        long rows = volumes.count();
        assertOverLimit(http.post(token, "/v3/volumes", "{\"volume\": {\"size\": 5}}"),
                "Requested volume size 5G is larger than maximum allowed limit 4G.");
        create(token, 3, null);
        assertOverLimit(http.post(token, "/v3/volumes", "{\"volume\": {\"size\": 1}}"),
                "Maximum number of volumes allowed (1) exceeded for quota 'volumes'.");
        assertThat(update(p, "{\"quota_set\": {\"volumes\": 5}}").status()).isEqualTo(200);
        assertOverLimit(http.post(token, "/v3/volumes", "{\"volume\": {\"size\": 3}}"),
                "Requested volume or snapshot exceeds allowed gigabytes quota. Requested 3G, quota is 5G and 3G "
                        + "has been consumed.");
        // Per-type limits.
        assertThat(update(p, "{\"quota_set\": {\"volumes___DEFAULT__\": 1}}").status()).isEqualTo(200);
        assertOverLimit(http.post(token, "/v3/volumes", "{\"volume\": {\"size\": 1}}"),
                "Maximum number of volumes allowed (1) exceeded for quota 'volumes___DEFAULT__'.");
        assertThat(update(p, "{\"quota_set\": {\"volumes___DEFAULT__\": -1, \"gigabytes___DEFAULT__\": 4}}").status())
                .isEqualTo(200);
        assertOverLimit(http.post(token, "/v3/volumes", "{\"volume\": {\"size\": 2}}"),
                "Requested volume or snapshot exceeds allowed gigabytes___DEFAULT__ quota. Requested 2G, quota is "
                        + "4G and 3G has been consumed.");
        assertThat(volumes.count()).isEqualTo(rows + 1);
        JsonNode usage = quotaSet(p, true);
        assertThat(usage.get("volumes").get("in_use").asInt()).isEqualTo(1);
        assertThat(usage.get("gigabytes").get("in_use").asInt()).isEqualTo(3);
        assertThat(usage.get("gigabytes").get("reserved").asInt()).isZero();
    }

    @Test
    void extendReservesTheIncreaseAndIsRefusedOverQuota() {
        String p = project();
        String token = "gina:" + p;
        assertThat(update(p, "{\"quota_set\": {\"gigabytes\": 3}}").status()).isEqualTo(200);
        String id = create(token, 1, null);
        awaitStatus(token, id, "available");
        HttpJson.Response r = http.post(token, "/v3/volumes/" + id + "/action", "{\"os-extend\": {\"new_size\": 5}}");
        assertOverLimit(r, "Requested volume or snapshot exceeds allowed gigabytes quota. Requested 4G, quota is 3G "
                + "and 1G has been consumed.");
        assertThat(awaitStatus(token, id, "available").get("size").asInt()).isEqualTo(1);
        assertThat(update(p, "{\"quota_set\": {\"per_volume_gigabytes\": 2}}").status()).isEqualTo(200);
        assertOverLimit(http.post(token, "/v3/volumes/" + id + "/action", "{\"os-extend\": {\"new_size\": 3}}"),
                "Requested volume size 3G is larger than maximum allowed limit 2G.");
        assertThat(http.post(token, "/v3/volumes/" + id + "/action", "{\"os-extend\": {\"new_size\": 2}}").status())
                .isEqualTo(202);
        Await.until("extended", () -> http.get(token, "/v3/volumes/" + id),
                x -> x.body().get("volume").get("size").asInt() == 2
                        && x.body().get("volume").get("status").stringValue().equals("available"));
        JsonNode usage = quotaSet(p, true);
        assertThat(usage.get("gigabytes").get("in_use").asInt()).isEqualTo(2);
        assertThat(usage.get("gigabytes").get("reserved").asInt()).isZero();
        assertThat(usage.get("gigabytes___DEFAULT__").get("in_use").asInt()).isEqualTo(2);
    }

    /** A retype moves the per-type counts; the new type's per-type limit is checked first (Cinder's 413). */
    @Test
    void retypeMovesPerTypeUsageAndRespectsTheNewTypesLimit() {
        String p = project();
        String token = "jack:" + p;
        String fast = "fast-" + UUID.randomUUID().toString().substring(0, 6);
        String slow = "slow-" + UUID.randomUUID().toString().substring(0, 6);
        for (String t : List.of(fast, slow)) {
            assertThat(http.post(ADMIN, "/v3/types", "{\"volume_type\": {\"name\": \"" + t + "\"}}").status())
                    .isEqualTo(200);
        }
        String id = create(token, 2, null);
        awaitStatus(token, id, "available");
        assertThat(update(p, "{\"quota_set\": {\"volumes_" + slow + "\": 0}}").status()).isEqualTo(200);
        HttpJson.Response r = http.post(token, "/v3/volumes/" + id + "/action",
                "{\"os-retype\": {\"new_type\": \"" + slow + "\"}}");
        assertOverLimit(r, "Maximum number of volumes allowed (0) exceeded for quota 'volumes_" + slow + "'.");
        assertThat(awaitStatus(token, id, "available").get("volume_type").stringValue()).isEqualTo("__DEFAULT__");

        r = http.post(token, "/v3/volumes/" + id + "/action", "{\"os-retype\": {\"new_type\": \"" + fast + "\"}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        Await.until("retyped", () -> http.get(token, "/v3/volumes/" + id),
                x -> fast.equals(x.body().get("volume").get("volume_type").stringValue())
                        && "available".equals(x.body().get("volume").get("status").stringValue()));
        JsonNode usage = waitFor("per-type usage moved", () -> quotaSet(p, true),
                q -> q.get("volumes_" + fast).get("in_use").asInt() == 1);
        assertThat(usage.get("gigabytes_" + fast).get("in_use").asInt()).isEqualTo(2);
        assertThat(usage.get("volumes___DEFAULT__").get("in_use").asInt()).isZero();
        assertThat(usage.get("gigabytes___DEFAULT__").get("in_use").asInt()).isZero();
        assertThat(usage.get("volumes").get("in_use").asInt()).isEqualTo(1);
        assertThat(usage.get("gigabytes").get("in_use").asInt()).isEqualTo(2);

        // Renaming the type renames its per-type resources, limits and usage alike (Cinder's update_quota_resource).
        assertThat(update(p, "{\"quota_set\": {\"gigabytes_" + fast + "\": 50}}").status()).isEqualTo(200);
        String typeId = http.get(ADMIN, "/v3/types").body().get("volume_types").valueStream()
                .filter(t -> fast.equals(t.get("name").stringValue())).findFirst().orElseThrow().get("id").stringValue();
        assertThat(http.put(ADMIN, "/v3/types/" + typeId, "{\"volume_type\": {\"name\": \"" + fast + "x\"}}")
                .status()).isEqualTo(200);
        JsonNode renamed = quotaSet(p, true);
        assertThat(renamed.has("volumes_" + fast)).isFalse();
        assertThat(renamed.get("volumes_" + fast + "x").get("in_use").asInt()).isEqualTo(1);
        assertThat(renamed.get("gigabytes_" + fast + "x").get("limit").asInt()).isEqualTo(50);
    }

    /** Many parallel creates against a quota of 5: exactly 5 succeed, and usage is what exists. */
    @Test
    void concurrentCreatesNeverPassTheLimit() throws Exception {
        String p = project();
        String token = "hank:" + p;
        assertThat(update(p, "{\"quota_set\": {\"volumes\": 5}}").status()).isEqualTo(200);
        int n = 24;
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<Integer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Callable<Integer> call = () -> http.post(token, "/v3/volumes", "{\"volume\": {\"size\": 1}}").status();
                answers.add(pool.submit(call));
            }
            int accepted = 0;
            int refused = 0;
            for (Future<Integer> f : answers) {
                int status = f.get();
                if (status == 202) {
                    accepted++;
                } else if (status == 413) {
                    refused++;
                }
            }
            assertThat(accepted).isEqualTo(5);
            assertThat(refused).isEqualTo(n - 5);
        } finally {
            pool.shutdownNow();
        }
        JsonNode usage = quotaSet(p, true);
        assertThat(usage.get("volumes").get("in_use").asInt()).isEqualTo(5);
        assertThat(usage.get("gigabytes").get("in_use").asInt()).isEqualTo(5);
        assertThat(usage.get("volumes").get("reserved").asInt()).isZero();
        assertThat(liveVolumes(p)).isEqualTo(5);
    }

    /** Fills the start of a volume's file with {@code bytes} of random data (the file backends live under dir). */
    private static void writeData(String volumeId, int bytes) {
        try (var files = java.nio.file.Files.walk(dir)) {
            Path file = files.filter(f -> f.getFileName().toString().equals("volume-" + volumeId)).findFirst()
                    .orElseThrow(() -> new AssertionError("no file for volume " + volumeId + " under " + dir));
            byte[] data = new byte[bytes];
            new java.util.Random(42).nextBytes(data);
            try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(data), 0);
                ch.force(true);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Cinder's use_quota: the temporary volume of a host-copy migration never counts, during or after. */
    @Test
    void migrationDoesNotConsumeQuota() {
        String p = project();
        String token = "ivy:" + p;
        String id = create(token, 1, null);
        JsonNode placed = awaitStatus(ADMIN, id, "available");
        String from = placed.get("os-vol-host-attr:host").stringValue();
        String to = from.contains("@f1") ? host + "@f2" : host + "@f1";
        JsonNode before = quotaSet(p, true);
        assertThat(before.get("volumes").get("in_use").asInt()).isEqualTo(1);

        // Data to copy, throttled, so the temporary volume is observed while the copy runs: an empty sparse volume
        // has no extents, and its copy ends before a poll could see it.
        writeData(id, 24 << 20);
        HttpJson.Response r = http.post(ADMIN, "/v3/admin/volumes/" + id + "/action", "{\"os-migrate_volume\": "
                + "{\"host\": \"" + to + "\", \"force_host_copy\": true, \"bps_limit\": 4194304}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        waitFor("temporary volume exists", () -> volumes.findAll(),
                rows -> rows.stream().anyMatch(v -> !v.isDeleted() && v.getMigrationStatus() != null
                        && v.getMigrationStatus().toString().contains(id) && p.equals(v.getProjectId())));
        VolumeEntity tmp = volumes.findAll().stream().filter(v -> !v.isDeleted() && v.getMigrationStatus() != null
                && v.getMigrationStatus().toString().contains(id)).findFirst().orElseThrow();
        assertThat(tmp.isUseQuota()).isFalse();
        assertThat(volumes.findById(id).orElseThrow().isUseQuota()).isTrue();
        JsonNode during = quotaSet(p, true);
        assertThat(during.get("volumes").get("in_use").asInt()).isEqualTo(1);
        assertThat(during.get("gigabytes").get("in_use").asInt()).isEqualTo(1);
        assertThat(during.get("volumes").get("reserved").asInt()).isZero();

        assertThat(http.post(ADMIN, "/v3/admin/volumes/" + id + "/action",
                "{\"os-migrate_volume_update\": {\"bps_limit\": 0}}").status()).isEqualTo(202);
        Await.until("migrated", () -> http.get(ADMIN, "/v3/admin/volumes/" + id),
                x -> "success".equals(x.body().get("volume").get("migration_status").stringValue()),
                Duration.ofMinutes(3));
        waitFor("temporary volume deleted", () -> volumes.findAll(), rows -> rows.stream()
                .noneMatch(v -> !v.isDeleted() && p.equals(v.getProjectId()) && !v.getId().equals(id)));
        JsonNode after = quotaSet(p, true);
        assertThat(after.get("volumes").get("in_use").asInt()).isEqualTo(1);
        assertThat(after.get("gigabytes").get("in_use").asInt()).isEqualTo(1);
        assertThat(after.get("volumes___DEFAULT__").get("in_use").asInt()).isEqualTo(1);
        assertThat(liveVolumes(p)).isEqualTo(1);

        // And the final volume gives its quota back once when deleted.
        assertThat(http.delete(token, "/v3/volumes/" + id).status()).isEqualTo(202);
        waitFor("released", () -> quotaSet(p, true), q -> q.get("volumes").get("in_use").asInt() == 0
                && q.get("gigabytes").get("in_use").asInt() == 0);
    }
}
