package org.openstack.jcinder.all.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.testsupport.TestServices;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Malformed and hostile requests over every route and volume action the API serves, generated from a seed:
 * bodies whose fields are each good, missing or hostile (wrong types, NUL, unpaired surrogates, huge numbers,
 * deep nesting, broken JSON), hostile path segments, query parameters, microversions, methods and media types.
 * For every answer: no 5xx; an error is a Cinder body whose fault matches the status; no body names a Java
 * class, a stack frame, a file path or the container; a refused request changed nothing in the database.
 *
 * <p>The seed is fixed so a failure reproduces; {@code -Dfuzz.seed=N} runs another sequence ({@code random}
 * picks one and prints it), {@code -Dfuzz.requests=N} another size.
 */
class ApiFuzzTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final long SEED = seed();
    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 5200);

    @TempDir
    static Path dir;
    static ConfigurableApplicationContext all;
    static RawHttp http;
    static DbState db;
    static String host;
    static Random rnd;
    static List<String> volumeIds = new ArrayList<>();
    static List<String> typeIds = new ArrayList<>();
    static List<String> attachmentIds = new ArrayList<>();

    private static long seed() {
        String s = System.getProperty("fuzz.seed", "20261130");
        return s.equals("random") ? new Random().nextLong() : Long.parseLong(s);
    }

    @BeforeAll
    static void start() throws Exception {
        String database = TestServices.freshDatabase();
        host = "fuzz-" + UUID.randomUUID().toString().substring(0, 8);
        Path conf = OneFileBackend.conf(dir, host, database);
        all = CinderAllApplication.start(new String[] {"--config-file", conf.toString(), "--data-dir",
                dir.resolve("data").toString(), "--no-compute"});
        http = new RawHttp(((WebServerApplicationContext) all).getWebServer().getPort());
        db = new DbState(database);
        assertThat(http.send("POST", "/v3/types", "admin:admin", "{\"volume_type\": {\"name\": \"fuzz-type\", "
                + "\"extra_specs\": {\"k\": \"v\"}}}").status()).isEqualTo(200);
        for (String token : List.of("admin:admin", "admin:admin", "u:fuzz")) {
            assertThat(http.send("POST", "/v3/volumes", token, "{\"volume\": {\"size\": 1, \"name\": \"seed\", "
                    + "\"metadata\": {\"k\": \"v\"}}}").status()).isEqualTo(202);
        }
        assertThat(db.settle(30_000)).isTrue();
        refreshIds();
        assertThat(http.send("POST", "/v3/attachments", Map.of("X-Auth-Token", "admin:admin", "Content-Type",
                "application/json", "OpenStack-API-Version", "volume 3.27"), ("{\"attachment\": {\"volume_uuid\": \""
                + volumeIds.get(0) + "\"}}").getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        refreshIds();
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
        all.close();
    }

    private static void refreshIds() {
        volumeIds = db.column("select id from volumes where not deleted order by id");
        typeIds = db.column("select id from volume_types where not deleted order by id");
        attachmentIds = db.column("select id from volume_attachment where not deleted order by id");
    }

    // ---- the generator -------------------------------------------------------------------------------------

    /** A value to be written as JSON; {@link Raw} is written verbatim. */
    record Raw(String json) {
    }

    private static final Object[] HOSTILE = {
        null, true, false, 0, -1, 1.5, new Raw("1e400"), new Raw("99999999999999999999"),
        new Raw("-9223372036854775809"), new Raw("2147483648"), "", " ", "x".repeat(300), "a\u0000b", "\u0000",
        "\ud800", "a\udc00", "\udbff\udfff", "\ud83d\ude00", "'; drop table volumes; --", "%00", "../../etc/passwd",
        "${jndi:ldap://x}", "<script>", "\\", "\"", List.of(), List.of(1, "a"), Map.of(), Map.of("a", Map.of("b", List.of())),
        "1", "-1", "0", "abc", "true", "available", "in-use", "error", "deleting", "none", "target:x", "on-demand",
        new Raw("[".repeat(400) + "]".repeat(400)), new Raw("{\"a\": 1, \"a\": 2}"),
    };

    private static Object pick(Object[] values) {
        return values[rnd.nextInt(values.length)];
    }

    private static String id(List<String> ids) {
        return ids.isEmpty() || rnd.nextInt(10) == 0 ? UUID.randomUUID().toString() : ids.get(rnd.nextInt(ids.size()));
    }

    /** The good values of an action's or resource's fields; the generator keeps, drops or spoils each. */
    private static Map<String, Supplier<Object>> fields(String kind) {
        Map<String, Supplier<Object>> f = new LinkedHashMap<>();
        switch (kind) {
            case "volume" -> {
                f.put("size", () -> 1 + rnd.nextInt(2));
                f.put("name", () -> "fz" + rnd.nextInt(100));
                f.put("description", () -> "d");
                f.put("volume_type", () -> rnd.nextBoolean() ? "fuzz-type" : id(typeIds));
                f.put("availability_zone", () -> "nova");
                f.put("metadata", () -> Map.of("k", "v" + rnd.nextInt(3)));
                f.put("multiattach", () -> rnd.nextBoolean());
                f.put("snapshot_id", () -> id(volumeIds));
            }
            case "volume-update" -> {
                f.put("name", () -> "fz" + rnd.nextInt(100));
                f.put("description", () -> "d");
                f.put("display_name", () -> "dn");
                f.put("metadata", () -> Map.of("k", "v"));
            }
            case "os-migrate_volume" -> {
                f.put("host", () -> host + "@f1#f1");
                f.put("force_host_copy", () -> rnd.nextBoolean());
                f.put("lock_volume", () -> rnd.nextBoolean());
                f.put("cluster", () -> "c");
                f.put("bps_limit", () -> rnd.nextInt(1000));
            }
            case "os-migrate_volume_completion" -> {
                f.put("new_volume", () -> id(volumeIds));
                f.put("error", () -> rnd.nextBoolean());
            }
            case "os-reset_status" -> {
                f.put("status", () -> rnd.nextBoolean() ? "available" : "error");
                f.put("attach_status", () -> "detached");
                f.put("migration_status", () -> "none");
            }
            case "os-migrate_volume_update" -> f.put("bps_limit", () -> rnd.nextInt(1000));
            case "os-extend" -> f.put("new_size", () -> 2 + rnd.nextInt(3));
            case "os-retype" -> {
                f.put("new_type", () -> "fuzz-type");
                f.put("migration_policy", () -> rnd.nextBoolean() ? "never" : "on-demand");
            }
            case "os-migrate_volume_progress" -> {
                f.put("new_volume", () -> id(volumeIds));
                f.put("bytes_copied", () -> rnd.nextInt(100));
                f.put("bytes_total", () -> 100);
            }
            case "os-attach" -> {
                f.put("instance_uuid", () -> UUID.randomUUID().toString());
                f.put("mountpoint", () -> "/dev/vdb");
                f.put("mode", () -> rnd.nextBoolean() ? "rw" : "ro");
                f.put("host_name", () -> "h");
            }
            case "os-detach" -> f.put("attachment_id", () -> id(attachmentIds));
            case "volume_type" -> {
                f.put("name", () -> "t" + rnd.nextInt(50));
                f.put("description", () -> "d");
                f.put("is_public", () -> rnd.nextBoolean());
                f.put("os-volume-type-access:is_public", () -> rnd.nextBoolean());
                f.put("extra_specs", () -> Map.of("volume_backend_name", "f1"));
            }
            case "attachment" -> {
                f.put("volume_uuid", () -> id(volumeIds));
                f.put("instance_uuid", () -> UUID.randomUUID().toString());
                f.put("mode", () -> rnd.nextBoolean() ? "rw" : "ro");
                f.put("connector", () -> Map.of("host", "h", "mountpoint", "/dev/vdc"));
            }
            default -> {
            }
        }
        return f;
    }

    private static final String[] ACTIONS = {"os-migrate_volume", "os-migrate_volume_completion", "os-reset_status",
        "os-migrate_volume_cancel", "os-migrate_volume_update", "os-extend", "os-retype", "os-migrate_volume_progress",
        "os-reserve", "os-unreserve", "os-attach", "os-begin_detaching", "os-roll_detaching", "os-detach",
        "os-force_delete", "os-nothing"};

    private static Map<String, Object> object(String kind) {
        Map<String, Object> out = new LinkedHashMap<>();
        fields(kind).forEach((name, good) -> {
            int r = rnd.nextInt(10);
            if (r < 4) {
                out.put(name, good.get());
            } else if (r < 7) {
                out.put(name, pick(HOSTILE));
            }
        });
        if (rnd.nextInt(8) == 0) {
            out.put(rnd.nextBoolean() ? "colour" : "na\u0000me", pick(HOSTILE));
        }
        return out;
    }

    /** A body for a route: usually its object wrapped under its key, sometimes something else entirely. */
    private static byte[] body(String wrapper, String kind) {
        int r = rnd.nextInt(20);
        Object tree;
        if (r == 0) {
            return new byte[0];
        } else if (r == 1) {
            byte[] good = json(Map.of(wrapper, object(kind))).getBytes(StandardCharsets.UTF_8);
            return java.util.Arrays.copyOf(good, rnd.nextInt(good.length + 1));
        } else if (r == 2) {
            return new byte[] {'{', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ':', '1', '}'};
        } else if (r == 3) {
            return new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, (byte) 0xC0, '"', '}'};
        } else if (r == 4) {
            tree = pick(HOSTILE);
        } else if (r == 5) {
            tree = one(wrapper, pick(HOSTILE));
        } else if (r == 6) {
            tree = Map.of(wrapper, object(kind), "other", 1);
        } else {
            tree = Map.of(wrapper, object(kind));
        }
        return json(tree).getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> one(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, value);
        return m;
    }

    /** JSON text with every control character and every surrogate escaped, so unpaired ones survive. */
    static String json(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Raw raw) {
            return raw.json();
        }
        if (v instanceof String s) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') {
                    b.append('\\').append(c);
                } else if (c < 0x20 || Character.isSurrogate(c)) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
            return b.append('"').toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder("{");
            m.forEach((k, val) -> b.append(b.length() > 1 ? ", " : "").append(json(k)).append(": ").append(json(val)));
            return b.append('}').toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder b = new StringBuilder("[");
            l.forEach(val -> b.append(b.length() > 1 ? ", " : "").append(json(val)));
            return b.append(']').toString();
        }
        return String.valueOf(v);
    }

    private static final String[] SEGMENTS = {"%00", "%ED%A0%80", "%FF", "%zz", "..", "%2e%2e", "a%2Fb", "x".repeat(300),
        "%E2%80%8B", "%F0%9F%98%80", "detail", "action", "-1", "null", "%20", "%25", "%u0000", "a;b", "%C0%80"};

    private static String segment(List<String> ids) {
        return rnd.nextInt(6) == 0 ? (String) pick(SEGMENTS) : id(ids);
    }

    private static final String[] QUERY_KEYS = {"limit", "offset", "marker", "sort", "sort_key", "sort_dir", "name",
        "status", "all_tenants", "project_id", "with_count", "na%00me", "%FF"};
    private static final String[] QUERY_VALUES = {"1", "0", "-5", "x", "1.5", "99999999999999999999", "2147483648",
        "name:asc", "name:sideways", "created_at:desc,id:asc", "colour", "asc", "desc", "sideways", "%00", "a%00b",
        "%ED%A0%80", "%FF", "%zz", "%", "true", "1", "fz1", "available", "", "%E2%98%83", "a+b", ",,", ":"};

    private static String query() {
        StringBuilder q = new StringBuilder();
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            String key = (String) pick(QUERY_KEYS);
            String value = key.equals("marker") && rnd.nextBoolean() ? id(volumeIds) : (String) pick(QUERY_VALUES);
            q.append(i == 0 ? "?" : "&").append(key).append('=').append(value);
        }
        return q.toString();
    }

    private static final String[] VERSIONS = {"volume 3.999999999999", "volume abc", "volume 3.", "volume ",
        "volume latest", "volume 3.0, volume 3.70", "volume 03.1", "compute 2.1", "volume 4.0", "volume 2.0",
        "volume 99999999999.0", "volume 3.-1", "volume 3.27", "volume 3.44", "volume 3.70", "volume 3.42"};
    private static final String[] TOKENS = {"admin:admin", "admin:admin", "admin:admin", "u:fuzz", "other:other"};
    private static final String[] METHODS = {"PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE", "FOO", "GET", "DELETE",
        "PUT", "POST"};
    private static final String[] CONTENT_TYPES = {"text/plain", "application/xml", "application/json; charset=latin1",
        "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "*/*", "garbage"};

    record Request(String method, String target, Map<String, String> headers, byte[] body) {
        @Override
        public String toString() {
            return method + " " + target + " " + headers + (body == null ? ""
                    : " " + new String(body, StandardCharsets.UTF_8).replace("\u0000", "\\0"));
        }
    }

    private static Request next() {
        String p = rnd.nextInt(4) == 0 ? "/v3/" + (rnd.nextInt(5) == 0 ? "other" : "admin") : "/v3";
        String vol = p + "/volumes/" + segment(volumeIds);
        String type = p + "/types/" + segment(typeIds);
        String att = p + "/attachments/" + segment(attachmentIds);
        String method;
        String target;
        byte[] body = null;
        switch (rnd.nextInt(30)) {
            case 0 -> { method = "GET"; target = rnd.nextBoolean() ? "/" : "/v3/"; }
            case 1, 2 -> { method = "GET"; target = p + "/volumes" + (rnd.nextBoolean() ? "/detail" : "") + query(); }
            case 3, 4 -> { method = "POST"; target = p + "/volumes"; body = body("volume", "volume"); }
            case 5 -> { method = "GET"; target = vol; }
            case 6 -> { method = "PUT"; target = vol; body = body("volume", "volume-update"); }
            case 7 -> { method = "DELETE"; target = vol; }
            case 8 -> { method = "GET"; target = vol + "/metadata"; }
            case 9 -> { method = rnd.nextBoolean() ? "POST" : "PUT"; target = vol + "/metadata";
                body = body("metadata", "volume-update"); }
            case 10 -> { method = "DELETE"; target = vol + "/metadata/" + (rnd.nextBoolean() ? "k" : pick(SEGMENTS)); }
            case 11, 12, 13, 14, 15, 16, 17 -> {
                method = "POST";
                target = vol + "/action";
                String action = (String) pick(ACTIONS);
                body = body(action, action);
            }
            case 18 -> { method = "GET"; target = p + "/types" + query(); }
            case 19 -> { method = "POST"; target = p + "/types"; body = body("volume_type", "volume_type"); }
            case 20 -> { method = rnd.nextBoolean() ? "GET" : "DELETE"; target = type; }
            case 21 -> { method = "PUT"; target = type; body = body("volume_type", "volume_type"); }
            case 22 -> { method = rnd.nextBoolean() ? "GET" : "POST"; target = type + "/extra_specs";
                body = method.equals("POST") ? body("extra_specs", "volume-update") : null; }
            case 23 -> {
                method = (String) pick(new Object[] {"GET", "PUT", "DELETE"});
                String key = rnd.nextBoolean() ? "k" : (String) pick(SEGMENTS);
                target = type + "/extra_specs/" + key;
                body = method.equals("PUT") ? json(one(rnd.nextBoolean() ? key : "k", pick(HOSTILE)))
                        .getBytes(StandardCharsets.UTF_8) : null;
            }
            case 24 -> { method = "GET"; target = p + "/attachments" + (rnd.nextBoolean() ? "/detail" : "") + query(); }
            case 25 -> { method = "POST"; target = p + "/attachments"; body = body("attachment", "attachment"); }
            case 26 -> { method = rnd.nextBoolean() ? "GET" : "DELETE"; target = att; }
            case 27 -> { method = rnd.nextBoolean() ? "PUT" : "POST"; target = att + (method.equals("POST") ? "/action" : "");
                body = body(method.equals("PUT") ? "attachment" : "os-complete", "attachment"); }
            case 28 -> { method = "GET"; target = p + (rnd.nextBoolean() ? "/os-services" : "/scheduler-stats/get_pools")
                    + (rnd.nextBoolean() ? "?detail=true" : query()); }
            default -> { method = "GET"; target = p + "/" + pick(SEGMENTS) + "/" + pick(SEGMENTS); }
        }
        if (rnd.nextInt(20) == 0) {
            method = (String) pick(METHODS);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (rnd.nextInt(25) != 0) {
            headers.put("X-Auth-Token", (String) pick(TOKENS));
        }
        if (body != null) {
            headers.put("Content-Type", rnd.nextInt(15) == 0 ? (String) pick(CONTENT_TYPES) : "application/json");
        }
        int v = rnd.nextInt(10);
        if (v < 3) {
            headers.put("OpenStack-API-Version", (String) pick(VERSIONS));
        } else if (v < 6) {
            headers.put("OpenStack-API-Version", "volume 3." + rnd.nextInt(71));
        }
        if (rnd.nextInt(15) == 0) {
            headers.put("Accept", rnd.nextBoolean() ? "image/png" : "text/html");
        }
        return new Request(method, target, headers, body);
    }

    // ---- the run -------------------------------------------------------------------------------------------

    @Test
    void noInputCrashesLeaksOrWritesWhenRefused() throws Exception {
        rnd = new Random(SEED);
        long started = System.nanoTime();
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        String before = db.fingerprint();
        long inRequests = 0;
        for (int i = 0; i < REQUESTS && failures.size() < 20; i++) {
            Request req = next();
            long sent = System.nanoTime();
            RawHttp.Response r = http.send(req.method(), req.target(), req.headers(), req.body());
            inRequests += System.nanoTime() - sent;
            statuses.merge(r.status(), 1, Integer::sum);
            String problem = problem(req, r);
            String after;
            if (r.status() >= 400) {
                after = db.fingerprint();
                if (problem == null && !after.equals(before)) {
                    problem = "a refused request changed the database";
                }
            } else {
                if (!req.method().equals("GET") && !req.method().equals("HEAD")) {
                    db.settle(15_000);
                    refreshIds();
                }
                after = db.fingerprint();
            }
            if (problem != null) {
                failures.add("#" + i + " " + problem + ": " + req + " -> " + r.status() + " " + r.body());
            }
            before = after;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("ApiFuzzTest: %d requests, seed %d, %.1f s (%.1f s waiting for answers), statuses %s%n",
                REQUESTS, SEED, seconds, inRequests / 1e9, statuses);
        assertThat(failures).as("seed " + SEED + " (reproduce with -Dfuzz.seed=" + SEED + ")").isEmpty();
        assertThat(statuses.keySet()).as("the generator reaches success and refusal alike").contains(200, 202, 400, 404);
    }

    private static String problem(Request req, RawHttp.Response r) {
        if (r.status() >= 500 && r.status() != 501) {
            return "server error";
        }
        if (r.status() == 501 && java.util.Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")
                .contains(req.method())) {
            return "501 for an implemented method";
        }
        String body = r.body();
        for (String leak : new String[] {"Exception", "java.", ".java", "org.springframework", "org.apache",
            "org.hibernate", "org.postgresql", "org.openstack", "<html", "\tat ", "Tomcat", "SQL"}) {
            if (body.contains(leak)) {
                return "the body leaks '" + leak + "'";
            }
        }
        // A pool's capabilities name the backend's directory, on purpose; an error names no file.
        for (String path : new String[] {"/work/", "/tmp/", "/root/", "/home/", "/usr/"}) {
            if (r.status() >= 400 && body.contains(path)) {
                return "the error body names a file '" + path + "'";
            }
        }
        if (r.status() >= 400 && !req.method().equals("HEAD")) {
            JsonNode node;
            try {
                node = MAPPER.readTree(body);
            } catch (RuntimeException e) {
                return "an error body that is not JSON";
            }
            if (node == null || !node.isObject() || node.size() != 1) {
                return "an error body that is not one fault";
            }
            JsonNode fault = node.properties().iterator().next().getValue();
            if (fault.get("code") == null || fault.get("code").asInt() != r.status() || fault.get("message") == null
                    || !fault.get("message").isString()) {
                return "a fault without the status as code or without a message";
            }
            String expected = org.openstack.jcinder.api.web.ErrorBodies.faultName(r.status());
            if (!node.has(expected)) {
                return "fault " + node.propertyNames() + " for " + r.status();
            }
        }
        return null;
    }
}
