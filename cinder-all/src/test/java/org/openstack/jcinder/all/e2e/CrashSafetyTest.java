package org.openstack.jcinder.all.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

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
import org.openstack.jcinder.testsupport.CinderConfFile;
import org.openstack.jcinder.testsupport.TestServices;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 13's crash-safety fixes, each with the exact status and body: hostile text, microversion headers,
 * untyped fields, list parameters, the container's own errors, and a database outage (503, not 500).
 */
class CrashSafetyTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String ADMIN = "admin:admin";

    @TempDir
    static Path dir;
    static ConfigurableApplicationContext all;
    static RawHttp http;
    static String database;
    static DbState db;
    static String volumeId;

    @BeforeAll
    static void start() throws Exception {
        database = TestServices.freshDatabase();
        Path conf = OneFileBackend.conf(dir, "crash-" + UUID.randomUUID().toString().substring(0, 8), database);
        all = CinderAllApplication.start(new String[] {"--config-file", conf.toString(), "--data-dir",
                dir.resolve("data").toString(), "--no-compute"});
        http = new RawHttp(((WebServerApplicationContext) all).getWebServer().getPort());
        db = new DbState(database);
        RawHttp.Response created = http.send("POST", "/v3/volumes", ADMIN, "{\"volume\": {\"size\": 1, \"name\": \"v\"}}");
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        volumeId = json(created).get("volume").get("id").stringValue();
        for (int i = 0; i < 200 && !status(volumeId).equals("available"); i++) {
            Thread.sleep(100);
        }
        assertThat(status(volumeId)).isEqualTo("available");
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
        all.close();
    }

    private static String status(String id) {
        return json(http.send("GET", "/v3/volumes/" + id, ADMIN, null)).get("volume").get("status").stringValue();
    }

    private static JsonNode json(RawHttp.Response r) {
        return MAPPER.readTree(r.body());
    }

    /** The one fault of a Cinder error body, after checking its shape against the status. */
    private static JsonNode fault(RawHttp.Response r, String name) {
        assertThat(r.header("Content-Type")).as(r.body()).startsWith("application/json");
        JsonNode body = json(r);
        assertThat(body.size()).as(r.body()).isEqualTo(1);
        JsonNode f = body.get(name);
        assertThat(f).as(r.body()).isNotNull();
        assertThat(f.get("code").asInt()).isEqualTo(r.status());
        return f;
    }

    private static String message(RawHttp.Response r, int status, String faultName) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        return fault(r, faultName).get("message").stringValue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        NUL in a name                 | POST | /v3/volumes                    | {"volume": {"size": 1, "name": "a\\u0000b"}}  | The value of 'volume/name' contains a NUL character.
        lone high surrogate in a name | POST | /v3/volumes                    | {"volume": {"size": 1, "name": "a\\ud800"}}   | The value of 'volume/name' contains an unpaired UTF-16 surrogate.
        lone low surrogate            | POST | /v3/volumes                    | {"volume": {"size": 1, "description": "\\udc00x"}} | The value of 'volume/description' contains an unpaired UTF-16 surrogate.
        NUL in a metadata key         | POST | /v3/volumes                    | {"volume": {"size": 1, "metadata": {"k\\u0000": "v"}}} | A key in 'volume/metadata' contains a NUL character.
        NUL in an update              | PUT  | /v3/volumes/VOLUME             | {"volume": {"name": "\\u0000"}}                | The value of 'volume/name' contains a NUL character.
        NUL in metadata               | PUT  | /v3/volumes/VOLUME/metadata    | {"metadata": {"a": "\\u0000"}}                 | The value of 'metadata/a' contains a NUL character.
        NUL in an action              | POST | /v3/volumes/VOLUME/action      | {"os-reset_status": {"status": "avail\\u0000"}} | The value of 'os-reset_status/status' contains a NUL character.
        NUL in a type name            | POST | /v3/types                      | {"volume_type": {"name": "t\\u0000"}}          | The value of 'volume_type/name' contains a NUL character.
        """)
    void hostileTextInABodyIs400AndWritesNothing(String what, String method, String path, String body, String why) {
        String before = db.fingerprint();
        RawHttp.Response r = http.send(method, path.replace("VOLUME", volumeId), ADMIN, body);
        assertThat(message(r, 400, "badRequest")).isEqualTo("Invalid input received: " + why);
        assertThat(db.fingerprint()).isEqualTo(before);
        assertThat(r.header("x-openstack-request-id")).startsWith("req-");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        NUL in marker               | /v3/volumes/detail?marker=%00            | Query parameter 'marker' contains a NUL character.
        NUL in name                 | /v3/volumes?name=a%00b                   | Query parameter 'name' contains a NUL character.
        encoded surrogate in name   | /v3/volumes?name=%ED%A0%80               | Query parameter 'name' is not valid UTF-8.
        invalid UTF-8 in name       | /v3/volumes?name=%FF                     | Query parameter 'name' is not valid UTF-8.
        NUL in a parameter name     | /v3/volumes?na%00me=x                    | A query parameter name contains a NUL character.
        broken escape               | /v3/volumes?name=%zz                     | Query parameter 'name' contains a malformed percent-encoding.
        NUL in a type name filter   | /v3/types?name=%00                       | Query parameter 'name' contains a NUL character.
        """)
    void hostileTextInTheUrlIs400(String what, String target, String why) {
        RawHttp.Response r = http.send("GET", target, ADMIN, null);
        assertThat(message(r, 400, "badRequest")).isEqualTo("Invalid input received: " + why);
    }

    /** Tomcat refuses these while decoding the path, before any filter; its answer is made a Cinder body. */
    @ParameterizedTest
    @CsvSource({"/v3/volumes/%00", "/v3/types/%ED%B0%80/extra_specs", "/v3/volumes/%C0%AF", "/v3/volumes/a%2Fb"})
    void hostileTextInThePathIs400FromTheContainer(String target) {
        RawHttp.Response r = http.send("GET", target, ADMIN, null);
        assertThat(message(r, 400, "badRequest"))
                .isEqualTo("Malformed request: the request line or headers could not be parsed.");
        assertClean(r);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        overflowing minor      | volume 3.999999999999      | 406 | notAcceptable | Version 3.999999999999 is not supported by the API. Minimum is 3.0 and maximum is 3.70.
        overflowing major      | volume 99999999999.0       | 406 | notAcceptable | Version 99999999999.0 is not supported by the API. Minimum is 3.0 and maximum is 3.70.
        above the maximum      | volume 3.71                | 406 | notAcceptable | Version 3.71 is not supported by the API. Minimum is 3.0 and maximum is 3.70.
        below the minimum      | volume 2.0                 | 406 | notAcceptable | Version 2.0 is not supported by the API. Minimum is 3.0 and maximum is 3.70.
        not a number           | volume abc                 | 400 | badRequest    | API Version String abc is of invalid format. Must be of format MajorNum.MinorNum.
        leading zero           | volume 3.01                | 400 | badRequest    | API Version String 3.01 is of invalid format. Must be of format MajorNum.MinorNum.
        negative               | volume -3.0                | 400 | badRequest    | API Version String -3.0 is of invalid format. Must be of format MajorNum.MinorNum.
        """)
    void badMicroversionsGetCindersAnswer(String what, String header, int status, String faultName, String text) {
        RawHttp.Response r = http.send("GET", "/v3/volumes", Map.of("X-Auth-Token", ADMIN,
                "OpenStack-API-Version", header), null);
        assertThat(message(r, status, faultName)).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        new_size null          | {"os-extend": {"new_size": null}}   | Invalid input for field/attribute new_size. Value: None. None is not of type 'integer', 'string'
        new_size true          | {"os-extend": {"new_size": true}}   | Invalid input for field/attribute new_size. Value: True. True is not of type 'integer', 'string'
        new_size an object     | {"os-extend": {"new_size": {}}}     | Invalid input for field/attribute new_size. Value: {}. {} is not of type 'integer', 'string'
        new_size missing       | {"os-extend": {}}                   | Invalid input received: 'new_size' is a required property
        new_size huge          | {"os-extend": {"new_size": 1e400}}  | is not of type 'integer', 'string'
        bps_limit null         | {"os-migrate_volume_update": {"bps_limit": null}} | Invalid input for field/attribute bps_limit. Value: null. None is not of type 'integer'
        host not a string      | {"os-migrate_volume": {"host": 5}}  | Invalid input for field/attribute host. Value: 5. 5 is not of type 'string', 'null'
        new_type null          | {"os-retype": {"new_type": null}}   | Invalid input for field/attribute new_type. Value: None. None is not of type 'string'
        mountpoint a list      | {"os-attach": {"mountpoint": [1]}}  | Invalid input for field/attribute mountpoint. Value: [1]. [1] is not of type 'string'
        """)
    void untypedFieldsAre400AndChangeNothing(String what, String body, String text) {
        String before = db.fingerprint();
        RawHttp.Response r = http.send("POST", "/v3/volumes/" + volumeId + "/action", ADMIN, body);
        assertThat(message(r, 400, "badRequest")).contains(text);
        assertThat(db.fingerprint()).isEqualTo(before);
        assertThat(status(volumeId)).isEqualTo("available");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        sort_dir sideways      | /v3/volumes?sort_dir=sideways&sort_key=name | Invalid input received: Unknown sort direction, must be 'desc' or 'asc'
        sort direction         | /v3/volumes/detail?sort=name:up             | Invalid input received: Unknown sort direction, must be 'desc' or 'asc'
        sort_key unknown       | /v3/volumes?sort_key=colour                 | Invalid input received: Invalid sort key
        sort_key only commas   | /v3/volumes/detail?sort_key=,,              | Invalid input received: Invalid sort key
        sort only a colon      | /v3/volumes?sort=:                          | Invalid input received: Invalid sort key
        sort only commas       | /v3/volumes?sort=,,                         | Invalid input received: Invalid sort key
        sort and sort_key      | /v3/volumes?sort=name&sort_key=id           | The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be used with the 'sort' parameter.
        offset negative        | /v3/volumes?offset=-5                       | offset must be >= 0
        offset not a number    | /v3/volumes/detail?offset=x                 | offset must be an integer
        offset too large       | /v3/volumes?offset=99999999999              | offset must be <= 2147483647
        limit negative         | /v3/volumes?limit=-1                        | limit param must be positive
        limit not a number     | /v3/volumes?limit=1.5                       | limit param must be an integer
        """)
    void listParametersAreCheckedAsCinderDoes(String what, String target, String text) {
        assertThat(message(http.send("GET", target, ADMIN, null), 400, "badRequest")).isEqualTo(text);
    }

    @Test
    void offsetSkipsRowsAndHugeLimitsAreCapped() {
        String project = "off-" + UUID.randomUUID().toString().substring(0, 6);
        for (String name : List.of("a", "b", "c")) {
            assertThat(http.send("POST", "/v3/volumes", "u:" + project, "{\"volume\": {\"size\": 1, \"name\": \""
                    + name + "\"}}").status()).isEqualTo(202);
        }
        JsonNode page = json(http.send("GET", "/v3/volumes?sort=name:asc&offset=1", "u:" + project, null));
        assertThat(page.get("volumes").size()).isEqualTo(2);
        assertThat(page.get("volumes").get(0).get("name").stringValue()).isEqualTo("b");
        assertThat(http.send("GET", "/v3/volumes?limit=99999999999999999999", "u:" + project, null).status())
                .isEqualTo(200);
        assertThat(json(http.send("GET", "/v3/volumes?offset=2147483647", "u:" + project, null)).get("volumes")
                .size()).isZero();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
        CONNECT  | 127.0.0.1:443         | 501 | notImplemented
        CONNECT  | /v3/volumes           | 501 | notImplemented
        TRACE    | /v3/volumes           | 501 | notImplemented
        FOO      | /v3/volumes           | 501 | notImplemented
        PROPFIND | /                     | 501 | notImplemented
        DELETE   | /v3/volumes           | 405 | badMethod
        PATCH    | /v3/volumes/VOLUME    | 405 | badMethod
        GET      | /v3/no-such-thing     | 404 | itemNotFound
        GET      | /nowhere/at/all       | 404 | itemNotFound
        GET      | /error                | 404 | itemNotFound
        GET      | /v3/volumes/a%2Fb     | 400 | badRequest
        GET      | /v3/volumes/..%2F..   | 400 | badRequest
        GET      | /v3/volumes?a=b{c     | 400 | badRequest
        """)
    void theContainersOwnErrorsAreCinderBodies(String method, String target, int status, String faultName) {
        RawHttp.Response r = http.send(method, target.replace("VOLUME", volumeId), ADMIN, null);
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertClean(r);
        fault(r, faultName);
    }

    @Test
    void requestsTomcatCannotParseAreCinderBodiesToo() {
        RawHttp.Response hugeHeader = http.send("GET", "/v3/volumes", Map.of("X-Auth-Token", ADMIN, "X-Big",
                "x".repeat(20_000)), null);
        assertThat(hugeHeader.status()).isEqualTo(400);
        fault(hugeHeader, "badRequest");
        assertClean(hugeHeader);
        RawHttp.Response nulHeader = http.send("GET", "/v3/volumes", Map.of("X-Auth-Token", "admin\u0000:admin"),
                null);
        assertThat(nulHeader.status()).isEqualTo(400);
        fault(nulHeader, "badRequest");
        RawHttp.Response garbage = http.send("\u0001\u0002", "nothing", Map.of(), null);
        assertThat(garbage.status()).isEqualTo(400);
        fault(garbage, "badRequest");
        assertClean(garbage);
    }

    @Test
    void mediaTypesAndBodySizes() {
        String before = db.fingerprint();
        RawHttp.Response plain = http.send("POST", "/v3/volumes", Map.of("X-Auth-Token", ADMIN,
                "Content-Type", "text/plain"), "{\"volume\": {\"size\": 1}}".getBytes(StandardCharsets.UTF_8));
        assertThat(message(plain, 415, "badMediaType")).isEqualTo("Unsupported Content-Type");
        RawHttp.Response wildcard = http.send("POST", "/v3/volumes/" + volumeId + "/action", Map.of("X-Auth-Token",
                ADMIN, "Content-Type", "*/*"), new byte[0]);
        assertThat(message(wildcard, 415, "badMediaType")).isEqualTo("Unsupported Content-Type");
        RawHttp.Response stray = http.send("GET", "/v3/volumes", Map.of("X-Auth-Token", ADMIN, "Content-Type",
                "text/plain"), null);
        assertThat(stray.status()).isEqualTo(200);
        // Cinder answers JSON whatever is asked for; the request is not refused after it has been served.
        RawHttp.Response png = http.send("GET", "/v3/volumes", Map.of("X-Auth-Token", ADMIN, "Accept", "image/png"),
                null);
        assertThat(png.status()).isEqualTo(200);
        assertThat(png.header("Content-Type")).startsWith("application/json");
        RawHttp.Response badPng = http.send("POST", "/v3/volumes", Map.of("X-Auth-Token", ADMIN, "Accept",
                "image/png", "Content-Type", "application/json"), "{\"volume\": {}}".getBytes(StandardCharsets.UTF_8));
        assertThat(message(badPng, 400, "badRequest")).isEqualTo("Invalid input received: 'size' is a required property");

        byte[] big = ("{\"volume\": {\"size\": 1, \"description\": \"" + "x".repeat(200_000) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        RawHttp.Response tooLarge = http.send("POST", "/v3/volumes", Map.of("X-Auth-Token", ADMIN, "Content-Type",
                "application/json"), big);
        assertThat(message(tooLarge, 413, "overLimit")).isEqualTo("Request is too large.");
        byte[] chunked = chunk(big);
        RawHttp.Response tooLargeChunked = http.send("POST", "/v3/volumes", Map.of("X-Auth-Token", ADMIN,
                "Content-Type", "application/json", "Transfer-Encoding", "chunked"), chunked);
        assertThat(message(tooLargeChunked, 413, "overLimit")).isEqualTo("Request is too large.");
        RawHttp.Response deep = http.send("POST", "/v3/volumes", ADMIN, "[".repeat(5000) + "]".repeat(5000));
        assertThat(deep.status()).isEqualTo(400);
        assertThat(db.fingerprint()).isEqualTo(before);
    }

    private static byte[] chunk(byte[] body) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < body.length; i += 8192) {
            int n = Math.min(8192, body.length - i);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, i, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    static void assertClean(RawHttp.Response r) {
        assertThat(r.body()).doesNotContainIgnoringCase("<html").doesNotContain("Exception").doesNotContain("java.")
                .doesNotContain("org.").doesNotContain(".java").doesNotContain("/work/").doesNotContain("/tmp/")
                .doesNotContain("Tomcat").doesNotContain("\tat ");
    }

    /**
     * An API whose database goes away under it: a TCP proxy on loopback in front of PostgreSQL, closed
     * with every connection through it. Requests answer 503 with Retry-After, and again 200 once it is back.
     */
    @Test
    void databaseOutageAnswers503WithRetryAfter() throws Exception {
        URI pg = URI.create(database.replace("postgresql://", "http://"));
        try (Proxy proxy = new Proxy(pg.getHost(), pg.getPort())) {
            String viaProxy = database.replace(pg.getHost() + ":" + pg.getPort(), "127.0.0.1:" + proxy.port());
            Path conf = CinderConfFile.write(dir, "api-db-proxy.conf", String.join("\n",
                    "[DEFAULT]",
                    "transport_url = " + TestServices.transportUrl(),
                    "osapi_volume_listen_port = 0",
                    "[database]",
                    "connection = " + viaProxy));
            try (ConfigurableApplicationContext api = CinderServiceLauncher.run(CinderApiApplication.class,
                    CinderConfig.load(conf), true, new String[0])) {
                RawHttp viaApi = new RawHttp(((WebServerApplicationContext) api).getWebServer().getPort());
                assertThat(viaApi.send("GET", "/v3/volumes/detail", ADMIN, null).status()).isEqualTo(200);
                proxy.down();
                for (String[] request : new String[][] {{"GET", "/v3/volumes/detail", null},
                        {"GET", "/v3/volumes/" + volumeId, null}, {"GET", "/v3/types", null},
                        {"POST", "/v3/volumes", "{\"volume\": {\"size\": 1}}"},
                        {"POST", "/v3/volumes/" + volumeId + "/action", "{\"os-extend\": {\"new_size\": 2}}"}}) {
                    RawHttp.Response r = viaApi.send(request[0], request[1], ADMIN, request[2]);
                    assertThat(message(r, 503, "serviceUnavailable")).as(request[1])
                            .isEqualTo("The database is unavailable; retry later.");
                    assertThat(r.header("Retry-After")).isEqualTo("5");
                    assertClean(r);
                }
                proxy.up();
                RawHttp.Response back = null;
                for (int i = 0; i < 50 && (back == null || back.status() != 200); i++) {
                    back = viaApi.send("GET", "/v3/volumes/detail", ADMIN, null);
                }
                assertThat(back.status()).isEqualTo(200);
            }
        }
        assertThat(status(volumeId)).isEqualTo("available");
    }

    /** Forwards loopback connections to PostgreSQL until {@link #down()}, which also cuts the open ones. */
    static final class Proxy implements AutoCloseable {
        private final String host;
        private final int targetPort;
        private final int port;
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private volatile ServerSocket server;

        Proxy(String host, int targetPort) throws IOException {
            this.host = host;
            this.targetPort = targetPort;
            ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            this.port = s.getLocalPort();
            listen(s);
        }

        int port() {
            return port;
        }

        private void listen(ServerSocket s) {
            server = s;
            Thread t = new Thread(() -> {
                while (!s.isClosed()) {
                    try {
                        Socket client = s.accept();
                        Socket upstream = new Socket(host, targetPort);
                        open.add(client);
                        open.add(upstream);
                        pump(client, upstream);
                        pump(upstream, client);
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "db-proxy");
            t.setDaemon(true);
            t.start();
        }

        private void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // One side went away; close() below ends the other.
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }, "db-proxy-pump");
            t.setDaemon(true);
            t.start();
        }

        void down() throws IOException {
            server.close();
            for (Socket s : open) {
                closeQuietly(s);
            }
            open.clear();
        }

        void up() throws IOException {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
            listen(s);
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException e) {
                // Already closed.
            }
        }

        @Override
        public void close() throws IOException {
            down();
        }
    }
}
