package org.openstack.jcinder.api.hosts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.volumes.VolumeViews;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.db.ServiceEntity;
import org.openstack.jcinder.common.db.ServiceRepository;
import org.openstack.jcinder.common.db.UsageRepository;
import org.openstack.jcinder.common.exception.NotFoundException;
import org.openstack.jcinder.common.service.ServiceRegistry;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Cinder's (deprecated) {@code os-hosts}: the enabled services with their availability, and for one volume host
 * the volumes and snapshots it holds, in total and per project (counts and sizes as strings, as Cinder's).
 */
@RestController
public class HostsController {

    private final ServiceRepository services;
    private final ServiceRegistry registry;
    private final UsageRepository usage;
    private final PolicyEnforcer policy;

    public HostsController(ServiceRepository services, ServiceRegistry registry, UsageRepository usage,
                           PolicyEnforcer policy) {
        this.services = services;
        this.registry = registry;
        this.usage = usage;
        this.policy = policy;
    }

    @GetMapping({"/v3/{projectId}/os-hosts", "/v3/os-hosts"})
    public Map<String, Object> list(ApiRequest req, @RequestParam(required = false) String zone) {
        policy.authorize(req, HostPolicies.MANAGE);
        List<Map<String, Object>> hosts = new ArrayList<>();
        for (ServiceEntity s : services.findByDeletedFalseOrderById()) {
            if (s.isDisabled() || (zone != null && !zone.isEmpty() && !zone.equals(s.getAvailabilityZone()))) {
                continue;
            }
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("host_name", s.getHost());
            h.put("service", s.getTopic());
            h.put("zone", s.getAvailabilityZone());
            h.put("service-status", registry.isUp(s) ? "available" : "unavailable");
            h.put("service-state", s.isDisabled() ? "disabled" : "enabled");
            h.put("last-update", VolumeViews.time(s.getUpdatedAt()));
            hosts.add(h);
        }
        return Map.of("hosts", hosts);
    }

    @GetMapping({"/v3/{projectId}/os-hosts/{host}", "/v3/os-hosts/{host}"})
    public Map<String, Object> show(ApiRequest req, @PathVariable String host) {
        policy.authorize(req, HostPolicies.MANAGE);
        // Cinder's Service.get_by_host_and_topic(host, "cinder-volume", disabled=False), host matching backends.
        ServiceEntity service = services.findByBinaryNameAndDeletedFalse(ServiceRegistry.VOLUME_BINARY).stream()
                .filter(s -> !s.isDisabled())
                .filter(s -> s.getHost().equals(host) || s.getHost().startsWith(host + "@")
                        || s.getHost().startsWith(host + "#"))
                .findFirst()
                .orElseThrow(() -> new NotFoundException("Service " + ServiceRegistry.VOLUME_BINARY
                        + " could not be found on host " + host + "."));
        String backend = service.getHost();
        Map<String, long[]> volumes = byProject(usage.volumesOnHostByProject(backend, backend + "#%"));
        Map<String, long[]> snapshots = byProject(usage.snapshotsOnHostByProject(backend, backend + "#%"));
        long[] volumeTotal = total(volumes);
        long[] snapshotTotal = {0, 0};
        List<Map<String, Object>> resources = new ArrayList<>();
        resources.add(null); // the "(total)" row, filled in last as Cinder does
        for (Map.Entry<String, long[]> e : volumes.entrySet()) {
            long[] snap = snapshots.getOrDefault(e.getKey(), new long[] {0, 0});
            resources.add(resource(host, e.getKey(), e.getValue(), snap));
            snapshotTotal[0] += snap[0];
            snapshotTotal[1] += snap[1];
        }
        resources.set(0, resource(host, "(total)", volumeTotal, snapshotTotal));
        return Map.of("host", resources);
    }

    private static Map<String, Object> resource(String host, String project, long[] volumes, long[] snapshots) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("host", host);
        r.put("project", project);
        r.put("volume_count", String.valueOf(volumes[0]));
        r.put("total_volume_gb", String.valueOf(volumes[1]));
        r.put("snapshot_count", String.valueOf(snapshots[0]));
        r.put("total_snapshot_gb", String.valueOf(snapshots[1]));
        return Map.of("resource", r);
    }

    private static Map<String, long[]> byProject(List<Object[]> rows) {
        Map<String, long[]> out = new TreeMap<>();
        for (Object[] row : rows) {
            out.put((String) row[0], new long[] {((Number) row[1]).longValue(), ((Number) row[2]).longValue()});
        }
        return out;
    }

    private static long[] total(Map<String, long[]> byProject) {
        long[] t = {0, 0};
        byProject.values().forEach(v -> {
            t[0] += v[0];
            t[1] += v[1];
        });
        return t;
    }
}
