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
import org.openstack.jcinder.shared.auth.ServiceCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cinder's v3 API over HTTP, at microversion 3.44 (attachments with {@code os-complete}), the way Nova's cinder
 * client speaks to it. Where Cinder is, in Nova's order: {@code [cinder] endpoint_template} (with the caller's
 * {@code %(project_id)s}), this project's {@code [cinder] endpoint_override}, else the service catalog as
 * {@code [cinder] catalog_info} ({@code volumev3::publicURL}) and {@code os_region_name} select it. Nova reads
 * the catalog of the caller's token; this service keeps no caller catalog, so it reads the catalog of the
 * {@code [cinder]} user's token (else the {@code [service_user]}'s) and puts the caller's project where
 * Keystone had put that user's ({@code /v3/%(project_id)s}). Without any Keystone credentials,
 * {@code http://127.0.0.1:8776/v3}. No endpoint in the catalog: keystoneauth's "Could not find requested
 * endpoint in Service Catalog.", logged, and the call fails.
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

    /** Where a noauth compute service finds Cinder when nothing else says. */
    static final String NOAUTH_DEFAULT = "http://127.0.0.1:8776/v3";

    private final NovaConfig config;
    private final String catalogType;
    private final Optional<String> catalogName;
    private final String catalogInterface;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static final Logger LOG = LoggerFactory.getLogger(HttpCinderClient.class);

    /** The {@code [cinder]} user, for work without a caller's token; empty without {@code [cinder] auth_type}. */
    private final Optional<PasswordAuth> admin;
    /** The {@code [service_user]} plugin, present only when its token is to be sent. */
    private final Optional<PasswordAuth> serviceUser;

    public HttpCinderClient(NovaConfig config) {
        this.config = config;
        String[] info = config.cinderCatalogInfo().split(":", -1);
        if (info.length != 3 || info[0].isBlank() || info[2].isBlank()) {
            throw new IllegalArgumentException("[cinder] catalog_info = " + config.cinderCatalogInfo()
                    + ": must be of the form <service_type>:<service_name>:<endpoint_type>");
        }
        this.catalogType = info[0];
        this.catalogName = info[1].isEmpty() ? Optional.empty() : Optional.of(info[1]);
        this.catalogInterface = info[2];
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
        LOG.info("Cinder is at {}", config.cinderEndpointTemplate().or(config::cinderEndpoint)
                .orElse(catalogOwner().isPresent() ? "the " + config.cinderCatalogInfo() + " endpoint of the "
                        + "catalog" + config.cinderRegion().map(r -> " in region " + r).orElse("")
                        : NOAUTH_DEFAULT));
    }

    /** Whose token's catalog says where Cinder is. */
    private Optional<PasswordAuth> catalogOwner() {
        return admin.or(() -> serviceUser);
    }

    /**
     * The endpoint of this call: looked up anew each time, so a renewed token's catalog (Keystone's as it is now)
     * counts.
     */
    private String endpoint(CallerContext ctx) {
        String project = ctx.request().projectId();
        if (config.cinderEndpointTemplate().isPresent()) {
            String p = String.valueOf(project);
            return config.cinderEndpointTemplate().get().replace("%(project_id)s", p).replace("%(tenant)s", p)
                    .replace("%(user_id)s", String.valueOf(ctx.request().userId()))
                    .replaceAll("/+$", "");
        }
        if (config.cinderEndpoint().isPresent()) {
            return config.cinderEndpoint().get();
        }
        Optional<PasswordAuth> owner = catalogOwner();
        if (owner.isEmpty()) {
            return NOAUTH_DEFAULT;
        }
        ServiceCatalog catalog;
        try {
            catalog = owner.get().catalog();
        } catch (AuthFailure e) {
            throw new CinderException("no token for user " + owner.get().username()
                    + " from Keystone, so no catalog to find Cinder in: " + e.getMessage(), e);
        }
        String url;
        try {
            url = catalog.endpoint(catalogType, catalogName, catalogInterface, config.cinderRegion())
                    .replaceAll("/+$", "");
        } catch (ServiceCatalog.EndpointNotFound e) {
            LOG.error("[{}] No Cinder endpoint ([cinder] catalog_info = {}, os_region_name = {}): {}",
                    ctx.requestId(), config.cinderCatalogInfo(), config.cinderRegion().orElse("-"), e.getMessage());
            throw new CinderException("Cinder not found in the service catalog of user " + owner.get().username()
                    + ": " + e.getMessage(), e);
        }
        // Keystone wrote the catalog owner's project into a /v3/%(project_id)s endpoint; the call is the caller's.
        if (ctx.token() != null && catalog.projectId().isPresent() && project != null
                && url.endsWith("/" + catalog.projectId().get())) {
            url = url.substring(0, url.length() - catalog.projectId().get().length()) + project;
        }
        return url;
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
        String type = info.path("driver_volume_type").asString();
        JsonNode data = info.path("data");
        if (type.equals("iscsi")) {
            // Cinder's iSCSI keys (a single path: target_portal/target_iqn/target_lun, not the multipath lists).
            return new Connection(type, null, new CinderClient.Iscsi(data.path("target_portal").asString(null),
                    data.path("target_iqn").asString(null), data.path("target_lun").asInt(1),
                    data.path("auth_method").asString(null), data.path("auth_username").asString(null),
                    data.path("auth_password").asString(null)));
        }
        return new Connection(type, data.path("device_path").asString());
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
        HttpResponse<String> response;
        for (int attempt = 0; ; attempt++) {
            boolean renew = attempt > 0;
            String endpoint = endpoint(ctx);
            URI uri = URI.create(endpoint + path);
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
                throw new CinderException("Cinder at " + endpoint + " is unreachable: " + e, e);
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
