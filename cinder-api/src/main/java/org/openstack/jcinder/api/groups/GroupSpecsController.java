package org.openstack.jcinder.api.groups;

import java.util.LinkedHashMap;
import java.util.Map;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.types.SpecMaps;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.GroupTypeEntity;
import org.openstack.jcinder.common.db.GroupTypeRepository;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

/** {@code /group_types/{id}/group_specs} (3.11): a group type's specs, admin-only by Cinder's defaults. */
@RestController
public class GroupSpecsController {

    private static final Logger LOG = LoggerFactory.getLogger(GroupSpecsController.class);
    private static final String BASE = "/group_types/{typeId}/group_specs";

    private final GroupTypeRepository types;
    private final GroupTypeLookup lookup;
    private final PolicyEnforcer policy;

    public GroupSpecsController(GroupTypeRepository types, GroupTypeLookup lookup, PolicyEnforcer policy) {
        this.types = types;
        this.lookup = lookup;
        this.policy = policy;
    }

    @GetMapping({"/v3/{projectId}" + BASE, "/v3" + BASE})
    public Map<String, Object> list(ApiRequest req, @PathVariable String typeId) {
        Versions.require(req, Versions.GROUP_TYPE);
        policy.authorize(req, GroupPolicies.SPEC_GET_ALL);
        return Map.of("group_specs", new LinkedHashMap<>(lookup.existing(typeId).getGroupSpecs()));
    }

    @PostMapping({"/v3/{projectId}" + BASE, "/v3" + BASE})
    @Transactional
    public ResponseEntity<Map<String, Object>> create(ApiRequest req, @PathVariable String typeId,
                                                      @RequestBody JsonNode body) {
        Versions.require(req, Versions.GROUP_TYPE);
        policy.authorize(req, GroupPolicies.SPEC_CREATE);
        GroupTypeEntity type = lookup.existing(typeId);
        JsonBody.of(body).allowOnly(java.util.Set.of("group_specs"));
        JsonNode specsNode = body.get("group_specs");
        if (specsNode == null) {
            throw new CinderException(400, "Invalid input for field/attribute group_specs. Value: " + body
                    + ". 'group_specs' is a required property");
        }
        Map<String, String> specs = SpecMaps.parse("group_specs", specsNode, SpecMaps.KEYS_NO_SPACES);
        type.getGroupSpecs().putAll(specs);
        type.setUpdatedAt(Clock.now());
        types.saveAndFlush(type);
        LOG.info("[{}] Group type {} specs {} set", req.context().requestId(), typeId, specs.keySet());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("group_specs", specs));
    }

    @PutMapping({"/v3/{projectId}" + BASE + "/{key}", "/v3" + BASE + "/{key}"})
    @Transactional
    public Map<String, String> update(ApiRequest req, @PathVariable String typeId, @PathVariable String key,
                                      @RequestBody JsonNode body) {
        Versions.require(req, Versions.GROUP_TYPE);
        policy.authorize(req, GroupPolicies.SPEC_UPDATE);
        GroupTypeEntity type = lookup.existing(typeId);
        Map<String, String> spec = SpecMaps.parse("", body, SpecMaps.KEYS_NO_SPACES);
        if (spec.size() != 1) {
            throw new CinderException(400, "Invalid input for field/attribute . Value: " + body + ". " + body
                    + (spec.isEmpty() ? " does not have enough properties" : " has too many properties"));
        }
        if (!spec.containsKey(key)) {
            throw new CinderException(400, "Request body and URI mismatch");
        }
        type.getGroupSpecs().putAll(spec);
        type.setUpdatedAt(Clock.now());
        types.saveAndFlush(type);
        LOG.info("[{}] Group type {} spec {} set", req.context().requestId(), typeId, key);
        return spec;
    }

    @GetMapping({"/v3/{projectId}" + BASE + "/{key}", "/v3" + BASE + "/{key}"})
    public Map<String, String> show(ApiRequest req, @PathVariable String typeId, @PathVariable String key) {
        Versions.require(req, Versions.GROUP_TYPE);
        policy.authorize(req, GroupPolicies.SPEC_GET);
        Map<String, String> specs = lookup.existing(typeId).getGroupSpecs();
        if (!specs.containsKey(key)) {
            throw new NotFoundException("Group Type " + typeId + " has no extra spec with key " + key + ".");
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put(key, specs.get(key));
        return out;
    }

    @DeleteMapping({"/v3/{projectId}" + BASE + "/{key}", "/v3" + BASE + "/{key}"})
    @Transactional
    public ResponseEntity<Void> delete(ApiRequest req, @PathVariable String typeId, @PathVariable String key) {
        Versions.require(req, Versions.GROUP_TYPE);
        policy.authorize(req, GroupPolicies.SPEC_DELETE);
        GroupTypeEntity type = lookup.existing(typeId);
        if (!type.getGroupSpecs().containsKey(key)) {
            throw new NotFoundException("Group Type " + typeId + " has no specs with key " + key + ".");
        }
        type.getGroupSpecs().remove(key);
        type.setUpdatedAt(Clock.now());
        types.saveAndFlush(type);
        LOG.info("[{}] Group type {} spec {} deleted", req.context().requestId(), typeId, key);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }
}
