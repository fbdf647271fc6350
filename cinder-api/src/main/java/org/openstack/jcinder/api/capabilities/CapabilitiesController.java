package org.openstack.jcinder.api.capabilities;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.capability.BackendCapabilities;
import org.openstack.jcinder.common.db.ServiceEntity;
import org.openstack.jcinder.common.db.ServiceRepository;
import org.openstack.jcinder.common.exception.NotFoundException;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.service.ServiceRegistry;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.json.JsonMapper;

/**
 * Cinder's {@code GET /capabilities/{host}}: what a volume backend reports about itself, in Cinder's view. The
 * backend's last capability report (stored with its heartbeat) answers, rather than a call to the backend: both
 * carry the same driver statistics.
 */
@RestController
public class CapabilitiesController {

    /** The standard properties every Cinder driver declares ({@code _init_standard_capabilities}). */
    private static final Map<String, Map<String, String>> STANDARD_PROPERTIES = standardProperties();

    private final ServiceRepository services;
    private final JsonMapper mapper;
    private final PolicyEnforcer policy;

    public CapabilitiesController(ServiceRepository services, JsonMapper mapper, PolicyEnforcer policy) {
        this.services = services;
        this.mapper = mapper;
        this.policy = policy;
    }

    @GetMapping({"/v3/{projectId}/capabilities/{host}", "/v3/capabilities/{host}"})
    public Map<String, Object> show(ApiRequest req, @PathVariable String host) {
        policy.authorize(req, CapabilityPolicies.CAPABILITIES);
        // Cinder's host_or_cluster filter at backend level: the backend itself, or a cluster name.
        List<ServiceEntity> found = services.findByBinaryNameAndDeletedFalse(ServiceRegistry.VOLUME_BINARY).stream()
                .filter(s -> matches(s.getHost(), host) || matches(s.getClusterName(), host))
                .toList();
        if (found.isEmpty()) {
            throw new NotFoundException("Can't find service: " + host);
        }
        ServiceEntity service = found.get(0);
        String topic = service.getClusterName() != null ? service.getClusterName() : service.getHost();
        if (service.getCapabilities() == null) {
            // Cinder's RPCTimeout (502): what it answers when the backend does not answer its get_capabilities call.
            throw new CinderException(502, "Timeout while requesting capabilities from backend " + topic + ".");
        }
        BackendCapabilities caps = mapper.readValue(service.getCapabilities(), BackendCapabilities.class);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("namespace", "OS::Storage::Capabilities::" + topic);
        view.put("vendor_name", caps.vendorName());
        view.put("volume_backend_name", caps.volumeBackendName());
        view.put("pool_name", null);
        view.put("driver_version", caps.driverVersion());
        view.put("storage_protocol", caps.storageProtocol());
        view.put("display_name", null);
        view.put("description", null);
        view.put("visibility", null);
        view.put("replication_targets", List.of());
        view.put("properties", STANDARD_PROPERTIES);
        return view;
    }

    /**
     * Cinder's {@code _filter_host} at the level the value implies: {@code a@b#c} exactly, {@code a@b} itself or
     * its pools, {@code a} itself, its backends or its pools.
     */
    static boolean matches(String field, String value) {
        if (field == null) {
            return false;
        }
        if (field.equals(value)) {
            return true;
        }
        if (value.contains("#")) {
            return false;
        }
        return field.startsWith(value + "#") || (!value.contains("@") && field.startsWith(value + "@"));
    }

    private static Map<String, Map<String, String>> standardProperties() {
        Map<String, Map<String, String>> p = new LinkedHashMap<>();
        p.put("thin_provisioning", property("Thin Provisioning", "Sets thin provisioning."));
        p.put("compression", property("Compression", "Enables compression."));
        p.put("qos", property("QoS", "Enables QoS."));
        p.put("replication_enabled", property("Replication", "Enables replication."));
        return p;
    }

    private static Map<String, String> property(String title, String description) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("title", title);
        m.put("description", description);
        m.put("type", "boolean");
        return m;
    }
}
