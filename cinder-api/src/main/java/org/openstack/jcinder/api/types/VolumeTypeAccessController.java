package org.openstack.jcinder.api.types;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.common.db.VolumeTypeEntity;
import org.openstack.jcinder.common.db.VolumeTypeRepository;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

/**
 * Private volume types ({@code os-volume-type-access}): who may use a private type, and the
 * {@code addProjectAccess} / {@code removeProjectAccess} actions, with Cinder's codes and messages.
 */
@RestController
public class VolumeTypeAccessController {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeTypeAccessController.class);

    private final VolumeTypeRepository types;
    private final VolumeTypeLookup lookup;
    private final PolicyEnforcer policy;

    public VolumeTypeAccessController(VolumeTypeRepository types, VolumeTypeLookup lookup, PolicyEnforcer policy) {
        this.types = types;
        this.lookup = lookup;
        this.policy = policy;
    }

    @GetMapping({"/v3/{projectId}/types/{typeId}/os-volume-type-access", "/v3/types/{typeId}/os-volume-type-access"})
    public Map<String, Object> list(ApiRequest req, @PathVariable String typeId) {
        policy.authorize(req, TypePolicies.ACCESS_LIST);
        VolumeTypeEntity type = lookup.byIdFor(req.context(), typeId);
        if (type.isIsPublic()) {
            throw new NotFoundException("Access list not available for public volume types.");
        }
        List<Map<String, String>> access = type.getProjects().stream().sorted().map(p -> {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("volume_type_id", type.getId());
            m.put("project_id", p);
            return m;
        }).toList();
        return Map.of("volume_type_access", access);
    }

    @PostMapping({"/v3/{projectId}/types/{typeId}/action", "/v3/types/{typeId}/action"})
    @Transactional
    public ResponseEntity<Void> action(ApiRequest req, @PathVariable String typeId, @RequestBody JsonNode body) {
        if (body == null || !body.isObject() || body.size() != 1) {
            throw JsonBody.bad("The action body must be an object with exactly one action.");
        }
        String action = body.propertyNames().iterator().next();
        switch (action) {
            case "addProjectAccess" -> add(req, typeId, project(body, action));
            case "removeProjectAccess" -> remove(req, typeId, project(body, action));
            default -> throw JsonBody.bad("There is no such action: " + action);
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    private static String project(JsonNode body, String action) {
        return JsonBody.root(body, action).allowOnly(Set.of("project")).requiredString("project", 1, 255);
    }

    private void add(ApiRequest req, String typeId, String project) {
        policy.authorize(req, TypePolicies.ACCESS_ADD);
        VolumeTypeEntity type = lookup.byId(typeId);
        if (type.isIsPublic()) {
            throw new CinderException(400, "Invalid volume type: Type access modification is not applicable to "
                    + "public volume type.");
        }
        if (!type.getProjects().add(project)) {
            throw new CinderException(409, "Volume type access for " + typeId + " / " + project
                    + " combination already exists.");
        }
        types.saveAndFlush(type);
        LOG.info("[{}] Project {} given access to volume type {}", req.context().requestId(), project, typeId);
    }

    private void remove(ApiRequest req, String typeId, String project) {
        policy.authorize(req, TypePolicies.ACCESS_REMOVE);
        VolumeTypeEntity type = lookup.byId(typeId);
        if (type.isIsPublic()) {
            throw new CinderException(400, "Invalid volume type: Type access modification is not applicable to "
                    + "public volume type.");
        }
        if (!type.getProjects().remove(project)) {
            throw new NotFoundException("Volume type access not found for " + typeId + " / " + project
                    + " combination.");
        }
        types.saveAndFlush(type);
        LOG.info("[{}] Project {} lost access to volume type {}", req.context().requestId(), project, typeId);
    }
}
