package org.openstack.jcinder.api.snapshots;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.volumes.MetadataFilter;
import org.openstack.jcinder.api.volumes.VolumeViews;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.api.web.ListQuery;
import org.openstack.jcinder.api.web.PyRepr;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.exception.CinderException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

/** {@code /v3/[project/]snapshots}: Cinder's v3 snapshots controller, its metadata and actions. */
@RestController
public class SnapshotsController {

    /** Cinder's SNAPSHOT_IN_USE microversion: snapshots of in-use volumes without {@code force}. */
    static final int SNAPSHOT_IN_USE = 66;
    static final String FORCE_FLAG_MSG = "Since microversion 3.66 the 'force' flag is invalid for this request.  "
            + "For backward compatability, however, when the 'force' flag is passed with a value evaluating to "
            + "True, it is silently ignored.";

    private final SnapshotApiService service;
    private final PolicyEnforcer policy;
    private final CinderConfig config;

    public SnapshotsController(SnapshotApiService service, PolicyEnforcer policy, CinderConfig config) {
        this.service = service;
        this.policy = policy;
        this.config = config;
    }

    @PostMapping({"/v3/{projectId}/snapshots", "/v3/snapshots"})
    public ResponseEntity<Map<String, Object>> create(ApiRequest req, @RequestBody JsonNode body) {
        topLevel(body, "snapshot");
        JsonBody s = JsonBody.root(body, "snapshot").allowOnly(Set.of("name", "display_name", "description",
                "volume_id", "force", "metadata"));
        JsonNode volumeId = s.node().get("volume_id");
        if (volumeId == null) {
            throw new CinderException(400, "Invalid input for field/attribute snapshot. Value: "
                    + PyRepr.of(s.node()) + ". 'volume_id' is a required property");
        }
        if (volumeId.isNull()) {
            // Cinder's schema allows null; its volume lookup then answers 404 for "None" (Tempest checks this).
            throw new org.openstack.jcinder.common.exception.VolumeNotFoundException("None");
        }
        if (!volumeId.isString()) {
            throw new CinderException(400, "Invalid input for field/attribute volume_id. Value: "
                    + PyRepr.of(volumeId) + ". " + PyRepr.of(volumeId) + " is not valid under any of the given "
                    + "schemas");
        }
        String name = s.has("name") ? s.optionalString("name", 255) : s.optionalString("display_name", 255);
        String description = s.optionalString("description", 255);
        Boolean force = s.optionalBoolean("force");
        Map<String, String> metadata = s.node().get("metadata") == null || s.node().get("metadata").isNull()
                ? null : s.optionalStringMap("metadata");
        boolean inUseVersion = req.version().atLeast(SNAPSHOT_IN_USE);
        if (force != null && !force && inUseVersion) {
            // Cinder looks the volume up first: an unknown volume is its 404 even here.
            service.volume(req, volumeId.stringValue());
            throw new CinderException(400, FORCE_FLAG_MSG);
        }
        SnapshotEntity created = service.create(req, new SnapshotApiService.CreateRequest(volumeId.stringValue(),
                name, description, (force != null && force) || inUseVersion, metadata));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("snapshot", view(req, created, true, false)));
    }

    static void topLevel(JsonNode body, String root) {
        if (body != null && body.isObject()) {
            for (String key : body.propertyNames()) {
                if (!key.equals(root)) {
                    throw JsonBody.bad("Additional properties are not allowed ('" + key + "' was unexpected)");
                }
            }
        }
    }

    @GetMapping({"/v3/{projectId}/snapshots", "/v3/snapshots"})
    public Map<String, Object> list(ApiRequest req, @RequestParam Map<String, String> params) {
        return items(req, params, false);
    }

    @GetMapping({"/v3/{projectId}/snapshots/detail", "/v3/snapshots/detail"})
    public Map<String, Object> detail(ApiRequest req, @RequestParam Map<String, String> params) {
        return items(req, params, true);
    }

    private Map<String, Object> items(ApiRequest req, Map<String, String> params, boolean detail) {
        // The shared list query: Cinder's paging and sort checks; the filters are read below as Cinder's are.
        ListQuery<SnapshotEntity> query = ListQuery.parse(params, SnapshotApiService.COLUMNS, config.maxLimit());
        int limit = query.limit();
        boolean admin = policy.isAdmin(req);
        boolean allTenants = admin && truthy(params.get("all_tenants"));
        String project = allTenants ? params.get("project_id") : req.projectId();
        MetadataFilter filter = req.version().atLeast(22) ? MetadataFilter.parse(params.get("metadata")) : null;
        if (filter != null && filter.matchesNothing()) {
            return Map.of("snapshots", List.of());
        }
        Map<String, String> metadata = filter == null ? null : filter.pairs();
        List<SnapshotEntity> page = service.list(req, new SnapshotApiService.SnapshotQuery(project,
                params.get("status"), params.get("volume_id"), params.get("name"), metadata, query));
        List<Object> out = new ArrayList<>();
        for (SnapshotEntity s : page) {
            out.add(view(req, s, detail, detail));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("snapshots", out);
        if (!page.isEmpty() && page.size() == limit) {
            StringBuilder href = new StringBuilder(req.v3Url()).append(detail ? "/snapshots/detail?" : "/snapshots?");
            params.forEach((k, v) -> {
                if (!k.equals("marker")) {
                    href.append(k).append('=').append(java.net.URLEncoder.encode(v,
                            java.nio.charset.StandardCharsets.UTF_8)).append('&');
                }
            });
            href.append("marker=").append(page.get(page.size() - 1).getId());
            body.put("snapshots_links", List.of(Map.of("href", href.toString(), "rel", "next")));
        }
        return body;
    }

    @GetMapping({"/v3/{projectId}/snapshots/{id}", "/v3/snapshots/{id}"})
    public Map<String, Object> show(ApiRequest req, @PathVariable String id) {
        return Map.of("snapshot", view(req, service.get(req, id), true, true));
    }

    @PutMapping({"/v3/{projectId}/snapshots/{id}", "/v3/snapshots/{id}"})
    public Map<String, Object> update(ApiRequest req, @PathVariable String id, @RequestBody JsonNode body) {
        topLevel(body, "snapshot");
        JsonBody s = JsonBody.root(body, "snapshot").allowOnly(Set.of("name", "description", "display_name",
                "display_description"));
        if (s.node().size() == 0) {
            throw JsonBody.bad("{} is not valid under any of the given schemas");
        }
        boolean nameGiven = s.has("name") || s.has("display_name");
        String name = s.has("name") ? s.optionalString("name", 255) : s.optionalString("display_name", 255);
        boolean descriptionGiven = s.has("description") || s.has("display_description");
        String description = s.has("description") ? s.optionalString("description", 255)
                : s.optionalString("display_description", 255);
        return Map.of("snapshot", view(req, service.update(req, id, name, nameGiven, description,
                descriptionGiven), true, false));
    }

    @DeleteMapping({"/v3/{projectId}/snapshots/{id}", "/v3/snapshots/{id}"})
    public ResponseEntity<Void> delete(ApiRequest req, @PathVariable String id) {
        service.delete(req, id);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    /**
     * Cinder's v3 view: the v2 keys; its detail (also create's and update's answer) adds group_snapshot_id (3.14),
     * user_id (3.41), consumes_quota (3.65); {@code extended}: show and detail list add the extension's two keys.
     */
    Map<String, Object> view(ApiRequest req, SnapshotEntity s, boolean detail, boolean extended) {
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
        if (detail) {
            if (req.version().atLeast(14)) {
                v.put("group_snapshot_id", s.getGroupSnapshotId());
            }
            if (req.version().atLeast(41)) {
                v.put("user_id", s.getUserId());
            }
            if (req.version().atLeast(65)) {
                v.put("consumes_quota", s.isUseQuota());
            }
        }
        if (extended) {
            // Cinder's extended_snapshot_attributes extension adds these to show and detail only.
            if (policy.allows(req, SnapshotPolicies.EXTEND_ATTRIBUTE, SnapshotApiService.target(s))) {
                v.put("os-extended-snapshot-attributes:progress", s.getProgress());
                v.put("os-extended-snapshot-attributes:project_id", s.getProjectId());
            }
        }
        return v;
    }

    private static boolean truthy(String v) {
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes"));
    }
}
