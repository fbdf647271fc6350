package org.openstack.jcinder.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A minimal HTTP client for API tests: sends the noauth token and parses JSON answers. */
public final class HttpJson {

    public record Response(int status, JsonNode body, String raw, java.net.http.HttpHeaders headers) {
    }

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public HttpJson(String base) {
        this.base = base;
    }

    public Response get(String token, String path) {
        return send(token, "GET", path, null, null);
    }

    public Response post(String token, String path, String json) {
        return send(token, "POST", path, json, null);
    }

    public Response put(String token, String path, String json) {
        return send(token, "PUT", path, json, null);
    }

    public Response delete(String token, String path) {
        return send(token, "DELETE", path, null, null);
    }

    public Response send(String token, String method, String path, String json, String apiVersion) {
        return send(token, method, path, json, apiVersion, java.util.Map.of());
    }

    /** With {@code headers} added (an {@code X-Service-Token}, say). */
    public Response send(String token, String method, String path, String json, String apiVersion,
                         java.util.Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(90))
                .header("Accept", "application/json");
        headers.forEach(b::header);
        if (token != null) {
            b.header("X-Auth-Token", token);
        }
        if (apiVersion != null) {
            // "3.44" is a volume microversion; "compute 2.51" names its service.
            b.header("OpenStack-API-Version", apiVersion.contains(" ") ? apiVersion : "volume " + apiVersion);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode node = r.body() == null || r.body().isBlank() ? null : parse(r.body());
            return new Response(r.statusCode(), node, r.body(), r.headers());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
