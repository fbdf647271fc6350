package org.openstack.jcinder.api.zones;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.db.ServiceEntity;
import org.openstack.jcinder.common.db.ServiceRepository;
import org.openstack.jcinder.common.service.ServiceRegistry;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Cinder's {@code os-availability-zone}: the zones of the volume services, a zone available while at least one
 * of its volume services is enabled (Cinder's rule; whether it is up does not count). No policy, as in Cinder.
 */
@RestController
public class AvailabilityZonesController {

    private final ServiceRepository services;

    public AvailabilityZonesController(ServiceRepository services) {
        this.services = services;
    }

    @GetMapping({"/v3/{projectId}/os-availability-zone", "/v3/os-availability-zone"})
    public Map<String, Object> list(ApiRequest req) {
        Map<String, Boolean> available = new LinkedHashMap<>();
        for (ServiceEntity s : services.findByBinaryNameAndDeletedFalse(ServiceRegistry.VOLUME_BINARY)) {
            available.merge(s.getAvailabilityZone(), !s.isDisabled(), Boolean::logicalOr);
        }
        List<Map<String, Object>> zones = available.entrySet().stream()
                .map(e -> Map.<String, Object>of("zoneName", e.getKey(), "zoneState",
                        Map.of("available", e.getValue())))
                .toList();
        return Map.of("availabilityZoneInfo", zones);
    }
}
