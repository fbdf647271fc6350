package org.openstack.jcinder.volume.nova;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Nova's compute API over HTTP, as novaclient sends it: {@code PUT /servers/{server}/os-volume_attachments/
 * {old}} with {@code {"volumeAttachment": {"volumeId": new}}} at compute microversion 2.1. The endpoint is
 * {@code [nova] endpoint_override}; the token is the caller's (noauth {@code user:project} for now — the
 * Keystone issue adds the privileged user and service token).
 */
@Component
public class HttpNovaClient implements NovaClient {

    private static final Logger LOG = LoggerFactory.getLogger(HttpNovaClient.class);

    private final CinderConfig config;
    private final JsonMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public HttpNovaClient(CinderConfig config, JsonMapper json) {
        this.config = config;
        this.json = json;
        if (config.novaAuth().configured() || config.serviceUser().configured()) {
            LOG.info("Keystone credentials in [nova] ({}) and [service_user] ({}) are read but not used yet: with "
                    + "noauth the caller's token goes to Nova", config.novaAuth(), config.serviceUser());
        }
    }

    @Override
    public void updateServerVolume(RequestContext ctx, String serverId, String oldVolumeId, String newVolumeId) {
        Map<String, Object> body = Map.of("volumeAttachment", Map.of("volumeId", newVolumeId));
        HttpResponse<String> response = send(ctx, "PUT", "/servers/" + serverId + "/os-volume_attachments/"
                + oldVolumeId, "2.1", body, "swap it");
        if (response.statusCode() != 202 && response.statusCode() != 200) {
            throw new VolumeDriverException("Nova refused the volume swap of server " + serverId + " ("
                    + response.statusCode() + "): " + errorMessage(response));
        }
        LOG.info("Nova accepted swapping server {} from volume {} to {}", serverId, oldVolumeId, newVolumeId);
    }

    @Override
    public void volumeExtended(RequestContext ctx, List<String> serverIds, String volumeId) {
        List<Map<String, Object>> events = new ArrayList<>();
        for (String server : serverIds) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("name", "volume-extended");
            event.put("server_uuid", server);
            event.put("tag", volumeId);
            events.add(event);
        }
        // Cinder sends events as its privileged service user, not as the caller (a project member may extend
        // a volume, only a service may post events); with noauth that is user "cinder", Nova's service role.
        RequestContext service = new RequestContext(ctx.requestId(), "cinder", ctx.projectId(), ctx.roles());
        HttpResponse<String> response = send(service, "POST", "/os-server-external-events", "2.51",
                Map.of("events", events), "tell it the new size");
        // 207: some servers were told, some not (each event carries its own code).
        if (response.statusCode() != 200 && response.statusCode() != 207) {
            throw new VolumeDriverException("Nova refused the volume-extended event for volume " + volumeId + " ("
                    + response.statusCode() + "): " + errorMessage(response));
        }
        LOG.info("Nova told of the new size of volume {} (servers {}): {}{}", volumeId, serverIds,
                response.statusCode(), response.statusCode() == 207 ? ", not told: " + failedEvents(response) : "");
    }

    private HttpResponse<String> send(RequestContext ctx, String method, String path, String microversion,
                                      Object body, String purpose) {
        String endpoint = config.novaEndpoint().orElseThrow(() -> new VolumeDriverException(
                "the volume is attached and [nova] endpoint_override is not set: no compute service to " + purpose));
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.replaceAll("/+$", "") + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("X-OpenStack-Nova-API-Version", microversion)
                .header("X-Auth-Token", ctx.userId() + ":" + ctx.projectId())
                .header("X-OpenStack-Request-ID", ctx.requestId())
                .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new VolumeDriverException("Nova at " + endpoint + " is unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VolumeDriverException("interrupted while calling Nova at " + endpoint, e);
        }
    }

    /** The message of Nova's fault body {@code {"conflictingRequest": {"code": 409, "message": ...}}}. */
    private String errorMessage(HttpResponse<String> response) {
        String body = response.body();
        if (body == null || body.isBlank()) {
            return "HTTP " + response.statusCode();
        }
        try {
            JsonNode fault = json.readTree(body);
            if (fault.isObject() && fault.size() == 1 && fault.iterator().next().path("message").isString()) {
                return fault.iterator().next().get("message").asString();
            }
        } catch (JacksonException notJson) {
            // a proxy's or a server's own error page: the text says more than nothing
        }
        return body.strip();
    }

    /** The servers of a 207 answer whose event failed, with their codes. */
    private List<String> failedEvents(HttpResponse<String> response) {
        List<String> failed = new ArrayList<>();
        try {
            for (JsonNode e : json.readTree(response.body()).path("events")) {
                if (!"completed".equals(e.path("status").asString(""))) {
                    failed.add(e.path("server_uuid").asString("?") + " (" + e.path("code").asInt() + ")");
                }
            }
        } catch (JacksonException notJson) {
            failed.add("unknown: " + response.body());
        }
        return failed;
    }
}
