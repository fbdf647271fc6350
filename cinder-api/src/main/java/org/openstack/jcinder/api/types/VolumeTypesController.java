package org.openstack.jcinder.api.types;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.common.quota.QuotaStore;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.db.VolumeTypeEntity;
import org.openstack.jcinder.common.db.VolumeTypeRepository;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.NotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

/** {@code /v3/[project/]types}: volume types and their extra specs. Changes are admin-only, as in Cinder. */
@RestController
public class VolumeTypesController {

    private final VolumeTypeRepository types;
    private final VolumeTypeLookup lookup;
    private final VolumeRepository volumes;
    private final QuotaStore quotaStore;

    private final PolicyEnforcer policy;

    public VolumeTypesController(VolumeTypeRepository types, VolumeTypeLookup lookup, VolumeRepository volumes,
                                 PolicyEnforcer policy, QuotaStore quotaStore) {
        this.policy = policy;
        this.quotaStore = quotaStore;
        this.types = types;
        this.lookup = lookup;
        this.volumes = volumes;
    }

    @GetMapping({"/v3/{projectId}/types", "/v3/types"})
    public Map<String, Object> list(ApiRequest req, @RequestParam(required = false) String name) {
        policy.authorize(req, VolumeTypePolicies.GET_ALL);
        boolean admin = policy.isAdmin(req); // Cinder lists private types to an admin context only
        ViewAccess access = access(req);
        List<Map<String, Object>> out = types.findByDeletedFalseOrderByName().stream()
                .filter(t -> name == null || name.equals(t.getName()))
                .filter(t -> t.isIsPublic() || admin)
                .map(t -> view(t, access)).toList();
        return Map.of("volume_types", out);
    }

    @GetMapping({"/v3/{projectId}/types/{typeId}", "/v3/types/{typeId}"})
    public Map<String, Object> show(ApiRequest req, @PathVariable String typeId) {
        VolumeTypeEntity type = lookup.byId(typeId);
        policy.authorize(req, VolumeTypePolicies.GET);
        return Map.of("volume_type", view(type, access(req)));
    }

    @PostMapping({"/v3/{projectId}/types", "/v3/types"})
    @Transactional
    public Map<String, Object> create(ApiRequest req, @RequestBody JsonNode body) {
        policy.authorize(req, VolumeTypePolicies.CREATE);
        JsonBody t = JsonBody.root(body, "volume_type")
                .allowOnly(Set.of("name", "description", "os-volume-type-access:is_public", "extra_specs"));
        String name = t.requiredString("name", 1, 255).strip();
        String description = t.optionalString("description", 255);
        Boolean isPublic = t.optionalBoolean("os-volume-type-access:is_public");
        Map<String, String> specs = t.optionalStringMap("extra_specs");
        if (!types.findByNameAndDeletedFalse(name).isEmpty()) {
            throw new CinderException(409, "Volume Type " + name + " already exists.");
        }
        VolumeTypeEntity type = new VolumeTypeEntity();
        type.setId(UUID.randomUUID().toString());
        type.setName(name);
        type.setDescription(description);
        type.setIsPublic(isPublic == null || isPublic);
        type.setCreatedAt(Clock.now());
        if (specs != null) {
            type.getExtraSpecs().putAll(specs);
        }
        types.saveAndFlush(type);
        return Map.of("volume_type", view(type, access(req)));
    }

    @PutMapping({"/v3/{projectId}/types/{typeId}", "/v3/types/{typeId}"})
    @Transactional
    public Map<String, Object> update(ApiRequest req, @PathVariable String typeId, @RequestBody JsonNode body) {
        policy.authorize(req, VolumeTypePolicies.UPDATE);
        JsonBody t = JsonBody.root(body, "volume_type").allowOnly(Set.of("name", "description", "is_public"));
        VolumeTypeEntity type = lookup.byId(typeId);
        if (t.has("name")) {
            String name = t.requiredString("name", 1, 255).strip();
            if (!name.equals(type.getName()) && !types.findByNameAndDeletedFalse(name).isEmpty()) {
                throw new CinderException(409, "Volume Type " + name + " already exists.");
            }
            if (!name.equals(type.getName())) {
                quotaStore.renameTypeResources(type.getName(), name); // per-type quotas follow, as in Cinder
            }
            type.setName(name);
        }
        if (t.has("description")) {
            type.setDescription(t.optionalString("description", 255));
        }
        Boolean isPublic = t.optionalBoolean("is_public");
        if (isPublic != null) {
            type.setIsPublic(isPublic);
        }
        type.setUpdatedAt(Clock.now());
        types.saveAndFlush(type);
        return Map.of("volume_type", view(type, access(req)));
    }

    @DeleteMapping({"/v3/{projectId}/types/{typeId}", "/v3/types/{typeId}"})
    @Transactional
    public ResponseEntity<Void> delete(ApiRequest req, @PathVariable String typeId) {
        policy.authorize(req, VolumeTypePolicies.DELETE);
        VolumeTypeEntity type = lookup.byId(typeId);
        if (volumes.countByVolumeTypeIdAndDeletedFalse(type.getId()) > 0) {
            throw new CinderException(400, "Target volume type is still in use.");
        }
        if (type.getName().equals(lookup.defaultType().getName())) {
            throw new CinderException(400, "Default volume type can not be deleted.");
        }
        type.setDeleted(true);
        type.setDeletedAt(Clock.now());
        types.saveAndFlush(type);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    @GetMapping({"/v3/{projectId}/types/{typeId}/extra_specs", "/v3/types/{typeId}/extra_specs"})
    public Map<String, Object> listSpecs(ApiRequest req, @PathVariable String typeId) {
        policy.authorize(req, VolumeTypePolicies.SPECS_INDEX);
        return Map.of("extra_specs", visibleSpecs(lookup.byId(typeId), policy.allows(req,
                VolumeTypePolicies.SPECS_READ_SENSITIVE)));
    }

    @PostMapping({"/v3/{projectId}/types/{typeId}/extra_specs", "/v3/types/{typeId}/extra_specs"})
    @Transactional
    public Map<String, Object> setSpecs(ApiRequest req, @PathVariable String typeId, @RequestBody JsonNode body) {
        policy.authorize(req, VolumeTypePolicies.SPECS_CREATE);
        if (body == null || !body.isObject() || body.get("extra_specs") == null) {
            throw JsonBody.bad("Missing required element 'extra_specs' in request body.");
        }
        Map<String, String> specs = JsonBody.stringMap("extra_specs", body.get("extra_specs"));
        VolumeTypeEntity type = lookup.byId(typeId);
        type.getExtraSpecs().putAll(specs);
        type.setUpdatedAt(Clock.now());
        types.saveAndFlush(type);
        return Map.of("extra_specs", specs);
    }

    @GetMapping({"/v3/{projectId}/types/{typeId}/extra_specs/{key}", "/v3/types/{typeId}/extra_specs/{key}"})
    public Map<String, Object> showSpec(ApiRequest req, @PathVariable String typeId, @PathVariable String key) {
        policy.authorize(req, VolumeTypePolicies.SPECS_SHOW);
        VolumeTypeEntity type = lookup.byId(typeId);
        String value = visibleSpecs(type, policy.allows(req, VolumeTypePolicies.SPECS_READ_SENSITIVE)).get(key);
        if (value == null) {
            throw new NotFoundException("Volume Type " + typeId + " has no extra specs with key " + key + ".");
        }
        return Map.of(key, value);
    }

    @PutMapping({"/v3/{projectId}/types/{typeId}/extra_specs/{key}", "/v3/types/{typeId}/extra_specs/{key}"})
    @Transactional
    public Map<String, Object> updateSpec(ApiRequest req, @PathVariable String typeId, @PathVariable String key,
                                          @RequestBody JsonNode body) {
        policy.authorize(req, VolumeTypePolicies.SPECS_UPDATE);
        Map<String, String> spec = JsonBody.stringMap(key, body);
        if (spec.size() != 1 || !spec.containsKey(key)) {
            throw JsonBody.bad("Request body and URI mismatch");
        }
        VolumeTypeEntity type = lookup.byId(typeId);
        type.getExtraSpecs().put(key, spec.get(key));
        type.setUpdatedAt(Clock.now());
        types.saveAndFlush(type);
        return Map.of(key, spec.get(key));
    }

    @DeleteMapping({"/v3/{projectId}/types/{typeId}/extra_specs/{key}", "/v3/types/{typeId}/extra_specs/{key}"})
    @Transactional
    public ResponseEntity<Void> deleteSpec(ApiRequest req, @PathVariable String typeId, @PathVariable String key) {
        policy.authorize(req, VolumeTypePolicies.SPECS_DELETE);
        VolumeTypeEntity type = lookup.byId(typeId);
        if (type.getExtraSpecs().remove(key) == null) {
            throw new NotFoundException("Volume Type " + typeId + " has no extra specs with key " + key + ".");
        }
        type.setUpdatedAt(Clock.now());
        types.saveAndFlush(type);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    /** What the caller may see of a type (Cinder's view builder asks these rules against the caller's project). */
    private record ViewAccess(boolean extraSpecs, boolean sensitiveSpecs, boolean qosSpecsId) {
    }

    private ViewAccess access(ApiRequest req) {
        return new ViewAccess(policy.allows(req, VolumeTypePolicies.EXTRA_SPEC_ATTRIBUTE),
                policy.allows(req, VolumeTypePolicies.SPECS_READ_SENSITIVE),
                policy.allows(req, VolumeTypePolicies.QOS_ATTRIBUTE));
    }

    /** All extra specs for read_sensitive, else only Cinder's user-visible ones. */
    private static Map<String, String> visibleSpecs(VolumeTypeEntity t, boolean sensitive) {
        Map<String, String> out = new LinkedHashMap<>();
        t.getExtraSpecs().forEach((k, v) -> {
            if (sensitive || VolumeTypePolicies.USER_VISIBLE_EXTRA_SPECS.contains(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static Map<String, Object> view(VolumeTypeEntity t, ViewAccess access) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.getId());
        m.put("name", t.getName());
        m.put("is_public", t.isIsPublic());
        m.put("description", t.getDescription());
        if (access.extraSpecs()) {
            m.put("extra_specs", visibleSpecs(t, access.sensitiveSpecs()));
        }
        if (access.qosSpecsId()) {
            m.put("qos_specs_id", null);
        }
        m.put("os-volume-type-access:is_public", t.isIsPublic());
        return m;
    }
}
