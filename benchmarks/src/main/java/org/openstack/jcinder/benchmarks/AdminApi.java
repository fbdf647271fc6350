package org.openstack.jcinder.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Cinder API as the migration harnesses drive it: an administrator's noauth calls and the waits between
 * them. Volume waits poll every 10 ms; a migration's wait polls every 50 ms and takes its end from the
 * service's own record ({@code finished_at} of {@code GET /v3/{project}/volumes/{id}/migration}), so that the
 * harness neither rounds the end up nor competes for the machine's two cores with a request every 10 ms while
 * the migration runs.
 */
final class AdminApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TOKEN = "admin:admin";

    private AdminApi() {
    }

    /** One request; a 4xx or 5xx answer is an exception with the body. */
    static JsonNode call(String method, String url, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("X-Auth-Token", TOKEN)
                .header("Accept", "application/json");
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 400) {
            throw new IllegalStateException(method + " " + url + " -> " + r.statusCode() + ": " + r.body());
        }
        return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }

    /** Until the scheduler has both file backends' pools. */
    static void awaitPools(String base) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (call("GET", base + "/scheduler-stats/get_pools", null).path("pools").size() == 2) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the scheduler never saw both pools");
    }

    /** Until the volume at {@code url} has {@code status}; returns its view. */
    static JsonNode await(String url, String status) throws Exception {
        for (int i = 0; i < 6000; i++) {
            JsonNode v = call("GET", url, null).get("volume");
            if (status.equals(v.path("status").asString())) {
                return v;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException(url + " never became " + status);
    }

    /**
     * Until the volume's migration succeeds (an error is an exception), for at most {@code maxSeconds}; answers
     * the seconds from {@code requested} until the migration's record says it ended.
     */
    static double awaitMigration(String url, Instant requested, int maxSeconds) throws Exception {
        for (int i = 0; i < maxSeconds * 20; i++) {
            String ms = call("GET", url, null).get("volume").path("os-vol-mig-status-attr:migstat").asString("");
            if (ms.equals("success")) {
                String finished = call("GET", url + "/migration", null).path("migration").path("finished_at")
                        .asString();
                Instant end = LocalDateTime.parse(finished).toInstant(ZoneOffset.UTC);
                return Duration.between(requested, end).toNanos() / 1e9;
            }
            if (ms.equals("error")) {
                throw new IllegalStateException("the migration failed: " + call("GET", url, null));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the migration never ended");
    }
}
