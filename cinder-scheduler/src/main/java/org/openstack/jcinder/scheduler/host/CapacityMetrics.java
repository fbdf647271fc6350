package org.openstack.jcinder.scheduler.host;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.openstack.jcinder.common.capability.BackendCapabilities;
import org.openstack.jcinder.common.capability.PoolCapabilities;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Backend capacity as the capability reports give it, per backend and pool: {@code cinder.backend.capacity}
 * (total, free and provisioned GiB, tag {@code kind}) and {@code cinder.backend.up} (1 while the backend reports
 * itself up). Gauges read the latest report, so a scrape costs no query.
 */
@Component
public class CapacityMetrics {

    private final MeterRegistry registry;
    private final Map<String, PoolCapabilities> pools = new ConcurrentHashMap<>();
    private final Map<String, Boolean> up = new ConcurrentHashMap<>();

    public CapacityMetrics(ObjectProvider<MeterRegistry> registry) {
        this.registry = registry.getIfAvailable(() -> Metrics.globalRegistry);
    }

    void report(BackendCapabilities report) {
        String backend = report.serviceHost();
        if (up.put(backend, report.up()) == null) {
            Gauge.builder("cinder.backend.up", up, m -> Boolean.TRUE.equals(m.get(backend)) ? 1 : 0)
                    .description("1 while the backend reports itself up").tag("backend", backend)
                    .register(registry);
        }
        for (PoolCapabilities pool : report.pools()) {
            String key = backend + "#" + pool.poolName();
            if (pools.put(key, pool) == null) {
                gauge(backend, pool.poolName(), key, "total", PoolCapabilities::totalCapacityGb);
                gauge(backend, pool.poolName(), key, "free", PoolCapabilities::freeCapacityGb);
                gauge(backend, pool.poolName(), key, "provisioned", PoolCapabilities::provisionedCapacityGb);
            }
        }
    }

    private void gauge(String backend, String pool, String key, String kind, ToDoubleFunction<PoolCapabilities> f) {
        Gauge.builder("cinder.backend.capacity", pools, m -> {
            PoolCapabilities p = m.get(key);
            return p == null ? Double.NaN : f.applyAsDouble(p);
        }).baseUnit("gibibytes").description("Pool capacity from the backend's last capability report")
                .tags("backend", backend, "pool", pool, "kind", kind).register(registry);
    }
}
