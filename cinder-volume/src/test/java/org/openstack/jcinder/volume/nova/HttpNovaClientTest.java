package org.openstack.jcinder.volume.nova;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.CinderOptions;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.exception.VolumeDriverException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the volume service sends Nova, and what it makes of Nova's answers, against an in-process server. */
class HttpNovaClientTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String DRIVER_ERROR = "Volume driver reported an error: ";
    private static final RequestContext CTX = new RequestContext("req-1234", "alice", "proj", List.of("member"));

    record Received(String method, String path, Headers headers, JsonNode body) {
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private volatile int answerStatus;
    private volatile String answerBody;
    private HttpServer nova;
    private HttpNovaClient client;

    @BeforeEach
    void startNova() throws IOException {
        nova = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        nova.createContext("/", exchange -> {
            byte[] in = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders(), JSON.readTree(in)));
            byte[] out = answerBody.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answerStatus, out.length == 0 ? -1 : out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        nova.start();
        // A trailing slash, as endpoint catalogs often have: it must not double.
        client = clientFor("http://127.0.0.1:" + nova.getAddress().getPort() + "/v2.1/");
    }

    @AfterEach
    void stopNova() {
        nova.stop(0);
    }

    private static HttpNovaClient clientFor(String endpoint) {
        return new HttpNovaClient(CinderConfig.defaults().with(CinderOptions.NOVA_ENDPOINT, endpoint), JSON);
    }

    private void answer(int status, String body) {
        answerStatus = status;
        answerBody = body;
    }

    private Received request() throws InterruptedException {
        Received r = received.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("a request reached Nova").isNotNull();
        return r;
    }

    @Test
    void theSwapIsNovasUpdateOfTheVolumeAttachment() throws Exception {
        answer(202, "");

        client.updateServerVolume(CTX, "srv-1", "vol-old", "vol-new");

        Received r = request();
        assertThat(r.method()).isEqualTo("PUT");
        assertThat(r.path()).isEqualTo("/v2.1/servers/srv-1/os-volume_attachments/vol-old");
        assertThat(r.headers().getFirst("Content-Type")).isEqualTo("application/json");
        assertThat(r.headers().getFirst("Accept")).isEqualTo("application/json");
        assertThat(r.headers().getFirst("X-OpenStack-Nova-API-Version")).isEqualTo("2.1");
        assertThat(r.headers().getFirst("X-Auth-Token")).isEqualTo("alice:proj");
        assertThat(r.headers().getFirst("X-OpenStack-Request-ID")).isEqualTo("req-1234");
        assertThat(r.body()).isEqualTo(JSON.valueToTree(Map.of("volumeAttachment", Map.of("volumeId", "vol-new"))));
    }

    @Test
    void novaAnswering200IsAcceptedToo() {
        answer(200, "{\"volumeAttachment\": {\"volumeId\": \"vol-new\"}}");

        client.updateServerVolume(CTX, "srv-1", "vol-old", "vol-new");
    }

    @Test
    void aRefusedSwapCarriesNovasFaultMessage() {
        answer(409, "{\"conflictingRequest\": {\"code\": 409, \"message\": \"Cannot 'swap_volume' instance srv-1 "
                + "while it is in task_state migrating\"}}");

        assertThatThrownBy(() -> client.updateServerVolume(CTX, "srv-1", "vol-old", "vol-new"))
                .isInstanceOf(VolumeDriverException.class)
                .hasMessage(DRIVER_ERROR + "Nova refused the volume swap of server srv-1 (409): Cannot "
                        + "'swap_volume' instance srv-1 while it is in task_state migrating");
    }

    @Test
    void anUnknownServerIsRefusedWithItsStatus() {
        answer(404, "{\"itemNotFound\": {\"code\": 404, \"message\": \"Instance srv-1 could not be found.\"}}");

        assertThatThrownBy(() -> client.updateServerVolume(CTX, "srv-1", "vol-old", "vol-new"))
                .hasMessage(DRIVER_ERROR + "Nova refused the volume swap of server srv-1 (404): Instance srv-1 "
                        + "could not be found.");
    }

    @Test
    void anErrorThatIsNotNovasFaultBodyIsQuoted() {
        answer(502, "<html>Bad Gateway</html>\n");
        assertThatThrownBy(() -> client.updateServerVolume(CTX, "srv-1", "vol-old", "vol-new"))
                .hasMessage(DRIVER_ERROR + "Nova refused the volume swap of server srv-1 (502): <html>Bad "
                        + "Gateway</html>");

        answer(500, "");
        assertThatThrownBy(() -> client.updateServerVolume(CTX, "srv-1", "vol-old", "vol-new"))
                .hasMessage(DRIVER_ERROR + "Nova refused the volume swap of server srv-1 (500): HTTP 500");
    }

    @Test
    void anUnreachableNovaIsNamed() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + closedPort + "/v2.1";

        assertThatThrownBy(() -> clientFor(endpoint).updateServerVolume(CTX, "srv-1", "vol-old", "vol-new"))
                .isInstanceOf(VolumeDriverException.class)
                .hasMessageStartingWith(DRIVER_ERROR + "Nova at " + endpoint + " is unreachable: ");
    }

    @Test
    void withoutAnEndpointThereIsNoComputeServiceToAsk() {
        HttpNovaClient unconfigured = new HttpNovaClient(CinderConfig.defaults(), JSON);

        assertThatThrownBy(() -> unconfigured.updateServerVolume(CTX, "srv-1", "vol-old", "vol-new"))
                .hasMessage(DRIVER_ERROR + "the volume is attached and neither [nova] endpoint_override nor "
                        + "[nova] auth_type is set: no compute service to swap it");
    }

    @Test
    void theExtendEventGoesToEveryServerAsTheCinderServiceUser() throws Exception {
        answer(200, "{\"events\": []}");

        client.volumeExtended(CTX, List.of("srv-1", "srv-2"), "vol-1");

        Received r = request();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/v2.1/os-server-external-events");
        assertThat(r.headers().getFirst("X-OpenStack-Nova-API-Version")).isEqualTo("2.51");
        assertThat(r.headers().getFirst("X-Auth-Token")).isEqualTo("cinder:proj");
        assertThat(r.headers().getFirst("X-OpenStack-Request-ID")).isEqualTo("req-1234");
        assertThat(r.body()).isEqualTo(JSON.readTree("{\"events\": ["
                + "{\"name\": \"volume-extended\", \"server_uuid\": \"srv-1\", \"tag\": \"vol-1\"}, "
                + "{\"name\": \"volume-extended\", \"server_uuid\": \"srv-2\", \"tag\": \"vol-1\"}]}"));
    }

    @Test
    void someServersToldIsEnoughAndNoneIsAnError() {
        answer(207, "{\"events\": [{\"name\": \"volume-extended\", \"server_uuid\": \"srv-1\", \"tag\": \"vol-1\", "
                + "\"status\": \"completed\", \"code\": 200}, {\"name\": \"volume-extended\", \"server_uuid\": "
                + "\"srv-2\", \"tag\": \"vol-1\", \"status\": \"failed\", \"code\": 404}]}");
        client.volumeExtended(CTX, List.of("srv-1", "srv-2"), "vol-1");

        answer(400, "{\"badRequest\": {\"code\": 400, \"message\": \"Invalid input for field/attribute name.\"}}");
        assertThatThrownBy(() -> client.volumeExtended(CTX, List.of("srv-1"), "vol-1"))
                .isInstanceOf(VolumeDriverException.class)
                .hasMessage(DRIVER_ERROR + "Nova refused the volume-extended event for volume vol-1 (400): Invalid "
                        + "input for field/attribute name.");
    }
}
