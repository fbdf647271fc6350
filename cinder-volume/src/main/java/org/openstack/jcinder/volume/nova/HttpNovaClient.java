package org.openstack.jcinder.volume.nova;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

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
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public HttpNovaClient(CinderConfig config) {
        this.config = config;
        if (config.novaAuth().configured() || config.serviceUser().configured()) {
            LOG.info("Keystone credentials in [nova] ({}) and [service_user] ({}) are read but not used yet: with "
                    + "noauth the caller's token goes to Nova", config.novaAuth(), config.serviceUser());
        }
    }

    @Override
    public void updateServerVolume(RequestContext ctx, String serverId, String oldVolumeId, String newVolumeId) {
        String body = "{\"volumeAttachment\": {\"volumeId\": \"" + newVolumeId + "\"}}";
        HttpResponse<String> response = send(ctx, "PUT", "/servers/" + serverId + "/os-volume_attachments/"
                + oldVolumeId, "2.1", body, "swap it");
        if (response.statusCode() != 202 && response.statusCode() != 200) {
            throw new VolumeDriverException("Nova refused the volume swap of server " + serverId + " ("
                    + response.statusCode() + "): " + response.body());
        }
        LOG.info("Nova accepted swapping server {} from volume {} to {}", serverId, oldVolumeId, newVolumeId);
    }

    @Override
    public void volumeExtended(RequestContext ctx, java.util.List<String> serverIds, String volumeId) {
        String events = serverIds.stream().map(s -> "{\"name\": \"volume-extended\", \"server_uuid\": \"" + s
                + "\", \"tag\": \"" + volumeId + "\"}").collect(java.util.stream.Collectors.joining(", "));
        // Cinder sends events as its privileged service user, not as the caller (a project member may extend
        // a volume, only a service may post events); with noauth that is user "cinder", Nova's service role.
        RequestContext service = new RequestContext(ctx.requestId(), "cinder", ctx.projectId(), ctx.roles());
        HttpResponse<String> response = send(service, "POST", "/os-server-external-events", "2.51",
                "{\"events\": [" + events + "]}", "tell it the new size");
        // 207: some servers were told, some not (each event carries its own code).
        if (response.statusCode() != 200 && response.statusCode() != 207) {
            throw new VolumeDriverException("Nova refused the volume-extended event for volume " + volumeId + " ("
                    + response.statusCode() + "): " + response.body());
        }
        LOG.info("Nova told of the new size of volume {} (servers {}): {}", volumeId, serverIds,
                response.statusCode());
    }

    private HttpResponse<String> send(RequestContext ctx, String method, String path, String microversion,
                                      String body, String purpose) {
        String endpoint = config.novaEndpoint().orElseThrow(() -> new VolumeDriverException(
                "the volume is attached and [nova] endpoint_override is not set: no compute service to " + purpose));
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.replaceAll("/+$", "") + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("X-OpenStack-Nova-API-Version", microversion)
                .header("X-Auth-Token", ctx.userId() + ":" + ctx.projectId())
                .header("X-OpenStack-Request-ID", ctx.requestId())
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new VolumeDriverException("Nova at " + endpoint + " is unreachable: " + e.getMessage(), e);
        }
    }
}
