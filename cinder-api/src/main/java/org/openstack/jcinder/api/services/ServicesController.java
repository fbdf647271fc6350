package org.openstack.jcinder.api.services;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.volumes.VolumeViews;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.db.ServiceEntity;
import org.openstack.jcinder.common.db.ServiceRepository;
import org.openstack.jcinder.common.exception.InvalidInputException;
import org.openstack.jcinder.common.service.ServiceRegistry;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

/**
 * Cinder's {@code os-services}: the list (schedulers and volume backends, up/down from their heartbeats, with the
 * fields of each microversion) and the operator's actions {@code enable}, {@code disable},
 * {@code disable-log-reason}, {@code freeze} and {@code thaw}.
 */
@RestController
public class ServicesController {

    /** Cinder's CLUSTER_SUPPORT, REPLICATION_CLUSTER and BACKEND_STATE_REPORT microversions. */
    private static final int CLUSTER_SUPPORT = 7;
    private static final int REPLICATION_CLUSTER = 26;
    private static final int BACKEND_STATE_REPORT = 49;

    private final ServiceRepository services;
    private final ServiceRegistry registry;
    private final ServiceSwitches switches;
    private final PolicyEnforcer policy;

    public ServicesController(ServiceRepository services, ServiceRegistry registry, ServiceSwitches switches,
                              PolicyEnforcer policy) {
        this.services = services;
        this.registry = registry;
        this.switches = switches;
        this.policy = policy;
    }

    @GetMapping({"/v3/{projectId}/os-services", "/v3/os-services"})
    public Map<String, Object> list(ApiRequest req, @RequestParam(required = false) String host,
                                    @RequestParam(required = false) String binary) {
        policy.authorize(req, ServicePolicies.GET_ALL);
        List<Map<String, Object>> out = services.findByDeletedFalseOrderById().stream()
                .filter(s -> host == null || s.getHost().equals(host) || s.getHost().startsWith(host + "@")
                        || s.getHost().startsWith(host + "#"))
                .filter(s -> binary == null || s.getBinaryName().equals(binary))
                .map(s -> view(req, s)).toList();
        return Map.of("services", out);
    }

    @PutMapping({"/v3/{projectId}/os-services/{action}", "/v3/os-services/{action}"})
    public ResponseEntity<Map<String, Object>> update(ApiRequest req, @PathVariable String action,
                                                      @RequestBody(required = false) JsonNode body) {
        policy.authorize(req, ServicePolicies.UPDATE);
        String requestId = req.context().requestId();
        switch (action) {
            case "enable", "disable" -> {
                boolean disable = action.equals("disable");
                ServiceBody b = ServiceBody.enableOrDisable(body, false);
                switches.setDisabled(requestId, b.host(), binaryKey(b), disable, null);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("disabled", disable);
                out.put("host", b.host());
                out.put("service", b.service());
                out.put("binary", b.binary());
                out.put("status", disable ? "disabled" : "enabled");
                return ResponseEntity.ok(out);
            }
            case "disable-log-reason" -> {
                ServiceBody b = ServiceBody.enableOrDisable(body, true);
                switches.setDisabled(requestId, b.host(), binaryKey(b), true, b.disabledReason());
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("disabled_reason", b.disabledReason());
                out.put("disabled", true);
                out.put("host", b.host());
                out.put("service", b.service());
                out.put("binary", b.binary());
                out.put("status", "disabled");
                return ResponseEntity.ok(out);
            }
            case "freeze", "thaw" -> {
                boolean freeze = action.equals("freeze");
                ServiceBody b = ServiceBody.freezeOrThaw(body, req.version().atLeast(REPLICATION_CLUSTER));
                policy.authorize(req, freeze ? ServicePolicies.FREEZE : ServicePolicies.THAW);
                switches.setFrozen(requestId, b.host(), b.cluster(), freeze);
                // Cinder answers 200 without a body.
                return ResponseEntity.ok().build();
            }
            default -> throw new InvalidInputException("Unknown action");
        }
    }

    /** Cinder: {@code binary} takes precedence over the deprecated {@code service} key. */
    private static String binaryKey(ServiceBody b) {
        return b.binary().isEmpty() ? b.service() : b.binary();
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
        if (volume && req.version().atLeast(BACKEND_STATE_REPORT)) {
            m.put("backend_state", up && s.getBackendStateReason() == null ? "up" : "down");
        }
        if (req.version().atLeast(CLUSTER_SUPPORT)) {
            m.put("cluster", s.getClusterName());
        }
        m.put("disabled_reason", s.getDisabledReason());
        if (volume) {
            m.put("replication_status", "disabled");
            m.put("active_backend_id", null);
            m.put("frozen", s.isFrozen());
        }
        return m;
    }
}
