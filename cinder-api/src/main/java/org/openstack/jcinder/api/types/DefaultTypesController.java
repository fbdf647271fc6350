package org.openstack.jcinder.api.types;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.DefaultVolumeTypeEntity;
import org.openstack.jcinder.common.db.DefaultVolumeTypeRepository;
import org.openstack.jcinder.common.db.VolumeTypeEntity;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.NotFoundException;
import org.openstack.jcinder.shared.policy.PolicyTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

/**
 * {@code /default-types} (microversion 3.62): a project's own default volume type, used by volume create
 * without a type and by {@code GET /types/default}. Admin-only, refused with Cinder's "You are not authorized
 * to perform this operation." Unlike Cinder, the project id is not checked against Keystone.
 */
@RestController
public class DefaultTypesController {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultTypesController.class);
    private static final int DEFAULT_TYPE_OVERRIDES = 62;

    private final DefaultVolumeTypeRepository defaults;
    private final VolumeTypeLookup lookup;
    private final PolicyEnforcer policy;

    public DefaultTypesController(DefaultVolumeTypeRepository defaults, VolumeTypeLookup lookup,
                                  PolicyEnforcer policy) {
        this.defaults = defaults;
        this.lookup = lookup;
        this.policy = policy;
    }

    @PutMapping({"/v3/{urlProject}/default-types/{projectId}", "/v3/default-types/{projectId}"})
    @Transactional
    public Map<String, Object> set(ApiRequest req, @PathVariable String projectId, @RequestBody JsonNode body) {
        requireVersion(req);
        String typeRef = JsonBody.root(body, "default_type").allowOnly(Set.of("volume_type"))
                .requiredString("volume_type", 1, 255);
        authorize(req, TypePolicies.DEFAULT_SET, projectId);
        VolumeTypeEntity type;
        try {
            type = lookup.byNameOrIdFor(req.context(), typeRef);
        } catch (CinderException e) {
            throw new CinderException(400, e.getMessage());
        }
        DefaultVolumeTypeEntity d = defaults.findById(projectId).orElseGet(() -> {
            DefaultVolumeTypeEntity fresh = new DefaultVolumeTypeEntity();
            fresh.setProjectId(projectId);
            fresh.setCreatedAt(Clock.now());
            return fresh;
        });
        d.setVolumeTypeId(type.getId());
        d.setUpdatedAt(Clock.now());
        defaults.saveAndFlush(d);
        LOG.info("[{}] Default volume type of project {} set to {}", req.context().requestId(), projectId,
                type.getId());
        return Map.of("default_type", view(d));
    }

    @GetMapping({"/v3/{urlProject}/default-types/{projectId}", "/v3/default-types/{projectId}"})
    public Map<String, Object> show(ApiRequest req, @PathVariable String projectId) {
        requireVersion(req);
        authorize(req, TypePolicies.DEFAULT_GET, projectId);
        DefaultVolumeTypeEntity d = defaults.findById(projectId)
                .orElseThrow(() -> new NotFoundException("Default type for project " + projectId + " not found."));
        return Map.of("default_type", view(d));
    }

    @GetMapping({"/v3/{urlProject}/default-types", "/v3/default-types"})
    public Map<String, Object> list(ApiRequest req) {
        requireVersion(req);
        authorize(req, TypePolicies.DEFAULT_GET_ALL, req.projectId());
        List<Map<String, Object>> out = defaults.findAllByOrderByProjectId().stream()
                .map(DefaultTypesController::view).toList();
        return Map.of("default_types", out);
    }

    @DeleteMapping({"/v3/{urlProject}/default-types/{projectId}", "/v3/default-types/{projectId}"})
    @Transactional
    public ResponseEntity<Void> unset(ApiRequest req, @PathVariable String projectId) {
        requireVersion(req);
        authorize(req, TypePolicies.DEFAULT_UNSET, projectId);
        defaults.findById(projectId).ifPresent(d -> {
            defaults.delete(d);
            defaults.flush();
            LOG.info("[{}] Default volume type of project {} unset", req.context().requestId(), projectId);
        });
        return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
    }

    private static void requireVersion(ApiRequest req) {
        if (!req.version().atLeast(DEFAULT_TYPE_OVERRIDES)) {
            throw new CinderException(404, "The resource could not be found.");
        }
    }

    private void authorize(ApiRequest req, String rule, String projectId) {
        if (!policy.allows(req, rule, PolicyTarget.project(projectId))) {
            throw new CinderException(403, "You are not authorized to perform this operation.");
        }
    }

    private static Map<String, Object> view(DefaultVolumeTypeEntity d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("project_id", d.getProjectId());
        m.put("volume_type_id", d.getVolumeTypeId());
        return m;
    }
}
