package org.openstack.jcinder.compute.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.compute.NovaComputeApplication;
import org.openstack.jcinder.compute.config.NovaConfig;
import org.openstack.jcinder.shared.config.IniFile;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** nova-compute's management listener: probes and Prometheus metrics apart from the compute API. */
class ManagementListenerTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static HttpResponse<String> get(String url) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).header("X-Auth-Token", "admin:p").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void probesAndMetricsAnswerOnTheManagementPortOnly() throws Exception {
        NovaConfig config = NovaConfig.from(IniFile.parse(Path.of("<test>"), List.of(
                "[DEFAULT]",
                "compute_driver = simulated",
                "osapi_compute_listen_port = 0",
                "[cinder]",
                "endpoint_override = http://127.0.0.1:9/v3")));
        try (ConfigurableApplicationContext ctx = NovaComputeApplication.start(config)) {
            String api = "http://127.0.0.1:" + ((WebServerApplicationContext) ctx).getWebServer().getPort();
            String management = "http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.management.port");
            assertThat(management).doesNotEndWith(":null").isNotEqualTo(api);
            get(api + "/v2.1/servers");
            assertThat(get(management + "/health/liveness").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(management + "/health/readiness");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            HttpResponse<String> metrics = get(management + "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("http_server_requests_seconds_count").contains("uri=\"/v2.1/servers\"")
                    .contains("jvm_memory_used_bytes");
            // The API's port does not serve them.
            assertThat(get(api + "/metrics").statusCode()).isEqualTo(404);
        }
    }
}
