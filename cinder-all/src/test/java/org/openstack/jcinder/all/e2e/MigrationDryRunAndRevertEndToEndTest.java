package org.openstack.jcinder.all.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.common.config.ConnectionUrls;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.CinderConfFile;
import org.openstack.jcinder.testsupport.HttpJson;
import org.openstack.jcinder.testsupport.TestServices;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;

/**
 * The migration dry-run and the rollback window end to end in cinder-all on real PostgreSQL and RabbitMQ, with
 * two file backends of one host: f1 keeps the old copy of a volume migrated away from it for an hour, f2 for two
 * seconds ({@code migration_keep_source}).
 *
 * <p>Dry-run: for every Cinder error of {@code os-migrate_volume} (the rows of
 * {@code MigrationEndToEndTest.cindersErrorsForBadMigrateRequests}, and a volume with snapshots) the dry-run's
 * first blocker has the code and message the real request answers, and the scheduler's refusal (which the real
 * request reports after a 202, in the migration's error) is a blocker with the same reason; for a success the
 * path predicted is the path taken. A fingerprint of the database before and after each dry-run proves it
 * changed nothing. Revert: within the window the bytes and the host come back (writes made since the migration
 * are lost) with no copy; after it the old copy is gone from disk and the revert is refused with a 400.
 */
class MigrationDryRunAndRevertEndToEndTest {

    private static final String ADMIN = "admin:proj-dr";
    private static final long GIB = 1L << 30;
    private static final String MIN_IDLE = "spring.datasource.hikari.minimum-idle";
    private static final String FINGERPRINT = "select concat_ws(' ', "
            + "(select md5(coalesce(string_agg(t::text, '|' order by t.id), '')) from volumes t), "
            + "(select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from volume_metadata t), "
            + "(select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from volume_admin_metadata t), "
            + "(select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from volume_attachment t), "
            + "(select md5(coalesce(string_agg(t::text, '|' order by t.id), '')) from snapshots t), "
            + "(select md5(coalesce(string_agg(t::text, '|' order by t.id), '')) from volume_migrations t), "
            + "(select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from quota_usages t), "
            + "(select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from messages t))";

    @TempDir
    static Path dir;
    static Path data;
    static String database;
    static String host;
    static ConfigurableApplicationContext all;
    static HttpJson http;
    static Connection db;

    @BeforeAll
    static void start() throws Exception {
        database = TestServices.freshDatabase();
        host = "dr-" + UUID.randomUUID().toString().substring(0, 8);
        data = dir.resolve("data");
        db = connect();
        // The database server is shared with other test runs: open connections as needed, not 16 at start.
        System.setProperty(MIN_IDLE, "2");
        Path conf = CinderConfFile.write(dir, "cinder.conf", String.join("\n",
                "[DEFAULT]",
                "host = " + host,
                "enabled_backends = f1, f2",
                "transport_url = " + TestServices.transportUrl(),
                "osapi_volume_listen_port = 0",
                "report_interval = 1",
                "quota_volumes = -1",
                // Any free management port: the all-in-one's default (9776) may be another test's.
                "[management]",
                "port = 0",
                "[database]",
                "connection = " + database,
                "[f1]",
                "volume_driver = file",
                "file_volume_capacity_gb = 100",
                "migration_keep_source = 3600",
                "[f2]",
                "volume_driver = file",
                "file_volume_capacity_gb = 50",
                "migration_keep_source = 2"));
        for (int attempt = 1; all == null; attempt++) {
            try {
                all = CinderAllApplication.start(new String[] {"--config-file", conf.toString(), "--data-dir",
                        data.toString()});
            } catch (RuntimeException e) {
                // The shared database server may refuse connections for a while ("too many clients").
                if (attempt == 3 || !tooManyClients(e)) {
                    throw e;
                }
                Thread.sleep(10_000);
            }
        }
        http = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) all).getWebServer().getPort());
        Await.until("both pools", () -> http.get(ADMIN, "/v3/scheduler-stats/get_pools"),
                r -> r.status() == 200 && r.body().get("pools").size() == 2);
    }

    private static boolean tooManyClients(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains("too many clients")) {
                return true;
            }
        }
        return false;
    }

    /** The test's own connection, taken before the services start: the shared server may be near its limit. */
    private static Connection connect() throws Exception {
        ConnectionUrls.Jdbc jdbc = ConnectionUrls.database(database, "test");
        for (int attempt = 1; ; attempt++) {
            try {
                return DriverManager.getConnection(jdbc.url(), jdbc.username(), jdbc.password());
            } catch (java.sql.SQLException e) {
                if (attempt == 60) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        System.clearProperty(MIN_IDLE);
        db.close();
        all.close();
    }

    private static String sql(String query) {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(query)) {
            return r.next() ? r.getString(1) : null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The fingerprint once no kept copy of f2 (two-second window) is waiting for its expiry: the volume service's
     * periodic task changes those rows by itself, with no request.
     */
    private static String fingerprint() {
        long until = System.currentTimeMillis() + 30_000;
        // The record says "deleted" first, then the row of the copy is deleted: wait for both.
        while (!"0".equals(sql("select (select count(*) from volume_migrations where source_state = 'kept' "
                + "and source_host like '%@f2#%') + (select count(*) from volumes where deleted = false "
                + "and migration_status = 'deleting' and host like '%@f2#%')")) && System.currentTimeMillis() < until) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        return sql(FINGERPRINT);
    }

    private static JsonNode show(String id) {
        return http.get(ADMIN, "/v3/volumes/" + id).body().get("volume");
    }

    private static String createUntyped(String token) {
        String id = http.post(token, "/v3/volumes", "{\"volume\": {\"size\": 1}}").body().get("volume").get("id")
                .stringValue();
        Await.until("available", () -> http.get(ADMIN, "/v3/volumes/" + id),
                r -> "available".equals(r.body().get("volume").get("status").stringValue()));
        return id;
    }

    private static String createOn(String backend) {
        String type = "t-" + backend + "-" + UUID.randomUUID().toString().substring(0, 6);
        http.post(ADMIN, "/v3/types", "{\"volume_type\": {\"name\": \"" + type + "\", \"extra_specs\": "
                + "{\"volume_backend_name\": \"" + backend + "\"}}}");
        String id = http.post(ADMIN, "/v3/volumes", "{\"volume\": {\"size\": 1, \"volume_type\": \"" + type
                + "\"}}").body().get("volume").get("id").stringValue();
        Await.until("available", () -> http.get(ADMIN, "/v3/volumes/" + id),
                r -> "available".equals(r.body().get("volume").get("status").stringValue()));
        return id;
    }

    private static String hostOf(String id) {
        return show(id).get("os-vol-host-attr:host").stringValue();
    }

    private static String other(String id) {
        return hostOf(id).contains("@f1") ? "f2" : "f1";
    }

    private static Path fileOf(JsonNode volume) {
        String backend = volume.get("os-vol-host-attr:host").stringValue().split("@")[1].split("#")[0];
        String nameId = volume.get("os-vol-mig-status-attr:name_id").isNull() ? volume.get("id").stringValue()
                : volume.get("os-vol-mig-status-attr:name_id").stringValue();
        return data.resolve("volumes").resolve(backend).resolve("volume-" + nameId);
    }

    private static String write(Path file, long seed) throws Exception {
        Random random = new Random(seed);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            for (long offset : new long[] {0, 300L << 20, GIB - 8192}) {
                byte[] block = new byte[8192];
                random.nextBytes(block);
                f.seek(offset);
                f.write(block);
            }
        }
        return digest(file);
    }

    private static String digest(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static HttpJson.Response action(String token, String id, String body, String version) {
        return action(token, id, body, version, "volumes");
    }

    private static HttpJson.Response action(String token, String id, String body, String version, String kind) {
        String path = "/v3/" + kind + "/" + id + "/action";
        return version == null ? http.post(token, path, body) : http.send(token, "POST", path, body, version);
    }

    private static HttpJson.Response migrate(String token, String id, String args, String version) {
        return action(token, id, "{\"os-migrate_volume\": " + args + "}", version);
    }

    /** The same arguments with {@code "dry_run": true}. */
    private static HttpJson.Response dryRun(String token, String id, String args, String version) {
        String withDryRun = args.equals("{}") ? "{\"dry_run\": true}"
                : args.substring(0, args.length() - 1) + ", \"dry_run\": true}";
        return migrate(token, id, withDryRun, version);
    }

    private static String message(HttpJson.Response r) {
        JsonNode error = r.body().properties().iterator().next().getValue();
        return error.get("message").stringValue();
    }

    private static JsonNode awaitMigration(String id, String state) {
        return Await.until("migration " + state, () -> http.get(ADMIN, "/v3/volumes/" + id),
                r -> state.equals(r.body().get("volume").get("migration_status").stringValue())).body().get("volume");
    }

    private static JsonNode migrationOf(String id) {
        return http.get(ADMIN, "/v3/volumes/" + id + "/migration").body().get("migration");
    }

    /**
     * The dry-run first, which must change nothing; then the real request. An error before the checks (body,
     * lookup, policy) is the dry-run's own answer; a refusal by the checks is its first blocker.
     */
    private static JsonNode assertSameOutcome(String token, String id, String args, String version) {
        String before = fingerprint();
        HttpJson.Response dry = dryRun(token, id, args, version);
        assertThat(fingerprint()).as("the dry-run changed nothing").isEqualTo(before);
        HttpJson.Response real = migrate(token, id, args, version);
        assertThat(real.status()).as(real.raw()).isIn(400, 403, 404);
        if (dry.status() == 200) {
            JsonNode answer = dry.body().get("migration_dry_run");
            assertThat(answer.get("would_succeed").booleanValue()).isFalse();
            JsonNode first = answer.get("blockers").get(0);
            assertThat(first.get("code").asInt()).isEqualTo(real.status());
            assertThat(first.get("message").stringValue()).isEqualTo(message(real));
            return answer;
        }
        assertThat(dry.status()).as(dry.raw()).isEqualTo(real.status());
        assertThat(message(dry)).isEqualTo(message(real));
        return null;
    }

    @Test
    void theDryRunAnswersWhatTheRequestAnswersForEachOfCindersErrors() throws Exception {
        String id = createUntyped(ADMIN);
        String here = hostOf(id);
        // Already there: Cinder's one message for the volume's state.
        JsonNode same = assertSameOutcome(ADMIN, id, "{\"host\": \"" + here + "\"}", null);
        assertThat(same.get("blockers").get(0).get("message").stringValue()).startsWith("Invalid volume: Volume " + id
                + " status must be available or in-use");
        // No such service; a name that is not host@backend.
        JsonNode nowhere = assertSameOutcome(ADMIN, id, "{\"host\": \"nosuchhost@x#y\"}", null);
        assertThat(nowhere.get("blockers").get(0).get("message").stringValue())
                .isEqualTo("Invalid host: No available service named 'nosuchhost@x'");
        assertSameOutcome(ADMIN, id, "{\"host\": \"nobackend\"}", null);
        // Policy, lookup, schema.
        assertThat(assertSameOutcome("alice:proj-dr", id, "{\"host\": \"" + host + "@f2\"}", null)).isNull();
        assertThat(dryRun("alice:proj-dr", id, "{\"host\": \"" + host + "@f2\"}", null).status()).isEqualTo(403);
        assertThat(dryRun(ADMIN, "no-such-volume", "{\"host\": \"" + host + "@f2\"}", null).status()).isEqualTo(404);
        assertSameOutcome(ADMIN, "no-such-volume", "{\"host\": \"" + host + "@f2\"}", null);
        assertSameOutcome(ADMIN, id, "{}", null);
        assertSameOutcome(ADMIN, id, "{\"host\": \"" + host + "@f2\", \"colour\": 1}", null);
        assertSameOutcome(ADMIN, id, "{\"host\": 5}", null);
        assertSameOutcome(ADMIN, id, "{\"host\": \"" + host + "@f2\", \"cluster\": \"c\"}", "3.16");
        assertSameOutcome(ADMIN, id, "{\"cluster\": \"c\"}", "3.16");
        assertThat(dryRun(ADMIN, id, "{\"host\": \"" + host + "@f2\"}", null).status()).isEqualTo(200);
        assertThat(migrate(ADMIN, id, "{\"host\": \"" + host + "@f2\", \"dry_run\": \"maybe\"}", null).status())
                .isEqualTo(400);

        // A volume with a snapshot: the state message again.
        String snapped = createUntyped(ADMIN);
        String snapshot = http.post(ADMIN, "/v3/snapshots", "{\"snapshot\": {\"volume_id\": \"" + snapped + "\"}}")
                .body().get("snapshot").get("id").stringValue();
        Await.until("snapshot available", () -> http.get(ADMIN, "/v3/snapshots/" + snapshot),
                r -> "available".equals(r.body().get("snapshot").get("status").stringValue()));
        assertSameOutcome(ADMIN, snapped, "{\"host\": \"" + host + "@" + other(snapped) + "\"}", null);

        // Two blockers at once: the dry-run reports both, in the request's order.
        HttpJson.Response two = dryRun(ADMIN, snapped, "{\"host\": \"nosuchhost@x\"}", null);
        JsonNode blockers = two.body().get("migration_dry_run").get("blockers");
        assertThat(blockers).hasSize(3);
        assertThat(blockers.get(0).get("message").stringValue()).contains("No available service named");
        assertThat(blockers.get(1).get("message").stringValue()).contains("must not be migrating, have snapshots");
        assertThat(blockers.get(2).get("check").stringValue()).isEqualTo("scheduler");

        // Nothing above changed either volume.
        assertThat(show(id).get("migration_status").isNull()).isTrue();
        assertThat(hostOf(id)).isEqualTo(here);
    }

    @Test
    void aBandwidthLimitIsRefusedUpFrontOnABackendWhoseCopyEngineCannotKeepOne() throws Exception {
        // A backend whose host copy cannot keep a limit (dd on a host where it cannot be paced) says so in its
        // capability report. No such host is at hand, so the test writes the row such a service writes (its
        // report with copyBandwidthLimit false, no pools) and puts a volume on it.
        String noPace = standInService("nopace", false);
        String id = createUntyped(ADMIN);
        String home = hostOf(id);
        String limited = "{\"host\": \"" + host + "@f2\", \"bps_limit\": 52428800}";
        try (Statement st = db.createStatement()) {
            st.executeUpdate("update volumes set host = '" + noPace + "#nopace' where id = '" + id + "'");
            // The row stands for no live service: aged past service_down_time, so a dry-run does not ask it for a
            // plan (a call nobody would answer before its timeout). Its capability report still counts.
            st.executeUpdate("update services set updated_at = created_at - interval '1 hour' where host = '"
                    + noPace + "'");

            String before = fingerprint();
            JsonNode refused = assertSameOutcome(ADMIN, id, limited, null);
            assertThat(fingerprint()).as("the refused request changed nothing").isEqualTo(before);
            assertThat(refused.get("blockers").get(0).get("message").stringValue()).isEqualTo(
                    "Invalid input received: bps_limit: the copy engine of " + noPace + " cannot keep a bandwidth "
                    + "limit on its host; migrate without bps_limit");
            // Without a limit the request passes the API's checks.
            assertThat(dryRun(ADMIN, id, "{\"host\": \"" + host + "@f2\"}", null).body()
                    .get("migration_dry_run").get("blockers").findValuesAsString("check")).doesNotContain("api");
        } finally {
            try (Statement st = db.createStatement()) {
                st.executeUpdate("update volumes set host = '" + home + "' where id = '" + id + "'");
                st.executeUpdate("update services set deleted = true where host = '" + noPace + "'");
            }
        }
        // The file backends' native engine keeps limits (their reports say so): the same limit is taken there.
        assertThat(dryRun(ADMIN, id, limited.replace("@f2", "@" + other(id)), null).body()
                .get("migration_dry_run").get("blockers").findValuesAsString("check")).doesNotContain("api");
    }

    @Test
    void aSourceThatDoesNotAnswerLeavesThePathToRunTimeInsteadOfHoldingTheDryRun() throws Exception {
        // A source backend whose heartbeat is fresh but which answers nothing (here: a row and no process).
        String silent = standInService("silent", true);
        String id = createUntyped(ADMIN);
        String home = hostOf(id);
        try (Statement st = db.createStatement()) {
            st.executeUpdate("update volumes set host = '" + silent + "#silent' where id = '" + id + "'");
            long started = System.nanoTime();
            HttpJson.Response dry = dryRun(ADMIN, id, "{\"host\": \"" + host + "@f2\"}", null);
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(dry.status()).as(dry.raw()).isEqualTo(200);
            JsonNode answer = dry.body().get("migration_dry_run");
            assertThat(answer.get("path").isNull()).isTrue();
            assertThat(answer.get("path_detail").stringValue())
                    .startsWith("decided at run time: the source backend did not answer");
            // Bounded by the dry-run's own wait (10 s), not rpc_response_timeout (60 s); slack for a slow machine.
            assertThat(seconds).isLessThan(30);
        } finally {
            try (Statement st = db.createStatement()) {
                st.executeUpdate("update volumes set host = '" + home + "' where id = '" + id + "'");
                st.executeUpdate("update services set deleted = true where host = '" + silent + "'");
            }
        }
    }

    /**
     * The services row a volume service of backend {@code name} on this host writes (registered, one heartbeat
     * with its capability report, no pools), with no process behind it; answers its {@code host@backend}.
     */
    private static String standInService(String name, boolean copyBandwidthLimit) throws Exception {
        org.openstack.jcinder.common.service.ServiceRegistry registry =
                all.getBean(org.openstack.jcinder.common.service.ServiceRegistry.class);
        tools.jackson.databind.json.JsonMapper mapper = all.getBean(tools.jackson.databind.json.JsonMapper.class);
        String serviceHost = host + "@" + name;
        var row = registry.register(org.openstack.jcinder.common.service.ServiceRegistry.VOLUME_BINARY, serviceHost,
                "cinder-volume", "nova");
        registry.heartbeat(row, mapper.writeValueAsString(new org.openstack.jcinder.common.capability
                .BackendCapabilities(serviceHost, name, null, null, "file", "nova", null, true, null,
                java.util.List.of()).withCopyBandwidthLimit(copyBandwidthLimit)), null);
        return serviceHost;
    }

    @Test
    void theSchedulersRefusalIsABlockerWithTheReasonTheMigrationEndsWith() {
        // Its type asks for volume_backend_name f1: the scheduler refuses f2.
        String id = createOn("f1");
        String before = fingerprint();
        HttpJson.Response dry = dryRun(ADMIN, id, "{\"host\": \"" + host + "@f2\"}", null);
        assertThat(fingerprint()).isEqualTo(before);
        assertThat(dry.status()).as(dry.raw()).isEqualTo(200);
        JsonNode answer = dry.body().get("migration_dry_run");
        assertThat(answer.get("would_succeed").booleanValue()).isFalse();
        assertThat(answer.get("path").isNull()).isTrue();
        JsonNode blocker = answer.get("blockers").get(0);
        assertThat(blocker.get("check").stringValue()).isEqualTo("scheduler");
        assertThat(blocker.get("code").asInt()).isEqualTo(202);
        assertThat(blocker.get("migration_status").stringValue()).isEqualTo("error");

        assertThat(migrate(ADMIN, id, "{\"host\": \"" + host + "@f2\"}", null).status()).isEqualTo(202);
        awaitMigration(id, "error");
        assertThat(sql("select status_reason from volumes where id = '" + id + "'"))
                .isEqualTo(blocker.get("message").stringValue());
    }

    @Test
    void theDryRunPredictsThePathTheMigrationTakesAndTheCapacityAfterIt() {
        String id = createUntyped(ADMIN);
        String from = hostOf(id);
        String to = other(id);

        // Driver-native between two file backends of one host.
        String before = fingerprint();
        HttpJson.Response dry = dryRun(ADMIN, id, "{\"host\": \"" + host + "@" + to + "\"}", null);
        assertThat(fingerprint()).isEqualTo(before);
        assertThat(dry.status()).as(dry.raw()).isEqualTo(200);
        JsonNode answer = dry.body().get("migration_dry_run");
        assertThat(answer.get("would_succeed").booleanValue()).as(dry.raw()).isTrue();
        assertThat(answer.get("blockers")).isEmpty();
        assertThat(answer.get("path").stringValue()).isEqualTo("driver");
        assertThat(answer.get("paths_not_taken").get("generic").stringValue()).contains("driver path comes first");
        assertThat(answer.get("paths_not_taken").get("attached").stringValue()).contains("detached");
        JsonNode destination = answer.get("destination");
        assertThat(destination.get("pool").stringValue()).isEqualTo(host + "@" + to + "#" + to);
        assertThat(destination.get("free_capacity_gb_after").asDouble())
                .isEqualTo(destination.get("free_capacity_gb").asDouble() - 1);
        assertThat(answer.get("keep_source_seconds").asLong()).isEqualTo(from.contains("@f1") ? 3600 : 2);
        assertThat(migrate(ADMIN, id, "{\"host\": \"" + host + "@" + to + "\"}", null).status()).isEqualTo(202);
        awaitMigration(id, "success");
        assertThat(migrationOf(id).get("path").stringValue()).isEqualTo("driver");

        // force_host_copy: the generic copy, and now an estimate from the backend's history.
        String back = from.split("@")[1].split("#")[0];
        dry = dryRun(ADMIN, id, "{\"host\": \"" + host + "@" + back + "\", \"force_host_copy\": true}", null);
        answer = dry.body().get("migration_dry_run");
        assertThat(answer.get("path").stringValue()).as(dry.raw()).isEqualTo("generic");
        assertThat(answer.get("paths_not_taken").get("driver").stringValue()).isEqualTo("force_host_copy is set");
        assertThat(migrate(ADMIN, id, "{\"host\": \"" + host + "@" + back + "\", \"force_host_copy\": true}", null)
                .status()).isEqualTo(202);
        awaitMigration(id, "success");
        assertThat(migrationOf(id).get("path").stringValue()).isEqualTo("generic");
        dry = dryRun(ADMIN, id, "{\"host\": \"" + host + "@" + to + "\"}", null);
        answer = dry.body().get("migration_dry_run");
        assertThat(answer.get("estimate_basis").get("migrations").asInt()).as(dry.raw()).isPositive();
        assertThat(answer.get("estimated_seconds").isNumber()).isTrue();
        assertThat(answer.get("estimate_basis").get("rate_bytes_per_second").asLong()).isPositive();

        // Attached: the compute service's path (no real swap here; MigrationEndToEndTest runs one).
        String attached = createUntyped(ADMIN);
        assertThat(action(ADMIN, attached, "{\"os-reserve\": null}", null).status()).isEqualTo(202);
        assertThat(action(ADMIN, attached, "{\"os-attach\": {\"instance_uuid\": \"" + UUID.randomUUID()
                + "\", \"mountpoint\": \"/dev/vdb\"}}", null).status()).isEqualTo(202);
        before = fingerprint();
        answer = dryRun(ADMIN, attached, "{\"host\": \"" + host + "@" + other(attached) + "\"}", null).body()
                .get("migration_dry_run");
        assertThat(fingerprint()).isEqualTo(before);
        assertThat(answer.get("path").stringValue()).isEqualTo("attached");
        assertThat(answer.get("paths_not_taken").get("driver").stringValue()).contains("attached");
        assertThat(answer.get("keep_source_seconds").asLong()).isZero();
    }

    /**
     * {@code with_snapshots}: the dry-run reports the snapshots that would move and asks the scheduler for room for
     * all of them; its blockers are the request's own (a snapshot not available, an attached volume), first blocker
     * equal to the real request's answer; for a success the path predicted for the chain is the path taken.
     */
    @Test
    void aDryRunWithSnapshotsReportsTheChainAndItsOwnBlockers() {
        String id = createUntyped(ADMIN);
        String to = other(id);
        String s1 = snapshotOf(id);
        String s2 = snapshotOf(id);
        String args = "{\"host\": \"" + host + "@" + to + "\", \"with_snapshots\": true}";

        // A snapshot in error: the request's refusal, and the dry-run names the snapshot.
        assertThat(action(ADMIN, s2, "{\"os-reset_status\": {\"status\": \"error\"}}", null, "snapshots")
                .status()).isEqualTo(202);
        JsonNode refused = assertSameOutcome(ADMIN, id, args, null);
        assertThat(refused.get("blockers").get(0).get("message").stringValue()).isEqualTo("Invalid volume: Volume "
                + id + " status must be available and every snapshot of it available to migrate with_snapshots; it "
                + "must not be migrating, and destination host/cluster must be different than the current one");
        assertThat(refused.get("with_snapshots").booleanValue()).isTrue();
        assertThat(refused.get("snapshots").get("not_available")).hasSize(1);
        assertThat(refused.get("snapshots").get("not_available").get(0).stringValue()).isEqualTo(s2);
        assertThat(action(ADMIN, s2, "{\"os-reset_status\": {\"status\": \"available\"}}", null, "snapshots")
                .status()).isEqualTo(202);

        // Without the key the volume's snapshots are Cinder's blocker, and nothing about snapshots is reported.
        JsonNode alone = dryRun(ADMIN, id, "{\"host\": \"" + host + "@" + to + "\"}", null).body()
                .get("migration_dry_run");
        assertThat(alone.get("blockers").get(0).get("message").stringValue()).contains("have snapshots");
        assertThat(alone.get("with_snapshots").booleanValue()).isFalse();
        assertThat(alone.has("snapshots")).isFalse();

        // Would succeed: two 1 GiB snapshots move with the 1 GiB volume, and the destination must hold all three.
        String before = fingerprint();
        HttpJson.Response dry = dryRun(ADMIN, id, args, null);
        assertThat(fingerprint()).as("the dry-run changed nothing").isEqualTo(before);
        assertThat(dry.status()).as(dry.raw()).isEqualTo(200);
        JsonNode answer = dry.body().get("migration_dry_run");
        assertThat(answer.get("would_succeed").booleanValue()).as(dry.raw()).isTrue();
        JsonNode chain = answer.get("snapshots");
        assertThat(chain.get("count").asInt()).isEqualTo(2);
        assertThat(chain.get("total_size_gb").asInt()).isEqualTo(2);
        assertThat(chain.get("not_available")).isEmpty();
        assertThat(chain.get("snapshots").get(0).get("id").stringValue()).isEqualTo(s1);
        assertThat(chain.get("snapshots").get(1).get("id").stringValue()).isEqualTo(s2);
        JsonNode destination = answer.get("destination");
        assertThat(destination.get("free_capacity_gb_after").asDouble())
                .isEqualTo(destination.get("free_capacity_gb").asDouble() - 3);
        assertThat(answer.get("paths_not_taken").get("attached").stringValue()).contains("detached");
        String predicted = answer.get("path").stringValue();
        assertThat(predicted).isIn("driver", "generic");

        assertThat(migrate(ADMIN, id, args, null).status()).isEqualTo(202);
        awaitMigration(id, "success");
        assertThat(migrationOf(id).get("path").stringValue()).isEqualTo(predicted);
        assertThat(migrationOf(id).get("bytes_total").asLong()).isEqualTo(3 * GIB);

        // Attached: with_snapshots is refused first for that, then for the state (in-use is not available).
        String attached = createUntyped(ADMIN);
        assertThat(action(ADMIN, attached, "{\"os-reserve\": null}", null).status()).isEqualTo(202);
        assertThat(action(ADMIN, attached, "{\"os-attach\": {\"instance_uuid\": \"" + UUID.randomUUID()
                + "\", \"mountpoint\": \"/dev/vdb\"}}", null).status()).isEqualTo(202);
        JsonNode onAttached = assertSameOutcome(ADMIN, attached, "{\"host\": \"" + host + "@" + other(attached)
                + "\", \"with_snapshots\": true}", null);
        assertThat(onAttached.get("blockers").get(0).get("message").stringValue()).contains("is attached")
                .contains("Nova's swap");
        assertThat(onAttached.get("blockers").get(1).get("message").stringValue())
                .contains("status must be available and every snapshot");
        assertThat(onAttached.get("snapshots").get("count").asInt()).isZero();
    }

    private static String snapshotOf(String volumeId) {
        String snapshot = http.post(ADMIN, "/v3/snapshots", "{\"snapshot\": {\"volume_id\": \"" + volumeId
                + "\"}}").body().get("snapshot").get("id").stringValue();
        Await.until("snapshot available", () -> http.get(ADMIN, "/v3/snapshots/" + snapshot),
                r -> "available".equals(r.body().get("snapshot").get("status").stringValue()));
        return snapshot;
    }

    @Test
    void aRevertWithinTheWindowBringsBackTheBytesAndTheHostWithoutACopy() throws Exception {
        String token = "admin:proj-rv";
        for (boolean force : new boolean[] {false, true}) {
            String id = createUntyped(token);
            JsonNode original = show(id);
            String from = original.get("os-vol-host-attr:host").stringValue();
            assertThat(from).contains("@f1"); // the capacity weigher's choice: f1 keeps sources for an hour
            Path oldFile = fileOf(original);
            String sum = write(oldFile, 7);
            assertThat(migrate(ADMIN, id, "{\"host\": \"" + host + "@f2\", \"force_host_copy\": " + force + "}", null)
                    .status()).isEqualTo(202);
            JsonNode moved = awaitMigration(id, "success");
            assertThat(moved.get("os-vol-host-attr:host").stringValue()).isEqualTo(host + "@f2#f2");
            JsonNode record = migrationOf(id);
            assertThat(record.get("path").stringValue()).isEqualTo(force ? "generic" : "driver");
            assertThat(record.get("source_kept").booleanValue()).isTrue();
            assertThat(record.get("rollback_available_until").stringValue()).isNotBlank();
            assertThat(oldFile).as("old copy kept").exists();
            assertThat(digest(oldFile)).isEqualTo(sum);
            // The kept copy is not the project's: one volume, one GiB in use.
            JsonNode usage = http.get("admin:admin", "/v3/admin/os-quota-sets/proj-rv?usage=true").body().get("quota_set");
            assertThat(usage.get("volumes").get("in_use").asInt()).isEqualTo(1);
            assertThat(usage.get("gigabytes").get("in_use").asInt()).isEqualTo(1);

            // Written after the migration: lost by the revert.
            Path newFile = fileOf(moved);
            write(newFile, 99);
            assertThat(action("member:proj-rv", id, "{\"os-migrate_volume_revert\": {}}", null).status())
                    .isEqualTo(403);
            assertThat(action(ADMIN, id, "{\"os-migrate_volume_revert\": {\"x\": 1}}", null).status()).isEqualTo(400);
            HttpJson.Response r = action(ADMIN, id, "{\"os-migrate_volume_revert\": {}}", null);
            assertThat(r.status()).as(r.raw()).isEqualTo(202);
            JsonNode reverted = Await.until("reverted", () -> http.get(ADMIN, "/v3/volumes/" + id),
                    x -> x.body().get("volume").get("os-vol-host-attr:host").stringValue().equals(from)
                            && "available".equals(x.body().get("volume").get("status").stringValue())).body()
                    .get("volume");
            assertThat(reverted.get("id").stringValue()).isEqualTo(id);
            assertThat(fileOf(reverted)).isEqualTo(oldFile);
            assertThat(digest(oldFile)).isEqualTo(sum);
            Await.until("new copy deleted", () -> http.get(ADMIN, "/v3/volumes/" + id), x -> !Files.exists(newFile));
            record = migrationOf(id);
            assertThat(record.get("source_state").stringValue()).isEqualTo("reverted");
            assertThat(record.get("source_kept").booleanValue()).isFalse();
            HttpJson.Response again = action(ADMIN, id, "{\"os-migrate_volume_revert\": {}}", null);
            assertThat(again.status()).isEqualTo(400);
            assertThat(message(again)).contains("is already reverted");
            usage = http.get("admin:admin", "/v3/admin/os-quota-sets/proj-rv?usage=true").body().get("quota_set");
            assertThat(usage.get("volumes").get("in_use").asInt()).isEqualTo(1);
            assertThat(http.delete(token, "/v3/volumes/" + id).status()).isEqualTo(202);
            Await.until("deleted", () -> http.get(ADMIN, "/v3/volumes/" + id), x -> x.status() == 404);
        }
        // Never migrated: nothing to revert to.
        String fresh = createUntyped(token);
        HttpJson.Response none = action(ADMIN, fresh, "{\"os-migrate_volume_revert\": {}}", null);
        assertThat(none.status()).isEqualTo(400);
        assertThat(message(none)).contains("has no kept source to revert to");
    }

    @Test
    void afterTheWindowTheOldCopyIsDeletedAndARevertIsRefused() throws Exception {
        String id = createUntyped(ADMIN);
        assertThat(migrate(ADMIN, id, "{\"host\": \"" + host + "@" + other(id) + "\"}", null).status()).isEqualTo(202);
        awaitMigration(id, "success");
        String onF2 = hostOf(id);
        if (!onF2.contains("@f2")) {
            throw new AssertionError("expected the volume on f2, it is on " + onF2);
        }
        // From f2, which keeps an old copy for two seconds.
        Path f2Copy = fileOf(show(id));
        assertThat(migrate(ADMIN, id, "{\"host\": \"" + host + "@f1\", \"force_host_copy\": true}", null).status())
                .isEqualTo(202);
        awaitMigration(id, "success");
        assertThat(migrationOf(id).get("path").stringValue()).isEqualTo("generic");
        JsonNode record = Await.until("kept copy expired", () -> http.get(ADMIN, "/v3/volumes/" + id + "/migration"),
                r -> "deleted".equals(r.body().get("migration").get("source_state").stringValue())).body()
                .get("migration");
        assertThat(record.get("source_kept").booleanValue()).isFalse();
        Await.until("old copy gone from disk", () -> http.get(ADMIN, "/v3/volumes/" + id), x -> !Files.exists(f2Copy));
        String kept = record.get("kept_source_volume_id").stringValue();
        assertThat(sql("select deleted::text from volumes where id = '" + kept + "'")).isEqualTo("true");
        HttpJson.Response late = action(ADMIN, id, "{\"os-migrate_volume_revert\": {}}", null);
        assertThat(late.status()).isEqualTo(400);
        assertThat(message(late)).startsWith("Invalid volume: The rollback window of the migration of volume " + id
                + " ended at ").contains("cannot be reverted");
        assertThat(show(id).get("status").stringValue()).isEqualTo("available");
        assertThat(hostOf(id)).contains("@f1");
    }
}
