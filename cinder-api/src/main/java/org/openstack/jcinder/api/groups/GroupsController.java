package org.openstack.jcinder.api.groups;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.types.VolumeTypesController;
import org.openstack.jcinder.api.volumes.VolumeViews;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.api.web.ListQuery;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.GroupEntity;
import org.openstack.jcinder.common.db.GroupRepository;
import org.openstack.jcinder.common.db.GroupTypeEntity;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.shared.policy.PolicyTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

/**
 * {@code /v3/[project/]groups} (3.13-3.20): generic volume groups. On this service's backends (file, LVM) a
 * generic group holds no backend state (Cinder's generic group path: the volume service only records it), so a
 * group is a database record that is {@code available} as soon as it is created; its volumes are created,
 * scheduled and deleted as any volume.
 */
@RestController
public class GroupsController {

    private static final Logger LOG = LoggerFactory.getLogger(GroupsController.class);

    /** Cinder's GroupStatus.ALL (the reset_status format check). */
    static final Set<String> STATUSES = Set.of("error", "available", "creating", "deleting", "deleted",
            "updating", "in-use", "error_deleting");

    static final Map<String, Function<GroupEntity, Object>> COLUMNS = columns();

    private final GroupRepository groups;
    private final GroupLookup lookup;
    private final GroupTypeLookup groupTypes;
    private final VolumeRepository volumes;
    private final GroupService service;
    private final GroupSnapshotService groupSnapshots;
    private final PolicyEnforcer policy;
    private final CinderConfig config;

    public GroupsController(GroupRepository groups, GroupLookup lookup, GroupTypeLookup groupTypes,
                            VolumeRepository volumes, GroupService service, GroupSnapshotService groupSnapshots,
                            PolicyEnforcer policy, CinderConfig config) {
        this.groups = groups;
        this.lookup = lookup;
        this.groupTypes = groupTypes;
        this.volumes = volumes;
        this.service = service;
        this.groupSnapshots = groupSnapshots;
        this.policy = policy;
        this.config = config;
    }

    private static Map<String, Function<GroupEntity, Object>> columns() {
        Map<String, Function<GroupEntity, Object>> m = new LinkedHashMap<>();
        m.put("id", GroupEntity::getId);
        m.put("name", GroupEntity::getName);
        m.put("description", GroupEntity::getDescription);
        m.put("status", GroupEntity::getStatus);
        m.put("availability_zone", GroupEntity::getAvailabilityZone);
        m.put("host", GroupEntity::getHost);
        m.put("project_id", GroupEntity::getProjectId);
        m.put("user_id", GroupEntity::getUserId);
        m.put("group_type_id", GroupEntity::getGroupTypeId);
        m.put("group_snapshot_id", GroupEntity::getGroupSnapshotId);
        m.put("source_group_id", GroupEntity::getSourceGroupId);
        m.put("replication_status", GroupEntity::getReplicationStatus);
        m.put("created_at", GroupEntity::getCreatedAt);
        m.put("updated_at", GroupEntity::getUpdatedAt);
        return Map.copyOf(m);
    }

    @GetMapping({"/v3/{projectId}/groups", "/v3/groups"})
    public Map<String, Object> list(ApiRequest req, @RequestParam Map<String, String> params) {
        return list(req, params, false);
    }

    @GetMapping({"/v3/{projectId}/groups/detail", "/v3/groups/detail"})
    public Map<String, Object> detail(ApiRequest req, @RequestParam Map<String, String> params) {
        return list(req, params, true);
    }

    /** Cinder's list: the caller's project (admins: every project with all_tenants), migrated CGs left out. */
    private Map<String, Object> list(ApiRequest req, Map<String, String> params, boolean detail) {
        Versions.require(req, Versions.GROUP_VOLUME);
        Map<String, String> p = new LinkedHashMap<>(params);
        boolean listVolume = truthy(p.remove("list_volume"));
        ListQuery<GroupEntity> q = ListQuery.parse(p, COLUMNS, config.maxLimit());
        policy.authorize(req, GroupPolicies.GET_ALL, PolicyTarget.project(req.projectId()));
        Map<String, String> filters = new LinkedHashMap<>(q.filters());
        boolean allProjects = filters.remove("all_tenants") != null && policy.isAdmin(req);
        if (!policy.isAdmin(req)) {
            filters.remove("all_tenants");
        }
        List<GroupEntity> rows = (allProjects ? groups.findByDeletedFalse()
                : groups.findByProjectIdAndDeletedFalse(req.projectId())).stream()
                .filter(g -> !groupTypes.isReservedCgType(g.getGroupTypeId()))
                .filter(g -> matches(g, filters)).toList();
        List<Map<String, Object>> out = new ArrayList<>();
        for (GroupEntity g : q.page(rows, GroupEntity::getId, "Marker " + q.marker() + " could not be found.")) {
            out.add(detail ? detailView(req, g, listVolume) : summary(g));
        }
        return Map.of("groups", out);
    }

    static boolean matches(GroupEntity g, Map<String, String> filters) {
        for (Map.Entry<String, String> f : filters.entrySet()) {
            Function<GroupEntity, Object> col = COLUMNS.get(f.getKey());
            Object v = col == null ? null : col.apply(g);
            if (col == null || v == null || !v.toString().equals(f.getValue())) {
                return false;
            }
        }
        return true;
    }

    @GetMapping({"/v3/{projectId}/groups/{groupId}", "/v3/groups/{groupId}"})
    public Map<String, Object> show(ApiRequest req, @PathVariable String groupId,
                                    @RequestParam Map<String, String> params) {
        Versions.require(req, Versions.GROUP_VOLUME);
        GroupEntity g = get(req, groupId);
        requireNotReserved(g.getGroupTypeId());
        return Map.of("group", detailView(req, g, truthy(params.get("list_volume"))));
    }

    @PostMapping({"/v3/{projectId}/groups", "/v3/groups"})
    public ResponseEntity<Map<String, Object>> create(ApiRequest req, @RequestBody JsonNode body) {
        Versions.require(req, Versions.GROUP_VOLUME);
        JsonBody.of(body).allowOnly(Set.of("group"));
        JsonBody b = JsonBody.root(body, "group").allowOnly(Set.of("description", "group_type", "name",
                "volume_types", "availability_zone"));
        String name = strip(b.optionalString("name", 255));
        String description = strip(b.optionalString("description", 255));
        String groupTypeRef = b.requiredString("group_type", 0, Integer.MAX_VALUE);
        List<String> typeRefs = volumeTypeList(b.node().get("volume_types"));
        String az = b.optionalString("availability_zone", 255);
        GroupTypeEntity groupType = groupTypes.byIdOrName(req, groupTypeRef);
        requireNotReserved(groupType.getId());
        GroupEntity g = service.create(req, name, description, groupType, typeRefs, az);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("group", summary(g)));
    }

    @PutMapping({"/v3/{projectId}/groups/{groupId}", "/v3/groups/{groupId}"})
    public ResponseEntity<Void> update(ApiRequest req, @PathVariable String groupId, @RequestBody JsonNode body) {
        Versions.require(req, Versions.GROUP_VOLUME);
        JsonBody.of(body).allowOnly(Set.of("group"));
        JsonBody b = JsonBody.root(body, "group").allowOnly(Set.of("description", "name", "add_volumes",
                "remove_volumes"));
        if (!b.has("name") && !b.has("description") && !b.has("add_volumes") && !b.has("remove_volumes")) {
            throw JsonBody.bad(b.node() + " is not valid under any of the given schemas");
        }
        String name = strip(b.optionalString("name", 255));
        String description = strip(b.optionalString("description", 255));
        String add = b.optionalString("add_volumes", 255);
        String remove = b.optionalString("remove_volumes", 255);
        GroupEntity g = get(req, groupId);
        requireNotReserved(g.getGroupTypeId());
        service.update(req, g, name, description, add, remove);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    /**
     * Group actions: {@code delete} (3.13) and {@code reset_status} (3.20, admin). Not one transaction: a
     * volume's delete must be committed before the volume service receives it.
     */
    @PostMapping({"/v3/{projectId}/groups/{groupId}/action", "/v3/groups/{groupId}/action"})
    public ResponseEntity<Void> action(ApiRequest req, @PathVariable String groupId, @RequestBody JsonNode body) {
        Versions.require(req, Versions.GROUP_VOLUME);
        if (body != null && body.isObject() && body.has("delete")) {
            JsonBody.of(body).allowOnly(Set.of("delete"));
            delete(req, groupId, JsonBody.root(body, "delete").allowOnly(Set.of("delete-volumes")));
        } else if (body != null && body.isObject() && body.has("reset_status")
                && req.version().atLeast(Versions.GROUP_VOLUME_RESET_STATUS)) {
            JsonBody.of(body).allowOnly(Set.of("reset_status"));
            resetStatus(req, groupId, JsonBody.root(body, "reset_status").allowOnly(Set.of("status")));
        } else {
            throw new CinderException(400, "There is no such action: " + (body != null && body.isObject()
                    && body.propertyNames().iterator().hasNext() ? body.propertyNames().iterator().next() : "None"));
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    private void delete(ApiRequest req, String groupId, JsonBody b) {
        Boolean flag = VolumeTypesController.strictBoolean(b, "delete-volumes");
        boolean deleteVolumes = flag != null && flag;
        GroupEntity g = get(req, groupId);
        requireNotReserved(g.getGroupTypeId());
        service.delete(req, g, deleteVolumes);
    }

    private void resetStatus(ApiRequest req, String groupId, JsonBody b) {
        JsonNode s = b.node().get("status");
        if (s == null) {
            throw JsonBody.bad("'status' is a required property");
        }
        if (!s.isString()) {
            throw JsonBody.bad(s + " is not of type 'string'");
        }
        String status = s.stringValue().toLowerCase(java.util.Locale.ROOT);
        if (!STATUSES.contains(status)) {
            throw new CinderException(400, "Invalid input for field/attribute status. Value: " + s.stringValue()
                    + ". '" + s.stringValue() + "' is not a 'group_status'");
        }
        GroupEntity g = get(req, groupId);
        policy.authorize(req, GroupPolicies.RESET_STATUS, PolicyTarget.project(g.getProjectId()));
        g.setStatus(status);
        g.setUpdatedAt(Clock.now());
        groups.saveAndFlush(g);
        LOG.info("[{}] Group {} status reset to {}", req.context().requestId(), g.getId(), status);
    }

    /**
     * {@code create-from-src} (3.14): a group from a group snapshot (a volume from each member snapshot) or from
     * a source group (a clone of each volume); see {@link GroupService#createFromSource}.
     */
    @PostMapping({"/v3/{projectId}/groups/action", "/v3/groups/action"})
    public ResponseEntity<Map<String, Object>> createFromSource(ApiRequest req, @RequestBody JsonNode body) {
        Versions.require(req, Versions.GROUP_SNAPSHOTS);
        JsonBody.of(body).allowOnly(Set.of("create-from-src"));
        JsonBody b = JsonBody.root(body, "create-from-src").allowOnly(Set.of("description", "name",
                "source_group_id", "group_snapshot_id"));
        String source = b.optionalString("source_group_id", 255);
        String snapshot = b.optionalString("group_snapshot_id", 255);
        if ((source == null) == (snapshot == null)) {
            throw JsonBody.bad(b.node() + " is valid under each of {'required': ['source_group_id']}, "
                    + "{'required': ['group_snapshot_id']}");
        }
        // Cinder looks the source up first (its 404s), then refuses a migrated CG's type.
        requireNotReserved(snapshot != null ? groupSnapshots.get(req, snapshot).getGroupTypeId()
                : get(req, source).getGroupTypeId());
        GroupEntity g = service.createFromSource(req, strip(b.optionalString("name", 255)),
                strip(b.optionalString("description", 255)), snapshot, source);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("group", summary(g)));
    }

    private GroupEntity get(ApiRequest req, String id) {
        return lookup.get(req, id);
    }

    private void requireNotReserved(String groupTypeId) {
        if (groupTypes.isReservedCgType(groupTypeId)) {
            throw new CinderException(400, "Group_type " + groupTypeId + " is reserved for migrating CGs to "
                    + "groups. Migrated group can only be operated by CG APIs.");
        }
    }

    static Map<String, Object> summary(GroupEntity g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.getId());
        m.put("name", g.getName());
        return m;
    }

    /** Cinder's detail view, its fields by microversion. */
    Map<String, Object> detailView(ApiRequest req, GroupEntity g, boolean listVolume) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.getId());
        m.put("status", g.getStatus());
        m.put("availability_zone", g.getAvailabilityZone());
        m.put("created_at", VolumeViews.time(g.getCreatedAt()));
        m.put("name", g.getName());
        m.put("description", g.getDescription());
        m.put("group_type", g.getGroupTypeId());
        m.put("volume_types", List.copyOf(g.getVolumeTypeIds()));
        if (req.version().atLeast(Versions.GROUP_SNAPSHOTS)) {
            m.put("group_snapshot_id", g.getGroupSnapshotId());
            m.put("source_group_id", g.getSourceGroupId());
        }
        if (req.version().atLeast(Versions.GROUP_VOLUME_IDS) && listVolume) {
            m.put("volumes", volumes.findByGroupIdAndDeletedFalse(g.getId()).stream().map(VolumeEntity::getId)
                    .toList());
        }
        if (req.version().atLeast(Versions.GROUP_REPLICATION)) {
            m.put("replication_status", g.getReplicationStatus());
        }
        if (req.version().atLeast(Versions.GROUP_VOLUME_DETAIL_PROJECT)
                && policy.allows(req, GroupPolicies.PROJECT_ATTRIBUTE, PolicyTarget.project(g.getProjectId()))) {
            m.put("project_id", g.getProjectId());
        }
        return m;
    }

    private static List<String> volumeTypeList(JsonNode n) {
        if (n == null) {
            throw JsonBody.bad("'volume_types' is a required property");
        }
        if (!n.isArray()) {
            throw JsonBody.bad(n + " is not of type 'array'");
        }
        if (n.isEmpty()) {
            throw JsonBody.bad("[] is too short");
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode e : n) {
            if (!e.isString() || e.stringValue().length() > 255) {
                throw JsonBody.bad(e + " is not of type 'string'");
            }
            if (!out.add(e.stringValue())) {
                throw JsonBody.bad(n + " has non-unique elements");
            }
        }
        return List.copyOf(out);
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }

    private static boolean truthy(String v) {
        return v != null && Set.of("1", "t", "true", "on", "y", "yes").contains(v.strip().toLowerCase());
    }
}
