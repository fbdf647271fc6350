package org.openstack.jcinder.api.groups;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.types.SpecMaps;
import org.openstack.jcinder.api.types.VolumeTypesController;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.api.web.ListQuery;
import org.openstack.jcinder.common.config.CinderConfig;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

/**
 * {@code /v3/[project/]group_types} (microversion 3.11): group types with Cinder's rules (changes admin-only),
 * its visibility (non-admins see public types only) and its view (specs shown to whom
 * {@code group:access_group_types_specs} allows).
 */
@RestController
public class GroupTypesController {

    private static final Logger LOG = LoggerFactory.getLogger(GroupTypesController.class);

    private static final Map<String, Function<GroupTypeEntity, Object>> COLUMNS = Map.of(
            "id", GroupTypeEntity::getId,
            "name", GroupTypeEntity::getName,
            "description", GroupTypeEntity::getDescription,
            "is_public", GroupTypeEntity::isIsPublic,
            "created_at", GroupTypeEntity::getCreatedAt,
            "updated_at", GroupTypeEntity::getUpdatedAt,
            "deleted", GroupTypeEntity::isDeleted,
            "deleted_at", GroupTypeEntity::getDeletedAt);

    private final GroupTypeRepository types;
    private final GroupTypeLookup lookup;
    private final PolicyEnforcer policy;
    private final CinderConfig config;

    public GroupTypesController(GroupTypeRepository types, GroupTypeLookup lookup, PolicyEnforcer policy,
                                CinderConfig config) {
        this.types = types;
        this.lookup = lookup;
        this.policy = policy;
        this.config = config;
    }

    /**
     * Cinder's list: admins filter on {@code is_public} (absent: public only, "None": all), others see public
     * types only; sorted and paged as Cinder's lists (newest first by default).
     */
    @GetMapping({"/v3/{projectId}/group_types", "/v3/group_types"})
    public Map<String, Object> list(ApiRequest req, @RequestParam Map<String, String> params) {
        Versions.require(req, Versions.GROUP_TYPE);
        ListQuery<GroupTypeEntity> q = ListQuery.parse(params, COLUMNS, config.maxLimit());
        Boolean isPublic = policy.isAdmin(req) ? VolumeTypesController.parseIsPublic(params.get("is_public"))
                : Boolean.TRUE;
        List<GroupTypeEntity> rows = types.findByDeletedFalse().stream()
                .filter(t -> isPublic == null || t.isIsPublic() == isPublic).toList();
        List<Map<String, Object>> out = q.page(rows, GroupTypeEntity::getId,
                "Marker group type " + q.marker() + " could not be found.").stream().map(t -> view(req, t)).toList();
        return Map.of("group_types", out);
    }

    /** One type by id, or {@code default}: the type [DEFAULT] default_group_type names. */
    @GetMapping({"/v3/{projectId}/group_types/{typeId}", "/v3/group_types/{typeId}"})
    public Map<String, Object> show(ApiRequest req, @PathVariable String typeId) {
        Versions.require(req, Versions.GROUP_TYPE);
        GroupTypeEntity type;
        if (typeId.equals("default")) {
            String name = config.defaultGroupType();
            type = name == null ? null : types.findFirstByNameAndDeletedFalse(name).orElse(null);
            if (type == null) {
                throw new NotFoundException("Default group type can not be found.");
            }
        } else {
            type = lookup.visible(req, typeId);
        }
        return Map.of("group_type", view(req, type));
    }

    @PostMapping({"/v3/{projectId}/group_types", "/v3/group_types"})
    @Transactional
    public ResponseEntity<Map<String, Object>> create(ApiRequest req, @RequestBody JsonNode body) {
        Versions.require(req, Versions.GROUP_TYPE);
        JsonBody.of(body).allowOnly(Set.of("group_type"));
        JsonBody t = JsonBody.root(body, "group_type")
                .allowOnly(Set.of("name", "description", "is_public", "group_specs"));
        String name = t.requiredString("name", 1, 255).strip();
        String description = t.optionalString("description", 255);
        Boolean isPublic = VolumeTypesController.strictBoolean(t, "is_public");
        JsonNode specsNode = t.node().get("group_specs");
        Map<String, String> specs = specsNode == null || specsNode.isNull() ? Map.of()
                : SpecMaps.parse("group_type/group_specs", specsNode, SpecMaps.KEYS);
        policy.authorize(req, GroupPolicies.TYPE_CREATE);
        if (name.isEmpty()) {
            throw new CinderException(400, "Invalid input for field/attribute name. Value: . '' is too short");
        }
        if (types.findFirstByNameAndDeletedFalse(name).isPresent()) {
            throw new CinderException(409, "Group Type " + name + " already exists.");
        }
        GroupTypeEntity type = new GroupTypeEntity();
        type.setId(UUID.randomUUID().toString());
        type.setName(name);
        type.setDescription(description);
        type.setIsPublic(isPublic == null || isPublic);
        type.setCreatedAt(Clock.now());
        type.getGroupSpecs().putAll(specs);
        types.saveAndFlush(type);
        LOG.info("[{}] Group type {} ({}) created, public={}", req.context().requestId(), type.getId(), name,
                type.isIsPublic());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("group_type", view(req, type)));
    }

    @PutMapping({"/v3/{projectId}/group_types/{typeId}", "/v3/group_types/{typeId}"})
    @Transactional
    public Map<String, Object> update(ApiRequest req, @PathVariable String typeId, @RequestBody JsonNode body) {
        Versions.require(req, Versions.GROUP_TYPE);
        JsonBody.of(body).allowOnly(Set.of("group_type"));
        JsonBody t = JsonBody.root(body, "group_type").allowOnly(Set.of("name", "description", "is_public"));
        String name = t.optionalString("name", 255);
        String description = t.optionalString("description", 255);
        Boolean isPublic = VolumeTypesController.strictBoolean(t, "is_public");
        policy.authorize(req, GroupPolicies.TYPE_UPDATE);
        if (name != null && !name.isEmpty() && name.strip().isEmpty()) {
            throw new CinderException(400, "Group type name can not be empty.");
        }
        if (name == null && description == null && isPublic == null) {
            throw new CinderException(400, "Specify group type name, description or a combination thereof.");
        }
        GroupTypeEntity type = lookup.existing(typeId);
        // Cinder's update skips an empty name (it only renames on a non-empty one).
        if (name != null && !name.isEmpty() && !name.equals(type.getName())) {
            if (types.findFirstByNameAndDeletedFalse(name).isPresent()) {
                throw new CinderException(409, "Group Type " + name + " already exists.");
            }
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
        LOG.info("[{}] Group type {} updated", req.context().requestId(), typeId);
        return Map.of("group_type", view(req, type));
    }

    @DeleteMapping({"/v3/{projectId}/group_types/{typeId}", "/v3/group_types/{typeId}"})
    @Transactional
    public ResponseEntity<Void> delete(ApiRequest req, @PathVariable String typeId) {
        Versions.require(req, Versions.GROUP_TYPE);
        policy.authorize(req, GroupPolicies.TYPE_DELETE);
        GroupTypeEntity type = lookup.existing(typeId);
        if (types.countGroupsOfType(typeId) > 0) {
            throw new CinderException(400, "Target group type is still in use. Group Type " + typeId
                    + " deletion is not allowed with groups present with the type.");
        }
        type.setDeleted(true);
        type.setDeletedAt(Clock.now());
        types.saveAndFlush(type);
        LOG.info("[{}] Group type {} deleted", req.context().requestId(), typeId);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    /** Cinder's group type view: specs only for whom {@code group:access_group_types_specs} allows. */
    Map<String, Object> view(ApiRequest req, GroupTypeEntity t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.getId());
        m.put("name", t.getName());
        m.put("description", t.getDescription());
        m.put("is_public", t.isIsPublic());
        if (policy.allows(req, GroupPolicies.TYPE_SPECS_FIELD)) {
            m.put("group_specs", new LinkedHashMap<>(t.getGroupSpecs()));
        }
        return m;
    }
}
