package org.openstack.jcinder.all.quotas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.testsupport.HttpJson;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;

/**
 * The same locking on the embedded default (H2 in PostgreSQL mode, in-process broker): parallel creates
 * against a small quota, where every request also creates the project's usage rows.
 */
class QuotasEmbeddedTest {

    @TempDir
    static Path dir;
    static ConfigurableApplicationContext all;
    static HttpJson http;

    @BeforeAll
    static void start() throws Exception {
        Path conf = dir.resolve("cinder.conf");
        Files.writeString(conf, String.join("\n", "[DEFAULT]", "enabled_backends = f1", "osapi_volume_listen_port = 0",
                "report_interval = 1", "[f1]", "volume_driver = file", ""));
        all = CinderAllApplication.start(new String[] {"--no-compute", "--data-dir", dir.resolve("data").toString(),
                "--config-file", conf.toString()});
        http = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) all).getWebServer().getPort());
    }

    @AfterAll
    static void stop() {
        if (all != null) {
            all.close();
        }
    }

    @Test
    void parallelCreatesOnH2StopAtTheLimit() throws Exception {
        String p = UUID.randomUUID().toString().replace("-", "");
        assertThat(http.put("admin:admin", "/v3/admin/os-quota-sets/" + p, "{\"quota_set\": {\"volumes\": 3}}")
                .status()).isEqualTo(200);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                answers.add(pool.submit(() -> http.post("kim:" + p, "/v3/volumes", "{\"volume\": {\"size\": 1}}")
                        .status()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : answers) {
                statuses.add(f.get());
            }
            assertThat(statuses.stream().filter(s -> s == 202).count()).as(statuses.toString()).isEqualTo(3);
            assertThat(statuses.stream().filter(s -> s == 413).count()).as(statuses.toString()).isEqualTo(13);
        } finally {
            pool.shutdownNow();
        }
        JsonNode usage = http.get("admin:admin", "/v3/admin/os-quota-sets/" + p + "?usage=true").body()
                .get("quota_set");
        assertThat(usage.get("volumes").get("in_use").asInt()).isEqualTo(3);
        assertThat(usage.get("gigabytes").get("in_use").asInt()).isEqualTo(3);
        assertThat(http.get("kim:" + p, "/v3/volumes").body().get("volumes")).hasSize(3);
    }
}
