package org.openstack.jcinder.api.services;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openstack.jcinder.api.volumes.VolumeViews;
import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.db.ServiceEntity;
import org.openstack.jcinder.common.db.ServiceRepository;
import org.openstack.jcinder.common.service.ServiceRegistry;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v3/[project/]os-services}: schedulers and volume backends with up/down from their heartbeats. */
@RestController
public class ServicesController {

    private final ServiceRepository services;
    private final ServiceRegistry registry;

    private final PolicyEnforcer policy;

    public ServicesController(ServiceRepository services, ServiceRegistry registry, PolicyEnforcer policy) {
        this.policy = policy;
        this.services = services;
        this.registry = registry;
    }

    @GetMapping({"/v3/{projectId}/os-services", "/v3/os-services"})
    public Map<String, Object> list(ApiRequest req, @RequestParam(required = false) String host,
                                    @RequestParam(required = false) String binary) {
        policy.authorize(req, ServicePolicies.GET_ALL);
        List<Map<String, Object>> out = services.findByDeletedFalseOrderById().stream()
                .filter(s -> host == null || s.getHost().equals(host) || s.getHost().startsWith(host + "@"))
                .filter(s -> binary == null || s.getBinaryName().equals(binary))
                .map(s -> view(req, s)).toList();
        return Map.of("services", out);
    }

    private Map<String, Object> view(ApiRequest req, ServiceEntity s) {
        boolean up = registry.isUp(s);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("binary", s.getBinaryName());
        m.put("host", s.getHost());
        m.put("zone", s.getAvailabilityZone());
        m.put("status", s.isDisabled() ? "disabled" : "enabled");
        m.put("state", up ? "up" : "down");
        m.put("updated_at", VolumeViews.time(s.getUpdatedAt()));
        boolean volume = ServiceRegistry.VOLUME_BINARY.equals(s.getBinaryName());
        if (volume && req.version().atLeast(49)) {
            m.put("backend_state", up && s.getBackendStateReason() == null ? "up" : "down");
        }
        if (req.version().atLeast(7)) {
            m.put("cluster", s.getClusterName());
        }
        m.put("disabled_reason", s.getDisabledReason());
        if (volume) {
            m.put("replication_status", "disabled");
            m.put("active_backend_id", null);
            m.put("frozen", false);
        }
        return m;
    }
}
