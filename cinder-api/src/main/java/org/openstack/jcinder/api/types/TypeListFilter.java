package org.openstack.jcinder.api.types;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.db.VolumeTypeEntity;
import org.openstack.jcinder.common.exception.CinderException;

import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The filters of {@code GET /types}, as Cinder reads them: paging and sorting keys aside, non-admins may only
 * use {@code is_public} (forced to "public or shared with my project") and, from 3.52, {@code extra_specs}
 * (unknown filters are dropped before 3.52 and refused from 3.52). Admins may filter on the type's columns
 * ({@code name}, {@code description}, {@code id}, {@code qos_specs_id}) and {@code extra_specs}; a filter on
 * anything else matches nothing, as Cinder's model check does.
 *
 * @param isPublic  true: public or shared with the caller's project; false: private only; null: all
 * @param columns   exact matches on columns
 * @param extraSpecs exact matches on extra specs ({@code RESKEY:availability_zones} matches a substring)
 * @param nothing   the filters cannot match any type
 */
record TypeListFilter(Boolean isPublic, Map<String, String> columns, Map<String, String> extraSpecs,
                      boolean nothing) {

    private static final Set<String> PAGING = Set.of("marker", "limit", "offset", "sort", "sort_key", "sort_dir");
    private static final Set<String> COLUMNS = Set.of("name", "description", "id", "qos_specs_id");
    private static final Set<String> OTHER_MODEL_FIELDS = Set.of("created_at", "updated_at", "deleted",
            "deleted_at", "is_public");
    private static final JsonMapper LENIENT = JsonMapper.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .build();

    static TypeListFilter parse(ApiRequest req, boolean admin, Map<String, String> query,
                                boolean readsSensitiveSpecs) {
        Map<String, String> filters = new LinkedHashMap<>(query);
        PAGING.forEach(filters::remove);
        if (!admin) {
            if (req.version().atLeast(52)) {
                Set<String> invalid = new TreeSet<>(filters.keySet());
                invalid.removeAll(Set.of("is_public", "extra_specs"));
                if (!invalid.isEmpty()) {
                    throw new CinderException(400, "Invalid filters " + String.join(",", invalid)
                            + " are found in query options.");
                }
            } else {
                filters.keySet().retainAll(Set.of("is_public"));
            }
        }
        Boolean isPublic = admin ? VolumeTypesController.parseIsPublic(filters.get("is_public")) : Boolean.TRUE;
        filters.remove("is_public");
        Map<String, String> specs = Map.of();
        String specsFilter = filters.remove("extra_specs");
        if (specsFilter != null) {
            specs = parseSpecs(specsFilter);
        }
        boolean nothing = false;
        Map<String, String> columns = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : filters.entrySet()) {
            if (COLUMNS.contains(f.getKey())) {
                columns.put(f.getKey(), f.getValue());
            } else if (!OTHER_MODEL_FIELDS.contains(f.getKey())) {
                nothing = true;
            }
        }
        // An unauthorized caller filtering on a sensitive spec gets nothing rather than a misleading answer.
        if (!readsSensitiveSpecs && !TypePolicies.USER_VISIBLE_EXTRA_SPECS.containsAll(specs.keySet())) {
            nothing = true;
        }
        return new TypeListFilter(isPublic, columns, specs, nothing);
    }

    /** Cinder evaluates the filter as a Python dict literal: {@code {'multiattach': '<is> True'}}. */
    private static Map<String, String> parseSpecs(String text) {
        JsonNode node;
        try {
            node = LENIENT.readTree(text);
        } catch (RuntimeException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw new CinderException(400, "Invalid input received: extra_specs filter must be a dictionary, "
                    + "not " + text);
        }
        Map<String, String> out = new LinkedHashMap<>();
        node.properties().forEach(e -> out.put(e.getKey(), e.getValue().isString() ? e.getValue().stringValue()
                : e.getValue().toString()));
        return out;
    }

    boolean matches(VolumeTypeEntity t, String project) {
        if (nothing) {
            return false;
        }
        if (isPublic != null
                && !(isPublic ? t.isIsPublic() || t.getProjects().contains(project) : !t.isIsPublic())) {
            return false;
        }
        for (Map.Entry<String, String> c : columns.entrySet()) {
            String value = switch (c.getKey()) {
                case "name" -> t.getName();
                case "description" -> t.getDescription();
                case "id" -> t.getId();
                default -> t.getQosSpecsId();
            };
            if (!c.getValue().equals(value)) {
                return false;
            }
        }
        for (Map.Entry<String, String> s : extraSpecs.entrySet()) {
            String value = t.getExtraSpecs().get(s.getKey());
            boolean ok = s.getKey().equals("RESKEY:availability_zones")
                    ? value != null && value.contains(s.getValue()) : s.getValue().equals(value);
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
