package org.openstack.jcinder.api.types;

import java.util.LinkedHashMap;
import java.util.Map;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.db.VolumeTypeEntity;
import org.openstack.jcinder.shared.policy.PolicyTarget;
import org.springframework.stereotype.Component;

/**
 * Volume type JSON as Cinder shapes it. List and show use the v3 view builder (extra specs, trimmed to the
 * user-visible ones for non-admins, and {@code qos_specs_id} only where the policies allow); create and update
 * use the older view builder (id, name, is_public, extra_specs, description). The volume type access extension
 * adds {@code os-volume-type-access:is_public} to list, show and create, never to update.
 */
@Component
public class TypeViews {

    private final PolicyEnforcer policy;

    public TypeViews(PolicyEnforcer policy) {
        this.policy = policy;
    }

    /** The list/show form of one type. */
    public Map<String, Object> show(ApiRequest req, VolumeTypeEntity t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.getId());
        m.put("name", t.getName());
        m.put("is_public", t.isIsPublic());
        m.put("description", t.getDescription());
        if (allows(req, TypePolicies.EXTRA_SPECS_FIELD)) {
            m.put("extra_specs", visibleSpecs(req, t.getExtraSpecs()));
        }
        if (allows(req, TypePolicies.QOS_ID)) {
            m.put("qos_specs_id", t.getQosSpecsId());
        }
        if (allows(req, TypePolicies.ACCESS_FIELD)) {
            m.put("os-volume-type-access:is_public", t.isIsPublic());
        }
        return m;
    }

    /** The create ({@code withAccessField}) and update form. */
    public Map<String, Object> manage(ApiRequest req, VolumeTypeEntity t, boolean withAccessField) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.getId());
        m.put("name", t.getName());
        m.put("is_public", t.isIsPublic());
        m.put("extra_specs", new LinkedHashMap<>(t.getExtraSpecs()));
        m.put("description", t.getDescription());
        if (withAccessField && allows(req, TypePolicies.ACCESS_FIELD)) {
            m.put("os-volume-type-access:is_public", t.isIsPublic());
        }
        return m;
    }

    /** All extra specs for those allowed to read sensitive ones, else only Cinder's user-visible keys. */
    public Map<String, String> visibleSpecs(ApiRequest req, Map<String, String> specs) {
        Map<String, String> out = new LinkedHashMap<>();
        boolean all = allows(req, TypePolicies.SPECS_READ_SENSITIVE);
        specs.forEach((k, v) -> {
            if (all || TypePolicies.USER_VISIBLE_EXTRA_SPECS.contains(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private boolean allows(ApiRequest req, String rule) {
        return policy.allows(req, rule, PolicyTarget.project(req.projectId()));
    }
}
