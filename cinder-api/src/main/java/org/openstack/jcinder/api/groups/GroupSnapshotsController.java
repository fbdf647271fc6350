package org.openstack.jcinder.api.groups;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.volumes.VolumeViews;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.api.web.ListQuery;
import org.openstack.jcinder.api.web.PyRepr;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.db.GroupEntity;
import org.openstack.jcinder.common.db.GroupSnapshotEntity;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.shared.policy.PolicyTarget;
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
 * {@code /v3/[project/]group_snapshots} (3.14; reset_status 3.19; paging 3.29): Cinder's v3 group snapshots
 * controller. Group snapshots of the reserved consistency-group type belong to {@code /cgsnapshots}: left out of
 * these lists and refused by show, create and delete, as Cinder does.
 */
@RestController
public class GroupSnapshotsController {

    static final int GROUP_SNAPSHOT_RESET_STATUS = 19;
    static final int GROUP_SNAPSHOT_PAGINATION = 29;
    static final int RESOURCE_FILTER = 33;
    static final int LIKE_FILTER = 34;
    /** Cinder's resource_filters.json entry for group snapshots. */
    static final List<String> ALLOWED_FILTERS = List.of("name", "status", "group_id");

    private final GroupSnapshotService service;
    private final GroupLookup groups;
    private final GroupTypeLookup groupTypes;
    private final PolicyEnforcer policy;
    private final CinderConfig config;

    public GroupSnapshotsController(GroupSnapshotService service, GroupLookup groups, GroupTypeLookup groupTypes,
                                    PolicyEnforcer policy, CinderConfig config) {
        this.service = service;
        this.groups = groups;
        this.groupTypes = groupTypes;
        this.policy = policy;
        this.config = config;
    }

    @GetMapping({"/v3/{projectId}/group_snapshots", "/v3/group_snapshots"})
    public Map<String, Object> list(ApiRequest req, @RequestParam Map<String, String> params) {
        return list(req, params, false);
    }

    @GetMapping({"/v3/{projectId}/group_snapshots/detail", "/v3/group_snapshots/detail"})
    public Map<String, Object> detail(ApiRequest req, @RequestParam Map<String, String> params) {
        return list(req, params, true);
    }

    private Map<String, Object> list(ApiRequest req, Map<String, String> params, boolean detail) {
        Versions.require(req, Versions.GROUP_SNAPSHOTS);
        // Before 3.29 Cinder reads no query parameter of this list at all.
        Map<String, String> p = req.version().atLeast(GROUP_SNAPSHOT_PAGINATION) ? new LinkedHashMap<>(params)
                : new LinkedHashMap<>();
        ListQuery<GroupSnapshotEntity> q = ListQuery.parse(p, GroupSnapshotService.COLUMNS, config.maxLimit());
        Map<String, String> filters = new LinkedHashMap<>(q.filters());
        if (req.version().atLeast(RESOURCE_FILTER)) {
            ListQuery.rejectInvalidFilters(policy.isAdmin(req), filters, ALLOWED_FILTERS,
                    req.version().atLeast(LIKE_FILTER));
        }
        q = new ListQuery<>(filters, q.order(), q.marker(), q.limit(), q.offset());
        List<Map<String, Object>> out = new ArrayList<>();
        for (GroupSnapshotEntity g : service.list(req, q)) {
            if (groupTypes.isReservedCgType(g.getGroupTypeId())) {
                continue; // a migrated CG snapshot: only the cgsnapshots API shows it
            }
            if (detail) {
                out.add(detailView(req, g));
            } else {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", g.getId());
                m.put("name", g.getName());
                out.add(m);
            }
        }
        return Map.of("group_snapshots", out);
    }

    @GetMapping({"/v3/{projectId}/group_snapshots/{id}", "/v3/group_snapshots/{id}"})
    public Map<String, Object> show(ApiRequest req, @PathVariable String id) {
        Versions.require(req, Versions.GROUP_SNAPSHOTS);
        GroupSnapshotEntity g = service.get(req, id);
        requireNotReserved(g.getGroupTypeId());
        return Map.of("group_snapshot", detailView(req, g));
    }

    @PostMapping({"/v3/{projectId}/group_snapshots", "/v3/group_snapshots"})
    public ResponseEntity<Map<String, Object>> create(ApiRequest req, @RequestBody JsonNode body) {
        Versions.require(req, Versions.GROUP_SNAPSHOTS);
        JsonBody.of(body).allowOnly(Set.of("group_snapshot"));
        JsonBody b = JsonBody.root(body, "group_snapshot").allowOnly(Set.of("group_id", "name", "description"));
        JsonNode groupId = b.node().get("group_id");
        if (groupId == null) {
            throw JsonBody.bad("'group_id' is a required property");
        }
        if (!groupId.isString() || !uuidLike(groupId.stringValue())) {
            throw new CinderException(400, "Invalid input for field/attribute group_id. Value: "
                    + (groupId.isString() ? groupId.stringValue() : PyRepr.of(groupId)) + ". " + PyRepr.of(groupId)
                    + " is not " + (groupId.isString() ? "a 'uuid'" : "of type 'string'"));
        }
        String name = b.optionalString("name", 255);
        String description = b.optionalString("description", 255);
        GroupEntity group = groups.get(req, groupId.stringValue());
        requireNotReserved(group.getGroupTypeId());
        GroupSnapshotEntity g = service.create(req, group, name, description);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("group_snapshot", summary(g)));
    }

    @DeleteMapping({"/v3/{projectId}/group_snapshots/{id}", "/v3/group_snapshots/{id}"})
    public ResponseEntity<Void> delete(ApiRequest req, @PathVariable String id) {
        Versions.require(req, Versions.GROUP_SNAPSHOTS);
        GroupSnapshotEntity g = service.get(req, id);
        requireNotReserved(g.getGroupTypeId());
        service.delete(req, g);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    /** {@code reset_status} (3.19, admin): any of Cinder's group snapshot statuses. */
    @PostMapping({"/v3/{projectId}/group_snapshots/{id}/action", "/v3/group_snapshots/{id}/action"})
    public ResponseEntity<Void> action(ApiRequest req, @PathVariable String id, @RequestBody JsonNode body) {
        Versions.require(req, Versions.GROUP_SNAPSHOTS);
        if (body == null || !body.isObject() || !body.has("reset_status")
                || !req.version().atLeast(GROUP_SNAPSHOT_RESET_STATUS)) {
            throw new CinderException(400, "There is no such action: " + (body != null && body.isObject()
                    && body.propertyNames().iterator().hasNext() ? body.propertyNames().iterator().next() : "None"));
        }
        JsonBody.of(body).allowOnly(Set.of("reset_status"));
        JsonBody b = JsonBody.root(body, "reset_status").allowOnly(Set.of("status"));
        JsonNode s = b.node().get("status");
        if (s == null) {
            throw JsonBody.bad("'status' is a required property");
        }
        if (!s.isString()) {
            throw JsonBody.bad(PyRepr.of(s) + " is not of type 'string'");
        }
        String status = s.stringValue().toLowerCase(Locale.ROOT);
        if (!GroupSnapshotService.STATUSES.contains(status)) {
            throw new CinderException(400, "Invalid input for field/attribute status. Value: " + s.stringValue()
                    + ". '" + s.stringValue() + "' is not a 'group_snapshot_status'");
        }
        service.resetStatus(req, service.get(req, id), status);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    private void requireNotReserved(String groupTypeId) {
        if (groupTypes.isReservedCgType(groupTypeId)) {
            throw new CinderException(400, "Group_type " + groupTypeId + " is reserved for migrating CGs to "
                    + "groups. Migrated group snapshots can only be operated by CG snapshot APIs.");
        }
    }

    /** Cinder's summary: create's answer (with group_type_id, kept there for migrated CGs). */
    static Map<String, Object> summary(GroupSnapshotEntity g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.getId());
        m.put("name", g.getName());
        m.put("group_type_id", g.getGroupTypeId());
        return m;
    }

    Map<String, Object> detailView(ApiRequest req, GroupSnapshotEntity g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.getId());
        m.put("group_id", g.getGroupId());
        m.put("group_type_id", g.getGroupTypeId());
        m.put("status", g.getStatus());
        m.put("created_at", VolumeViews.time(g.getCreatedAt()));
        m.put("name", g.getName());
        m.put("description", g.getDescription());
        if (req.version().atLeast(Versions.GROUP_VOLUME_DETAIL_PROJECT) && policy.allows(req,
                GroupSnapshotPolicies.PROJECT_ATTRIBUTE, PolicyTarget.project(g.getProjectId()))) {
            m.put("project_id", g.getProjectId());
        }
        return m;
    }

    static boolean uuidLike(String s) {
        String hex = s.replace("-", "").replace("{", "").replace("}", "").toLowerCase(Locale.ROOT);
        if (hex.startsWith("urn:uuid:")) {
            hex = hex.substring(9);
        }
        return hex.length() == 32 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }
}
