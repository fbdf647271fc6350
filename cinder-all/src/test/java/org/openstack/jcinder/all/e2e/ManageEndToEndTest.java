package org.openstack.jcinder.all.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.HttpJson;
import org.openstack.jcinder.testsupport.TestServices;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;

/**
 * Manage and unmanage on a file backend through real HTTP against the all-in-one (PostgreSQL, RabbitMQ): a
 * volume and a snapshot unmanaged keep their files, managed again they are the same bytes under the new
 * record's name; a foreign file is adopted at its size rounded up; quotas follow; the manageable lists page
 * and sort; bad requests are Cinder's codes and messages and change nothing on disk or in the database.
 */
class ManageEndToEndTest {

    static final String ADMIN = "admin:" + UUID.randomUUID().toString().replace("-", "");
    static final String PROJECT = ADMIN.substring(ADMIN.indexOf(':') + 1);
    static final long GIB = 1L << 30;

    @TempDir
    static Path dir;
    static ConfigurableApplicationContext all;
    static HttpJson http;
    static String database;
    static String host;
    static Path files;

    @BeforeAll
    static void start() {
        database = TestServices.freshDatabase();
        host = "manage-" + UUID.randomUUID().toString().substring(0, 8);
        // One file backend; the management listener on any free port (helpers share this machine's 9776).
        Path conf = org.openstack.jcinder.testsupport.CinderConfFile.write(dir, "cinder.conf", String.join("\n",
                "[DEFAULT]",
                "host = " + host,
                "enabled_backends = f1",
                "transport_url = " + TestServices.transportUrl(),
                "osapi_volume_listen_port = 0",
                "report_interval = 1",
                "[database]",
                "connection = " + database,
                "[management]",
                "port = 0",
                "[f1]",
                "volume_driver = file"));
        all = CinderAllApplication.start(new String[] {"--config-file", conf.toString(), "--data-dir",
                dir.resolve("data").toString()});
        http = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) all).getWebServer().getPort());
        files = dir.resolve("data").resolve("volumes").resolve("f1");
        Await.until("the backend reports", () -> http.get(ADMIN, "/v3/scheduler-stats/get_pools"),
                r -> r.status() == 200 && r.body().get("pools").size() == 1);
    }

    @AfterAll
    static void stop() {
        if (all != null) {
            all.close();
        }
    }

    static JsonNode volume(String id) {
        return http.get(ADMIN, "/v3/volumes/" + id).body().get("volume");
    }

    static String awaitVolume(String id, String status) {
        Await.until("volume " + id + " " + status, () -> http.get(ADMIN, "/v3/volumes/" + id),
                r -> r.status() == 200 && status.equals(r.body().get("volume").get("status").stringValue()));
        return id;
    }

    static void awaitGone(String path) {
        Await.until(path + " gone", () -> http.get(ADMIN, path), r -> r.status() == 404);
    }

    static String create(int size) {
        HttpJson.Response r = http.post(ADMIN, "/v3/volumes", "{\"volume\": {\"size\": " + size + "}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        return awaitVolume(r.body().get("volume").get("id").stringValue(), "available");
    }

    static String write(Path p, long... offsets) throws Exception {
        Random random = new Random(offsets.length);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            for (long offset : offsets) {
                byte[] data = new byte[4096];
                random.nextBytes(data);
                f.seek(offset);
                f.write(data);
            }
        }
        return sha256(p);
    }

    static String sha256(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 20];
        try (var in = Files.newInputStream(p)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static int inUse(String resource) {
        return http.get(ADMIN, "/v3/" + PROJECT + "/os-quota-sets/" + PROJECT + "?usage=true").body()
                .get("quota_set").get(resource).get("in_use").intValue();
    }

    static List<String> directory() throws Exception {
        try (Stream<Path> s = Files.list(files)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static void error(HttpJson.Response r, int code, String message) {
        assertThat(r.status()).as(r.raw()).isEqualTo(code);
        JsonNode fault = r.body().properties().iterator().next().getValue();
        assertThat(fault.get("message").stringValue()).as(r.raw()).isEqualTo(message);
    }

    @Test
    void unmanagedVolumeKeepsItsFileAndIsManagedBackWithTheSameBytes() throws Exception {
        String id = create(1);
        JsonNode original = volume(id);
        String backendHost = original.get("os-vol-host-attr:host").stringValue();
        String sum = write(files.resolve("volume-" + id), 0, 300 << 20, GIB - 4096);
        int volumes = inUse("volumes");
        int gigabytes = inUse("gigabytes");

        assertThat(http.post(ADMIN, "/v3/volumes/" + id + "/action", "{\"os-unmanage\": {}}").status())
                .isEqualTo(202);
        awaitGone("/v3/volumes/" + id);
        assertThat(sha256(files.resolve("volume-" + id))).isEqualTo(sum);
        assertThat(inUse("volumes")).isEqualTo(volumes - 1);
        assertThat(inUse("gigabytes")).isEqualTo(gigabytes - 1);

        // The file is offered for management, safe: nothing manages it any more.
        JsonNode offered = http.send(ADMIN, "GET", "/v3/manageable_volumes/detail?host=" + backendHost, null, "3.8")
                .body().get("manageable-volumes");
        JsonNode entry = find(offered, "volume-" + id);
        assertThat(entry.get("safe_to_manage").booleanValue()).isTrue();
        assertThat(entry.get("size").intValue()).isEqualTo(1);
        assertThat(entry.get("cinder_id").isNull()).isTrue();

        HttpJson.Response managed = http.post(ADMIN, "/v3/os-volume-manage", "{\"volume\": {\"host\": \""
                + backendHost + "\", \"ref\": {\"source-name\": \"volume-" + id + "\"}, \"name\": \" again \", "
                + "\"metadata\": {\"k\": \"v\"}, \"bootable\": \"true\"}}");
        assertThat(managed.status()).as(managed.raw()).isEqualTo(202);
        JsonNode answer = managed.body().get("volume");
        assertThat(answer.get("status").stringValue()).isEqualTo("managing");
        assertThat(answer.get("size").intValue()).isZero();
        String newId = awaitVolume(answer.get("id").stringValue(), "available");
        JsonNode shown = volume(newId);
        assertThat(shown.get("name").stringValue()).isEqualTo("again");
        assertThat(shown.get("size").intValue()).isEqualTo(1);
        assertThat(shown.get("bootable").stringValue()).isEqualTo("true");
        assertThat(shown.get("metadata").get("k").stringValue()).isEqualTo("v");
        assertThat(shown.get("os-vol-host-attr:host").stringValue()).isEqualTo(backendHost);
        assertThat(shown.get("volume_type").stringValue()).isEqualTo(original.get("volume_type").stringValue());
        assertThat(Files.exists(files.resolve("volume-" + id))).isFalse();
        assertThat(sha256(files.resolve("volume-" + newId))).isEqualTo(sum);
        assertThat(inUse("volumes")).isEqualTo(volumes);
        assertThat(inUse("gigabytes")).isEqualTo(gigabytes);

        // Now it is managed again: listed as not safe, with its record.
        entry = find(http.send(ADMIN, "GET", "/v3/manageable_volumes/detail?host=" + backendHost, null, "3.8")
                .body().get("manageable-volumes"), "volume-" + newId);
        assertThat(entry.get("safe_to_manage").booleanValue()).isFalse();
        assertThat(entry.get("reason_not_safe").stringValue()).isEqualTo("already managed");
        assertThat(entry.get("cinder_id").stringValue()).isEqualTo(newId);
        assertThat(http.delete(ADMIN, "/v3/volumes/" + newId).status()).isEqualTo(202);
        awaitGone("/v3/volumes/" + newId);
    }

    @Test
    void foreignFileIsAdoptedAtItsSizeRoundedUp() throws Exception {
        Path foreign = files.resolve("imported-" + UUID.randomUUID().toString().substring(0, 6) + ".img");
        String sum = write(foreign, 0, GIB + (GIB >> 1) - 4096); // 1.5 GiB
        String backendHost = host + "@f1#f1";
        HttpJson.Response managed = http.send(ADMIN, "POST", "/v3/manageable_volumes", "{\"volume\": {\"host\": \""
                + backendHost + "\", \"ref\": \"" + foreign.getFileName() + "\"}}", "3.8");
        assertThat(managed.status()).as(managed.raw()).isEqualTo(202);
        String id = awaitVolume(managed.body().get("volume").get("id").stringValue(), "available");
        JsonNode shown = volume(id);
        assertThat(shown.get("size").intValue()).isEqualTo(2);
        assertThat(shown.get("os-vol-host-attr:host").stringValue()).isEqualTo(backendHost);
        assertThat(Files.exists(foreign)).isFalse();
        Path adopted = files.resolve("volume-" + id);
        // The data is untouched; the tail up to the record's 2 GiB is a hole (zeros).
        assertThat(Files.size(adopted)).isEqualTo(2 * GIB);
        try (RandomAccessFile f = new RandomAccessFile(adopted.toFile(), "rw")) {
            f.setLength(GIB + (GIB >> 1));
        }
        assertThat(sha256(adopted)).isEqualTo(sum);
        assertThat(http.delete(ADMIN, "/v3/volumes/" + id).status()).isEqualTo(202);
        awaitGone("/v3/volumes/" + id);
    }

    @Test
    void unmanagedSnapshotKeepsItsFileAndIsManagedBack() throws Exception {
        String vol = create(1);
        write(files.resolve("volume-" + vol), 4096);
        HttpJson.Response r = http.post(ADMIN, "/v3/snapshots", "{\"snapshot\": {\"volume_id\": \"" + vol + "\"}}");
        String snap = r.body().get("snapshot").get("id").stringValue();
        Await.until("snapshot available", () -> http.get(ADMIN, "/v3/snapshots/" + snap),
                s -> "available".equals(s.body().get("snapshot").get("status").stringValue()));
        String sum = sha256(files.resolve("snapshot-" + snap));
        int snapshots = inUse("snapshots");

        assertThat(http.post(ADMIN, "/v3/snapshots/" + snap + "/action", "{\"os-unmanage\": null}").status())
                .isEqualTo(202);
        awaitGone("/v3/snapshots/" + snap);
        assertThat(sha256(files.resolve("snapshot-" + snap))).isEqualTo(sum);
        assertThat(inUse("snapshots")).isEqualTo(snapshots - 1);

        JsonNode offered = http.send(ADMIN, "GET", "/v3/manageable_snapshots?host=" + host + "@f1", null, "3.8")
                .body().get("manageable-snapshots");
        JsonNode entry = find(offered, "snapshot-" + snap);
        assertThat(entry.get("safe_to_manage").booleanValue()).isTrue();
        assertThat(entry.has("source_reference")).isTrue();

        HttpJson.Response managed = http.post(ADMIN, "/v3/os-snapshot-manage", "{\"snapshot\": {\"volume_id\": \""
                + vol + "\", \"ref\": {\"source-name\": \"snapshot-" + snap + "\"}, \"name\": \"back\", "
                + "\"description\": \"d\", \"metadata\": {\"a\": \"b\"}}}");
        assertThat(managed.status()).as(managed.raw()).isEqualTo(202);
        JsonNode answer = managed.body().get("snapshot");
        assertThat(answer.get("status").stringValue()).isEqualTo("creating");
        String newSnap = answer.get("id").stringValue();
        Await.until("managed snapshot available", () -> http.get(ADMIN, "/v3/snapshots/" + newSnap),
                s -> "available".equals(s.body().get("snapshot").get("status").stringValue()));
        JsonNode shown = http.get(ADMIN, "/v3/snapshots/" + newSnap).body().get("snapshot");
        assertThat(shown.get("size").intValue()).isEqualTo(1);
        assertThat(shown.get("name").stringValue()).isEqualTo("back");
        assertThat(shown.get("metadata").get("a").stringValue()).isEqualTo("b");
        assertThat(sha256(files.resolve("snapshot-" + newSnap))).isEqualTo(sum);
        assertThat(Files.exists(files.resolve("snapshot-" + snap))).isFalse();
        assertThat(inUse("snapshots")).isEqualTo(snapshots);

        // A volume made from the managed snapshot holds its bytes.
        String clone = http.post(ADMIN, "/v3/volumes", "{\"volume\": {\"snapshot_id\": \"" + newSnap + "\"}}")
                .body().get("volume").get("id").stringValue();
        awaitVolume(clone, "available");
        assertThat(sha256(files.resolve("volume-" + clone))).isEqualTo(sum);
        http.delete(ADMIN, "/v3/volumes/" + clone);
        http.delete(ADMIN, "/v3/snapshots/" + newSnap);
        awaitGone("/v3/snapshots/" + newSnap);
        http.delete(ADMIN, "/v3/volumes/" + vol);
    }

    @Test
    void badRequestsAreRefusedAsCinderAndChangeNothing() throws Exception {
        String live = create(1);
        String backendHost = volume(live).get("os-vol-host-attr:host").stringValue();
        String member = "user" + UUID.randomUUID().toString().substring(0, 6) + ":" + PROJECT;
        try (DbState db = new DbState(database)) {
            assertThat(db.settle(30_000)).isTrue();
            String before = db.fingerprint();
            List<String> filesBefore = directory();
            String manage = "/v3/os-volume-manage";
            // host@backend#pool: the '#' must be encoded in a query, or the rest is a fragment.
            String encoded = java.net.URLEncoder.encode(backendHost, java.nio.charset.StandardCharsets.UTF_8);
            error(http.post(ADMIN, manage, "{\"volume\": {\"host\": \"" + backendHost + "\"}}"), 400,
                    "Invalid input for field/attribute volume. Value: {'host': '" + backendHost + "'}. 'ref' is a "
                    + "required property");
            error(http.post(ADMIN, manage, "{\"volume\": {\"ref\": {\"source-name\": \"x\"}}}"), 400,
                    "Invalid input received: Host field is missing.");
            error(http.send(ADMIN, "POST", "/v3/manageable_volumes", "{\"volume\": {\"ref\": {\"source-name\": "
                    + "\"x\"}, \"host\": \"a@b\", \"cluster\": \"c\"}}", "3.16"), 400,
                    "Invalid input received: One and only one of cluster and host must be set.");
            error(http.post(ADMIN, manage, "{\"volume\": {\"host\": \"nowhere@f1\", \"ref\": {\"source-name\": "
                    + "\"x\"}}}"), 400, "Host 'nowhere@f1' not found");
            error(http.post(ADMIN, manage, "{\"volume\": {\"host\": \"" + backendHost + "\", \"ref\": "
                    + "{\"source-name\": \"volume-" + live + "\"}}}"), 400,
                    "Invalid volume: Unable to manage existing volume. The volume is already managed");
            error(http.post(ADMIN, manage, "{\"volume\": {\"host\": \"" + backendHost + "\", \"ref\": "
                    + "{\"source-name\": \"x\"}, \"volume_type\": \"no-such-type\"}}"), 400,
                    "Invalid volume type: Cannot find requested 'no-such-type' volume type");
            error(http.post(ADMIN, manage, "{\"volume\": {\"host\": \"" + backendHost + "\", \"ref\": 5}}"), 400,
                    "Invalid input for field/attribute ref. Value: 5. 5 is not of type 'object', 'string'");
            error(http.post(ADMIN, manage, "{\"volume\": {\"host\": \"" + backendHost + "\", \"ref\": {}, "
                    + "\"size\": 1}}"), 400, "Invalid input received: Additional properties are not allowed ('size' was unexpected)");
            error(http.post(member, manage, "{\"volume\": {\"host\": \"" + backendHost + "\", \"ref\": "
                    + "{\"source-name\": \"x\"}}}"), 403,
                    "Policy doesn't allow volume_extension:volume_manage to be performed.");
            error(http.send(ADMIN, "POST", "/v3/manageable_volumes", "{\"volume\": {\"host\": \"" + backendHost
                    + "\", \"ref\": {\"source-name\": \"x\"}}}", "3.7"), 404, "The resource could not be found.");
            error(http.send(ADMIN, "GET", "/v3/manageable_volumes?host=" + backendHost, null, "3.7"), 404,
                    "The resource could not be found.");
            error(http.send(ADMIN, "GET", "/v3/manageable_volumes", null, "3.8"), 400,
                    "Invalid input received: Host field is missing.");
            error(http.send(ADMIN, "GET", "/v3/manageable_volumes?host=" + encoded + "&sort=name:asc", null,
                    "3.8"), 400, "Invalid sort keys passed: name");
            error(http.send(ADMIN, "GET", "/v3/manageable_volumes?host=" + encoded + "&sort_dir=up", null,
                    "3.8"), 400, "Invalid sort dirs passed: up");
            error(http.send(ADMIN, "GET", "/v3/manageable_volumes?host=" + encoded + "&marker=%7B%22source-name"
                    + "%22%3A%20%22nope%22%7D", null, "3.8"), 400,
                    "Invalid input received: marker not found: {'source-name': 'nope'}");
            error(http.send(member, "GET", "/v3/manageable_snapshots?host=" + backendHost, null, "3.8"), 403,
                    "Policy doesn't allow snapshot_extension:list_manageable to be performed.");
            String someId = UUID.randomUUID().toString();
            error(http.post(ADMIN, "/v3/os-snapshot-manage", "{\"snapshot\": {\"volume_id\": \"" + someId
                    + "\"}}"), 400, "Invalid input for field/attribute snapshot. Value: {'volume_id': '" + someId
                    + "'}. 'ref' is a required property");
            String missing = UUID.randomUUID().toString();
            error(http.post(ADMIN, "/v3/os-snapshot-manage", "{\"snapshot\": {\"volume_id\": \"" + missing
                    + "\", \"ref\": {\"source-name\": \"s\"}}}"), 404, "Volume " + missing + " could not be found.");
            error(http.post(member, "/v3/os-snapshot-manage", "{\"snapshot\": {\"volume_id\": \"" + live
                    + "\", \"ref\": {\"source-name\": \"s\"}}}"), 403,
                    "Policy doesn't allow snapshot_extension:snapshot_manage to be performed.");
            error(http.post(member, "/v3/volumes/" + live + "/action", "{\"os-unmanage\": {}}"), 403,
                    "Policy doesn't allow volume_extension:volume_unmanage to be performed.");
            error(http.post(ADMIN, "/v3/volumes/" + missing + "/action", "{\"os-unmanage\": {}}"), 404,
                    "Volume " + missing + " could not be found.");
            error(http.post(ADMIN, "/v3/snapshots/" + missing + "/action", "{\"os-unmanage\": {}}"), 404,
                    "Snapshot " + missing + " could not be found.");
            assertThat(db.fingerprint()).isEqualTo(before);
            assertThat(directory()).isEqualTo(filesBefore);
            assertThat(volume(live).get("status").stringValue()).isEqualTo("available");
        }
    }

    @Test
    void aReferenceTheBackendRefusesEndsInErrorManagingAndTouchesNoFile() throws Exception {
        String vol = create(1);
        String snap = http.post(ADMIN, "/v3/snapshots", "{\"snapshot\": {\"volume_id\": \"" + vol + "\"}}").body()
                .get("snapshot").get("id").stringValue();
        Await.until("snapshot available", () -> http.get(ADMIN, "/v3/snapshots/" + snap),
                s -> "available".equals(s.body().get("snapshot").get("status").stringValue()));
        List<String> filesBefore = directory();
        int volumes = inUse("volumes");
        int gigabytes = inUse("gigabytes");
        String backendHost = host + "@f1";

        String unknown = managed(backendHost, "nothing-here");
        awaitVolume(unknown, "error_managing");
        // The reason, as Cinder's ManageExistingInvalidReference says it (admins see it in the service logs).
        assertThat(statusReason(unknown)).isEqualTo("Manage existing volume failed due to invalid backend "
                + "reference nothing-here: Specified file does not exist.");
        String taken = managed(backendHost, "snapshot-" + snap);
        awaitVolume(taken, "error_managing");
        assertThat(statusReason(taken)).isEqualTo("Unable to manage existing volume. Volume snapshot-" + snap
                + " already managed.");
        String escaping = managed(backendHost, "../f1/volume-" + vol);
        awaitVolume(escaping, "error_managing");
        assertThat(directory()).isEqualTo(filesBefore);
        // Failed manages count as volumes of size 0 (Cinder's), and their delete gives the count back.
        assertThat(inUse("volumes")).isEqualTo(volumes + 3);
        assertThat(inUse("gigabytes")).isEqualTo(gigabytes);
        for (String id : List.of(unknown, taken, escaping)) {
            assertThat(http.delete(ADMIN, "/v3/volumes/" + id).status()).isEqualTo(202);
            awaitGone("/v3/volumes/" + id);
        }
        assertThat(inUse("volumes")).isEqualTo(volumes);
        assertThat(directory()).isEqualTo(filesBefore);
        assertThat(http.get(ADMIN, "/v3/snapshots/" + snap).body().get("snapshot").get("status").stringValue())
                .isEqualTo("available");
    }

    @Test
    void manageableListsSortAndPage() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 6);
        for (String n : List.of("a", "b", "c")) {
            try (RandomAccessFile f = new RandomAccessFile(files.resolve("zz-" + tag + "-" + n).toFile(), "rw")) {
                f.setLength(n.equals("b") ? 3 * GIB : GIB);
            }
        }
        String base = "/v3/manageable_volumes?host=" + host + "@f1";
        List<String> desc = names(http.send(ADMIN, "GET", base, null, "3.8").body());
        List<String> ours = desc.stream().filter(n -> n.startsWith("zz-" + tag)).toList();
        assertThat(ours).containsExactly("zz-" + tag + "-c", "zz-" + tag + "-b", "zz-" + tag + "-a");
        List<String> bySize = names(http.send(ADMIN, "GET", base + "&sort=size:desc,reference:asc&limit=1", null,
                "3.8").body());
        assertThat(bySize).hasSize(1);
        List<String> asc = names(http.send(ADMIN, "GET", base + "&sort_dir=asc", null, "3.8").body());
        int i = asc.indexOf("zz-" + tag + "-a");
        String marker = java.net.URLEncoder.encode("{\"source-name\": \"zz-" + tag + "-a\"}",
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(names(http.send(ADMIN, "GET", base + "&sort_dir=asc&limit=1&offset=1&marker=" + marker, null,
                "3.8").body())).containsExactly(asc.get(i + 2));
        JsonNode summary = http.get(ADMIN, "/v3/os-volume-manage?host=" + host + "@f1").body()
                .get("manageable-volumes").get(0);
        assertThat(List.copyOf(summary.propertyNames())).containsExactly("reference", "size", "safe_to_manage");
        JsonNode detail = http.get(ADMIN, "/v3/os-volume-manage/detail?host=" + host + "@f1").body()
                .get("manageable-volumes").get(0);
        assertThat(List.copyOf(detail.propertyNames())).containsExactly("reference", "size", "safe_to_manage",
                "reason_not_safe", "cinder_id", "extra_info");
        for (String n : List.of("a", "b", "c")) {
            Files.delete(files.resolve("zz-" + tag + "-" + n));
        }
    }

    static List<String> names(JsonNode body) {
        List<String> out = new java.util.ArrayList<>();
        body.get("manageable-volumes").forEach(e -> out.add(e.get("reference").get("source-name").stringValue()));
        return out;
    }

    static String managed(String backendHost, String name) {
        HttpJson.Response r = http.post(ADMIN, "/v3/os-volume-manage", "{\"volume\": {\"host\": \"" + backendHost
                + "\", \"ref\": {\"source-name\": \"" + name + "\"}}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        return r.body().get("volume").get("id").stringValue();
    }

    static String statusReason(String volumeId) throws Exception {
        try (var c = java.sql.DriverManager.getConnection(jdbc(database), "postgres", null);
             var st = c.prepareStatement("select status_reason from volumes where id = ?")) {
            st.setString(1, volumeId);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    static String jdbc(String url) {
        java.net.URI uri = java.net.URI.create(url.replace("postgresql://", "http://"));
        return "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath();
    }

    static JsonNode find(JsonNode entries, String name) {
        for (JsonNode e : entries) {
            if (name.equals(e.get("reference").get("source-name").stringValue())) {
                return e;
            }
        }
        throw new AssertionError(name + " not in " + entries);
    }
}
