package org.openstack.jcinder.api.groups;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.types.VolumeTypesController;
import org.openstack.jcinder.api.volumes.VolumeViews;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.api.web.ListQuery;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.db.GroupEntity;
import org.openstack.jcinder.common.db.GroupRepository;
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
 * {@code /v3/[project/]consistencygroups}: Cinder's deprecated consistency group API
 * ({@code api/contrib/consistencygroups.py}), which Cinder serves on top of generic groups: a consistency group
 * is a group of the reserved type {@code default_cgsnapshot_type}, and this API shows and changes any group
 * through the group operations, with the groups' policy rules. Its bodies are loosely checked, as Cinder's.
 */
@RestController
public class ConsistencyGroupsController {

    private static final Logger LOG = LoggerFactory.getLogger(ConsistencyGroupsController.class);

    private final GroupService service;
    private final GroupLookup lookup;
    private final GroupTypeLookup groupTypes;
    private final GroupSnapshotService groupSnapshots;
    private final GroupRepository groups;
    private final PolicyEnforcer policy;
    private final CinderConfig config;

    public ConsistencyGroupsController(GroupService service, GroupLookup lookup, GroupTypeLookup groupTypes,
                                       GroupSnapshotService groupSnapshots, GroupRepository groups,
                                       PolicyEnforcer policy, CinderConfig config) {
        this.service = service;
        this.lookup = lookup;
        this.groupTypes = groupTypes;
        this.groupSnapshots = groupSnapshots;
        this.groups = groups;
        this.policy = policy;
        this.config = config;
    }

    @GetMapping({"/v3/{projectId}/consistencygroups", "/v3/consistencygroups"})
    public Map<String, Object> list(ApiRequest req, @RequestParam Map<String, String> params) {
        return list(req, params, false);
    }

    @GetMapping({"/v3/{projectId}/consistencygroups/detail", "/v3/consistencygroups/detail"})
    public Map<String, Object> detail(ApiRequest req, @RequestParam Map<String, String> params) {
        return list(req, params, true);
    }

    /** Cinder's group get_all: the caller's project (admins: every project with all_tenants), every group. */
    private Map<String, Object> list(ApiRequest req, Map<String, String> params, boolean detail) {
        policy.authorize(req, GroupPolicies.GET_ALL, PolicyTarget.project(req.projectId()));
        ListQuery<GroupEntity> q = ListQuery.parse(params, GroupsController.COLUMNS, config.maxLimit());
        Map<String, String> filters = new LinkedHashMap<>(q.filters());
        boolean allProjects = filters.remove("all_tenants") != null && policy.isAdmin(req);
        List<GroupEntity> rows = (allProjects ? groups.findByDeletedFalse()
                : groups.findByProjectIdAndDeletedFalse(req.projectId())).stream()
                .filter(g -> GroupsController.matches(g, filters)).toList();
        List<Map<String, Object>> out = new ArrayList<>();
        for (GroupEntity g : q.page(rows, GroupEntity::getId, "Marker " + q.marker() + " could not be found.")) {
            out.add(detail ? detailView(g) : summary(g));
        }
        return Map.of("consistencygroups", out);
    }

    @GetMapping({"/v3/{projectId}/consistencygroups/{id}", "/v3/consistencygroups/{id}"})
    public Map<String, Object> show(ApiRequest req, @PathVariable String id) {
        return Map.of("consistencygroup", detailView(lookup.get(req, id)));
    }

    @PostMapping({"/v3/{projectId}/consistencygroups", "/v3/consistencygroups"})
    public ResponseEntity<Map<String, Object>> create(ApiRequest req, @RequestBody JsonNode body) {
        JsonBody b = JsonBody.root(body, "consistencygroup");
        policy.authorize(req, GroupPolicies.CREATE, PolicyTarget.project(req.projectId()));
        String name = strip(b.optionalString("name", 255));
        String description = strip(b.optionalString("description", 255));
        JsonNode types = b.node().get("volume_types");
        if (types == null) {
            throw JsonBody.bad("'volume_types' is a required property");
        }
        if (!types.isString() || types.stringValue().isEmpty()) {
            throw new CinderException(400, "volume_types must be provided to create consistency group " + name
                    + ".");
        }
        List<String> typeRefs = List.of(types.stringValue().replaceAll(",+$", "").split(",", -1));
        JsonNode azNode = b.node().get("availability_zone");
        String az = azNode != null && azNode.isString() ? azNode.stringValue() : null;
        GroupEntity g = service.create(req, name, description, groupTypes.reservedCgType(), typeRefs, az);
        LOG.info("[{}] Consistency group {} ({}) created", req.context().requestId(), g.getId(), name);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("consistencygroup", summary(g)));
    }

    @PostMapping({"/v3/{projectId}/consistencygroups/create_from_src", "/v3/consistencygroups/create_from_src"})
    public ResponseEntity<Map<String, Object>> createFromSource(ApiRequest req, @RequestBody JsonNode body) {
        JsonBody b = JsonBody.root(body, "consistencygroup-from-src");
        policy.authorize(req, GroupPolicies.CREATE, PolicyTarget.project(req.projectId()));
        String name = strip(b.optionalString("name", 255));
        String description = strip(b.optionalString("description", 255));
        String cgsnapshotId = emptyToNull(b.optionalString("cgsnapshot_id", Integer.MAX_VALUE));
        String sourceCgId = emptyToNull(b.optionalString("source_cgid", Integer.MAX_VALUE));
        if (cgsnapshotId == null && sourceCgId == null) {
            throw new CinderException(400, "Either 'cgsnapshot_id' or 'source_cgid' must be provided to create "
                    + "consistency group " + name + " from source.");
        }
        if (cgsnapshotId != null && sourceCgId != null) {
            throw new CinderException(400, "Cannot provide both 'cgsnapshot_id' and 'source_cgid' to create "
                    + "consistency group " + name + " from source.");
        }
        if (sourceCgId != null) {
            lookup.get(req, sourceCgId);
        } else {
            groupSnapshots.get(req, cgsnapshotId);
        }
        GroupEntity g = service.createFromSource(req, name, description, cgsnapshotId, sourceCgId);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("consistencygroup", summary(g)));
    }

    @PutMapping({"/v3/{projectId}/consistencygroups/{id}", "/v3/consistencygroups/{id}"})
    public ResponseEntity<Void> update(ApiRequest req, @PathVariable String id, @RequestBody JsonNode body) {
        if (body == null || body.isNull() || (body.isObject() && body.isEmpty())) {
            throw new CinderException(400, "Missing request body.");
        }
        JsonBody b = JsonBody.root(body, "consistencygroup");
        String name = strip(b.optionalString("name", 255));
        String description = strip(b.optionalString("description", 255));
        String add = b.optionalString("add_volumes", Integer.MAX_VALUE);
        String remove = b.optionalString("remove_volumes", Integer.MAX_VALUE);
        GroupEntity g = lookup.get(req, id);
        policy.authorize(req, GroupPolicies.UPDATE, PolicyTarget.project(g.getProjectId()));
        if (isEmpty(name) && isEmpty(description) && isEmpty(add) && isEmpty(remove)) {
            throw new CinderException(400, "Name, description, add_volumes, and remove_volumes can not be all "
                    + "empty in the request body.");
        }
        service.update(req, g, name, description, add, remove);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    /** {@code POST …/{id}/delete} with an optional {@code {"consistencygroup": {"force": bool}}}. */
    @PostMapping({"/v3/{projectId}/consistencygroups/{id}/delete", "/v3/consistencygroups/{id}/delete"})
    public ResponseEntity<Void> delete(ApiRequest req, @PathVariable String id,
                                       @RequestBody(required = false) JsonNode body) {
        boolean force = false;
        if (body != null && !body.isNull() && !(body.isObject() && body.isEmpty())) {
            JsonBody b = JsonBody.root(body, "consistencygroup");
            Boolean flag = VolumeTypesController.strictBoolean(b, "force");
            force = flag != null && flag;
        }
        GroupEntity g = lookup.get(req, id);
        service.delete(req, g, force);
        LOG.info("[{}] Consistency group {} deleted (force {})", req.context().requestId(), g.getId(), force);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    static Map<String, Object> summary(GroupEntity g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.getId());
        m.put("name", g.getName());
        return m;
    }

    static Map<String, Object> detailView(GroupEntity g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.getId());
        m.put("status", g.getStatus());
        m.put("availability_zone", g.getAvailabilityZone());
        m.put("created_at", VolumeViews.time(g.getCreatedAt()));
        m.put("name", g.getName());
        m.put("description", g.getDescription());
        m.put("volume_types", List.copyOf(g.getVolumeTypeIds()));
        return m;
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }

    private static String emptyToNull(String s) {
        return isEmpty(s) ? null : s;
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }
}
