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
import java.util.Optional;

import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.CinderOptions;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.openstack.jcinder.shared.auth.AuthFailure;
import org.openstack.jcinder.shared.auth.PasswordAuth;
import org.openstack.jcinder.shared.auth.ServiceCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Nova's compute API over HTTP, as novaclient sends it: {@code PUT /servers/{server}/os-volume_attachments/
 * {old}} with {@code {"volumeAttachment": {"volumeId": new}}} at compute microversion 2.1. The endpoint is
 * {@code [nova] endpoint_override}.
 *
 * <p>Tokens as Cinder's {@code cinder.compute.nova} sends them for these two calls, which both use its
 * privileged client ({@code novaclient(context, privileged_user=True)}): with {@code [nova] auth_type =
 * password}, {@code X-Auth-Token} is the token of the {@code [nova]} user, got and renewed here; with
 * {@code auth_strategy = keystone} and {@code [service_user] send_service_user_token = true},
 * {@code X-Service-Token} is the token of the {@code [service_user]} user (keystoneauth's service-token
 * wrapper). A 401 from Nova renews both and tries once more, as a keystoneauth session does. Without
 * {@code [nova] auth_type} (noauth), the noauth token {@code user:project} of the caller, as before.
 */
@Component
public class HttpNovaClient implements NovaClient {

    private static final Logger LOG = LoggerFactory.getLogger(HttpNovaClient.class);

    private final CinderConfig config;
    private final JsonMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** The {@code [nova]} user's token plugin; empty without {@code [nova] auth_type} (noauth tokens). */
    private final Optional<PasswordAuth> privileged;
    /** The {@code [service_user]} plugin, present only when its token is to be sent. */
    private final Optional<PasswordAuth> serviceUser;
    /** {@code [nova] interface}: which of the catalog's compute endpoints. */
    private final String catalogInterface;

    public HttpNovaClient(CinderConfig config, JsonMapper json) {
        this.config = config;
        this.json = json;
        this.privileged = PasswordAuth.of(config.novaAuth(), "nova");
        this.catalogInterface = CinderOptions.NOVA_INTERFACE.get(config.file());
        boolean keystone = "keystone".equals(config.authStrategy());
        this.serviceUser = keystone && config.serviceUser().sendServiceUserToken()
                ? PasswordAuth.of(config.serviceUser(), "service_user") : Optional.empty();
        if (keystone && config.serviceUser().sendServiceUserToken() && serviceUser.isEmpty()) {
            LOG.warn("[service_user] send_service_user_token = true but [service_user] has no auth_type: no "
                    + "X-Service-Token goes to Nova");
        }
        if (privileged.isPresent()) {
            LOG.info("Calls to Nova authenticate as [nova] user {}{}; Nova is at {}", privileged.get().username(),
                    serviceUser.map(s -> ", with a service token of [service_user] user " + s.username()).orElse(""),
                    config.novaEndpoint().orElse("the " + catalogInterface + " compute endpoint of its catalog"
                            + config.novaAuth().regionName().map(r -> " in region " + r).orElse("")));
        } else if (config.novaAuth().configured() || config.serviceUser().configured()) {
            LOG.info("[nova] has no auth_type ({}; [service_user] {}): the caller's noauth token goes to Nova",
                    config.novaAuth(), config.serviceUser());
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
        for (int attempt = 0; ; attempt++) {
            boolean renew = attempt > 0;
            String endpoint = endpoint(purpose);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint.replaceAll("/+$", "") + path))
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .header("X-OpenStack-Nova-API-Version", microversion);
            if (privileged.isEmpty()) {
                request.header("X-Auth-Token", ctx.userId() + ":" + ctx.projectId());
            } else {
                request.header("X-Auth-Token", token(privileged.get(), "nova", renew));
                if (serviceUser.isPresent()) {
                    request.header("X-Service-Token", token(serviceUser.get(), "service_user", renew));
                }
            }
            request.header("X-OpenStack-Request-ID", ctx.requestId())
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
            HttpResponse<String> response = call(request.build(), endpoint);
            if (response.statusCode() == 401 && privileged.isPresent() && !renew) {
                LOG.info("Nova refused this service's token (401): getting new ones and trying once more");
                continue;
            }
            return response;
        }
    }

    /**
     * {@code [nova] endpoint_override}, else the compute endpoint of the {@code [nova]} user's catalog (looked up
     * on every call: a renewed token brings the catalog as Keystone has it now).
     */
    private String endpoint(String purpose) {
        if (config.novaEndpoint().isPresent()) {
            return config.novaEndpoint().get();
        }
        if (privileged.isEmpty()) {
            throw new VolumeDriverException("the volume is attached and neither [nova] endpoint_override nor "
                    + "[nova] auth_type is set: no compute service to " + purpose);
        }
        ServiceCatalog catalog;
        try {
            catalog = privileged.get().catalog();
        } catch (AuthFailure e) {
            throw new VolumeDriverException("no token for [nova] user " + privileged.get().username()
                    + " from Keystone, so no catalog to find Nova in: " + e.getMessage(), e);
        }
        try {
            return catalog.endpoint("compute", Optional.empty(), catalogInterface, config.novaAuth().regionName());
        } catch (ServiceCatalog.EndpointNotFound e) {
            // The request id is in the log line's context (MDC), as for every step of the migration.
            LOG.error("No compute endpoint for [nova] user {} to {}: {}", privileged.get().username(), purpose,
                    e.getMessage());
            throw new VolumeDriverException("Nova not found in the service catalog of [nova] user "
                    + privileged.get().username() + ": " + e.getMessage(), e);
        }
    }

    private static String token(PasswordAuth auth, String section, boolean renew) {
        try {
            return auth.token(renew);
        } catch (AuthFailure e) {
            throw new VolumeDriverException("no token for [" + section + "] user " + auth.username()
                    + " from Keystone: " + e.getMessage(), e);
        }
    }

    private HttpResponse<String> call(HttpRequest request, String endpoint) {
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
