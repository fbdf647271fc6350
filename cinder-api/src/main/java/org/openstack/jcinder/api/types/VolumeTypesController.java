package org.openstack.jcinder.api.types;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.common.quota.QuotaStore;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.DefaultVolumeTypeRepository;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.db.VolumeTypeEntity;
import org.openstack.jcinder.common.db.VolumeTypeRepository;
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
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

/**
 * {@code /v3/[project/]types}: volume types and their extra specs, with Cinder's policies (changes admin-only),
 * its private-type visibility (a private type exists only for admins and the projects given access) and its
 * views ({@link TypeViews}).
 */
@RestController
public class VolumeTypesController {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeTypesController.class);
    private static final Set<String> TRUE = Set.of("1", "t", "true", "on", "y", "yes");
    private static final Set<String> FALSE = Set.of("0", "f", "false", "off", "n", "no");

    private final VolumeTypeRepository types;
    private final VolumeTypeLookup lookup;
    private final VolumeRepository volumes;
    private final PolicyEnforcer policy;
    private final TypeViews views;
    private final DefaultVolumeTypeRepository projectDefaults;
    private final QuotaStore quotaStore;
    /** Groups taking the type keep it in use (a field, so the constructor stays as other features use it). */
    @org.springframework.beans.factory.annotation.Autowired
    private org.openstack.jcinder.common.db.GroupRepository groups;

    public VolumeTypesController(VolumeTypeRepository types, VolumeTypeLookup lookup, VolumeRepository volumes,
                                 PolicyEnforcer policy, TypeViews views, DefaultVolumeTypeRepository projectDefaults,
                                 QuotaStore quotaStore) {
        this.projectDefaults = projectDefaults;
        this.quotaStore = quotaStore;
        this.types = types;
        this.lookup = lookup;
        this.volumes = volumes;
        this.policy = policy;
        this.views = views;
    }

    /**
     * Cinder's list: non-admins see public types and the private ones their project may use; admins see the
     * same by default, {@code is_public=false} for private types only, {@code is_public=None} for all (see
     * {@link TypeListFilter} for the other filters); newest first.
     */
    @GetMapping({"/v3/{projectId}/types", "/v3/types"})
    public Map<String, Object> list(ApiRequest req, @RequestParam Map<String, String> query) {
        policy.authorize(req, TypePolicies.GET_ALL);
        TypeListFilter filter = TypeListFilter.parse(req, policy.isAdmin(req), query, policy.allows(req, TypePolicies.SPECS_READ_SENSITIVE,
                PolicyTarget.project(req.projectId())));
        String project = req.projectId();
        List<Map<String, Object>> out = types.findByDeletedFalseOrderByName().stream()
                .filter(t -> filter.matches(t, project))
                .sorted(Comparator.comparing(VolumeTypeEntity::getCreatedAt).thenComparing(VolumeTypeEntity::getId)
                        .reversed())
                .map(t -> views.show(req, t)).toList();
        return Map.of("volume_types", out);
    }

    /** Cinder's {@code _parse_is_public}: absent means public, "none" means all, else a strict boolean. */
    public static Boolean parseIsPublic(String value) {
        if (value == null) {
            return Boolean.TRUE;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("none")) {
            return null;
        }
        if (TRUE.contains(v)) {
            return Boolean.TRUE;
        }
        if (FALSE.contains(v)) {
            return Boolean.FALSE;
        }
        throw new CinderException(400, "Invalid is_public filter [" + value + "]");
    }

    @GetMapping({"/v3/{projectId}/types/{typeId}", "/v3/types/{typeId}"})
    public Map<String, Object> show(ApiRequest req, @PathVariable String typeId) {
        VolumeTypeEntity type;
        if (typeId.equals("default")) {
            try {
                type = lookup.defaultTypeFor(req.context());
            } catch (CinderException e) {
                throw new NotFoundException("Default volume type can not be found.");
            }
        } else {
            type = lookup.byIdFor(req.context(), typeId);
        }
        policy.authorize(req, TypePolicies.GET);
        return Map.of("volume_type", views.show(req, type));
    }

    @PostMapping({"/v3/{projectId}/types", "/v3/types"})
    @Transactional
    public Map<String, Object> create(ApiRequest req, @RequestBody JsonNode body) {
        JsonBody t = JsonBody.root(body, "volume_type")
                .allowOnly(Set.of("name", "description", "os-volume-type-access:is_public", "extra_specs"));
        JsonBody.of(body).allowOnly(Set.of("volume_type"));
        String name = t.requiredString("name", 1, 255).strip();
        String description = t.optionalString("description", 255);
        Boolean isPublic = strictBoolean(t, "os-volume-type-access:is_public");
        Map<String, String> specs = t.has("extra_specs") && !t.node().get("extra_specs").isNull()
                ? SpecMaps.parse("volume_type/extra_specs", t.node().get("extra_specs"), SpecMaps.KEYS) : Map.of();
        policy.authorize(req, TypePolicies.CREATE);
        if (!types.findByNameAndDeletedFalse(name).isEmpty()) {
            throw new CinderException(409, "Volume Type " + name + " already exists.");
        }
        VolumeTypeEntity type = new VolumeTypeEntity();
        type.setId(UUID.randomUUID().toString());
        type.setName(name);
        type.setDescription(description);
        type.setIsPublic(isPublic == null || isPublic);
        type.setCreatedAt(Clock.now());
        type.getExtraSpecs().putAll(specs);
        types.saveAndFlush(type);
        LOG.info("[{}] Volume type {} ({}) created, public={}", req.context().requestId(), type.getId(), name,
                type.isIsPublic());
        return Map.of("volume_type", views.manage(req, type, true));
    }

    @PutMapping({"/v3/{projectId}/types/{typeId}", "/v3/types/{typeId}"})
    @Transactional
    public Map<String, Object> update(ApiRequest req, @PathVariable String typeId, @RequestBody JsonNode body) {
        JsonBody t = JsonBody.root(body, "volume_type").allowOnly(Set.of("name", "description", "is_public"));
        JsonBody.of(body).allowOnly(Set.of("volume_type"));
        String name = t.has("name") ? t.optionalString("name", 255) : null;
        if (name != null && name.isEmpty()) {
            throw new CinderException(400, "Invalid input for field/attribute name. Value: . '' is too short");
        }
        String description = t.optionalString("description", 255);
        Boolean isPublic = strictBoolean(t, "is_public");
        policy.authorize(req, TypePolicies.UPDATE);
        if (name != null && name.strip().isEmpty()) {
            throw new CinderException(400, "Volume type name can not be empty.");
        }
        if (name == null && description == null && isPublic == null) {
            throw new CinderException(400, "Specify volume type name, description, is_public or a combination "
                    + "thereof.");
        }
        VolumeTypeEntity type = lookup.byId(typeId);
        if (name != null && !name.equals(type.getName())) {
            if (type.getName().equals(lookup.defaultType().getName())) {
                throw new CinderException(500, "Cannot update volume_type " + typeId);
            }
            if (!types.findByNameAndDeletedFalse(name).isEmpty()) {
                throw new CinderException(409, "Volume Type " + name + " already exists.");
            }
            quotaStore.renameTypeResources(type.getName(), name); // per-type quotas follow, as in Cinder
            type.setName(name);
        }
        if (description != null) {
            type.setDescription(description);
        }
        if (isPublic != null) {
            type.setIsPublic(isPublic);
        }
        type.setUpdatedAt(Clock.now());
        types.saveAndFlush(type);
        LOG.info("[{}] Volume type {} updated", req.context().requestId(), typeId);
        return Map.of("volume_type", views.manage(req, type, false));
    }

    @DeleteMapping({"/v3/{projectId}/types/{typeId}", "/v3/types/{typeId}"})
    @Transactional
    public ResponseEntity<Void> delete(ApiRequest req, @PathVariable String typeId) {
        policy.authorize(req, TypePolicies.DELETE);
        VolumeTypeEntity type = lookup.byId(typeId);
        // Cinder's order: a project's default, the configured default, then in use.
        if (projectDefaults.existsByVolumeTypeId(typeId) || type.getId().equals(lookup.defaultType().getId())) {
            throw new CinderException(400, "The volume type " + typeId + " is a default volume type and cannot be "
                    + "deleted.");
        }
        if (volumes.countByVolumeTypeIdAndDeletedFalse(type.getId()) > 0
                || groups.countLiveGroupsWithVolumeType(type.getId()) > 0) {
            throw new CinderException(400, "Target volume type is still in use.");
        }
        type.setDeleted(true);
        type.setDeletedAt(Clock.now());
        type.setQosSpecsId(null);
        types.saveAndFlush(type);
        LOG.info("[{}] Volume type {} deleted", req.context().requestId(), typeId);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    @GetMapping({"/v3/{projectId}/types/{typeId}/extra_specs", "/v3/types/{typeId}/extra_specs"})
    public Map<String, Object> listSpecs(ApiRequest req, @PathVariable String typeId) {
        policy.authorize(req, TypePolicies.SPECS_INDEX);
        VolumeTypeEntity type = lookup.byIdFor(req.context(), typeId);
        return Map.of("extra_specs", views.visibleSpecs(req, type.getExtraSpecs()));
    }

    @PostMapping({"/v3/{projectId}/types/{typeId}/extra_specs", "/v3/types/{typeId}/extra_specs"})
    @Transactional
    public Map<String, Object> setSpecs(ApiRequest req, @PathVariable String typeId, @RequestBody JsonNode body) {
        if (body == null || !body.isObject()) {
            throw JsonBody.bad("The request body must be a JSON object.");
        }
        if (body.get("extra_specs") == null) {
            throw JsonBody.bad("'extra_specs' is a required property");
        }
        JsonBody.of(body).allowOnly(Set.of("extra_specs"));
        Map<String, String> specs = SpecMaps.parse("extra_specs", body.get("extra_specs"), SpecMaps.KEYS_NO_SPACES);
        policy.authorize(req, TypePolicies.SPECS_CREATE);
        refuseWhileInUse(typeId);
        VolumeTypeEntity type = lookup.byIdFor(req.context(), typeId);
        refuseCacheableWithMultiattach(specs, type.getExtraSpecs());
        type.getExtraSpecs().putAll(specs);
        type.setUpdatedAt(Clock.now());
        types.saveAndFlush(type);
        LOG.info("[{}] Extra specs {} set on volume type {}", req.context().requestId(), specs.keySet(), typeId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("extra_specs", specs);
        return out;
    }

    @GetMapping({"/v3/{projectId}/types/{typeId}/extra_specs/{key}", "/v3/types/{typeId}/extra_specs/{key}"})
    public Map<String, Object> showSpec(ApiRequest req, @PathVariable String typeId, @PathVariable String key) {
        policy.authorize(req, TypePolicies.SPECS_SHOW);
        VolumeTypeEntity type = lookup.byIdFor(req.context(), typeId);
        Map<String, String> visible = views.visibleSpecs(req, type.getExtraSpecs());
        if (!visible.containsKey(key)) {
            throw new NotFoundException("Volume Type " + typeId + " has no extra specs with key " + key + ".");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(key, visible.get(key));
        return out;
    }

    @PutMapping({"/v3/{projectId}/types/{typeId}/extra_specs/{key}", "/v3/types/{typeId}/extra_specs/{key}"})
    @Transactional
    public Map<String, Object> updateSpec(ApiRequest req, @PathVariable String typeId, @PathVariable String key,
                                          @RequestBody JsonNode body) {
        Map<String, String> spec = SpecMaps.parse("", body, SpecMaps.KEYS_NO_SPACES);
        if (spec.size() > 1) {
            throw JsonBody.bad(body + " has too many properties");
        }
        if (spec.isEmpty()) {
            throw JsonBody.bad("{} does not have enough properties");
        }
        policy.authorize(req, TypePolicies.SPECS_UPDATE);
        refuseWhileInUse(typeId);
        VolumeTypeEntity type = lookup.byIdFor(req.context(), typeId);
        if (!spec.containsKey(key)) {
            throw new CinderException(400, "Request body and URI mismatch");
        }
        type.getExtraSpecs().put(key, spec.get(key));
        type.setUpdatedAt(Clock.now());
        types.saveAndFlush(type);
        LOG.info("[{}] Extra spec {} updated on volume type {}", req.context().requestId(), key, typeId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(key, spec.get(key));
        return out;
    }

    @DeleteMapping({"/v3/{projectId}/types/{typeId}/extra_specs/{key}", "/v3/types/{typeId}/extra_specs/{key}"})
    @Transactional
    public ResponseEntity<Void> deleteSpec(ApiRequest req, @PathVariable String typeId, @PathVariable String key) {
        VolumeTypeEntity type = lookup.byIdFor(req.context(), typeId);
        policy.authorize(req, TypePolicies.SPECS_DELETE);
        refuseWhileInUse(typeId);
        if (!type.getExtraSpecs().containsKey(key)) {
            throw new NotFoundException("Volume Type " + typeId + " has no extra specs with key " + key + ".");
        }
        type.getExtraSpecs().remove(key);
        type.setUpdatedAt(Clock.now());
        types.saveAndFlush(type);
        LOG.info("[{}] Extra spec {} deleted from volume type {}", req.context().requestId(), key, typeId);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    /** Cinder refuses extra spec changes while any volume (of any project) has the type. */
    private void refuseWhileInUse(String typeId) {
        if (volumes.countByVolumeTypeIdAndDeletedFalse(typeId) > 0) {
            throw new CinderException(400, "Volume Type is currently in use.");
        }
    }

    private static void refuseCacheableWithMultiattach(Map<String, String> specs, Map<String, String> existing) {
        String isTrue = "<is> True";
        boolean cacheable = isTrue.equals(specs.get("cacheable"));
        boolean multiattach = isTrue.equals(specs.get("multiattach"));
        if ((multiattach && isTrue.equals(existing.get("cacheable")))
                || (cacheable && isTrue.equals(existing.get("multiattach"))) || (cacheable && multiattach)) {
            throw new CinderException(400, "cacheable cannot be set with multiattach.");
        }
    }

    /** Cinder's {@code parameter_types.boolean} (bool or one of its strings), then a strict conversion. */
    public static Boolean strictBoolean(JsonBody body, String key) {
        JsonNode v = body.node().get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isString()) {
            String s = v.stringValue().toLowerCase(Locale.ROOT);
            if (TRUE.contains(s)) {
                return true;
            }
            if (FALSE.contains(s)) {
                return false;
            }
        }
        throw new CinderException(400, "Invalid input for field/attribute " + key + ". Value: "
                + (v.isString() ? v.stringValue() : v.toString()) + ". " + v + " is not one of [True, 'True', "
                + "'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', 'y', 't', False, 'False', 'FALSE', "
                + "'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no', 'n', 'f']");
    }
}
