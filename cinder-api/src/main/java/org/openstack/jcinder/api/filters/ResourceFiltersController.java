package org.openstack.jcinder.api.filters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.exception.NotFoundException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Cinder's {@code GET /resource_filters} (3.33+): the query filters a non-admin may use on each list, Cinder's
 * default {@code resource_filters.json}. An unknown {@code resource} lists nothing, as in Cinder.
 */
@RestController
public class ResourceFiltersController {

    /** Cinder's RESOURCE_FILTER_CONFIG microversion. */
    private static final int RESOURCE_FILTER_CONFIG = 33;

    static final Map<String, List<String>> DEFAULTS = defaults();

    private static Map<String, List<String>> defaults() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("volume", List.of("name", "status", "metadata", "bootable", "migration_status", "availability_zone",
                "group_id", "size", "created_at", "updated_at", "consumes_quota"));
        m.put("backup", List.of("name", "status", "volume_id"));
        m.put("snapshot", List.of("name", "status", "volume_id", "metadata", "availability_zone", "consumes_quota"));
        m.put("group", List.of("name"));
        m.put("group_snapshot", List.of("name", "status", "group_id"));
        m.put("attachment", List.of("volume_id", "status", "instance_id", "attach_status"));
        m.put("message", List.of("resource_uuid", "resource_type", "event_id", "request_id", "message_level"));
        m.put("pool", List.of("name", "volume_type"));
        m.put("volume_type", List.of("is_public", "extra_specs"));
        return m;
    }

    @GetMapping({"/v3/{projectId}/resource_filters", "/v3/resource_filters"})
    public Map<String, Object> list(ApiRequest req, @RequestParam(required = false) String resource) {
        if (!req.version().atLeast(RESOURCE_FILTER_CONFIG)) {
            throw new NotFoundException("The resource could not be found.");
        }
        List<Map<String, Object>> out = DEFAULTS.entrySet().stream()
                .filter(e -> resource == null || resource.isEmpty() || e.getKey().equals(resource))
                .map(e -> Map.<String, Object>of("resource", e.getKey(), "filters", e.getValue()))
                .toList();
        return Map.of("resource_filters", out);
    }
}
