package org.openstack.jcinder.api.manage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.volumes.VolumeViews;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.api.web.PyRepr;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.volume.ManageableEntry;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

/**
 * {@code os-snapshot-manage} (any microversion) and {@code manageable_snapshots} (3.8): manage an existing
 * backend object as a snapshot of a volume, and list what a backend offers.
 */
@RestController
public class SnapshotManageController {

    private static final Set<String> KEYS = Set.of("description", "metadata", "name", "volume_id", "ref");

    private final ManageService service;
    private final PolicyEnforcer policy;
    private final CinderConfig config;

    public SnapshotManageController(ManageService service, PolicyEnforcer policy, CinderConfig config) {
        this.service = service;
        this.policy = policy;
        this.config = config;
    }

    @PostMapping({"/v3/{projectId}/os-snapshot-manage", "/v3/os-snapshot-manage"})
    public ResponseEntity<Map<String, Object>> manage(ApiRequest req, @RequestBody JsonNode body) {
        return create(req, body);
    }

    @PostMapping({"/v3/{projectId}/manageable_snapshots", "/v3/manageable_snapshots"})
    public ResponseEntity<Map<String, Object>> manageV38(ApiRequest req, @RequestBody JsonNode body) {
        ManageRequests.requireListVersion(req);
        return create(req, body);
    }

    private ResponseEntity<Map<String, Object>> create(ApiRequest req, JsonNode body) {
        if (body != null && body.isObject()) {
            for (String key : body.propertyNames()) {
                if (!key.equals("snapshot")) {
                    throw JsonBody.bad("Additional properties are not allowed ('" + key + "' was unexpected)");
                }
            }
        }
        JsonBody s = JsonBody.root(body, "snapshot").allowOnly(KEYS);
        if (!s.has("ref")) {
            throw ManageRequests.required("snapshot", s.node(), "ref");
        }
        if (!s.has("volume_id")) {
            throw ManageRequests.required("snapshot", s.node(), "volume_id");
        }
        JsonNode volumeId = s.node().get("volume_id");
        if (!volumeId.isString() || !volumeId.stringValue().toLowerCase()
                .matches("[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")) {
            throw new CinderException(400, "Invalid input for field/attribute volume_id. Value: "
                    + (volumeId.isString() ? volumeId.stringValue() : PyRepr.of(volumeId)) + ". "
                    + PyRepr.of(volumeId) + " is not a 'uuid'");
        }
        Map<String, Object> ref = ManageRequests.ref(s.node().get("ref"), true);
        String name = s.optionalString("name", 255);
        String description = s.optionalString("description", 255);
        Map<String, String> metadata = s.optionalStringMap("metadata");
        SnapshotEntity created = service.manageSnapshot(req, volumeId.stringValue(), ref, name, description,
                metadata);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("snapshot", view(created)));
    }

    /** Cinder's snapshot detail view of the manage answer (its v2 view: no microversioned keys). */
    private static Map<String, Object> view(SnapshotEntity s) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", s.getId());
        v.put("created_at", VolumeViews.time(s.getCreatedAt()));
        v.put("updated_at", VolumeViews.time(s.getUpdatedAt()));
        v.put("name", s.getDisplayName());
        v.put("description", s.getDisplayDescription());
        v.put("volume_id", s.getVolumeId());
        v.put("status", s.getStatus());
        v.put("size", s.getVolumeSize());
        v.put("metadata", new LinkedHashMap<>(s.getMetadata()));
        return v;
    }

    @GetMapping({"/v3/{projectId}/os-snapshot-manage", "/v3/os-snapshot-manage"})
    public Map<String, Object> list(ApiRequest req, @RequestParam Map<String, String> params) {
        return listing(req, params, false);
    }

    @GetMapping({"/v3/{projectId}/os-snapshot-manage/detail", "/v3/os-snapshot-manage/detail"})
    public Map<String, Object> detail(ApiRequest req, @RequestParam Map<String, String> params) {
        return listing(req, params, true);
    }

    @GetMapping({"/v3/{projectId}/manageable_snapshots", "/v3/manageable_snapshots"})
    public Map<String, Object> listV38(ApiRequest req, @RequestParam Map<String, String> params) {
        ManageRequests.requireListVersion(req);
        return listing(req, params, false);
    }

    @GetMapping({"/v3/{projectId}/manageable_snapshots/detail", "/v3/manageable_snapshots/detail"})
    public Map<String, Object> detailV38(ApiRequest req, @RequestParam Map<String, String> params) {
        ManageRequests.requireListVersion(req);
        return listing(req, params, true);
    }

    private Map<String, Object> listing(ApiRequest req, Map<String, String> params, boolean detail) {
        policy.authorize(req, ManagePolicies.LIST_MANAGEABLE_SNAPSHOTS);
        String[] clusterHost = ManageRequests.clusterAndHost(req, params.get("cluster"), params.get("host"), 17);
        return ManageableListing.answer(params, config.maxLimit(), detail, true,
                () -> service.manageable(req, clusterHost[1], clusterHost[0], true));
    }
}
