package org.openstack.jcinder.scheduler.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.openstack.jcinder.common.capability.BackendCapabilities;
import org.openstack.jcinder.common.capability.PoolCapabilities;
import org.openstack.jcinder.common.db.ServiceEntity;
import org.openstack.jcinder.common.db.ServiceRepository;
import org.openstack.jcinder.common.service.ServiceRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/**
 * Backend state built from capability reports. Reports arrive over the fanout exchange; at start-up the last
 * report of every backend is read back from the services table so a restarted scheduler can place at once.
 * Only backends whose service is up, enabled and reporting itself up are offered to the filters.
 */
@Component
public class HostManager {

    private static final Logger LOG = LoggerFactory.getLogger(HostManager.class);

    private record Entry(BackendCapabilities capabilities, Map<String, Double> consumedByPool) {
    }

    private final Map<String, Entry> backends = new ConcurrentHashMap<>();
    private final ServiceRepository services;
    private final ServiceRegistry registry;
    private final JsonMapper mapper;
    private final CapacityMetrics capacity;

    public HostManager(ServiceRepository services, ServiceRegistry registry, JsonMapper mapper,
                       CapacityMetrics capacity) {
        this.capacity = capacity;
        this.services = services;
        this.registry = registry;
        this.mapper = mapper;
    }

    public void update(BackendCapabilities report) {
        Entry previous = backends.put(report.serviceHost(), new Entry(report, new ConcurrentHashMap<>()));
        capacity.report(report);
        if (previous == null || previous.capabilities().up() != report.up()) {
            LOG.info("Backend {} reports itself {}{}", report.serviceHost(), report.up() ? "up" : "down",
                    report.up() ? "" : ": " + report.stateReason());
        }
    }

    /** Reads the last stored report of every volume service (used when the scheduler starts). */
    public void loadFromDatabase() {
        for (ServiceEntity s : services.findByBinaryNameAndDeletedFalse(ServiceRegistry.VOLUME_BINARY)) {
            if (s.getCapabilities() != null && !backends.containsKey(s.getHost())) {
                try {
                    update(mapper.readValue(s.getCapabilities(), BackendCapabilities.class));
                } catch (RuntimeException e) {
                    LOG.warn("Ignoring unreadable stored capabilities of {}: {}", s.getHost(), e.getMessage());
                }
            }
        }
    }

    /** Pools of backends whose service is up and enabled, with what was placed since their last report. */
    public List<PoolState> usablePools() {
        List<PoolState> out = new ArrayList<>();
        for (ServiceEntity s : services.findByBinaryNameAndDeletedFalse(ServiceRegistry.VOLUME_BINARY)) {
            Entry e = backends.get(s.getHost());
            if (e == null || s.isDisabled() || !registry.isUp(s) || !e.capabilities().up()) {
                continue;
            }
            for (PoolCapabilities pool : e.capabilities().pools()) {
                out.add(new PoolState(e.capabilities(), pool, s.getUuid(),
                        e.consumedByPool().getOrDefault(pool.poolName(), 0.0)));
            }
        }
        return out;
    }

    /**
     * Every pool last reported by a volume service of this deployment (a row in its services table), whatever
     * that service's state: what get_pools lists. Reports from services unknown to this database (another
     * deployment on the same broker) are ignored, as Cinder's host manager does.
     */
    public List<PoolState> allPools() {
        List<PoolState> out = new ArrayList<>();
        for (ServiceEntity s : services.findByBinaryNameAndDeletedFalse(ServiceRegistry.VOLUME_BINARY)) {
            Entry e = backends.get(s.getHost());
            if (e == null) {
                continue;
            }
            for (PoolCapabilities pool : e.capabilities().pools()) {
                out.add(new PoolState(e.capabilities(), pool, s.getUuid(),
                        e.consumedByPool().getOrDefault(pool.poolName(), 0.0)));
            }
        }
        out.sort((a, b) -> a.location().toString().compareTo(b.location().toString()));
        return out;
    }

    /** Accounts a placement until the backend's next report shows it. */
    public void consume(PoolState pool, int sizeGb) {
        Entry e = backends.get(pool.backend().serviceHost());
        if (e != null) {
            e.consumedByPool().merge(pool.pool().poolName(), (double) sizeGb, Double::sum);
        }
    }
}
