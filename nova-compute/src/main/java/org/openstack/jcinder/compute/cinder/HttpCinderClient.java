package org.openstack.jcinder.compute.cinder;

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

import org.openstack.jcinder.compute.config.NovaConfig;
import org.openstack.jcinder.compute.context.CallerContext;
import org.openstack.jcinder.shared.auth.AuthFailure;
import org.openstack.jcinder.shared.auth.PasswordAuth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cinder's v3 API over HTTP at {@code [cinder] endpoint_override}, at microversion 3.44 (attachments with
 * {@code os-complete}), the way Nova's cinder client speaks to it.
 *
 * <p>Tokens as Nova's {@code nova.volume.cinder} sends them: {@code X-Auth-Token} is the caller's token (for a
 * swap, the token of Cinder's privileged user that asked for it); work without a caller's token uses the
 * {@code [cinder]} user's ({@code auth_type = password}), as Nova's admin context does. With
 * {@code auth_strategy = keystone} and {@code [service_user] send_service_user_token = true},
 * {@code X-Service-Token} is the {@code [service_user]} user's token, got and renewed here, which also lets
 * Cinder accept a caller's token that expired during a long swap. A 401 renews this service's tokens and tries
 * once more when one of them was sent.
 */
@Component
public class HttpCinderClient implements CinderClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String VERSION = "volume 3.44";

    private final NovaConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static final Logger LOG = LoggerFactory.getLogger(HttpCinderClient.class);

    /** The {@code [cinder]} user, for work without a caller's token; empty without {@code [cinder] auth_type}. */
    private final Optional<PasswordAuth> admin;
    /** The {@code [service_user]} plugin, present only when its token is to be sent. */
    private final Optional<PasswordAuth> serviceUser;

    public HttpCinderClient(NovaConfig config) {
        this.config = config;
        this.admin = PasswordAuth.of(config.cinderAuth(), "cinder");
        boolean keystone = "keystone".equals(config.authStrategy());
        this.serviceUser = keystone && config.serviceUser().sendServiceUserToken()
                ? PasswordAuth.of(config.serviceUser(), "service_user") : Optional.empty();
        if (keystone && config.serviceUser().sendServiceUserToken() && serviceUser.isEmpty()) {
            LOG.warn("[service_user] send_service_user_token = true but [service_user] has no auth_type: no "
                    + "X-Service-Token goes to Cinder");
        }
        if (admin.isPresent() || serviceUser.isPresent()) {
            LOG.info("Calls to Cinder carry the caller's token{}{}",
                    admin.map(a -> " ([cinder] user " + a.username() + "'s without one)").orElse(""),
                    serviceUser.map(s -> ", with a service token of [service_user] user " + s.username())
                            .orElse(""));
        } else if (config.cinderAuth().configured() || config.serviceUser().configured()) {
            LOG.info("[cinder] ({}) and [service_user] ({}) name no token to send: the caller's token goes to "
                    + "Cinder alone", config.cinderAuth(), config.serviceUser());
        }
    }

    @Override
    public Volume volume(CallerContext ctx, String volumeId) {
        JsonNode v = send(ctx, "GET", "/volumes/" + volumeId, null).get("volume");
        List<String> servers = new ArrayList<>();
        for (JsonNode a : v.path("attachments")) {
            if (a.hasNonNull("server_id")) {
                servers.add(a.get("server_id").asString());
            }
        }
        String migration = v.hasNonNull("migration_status") ? v.get("migration_status").asString()
                : v.hasNonNull("os-vol-mig-status-attr:migstat") ? v.get("os-vol-mig-status-attr:migstat").asString()
                : null;
        return new Volume(v.get("id").asString(), v.path("size").asInt(), v.path("status").asString(), migration,
                servers);
    }

    @Override
    public String attachmentCreate(CallerContext ctx, String volumeId, String instanceUuid) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("volume_uuid", volumeId);
        a.put("instance_uuid", instanceUuid);
        return send(ctx, "POST", "/attachments", Map.of("attachment", a)).get("attachment").get("id").asString();
    }

    @Override
    public Connection attachmentUpdate(CallerContext ctx, String attachmentId, String host, String mountpoint) {
        Map<String, Object> connector = new LinkedHashMap<>();
        connector.put("host", host);
        connector.put("mountpoint", mountpoint);
        connector.put("multipath", false);
        connector.put("platform", "x86_64");
        JsonNode info = send(ctx, "PUT", "/attachments/" + attachmentId,
                Map.of("attachment", Map.of("connector", connector))).get("attachment").get("connection_info");
        if (info == null || info.isNull()) {
            throw new CinderException(500, "attachment " + attachmentId + " came back without connection_info");
        }
        return new Connection(info.path("driver_volume_type").asString(),
                info.path("data").path("device_path").asString());
    }

    @Override
    public void attachmentComplete(CallerContext ctx, String attachmentId) {
        send(ctx, "POST", "/attachments/" + attachmentId + "/action", Map.of("os-complete", Map.of()));
    }

    @Override
    public void attachmentDelete(CallerContext ctx, String attachmentId) {
        try {
            send(ctx, "DELETE", "/attachments/" + attachmentId, null);
        } catch (CinderException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }

    @Override
    public String migrateVolumeCompletion(CallerContext ctx, String oldVolumeId, String newVolumeId,
                                          boolean error) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("new_volume", newVolumeId);
        args.put("error", error);
        JsonNode r = send(ctx, "POST", "/volumes/" + oldVolumeId + "/action",
                Map.of("os-migrate_volume_completion", args));
        return r.path("save_volume_id").asString(oldVolumeId);
    }

    @Override
    public CopyRequests reportMigrationProgress(CallerContext ctx, String oldVolumeId, String newVolumeId,
                                                long copied, long total) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("new_volume", newVolumeId);
        args.put("bytes_copied", copied);
        args.put("bytes_total", total);
        JsonNode r = send(ctx, "POST", "/volumes/" + oldVolumeId + "/action",
                Map.of("os-migrate_volume_progress", args));
        JsonNode bps = r.get("bps_limit");
        return new CopyRequests(bps == null || bps.isNull() ? null : bps.asLong(), r.path("cancel").asBoolean(false));
    }

    private JsonNode send(CallerContext ctx, String method, String path, Object body) {
        URI uri = URI.create(config.cinderEndpoint() + path);
        HttpResponse<String> response;
        for (int attempt = 0; ; attempt++) {
            boolean renew = attempt > 0;
            boolean own = false;
            HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                    .timeout(config.cinderTimeout())
                    .header("Accept", "application/json")
                    .header("OpenStack-API-Version", VERSION)
                    .header("X-OpenStack-Request-ID", ctx.requestId());
            if (ctx.token() != null) {
                b.header("X-Auth-Token", ctx.token());
            } else if (admin.isPresent()) {
                b.header("X-Auth-Token", token(admin.get(), "cinder", renew));
                own = true;
            }
            if (serviceUser.isPresent()) {
                b.header("X-Service-Token", token(serviceUser.get(), "service_user", renew));
                own = true;
            }
            if (body != null) {
                b.header("Content-Type", "application/json");
                b.method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            try {
                response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new CinderException("Cinder at " + config.cinderEndpoint() + " is unreachable: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CinderException("interrupted while calling Cinder", e);
            }
            if (response.statusCode() == 401 && own && !renew) {
                LOG.info("Cinder refused a token of this service (401): getting new ones and trying once more");
                continue;
            }
            break;
        }
        int status = response.statusCode();
        String text = response.body();
        if (status >= 300) {
            throw new CinderException(status, method + " " + path + ": " + message(text, status));
        }
        return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
    }

    /** The message out of Cinder's error body {@code {"badRequest": {"message": ...}}}. */
    private static String message(String body, int status) {
        try {
            JsonNode n = JSON.readTree(body);
            for (JsonNode inner : n) {
                if (inner.has("message")) {
                    return inner.get("message").asString();
                }
            }
        } catch (RuntimeException ignored) {
            // not JSON: fall through to the raw text
        }
        return body == null || body.isBlank() ? "HTTP " + status : body;
    }

    private static String token(PasswordAuth auth, String section, boolean renew) {
        try {
            return auth.token(renew);
        } catch (AuthFailure e) {
            throw new CinderException("no token for [" + section + "] user " + auth.username()
                    + " from Keystone: " + e.getMessage(), e);
        }
    }
}
