package org.openstack.jcinder.api.groups;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openstack.jcinder.api.volumes.VolumeViews;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.api.web.ListQuery;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.db.GroupEntity;
import org.openstack.jcinder.common.db.GroupSnapshotEntity;
import org.openstack.jcinder.common.exception.CinderException;
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
 * {@code /v3/[project/]cgsnapshots}: Cinder's deprecated consistency group snapshot API
 * ({@code api/contrib/cgsnapshots.py}) on top of group snapshots: any group snapshot of the caller's project,
 * with the group snapshot policy rules; a list reads only {@code offset} and {@code limit} (Cinder's
 * {@code common.limited}).
 */
@RestController
public class CgsnapshotsController {

    private final GroupSnapshotService service;
    private final GroupLookup groups;
    private final CinderConfig config;

    public CgsnapshotsController(GroupSnapshotService service, GroupLookup groups, CinderConfig config) {
        this.service = service;
        this.groups = groups;
        this.config = config;
    }

    @GetMapping({"/v3/{projectId}/cgsnapshots", "/v3/cgsnapshots"})
    public Map<String, Object> list(ApiRequest req, @RequestParam Map<String, String> params) {
        return list(req, params, false);
    }

    @GetMapping({"/v3/{projectId}/cgsnapshots/detail", "/v3/cgsnapshots/detail"})
    public Map<String, Object> detail(ApiRequest req, @RequestParam Map<String, String> params) {
        return list(req, params, true);
    }

    private Map<String, Object> list(ApiRequest req, Map<String, String> params, boolean detail) {
        // Cinder lists them all (no filter, default order), then slices by offset and limit only.
        Map<String, String> paging = new LinkedHashMap<>();
        for (String k : List.of("limit", "offset")) {
            if (params.containsKey(k)) {
                paging.put(k, params.get(k));
            }
        }
        ListQuery<GroupSnapshotEntity> q = ListQuery.parse(paging, GroupSnapshotService.COLUMNS, config.maxLimit());
        List<Map<String, Object>> out = new ArrayList<>();
        for (GroupSnapshotEntity g : service.list(req, q)) {
            out.add(detail ? detailView(g) : summary(g));
        }
        return Map.of("cgsnapshots", out);
    }

    @GetMapping({"/v3/{projectId}/cgsnapshots/{id}", "/v3/cgsnapshots/{id}"})
    public Map<String, Object> show(ApiRequest req, @PathVariable String id) {
        return Map.of("cgsnapshot", detailView(service.get(req, id)));
    }

    @PostMapping({"/v3/{projectId}/cgsnapshots", "/v3/cgsnapshots"})
    public ResponseEntity<Map<String, Object>> create(ApiRequest req, @RequestBody JsonNode body) {
        JsonBody b = JsonBody.root(body, "cgsnapshot");
        JsonNode groupId = b.node().get("consistencygroup_id");
        if (groupId == null) {
            throw JsonBody.bad("'consistencygroup_id' is a required property");
        }
        if (!groupId.isString()) {
            throw JsonBody.bad(groupId + " is not of type 'string'");
        }
        String name = strip(b.optionalString("name", Integer.MAX_VALUE));
        String description = strip(b.optionalString("description", Integer.MAX_VALUE));
        if ((name != null && name.length() > 255) || (description != null && description.length() > 255)) {
            throw new CinderException(400, "Invalid input received: " + (name != null && name.length() > 255
                    ? "name" : "description") + " has more than 255 characters.");
        }
        GroupEntity group = groups.get(req, groupId.stringValue());
        GroupSnapshotEntity g = service.create(req, group, name, description);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("cgsnapshot", summary(g)));
    }

    @DeleteMapping({"/v3/{projectId}/cgsnapshots/{id}", "/v3/cgsnapshots/{id}"})
    public ResponseEntity<Void> delete(ApiRequest req, @PathVariable String id) {
        service.delete(req, service.get(req, id));
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    static Map<String, Object> summary(GroupSnapshotEntity g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.getId());
        m.put("name", g.getName());
        return m;
    }

    static Map<String, Object> detailView(GroupSnapshotEntity g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.getId());
        m.put("consistencygroup_id", g.getGroupId());
        m.put("status", g.getStatus());
        m.put("created_at", VolumeViews.time(g.getCreatedAt()));
        m.put("name", g.getName());
        m.put("description", g.getDescription());
        return m;
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }
}
