package org.openstack.jcinder.all.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.api.CinderApiApplication;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.CinderServiceLauncher;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.db.VolumeTypeRepository;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.CinderConfFile;
import org.openstack.jcinder.testsupport.HttpJson;
import org.openstack.jcinder.testsupport.TestServices;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Every bad request gets Cinder's error body and status, and writes nothing. Runs the all-in-one against real
 * PostgreSQL and RabbitMQ, plus an API whose broker is unreachable.
 */
class BadInputTest {

    @TempDir
    static Path dir;
    static ConfigurableApplicationContext all;
    static HttpJson http;
    static VolumeRepository volumes;
    static VolumeTypeRepository types;
    static String database;

    @BeforeAll
    static void start() {
        database = TestServices.freshDatabase();
        Path conf = OneFileBackend.conf(dir, "bad-input-" + UUID.randomUUID().toString().substring(0, 8), database);
        all = CinderAllApplication.start(new String[] {"--config-file", conf.toString(), "--data-dir",
                dir.resolve("data").toString()});
        http = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) all).getWebServer().getPort());
        volumes = all.getBean(VolumeRepository.class);
        types = all.getBean(VolumeTypeRepository.class);
    }

    @AfterAll
    static void stop() {
        all.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        malformed JSON        | {"volume": {"size": 1  | 400 | badRequest   | Malformed request body
        not an object         | [1, 2]                 | 400 | badRequest   | The request body must be a JSON object.
        missing volume        | {"size": 1}            | 400 | badRequest   | Additional properties are not allowed ('size' was unexpected)
        volume not an object  | {"volume": 3}          | 400 | badRequest   | Invalid input for field/attribute volume. Value: 3. 3 is not of type 'object'
        size missing          | {"volume": {"name": "x"}}               | 400 | badRequest | 'size' is a required property
        size zero             | {"volume": {"size": 0}}                 | 400 | badRequest | Invalid input for field/attribute size. Value: 0. 0 is less than the minimum of 1
        size negative         | {"volume": {"size": -5}}                | 400 | badRequest | -5 is less than the minimum of 1
        size not a number     | {"volume": {"size": "abc"}}             | 400 | badRequest | Invalid input for field/attribute size. Value: abc. "abc" is not of type 'integer', 'string'
        size a float          | {"volume": {"size": 1.5}}               | 400 | badRequest | 1.5 is not of type 'integer', 'string'
        name not a string     | {"volume": {"size": 1, "name": 7}}      | 400 | badRequest | 7 is not of type 'string', 'null'
        metadata not strings  | {"volume": {"size": 1, "metadata": {"a": 1}}} | 400 | badRequest | 1 is not of type 'string'
        unknown type          | {"volume": {"size": 1, "volume_type": "no-such-type"}} | 404 | itemNotFound | Volume type with name no-such-type could not be found.
        unknown zone          | {"volume": {"size": 1, "availability_zone": "mars"}} | 400 | badRequest | Availability zone 'mars' is invalid.
        snapshot not a uuid   | {"volume": {"size": 1, "snapshot_id": "abc"}} | 400 | badRequest | Invalid input for field/attribute snapshot_id. Value: abc. 'abc' is not valid under any of the given schemas
        source not a uuid     | {"volume": {"size": 1, "source_volid": 7}} | 400 | badRequest | Invalid input for field/attribute source_volid. Value: 7. 7 is not valid under any of the given schemas
        missing snapshot      | {"volume": {"size": 1, "snapshot_id": "00000000-0000-4000-8000-000000000001"}} | 404 | itemNotFound | Snapshot 00000000-0000-4000-8000-000000000001 could not be found.
        from a backup         | {"volume": {"size": 1, "backup_id": "abc"}} | 400 | badRequest | creating a volume from backup_id is not supported
        """)
    void badVolumeCreateIsRefusedAndWritesNothing(String what, String body, int code, String fault, String message) {
        long before = volumes.count();
        HttpJson.Response r = http.post("admin:p", "/v3/volumes", body);
        assertThat(r.status()).as(r.raw()).isEqualTo(code);
        assertThat(r.body().get(fault).get("code").asInt()).isEqualTo(code);
        assertThat(r.body().get(fault).get("message").stringValue()).contains(message);
        assertThat(volumes.count()).isEqualTo(before);
    }

    /**
     * Cinder's create schema refuses keys it does not know from 3.53 ({@code additionalProperties: false}) and
     * accepts and ignores them before; the body's top level never takes other keys.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        unknown key at 3.53     | 3.53   | {"volume": {"size": 1, "colour": "red"}}          | 400 | Additional properties are not allowed ('colour' was unexpected)
        unknown key at latest   | 3.70   | {"volume": {"size": 1, "colour": "red"}}          | 400 | Additional properties are not allowed ('colour' was unexpected)
        hints in volume at 3.53 | 3.53   | {"volume": {"size": 1, "scheduler_hints": {}}}    | 400 | Additional properties are not allowed ('scheduler_hints' was unexpected)
        unknown key at 3.52     | 3.52   | {"volume": {"size": 1, "colour": "red"}}          | 202 |
        unknown key at 3.0      | 3.0    | {"volume": {"size": 1, "'snapshot_id": "x"}}      | 202 |
        top-level key at 3.0    | 3.0    | {"volume": {"size": 1}, "colour": "red"}          | 400 | Additional properties are not allowed ('colour' was unexpected)
        """)
    void unknownCreateKeysAreRefusedFrom353AndIgnoredBefore(String what, String version, String body, int code,
                                                           String message) {
        long before = volumes.count();
        HttpJson.Response r = http.send("admin:p", "POST", "/v3/volumes", body, version);
        assertThat(r.status()).as(r.raw()).isEqualTo(code);
        if (code == 202) {
            String id = r.body().get("volume").get("id").stringValue();
            assertThat(r.body().get("volume").has("colour")).isFalse();
            Await.until("volume " + id + " available", () -> http.get("admin:p", "/v3/volumes/" + id),
                    g -> g.body().get("volume").get("status").stringValue().equals("available"));
            assertThat(http.delete("admin:p", "/v3/volumes/" + id).status()).isEqualTo(202);
            Await.until("volume " + id + " gone", () -> http.get("admin:p", "/v3/volumes/" + id),
                    g -> g.status() == 404);
        } else {
            assertThat(r.body().get("badRequest").get("message").stringValue())
                    .isEqualTo("Invalid input received: " + message);
            assertThat(volumes.count()).isEqualTo(before);
        }
    }

    /** Refused before the volume is looked up (Cinder's order: body, then lookup), with Cinder's messages. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        unknown status          | {"status": "bogus"}                 | Invalid input for field/attribute status. Value: bogus.
        deleted                 | {"status": "deleted"}               | Invalid input for field/attribute status. Value: deleted.
        python spelling         | {"status": "in_use"}                | Invalid input for field/attribute status. Value: in_use.
        lower-cased first       | {"status": "BOGUS"}                 | Invalid input for field/attribute status. Value: bogus.
        attach reserved         | {"attach_status": "reserved"}       | Invalid input for field/attribute attach_status. Value: reserved.
        unknown attach          | {"attach_status": "glued"}          | Invalid input for field/attribute attach_status. Value: glued.
        migration deleting      | {"migration_status": "deleting"}    | Invalid input for field/attribute migration_status. Value: deleting.
        migration target        | {"migration_status": "target:abc"}  | Invalid input for field/attribute migration_status. Value: target:abc.
        unknown migration       | {"migration_status": "done"}        | Invalid input for field/attribute migration_status. Value: done.
        nothing to reset        | {}                                  | Must specify 'status', 'attach_status' or 'migration_status' for update.
        """)
    void resetStatusRefusesWhatCinderRefuses(String what, String args, String message) {
        HttpJson.Response r = http.post("admin:p", "/v3/volumes/no-such-volume/action",
                "{\"os-reset_status\": " + args + "}");
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.body().get("badRequest").get("message").stringValue())
                .isEqualTo("Invalid input received: " + message);
    }

    /** Accepted by the schema (case-insensitively, as Cinder lower-cases them), so the lookup answers. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        upper-case status       | {"status": "AVAILABLE"}
        error_extending         | {"status": "error_extending"}
        attach                  | {"attach_status": "Detached", "migration_status": "none"}
        every migration status  | {"migration_status": "starting"}
        completing              | {"migration_status": "COMPLETING"}
        """)
    void resetStatusAcceptsWhatCinderAccepts(String what, String args) {
        HttpJson.Response r = http.post("admin:p", "/v3/volumes/no-such-volume/action",
                "{\"os-reset_status\": " + args + "}");
        assertThat(r.status()).as(r.raw()).isEqualTo(404);
    }

    @Test
    void statusFilterMatchesCindersSpellingOnly() {
        String token = "dave:filter-" + UUID.randomUUID().toString().substring(0, 6);
        String id = http.post(token, "/v3/volumes", "{\"volume\": {\"size\": 1}}").body().get("volume").get("id")
                .stringValue();
        Await.until("volume " + id + " available", () -> http.get(token, "/v3/volumes/" + id),
                r -> r.body().get("volume").get("status").stringValue().equals("available"));
        assertThat(http.get(token, "/v3/volumes?status=available").body().get("volumes")).hasSize(1);
        assertThat(http.get(token, "/v3/volumes/detail?status=available").body().get("volumes").get(0).get("status")
                .stringValue()).isEqualTo("available");
        for (String other : new String[] {"in-use", "Available", "AVAILABLE", "bogus", "target:x", ""}) {
            HttpJson.Response r = http.get(token, "/v3/volumes?status=" + other);
            assertThat(r.status()).as(other).isEqualTo(200);
            assertThat(r.body().get("volumes")).as(other).isEmpty();
        }
    }

    @Test
    void unknownThingsAre404WithCinderBodies() {
        HttpJson.Response r = http.get("admin:p", "/v3/volumes/no-such-volume");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body().get("itemNotFound").get("message").stringValue())
                .isEqualTo("Volume no-such-volume could not be found.");
        assertThat(http.delete("admin:p", "/v3/volumes/no-such-volume").status()).isEqualTo(404);
        assertThat(http.get("admin:p", "/v3/types/nope").body().get("itemNotFound").get("message").stringValue())
                .isEqualTo("Volume type nope could not be found.");
        assertThat(http.get("admin:p", "/v3/volumes/detail?marker=nope").status()).isEqualTo(404);
        assertThat(http.get("admin:p", "/v3/p/nothing-here").status()).isEqualTo(404);
        // OSC probes Nova at the volume endpoint; Cinder answers 404, not "malformed URL".
        HttpJson.Response servers = http.get("admin:p", "/v3/servers/detail");
        assertThat(servers.status()).isEqualTo(404);
        assertThat(servers.body().get("itemNotFound").get("message").stringValue())
                .isEqualTo("The resource could not be found.");
    }

    @Test
    void policyMicroversionAndAuthErrors() {
        long typesBefore = types.count();
        HttpJson.Response r = http.post("alice:p", "/v3/types", "{\"volume_type\": {\"name\": \"t\"}}");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body().get("forbidden").get("message").stringValue())
                .isEqualTo("Policy doesn't allow volume_extension:type_create to be performed.");
        assertThat(types.count()).isEqualTo(typesBefore);

        HttpJson.Response tooNew = http.send("admin:p", "GET", "/v3/volumes", null, "3.99");
        assertThat(tooNew.status()).isEqualTo(406);
        assertThat(tooNew.body().get("notAcceptable").get("message").stringValue())
                .contains("Version 3.99 is not supported by the API. Minimum is 3.0 and maximum is 3.70.");
        HttpJson.Response malformed = http.send("admin:p", "GET", "/v3/volumes", null, "3.01");
        assertThat(malformed.status()).isEqualTo(400);
        HttpJson.Response ok = http.send("admin:p", "GET", "/v3/volumes", null, "3.59");
        assertThat(ok.headers().firstValue("OpenStack-API-Version")).contains("volume 3.59");
        assertThat(ok.headers().firstValue("Vary")).contains("OpenStack-API-Version");
        assertThat(ok.headers().firstValue("x-openstack-request-id").orElse("")).startsWith("req-");

        HttpJson.Response noToken = http.get(null, "/v3/volumes");
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.body().has("unauthorized")).isTrue();
        HttpJson.Response wrongProject = http.get("alice:p", "/v3/other-project/volumes");
        assertThat(wrongProject.status()).isEqualTo(400);
        assertThat(wrongProject.body().get("badRequest").get("message").stringValue()).contains("Malformed request url");
    }

    @Test
    void pagesFollowTheNextLinkWithoutOverlapInAnySortOrder() {
        String project = "paging-" + UUID.randomUUID().toString().substring(0, 6);
        String token = "carol:" + project;
        for (String name : new String[] {"d", "b", "e", "a", "c"}) {
            assertThat(http.post(token, "/v3/volumes", "{\"volume\": {\"size\": 1, \"name\": \"" + name + "\"}}")
                    .status()).isEqualTo(202);
        }
        assertThat(walk(token, "/v3/volumes/detail?limit=2&sort=name:asc")).containsExactly("a", "b", "c", "d", "e");
        assertThat(walk(token, "/v3/volumes?limit=2&sort=name:desc")).containsExactly("e", "d", "c", "b", "a");
        // Default order: newest first.
        assertThat(walk(token, "/v3/volumes/detail?limit=3")).containsExactly("c", "a", "e", "b", "d");
        assertThat(http.get(token, "/v3/volumes?sort=colour:asc").status()).isEqualTo(400);
        assertThat(http.get(token, "/v3/volumes?limit=x").status()).isEqualTo(400);
    }

    private static java.util.List<String> walk(String token, String first) {
        java.util.List<String> names = new java.util.ArrayList<>();
        String path = first;
        for (int guard = 0; path != null && guard < 10; guard++) {
            HttpJson.Response r = http.get(token, path);
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            r.body().get("volumes").forEach(v -> names.add(v.get("name").stringValue()));
            var links = r.body().get("volumes_links");
            path = links == null ? null : links.get(0).get("href").stringValue().replaceFirst("^http://[^/]+", "");
        }
        return names;
    }

    @Test
    void versionDocumentsNeedNoToken() {
        HttpJson.Response root = http.get(null, "/");
        assertThat(root.status()).isEqualTo(300);
        assertThat(root.body().get("versions").get(0).get("version").stringValue()).isEqualTo("3.70");
        assertThat(root.body().get("versions").get(0).get("min_version").stringValue()).isEqualTo("3.0");
        assertThat(http.get(null, "/v3/").body().get("versions").get(0).get("id").stringValue()).isEqualTo("v3.0");
    }

    @Test
    void brokerDownAnswers503AndLeavesNoVolumeBehind() {
        Path conf = CinderConfFile.write(dir, "api-broker-down.conf", String.join("\n",
                "[DEFAULT]",
                "transport_url = rabbit://guest:guest@127.0.0.1:1/",
                "osapi_volume_listen_port = 0",
                "[database]",
                "connection = " + database));
        try (ConfigurableApplicationContext api = CinderServiceLauncher.run(CinderApiApplication.class,
                CinderConfig.load(conf), true, new String[0])) {
            HttpJson down = new HttpJson("http://127.0.0.1:"
                    + ((WebServerApplicationContext) api).getWebServer().getPort());
            long before = volumes.count();
            HttpJson.Response r = down.post("admin:p", "/v3/volumes", "{\"volume\": {\"size\": 1}}");
            assertThat(r.status()).as(r.raw()).isEqualTo(503);
            assertThat(r.body().get("serviceUnavailable").get("message").stringValue())
                    .contains("The messaging service is unavailable");
            assertThat(volumes.count()).isEqualTo(before);
            HttpJson.Response pools = down.get("admin:p", "/v3/scheduler-stats/get_pools");
            assertThat(pools.status()).isEqualTo(503);
        }
    }
}
