package org.openstack.jcinder.api.transfers;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.api.web.ListQuery;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.db.TransferEntity;
import org.openstack.jcinder.common.exception.CinderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

/**
 * Both transfer APIs: the legacy {@code os-volume-transfer} extension ({@code cinder/api/contrib/
 * volume_transfer.py}) and {@code volume-transfers} ({@code cinder/api/v3/volume_transfer.py}), which adds
 * {@code no_snapshots} on create from 3.55, encrypted volumes from 3.70, and marker, sort and paging on its
 * lists from 3.59. The views are the same for both and follow the microversion.
 */
@RestController
public class TransfersController {

    private static final Logger LOG = LoggerFactory.getLogger(TransfersController.class);
    private static final Pattern UUID_LIKE = Pattern.compile(
            "^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$");
    /**
     * A project segment, but not the extensions collection: {@code GET /v3/extensions/os-volume-transfer} is the
     * extension's descriptor, not this project's transfers.
     */
    static final String PROJECT = "(?!extensions$).+";
    /** Query keys that page or sort a list: never filters. */
    private static final Set<String> PAGING = Set.of("limit", "offset", "marker", "sort", "sort_key", "sort_dir",
            "all_tenants");
    /** The transfer table's columns, the only filter and sort keys Cinder's query accepts. */
    private static final Map<String, Function<TransferEntity, Object>> COLUMNS = columns();

    private final TransferService service;
    private final CinderConfig config;

    public TransfersController(TransferService service, CinderConfig config) {
        this.service = service;
        this.config = config;
    }

    // ---- os-volume-transfer (legacy) ----

    @GetMapping({"/v3/{projectId:" + PROJECT + "}/os-volume-transfer", "/v3/os-volume-transfer"})
    public Map<String, Object> legacyIndex(ApiRequest req, @RequestParam Map<String, String> params) {
        return list(req, params, false, false);
    }

    @GetMapping({"/v3/{projectId}/os-volume-transfer/detail", "/v3/os-volume-transfer/detail"})
    public Map<String, Object> legacyDetail(ApiRequest req, @RequestParam Map<String, String> params) {
        return list(req, params, true, false);
    }

    @PostMapping({"/v3/{projectId:" + PROJECT + "}/os-volume-transfer", "/v3/os-volume-transfer"})
    public ResponseEntity<Map<String, Object>> legacyCreate(ApiRequest req, @RequestBody(required = false) JsonNode body) {
        return create(req, body, false);
    }

    @GetMapping({"/v3/{projectId}/os-volume-transfer/{id}", "/v3/os-volume-transfer/{id}"})
    public Map<String, Object> legacyShow(ApiRequest req, @PathVariable String id) {
        return show(req, id);
    }

    @PostMapping({"/v3/{projectId}/os-volume-transfer/{id}/accept", "/v3/os-volume-transfer/{id}/accept"})
    public ResponseEntity<Map<String, Object>> legacyAccept(ApiRequest req, @PathVariable String id,
                                                            @RequestBody(required = false) JsonNode body) {
        return accept(req, id, body);
    }

    @DeleteMapping({"/v3/{projectId}/os-volume-transfer/{id}", "/v3/os-volume-transfer/{id}"})
    public ResponseEntity<Void> legacyDelete(ApiRequest req, @PathVariable String id) {
        return delete(req, id);
    }

    // ---- volume-transfers (3.55+) ----

    @GetMapping({"/v3/{projectId}/volume-transfers", "/v3/volume-transfers"})
    public Map<String, Object> index(ApiRequest req, @RequestParam Map<String, String> params) {
        return list(req, params, false, true);
    }

    @GetMapping({"/v3/{projectId}/volume-transfers/detail", "/v3/volume-transfers/detail"})
    public Map<String, Object> detail(ApiRequest req, @RequestParam Map<String, String> params) {
        return list(req, params, true, true);
    }

    @PostMapping({"/v3/{projectId}/volume-transfers", "/v3/volume-transfers"})
    public ResponseEntity<Map<String, Object>> v3Create(ApiRequest req, @RequestBody(required = false) JsonNode body) {
        return create(req, body, true);
    }

    @GetMapping({"/v3/{projectId}/volume-transfers/{id}", "/v3/volume-transfers/{id}"})
    public Map<String, Object> v3Show(ApiRequest req, @PathVariable String id) {
        return show(req, id);
    }

    @PostMapping({"/v3/{projectId}/volume-transfers/{id}/accept", "/v3/volume-transfers/{id}/accept"})
    public ResponseEntity<Map<String, Object>> v3Accept(ApiRequest req, @PathVariable String id,
                                                        @RequestBody(required = false) JsonNode body) {
        return accept(req, id, body);
    }

    @DeleteMapping({"/v3/{projectId}/volume-transfers/{id}", "/v3/volume-transfers/{id}"})
    public ResponseEntity<Void> v3Delete(ApiRequest req, @PathVariable String id) {
        return delete(req, id);
    }

    // ---- shared ----

    private Map<String, Object> show(ApiRequest req, String id) {
        return TransferViews.one(TransferViews.detail(req, service.get(req, id)));
    }

    private ResponseEntity<Map<String, Object>> create(ApiRequest req, JsonNode body, boolean v3) {
        boolean withSnapshotsFlag = v3 && req.version().atLeast(55);
        JsonBody t = root(body, "transfer");
        t.allowOnly(withSnapshotsFlag ? Set.of("volume_id", "name", "no_snapshots") : Set.of("volume_id", "name"));
        String volumeId = uuid(t.node(), "volume_id");
        String name = name(t.node());
        boolean noSnapshots = withSnapshotsFlag && Boolean.TRUE.equals(t.optionalBoolean("no_snapshots"));
        boolean allowEncrypted = v3 && req.version().atLeast(70);
        LOG.info("[{}] Creating transfer of volume {}", req.context().requestId(), volumeId);
        TransferService.Created c = service.create(req, volumeId, name, noSnapshots, allowEncrypted);
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(TransferViews.one(TransferViews.created(req, c.transfer(), c.authKey())));
    }

    private ResponseEntity<Map<String, Object>> accept(ApiRequest req, String id, JsonNode body) {
        JsonBody a = root(body, "accept");
        a.allowOnly(Set.of("auth_key"));
        JsonNode key = a.node().get("auth_key");
        if (key == null) {
            throw JsonBody.bad("'auth_key' is a required property");
        }
        if (!key.isString() && !key.isIntegralNumber()) {
            throw invalid("auth_key", key, repr(key) + " is not of type 'string', 'integer'");
        }
        LOG.info("[{}] Accepting transfer {}", req.context().requestId(), id);
        TransferEntity t = service.accept(req, id, key.isString() ? key.stringValue() : key.asString());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(TransferViews.one(TransferViews.summary(req, t)));
    }

    private ResponseEntity<Void> delete(ApiRequest req, String id) {
        LOG.info("[{}] Delete transfer with id: {}", req.context().requestId(), id);
        service.delete(req, id);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    /**
     * Cinder's lists: every query key that is not paging is a filter on a transfer column ({@code name} means
     * {@code display_name}); a key that is no column matches nothing. Before 3.59 (and on the legacy path) the
     * order is created_at, id ascending; from 3.59 on {@code volume-transfers}, {@code sort} and {@code marker}
     * apply (default created_at, id descending).
     */
    private Map<String, Object> list(ApiRequest req, Map<String, String> raw, boolean detailed, boolean v3) {
        Map<String, String> params = new LinkedHashMap<>(raw);
        boolean paged = v3 && req.version().atLeast(59);
        // The shared list query; before 3.59 Cinder reads no marker or sort here, only limit and offset.
        Map<String, String> read = new LinkedHashMap<>(params);
        if (!paged) {
            List.of("marker", "sort", "sort_key", "sort_dir").forEach(read::remove);
        }
        ListQuery<TransferEntity> query = ListQuery.parse(read, COLUMNS, config.maxLimit());
        if (!paged) {
            query = query.withOrder(ascending("created_at").thenComparing(ascending("id")));
        }
        int limit = query.limit();
        Map<String, String> filters = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (!PAGING.contains(k)) {
                filters.put(k.equals("name") ? "display_name" : k, v);
            }
        });
        boolean allTenants = truthy(params.get("all_tenants"));
        List<TransferEntity> rows = new ArrayList<>(service.list(req, allTenants));
        if (!service.allProjects(req, allTenants)) {
            // Cinder's transfer_get_all_by_project puts the caller's own project in place of any given.
            filters.remove("project_id");
        }
        rows.removeIf(t -> !matches(t, filters));
        ListQuery.Page<TransferEntity> result = query.pageOf(rows, TransferEntity::getId,
                "Marker " + query.marker() + " could not be found.");
        List<TransferEntity> page = result.items();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("transfers", page.stream()
                .map(t -> detailed ? TransferViews.detail(req, t) : TransferViews.summary(req, t)).toList());
        if (!page.isEmpty() && page.size() == limit && result.more()) {
            StringBuilder href = new StringBuilder(req.v3Url()).append('/').append(TransferViews.COLLECTION)
                    .append(detailed ? "/detail" : "").append('?');
            params.forEach((k, v) -> {
                if (!k.equals("marker")) {
                    href.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&');
                }
            });
            href.append("marker=").append(page.get(page.size() - 1).getId());
            out.put("transfers_links", List.of(Map.of("href", href.toString(), "rel", "next")));
        }
        return out;
    }

    private static boolean matches(TransferEntity t, Map<String, String> filters) {
        for (Map.Entry<String, String> f : filters.entrySet()) {
            if (f.getKey().equals("project_id")) {
                // Cinder's filter on the volume's owner (an administrator's, with all_tenants; for others the
                // service already kept only their own). An open transfer's volume is still its source project's.
                if (!f.getValue().equals(t.getSourceProjectId())) {
                    return false;
                }
                continue;
            }
            Function<TransferEntity, Object> column = COLUMNS.get(f.getKey());
            if (column == null) {
                return false;
            }
            Object value = column.apply(t);
            if (value instanceof Boolean b) {
                if (b != truthy(f.getValue())) {
                    return false;
                }
            } else if (value == null || !String.valueOf(value).equals(f.getValue())) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparator<TransferEntity> ascending(String column) {
        Function<TransferEntity, Object> f = COLUMNS.get(column);
        return Comparator.comparing(t -> (Comparable) f.apply(t), Comparator.nullsFirst(Comparator.naturalOrder()));
    }

    private static Map<String, Function<TransferEntity, Object>> columns() {
        Map<String, Function<TransferEntity, Object>> m = new LinkedHashMap<>();
        m.put("id", TransferEntity::getId);
        m.put("volume_id", TransferEntity::getVolumeId);
        m.put("display_name", TransferEntity::getDisplayName);
        m.put("salt", TransferEntity::getSalt);
        m.put("crypt_hash", TransferEntity::getCryptHash);
        m.put("expires_at", TransferEntity::getExpiresAt);
        m.put("no_snapshots", TransferEntity::isNoSnapshots);
        m.put("source_project_id", TransferEntity::getSourceProjectId);
        m.put("destination_project_id", TransferEntity::getDestinationProjectId);
        m.put("accepted", TransferEntity::isAccepted);
        m.put("created_at", TransferEntity::getCreatedAt);
        m.put("updated_at", TransferEntity::getUpdatedAt);
        m.put("deleted_at", TransferEntity::getDeletedAt);
        m.put("deleted", TransferEntity::isDeleted);
        return Map.copyOf(m);
    }

    // ---- body checks, with the messages of Cinder's schemas ----

    private static JsonBody root(JsonNode body, String key) {
        if (body == null || !body.isObject()) {
            throw JsonBody.bad((body == null ? "None" : repr(body)) + " is not of type 'object'");
        }
        JsonNode inner = body.get(key);
        if (inner == null) {
            throw JsonBody.bad("'" + key + "' is a required property");
        }
        JsonBody.of(body).allowOnly(Set.of(key));
        if (!inner.isObject()) {
            throw invalid(key, inner, repr(inner) + " is not of type 'object'");
        }
        return JsonBody.of(inner);
    }

    private static String uuid(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null) {
            throw JsonBody.bad("'" + key + "' is a required property");
        }
        if (!v.isString()) {
            throw invalid(key, v, repr(v) + " is not of type 'string'");
        }
        if (!UUID_LIKE.matcher(v.stringValue().replace("urn:", "").replace("uuid:", "").replace("{", "")
                .replace("}", "")).matches()) {
            throw invalid(key, v, repr(v) + " is not a 'uuid'");
        }
        return v.stringValue();
    }

    /** Cinder's name_skip_leading_trailing_spaces: null, or 1 to 255 characters once stripped; stored stripped. */
    private static String name(JsonNode node) {
        JsonNode v = node.get("name");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString() || v.stringValue().strip().isEmpty() || v.stringValue().strip().length() > 255) {
            throw invalid("name", v, repr(v) + " is not valid under any of the given schemas");
        }
        return v.stringValue().strip();
    }

    private static CinderException invalid(String key, JsonNode v, String detail) {
        return new CinderException(400, "Invalid input for field/attribute " + key + ". Value: "
                + (v.isString() ? v.stringValue() : repr(v)) + ". " + detail);
    }

    private static String repr(JsonNode v) {
        if (v.isNull()) {
            return "None";
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? "True" : "False";
        }
        if (v.isString()) {
            return "'" + v.stringValue() + "'";
        }
        return v.toString();
    }

    private static boolean truthy(String v) {
        return v != null && Set.of("1", "t", "true", "on", "y", "yes").contains(v.strip().toLowerCase());
    }
}
