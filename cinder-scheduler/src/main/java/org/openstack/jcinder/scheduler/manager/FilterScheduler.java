package org.openstack.jcinder.scheduler.manager;

import java.util.ArrayList;
import java.util.List;

import org.openstack.jcinder.common.exception.NoValidBackendException;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.scheduler.filter.BackendFilter;
import org.openstack.jcinder.scheduler.filter.RequestSpec;
import org.openstack.jcinder.scheduler.host.HostManager;
import org.openstack.jcinder.scheduler.host.PoolState;
import org.openstack.jcinder.scheduler.weigher.CapacityWeigher;
import org.springframework.stereotype.Component;

/** Filters then weighs the usable pools; explains which filter eliminated what when nothing is left. */
@Component
public class FilterScheduler {

    private final HostManager hosts;
    private final List<BackendFilter> filters;
    private final CapacityWeigher weigher;

    public FilterScheduler(HostManager hosts, List<BackendFilter> filters, CapacityWeigher weigher) {
        this.hosts = hosts;
        this.filters = filters;
        this.weigher = weigher;
    }

    /**
     * Cinder's {@code backend_passes_filters}: the requested {@code host@backend[#pool]} must pass the same
     * filters as a placement; without a pool the best pool of that backend is taken.
     */
    public PoolState checkDestination(RequestSpec spec, BackendHost requested) {
        List<PoolState> candidates = new ArrayList<>(hosts.usablePools());
        candidates.removeIf(p -> !p.location().serviceHost().equals(requested.serviceHost())
                || (requested.pool() != null && !requested.pool().equals(p.pool().poolName())));
        if (candidates.isEmpty()) {
            throw new NoValidBackendException("Cannot place volume " + spec.volumeId() + " on " + requested
                    + ": the backend is not up, not enabled or has not reported that pool.");
        }
        for (BackendFilter filter : filters) {
            candidates.removeIf(pool -> !filter.passes(pool, spec));
            if (candidates.isEmpty()) {
                throw new NoValidBackendException("Cannot place volume " + spec.volumeId() + " on " + requested
                        + ": " + filter.name() + " rejected it (size " + spec.sizeGb() + " GiB, extra specs "
                        + spec.extraSpecs() + ").");
            }
        }
        candidates.sort(weigher.bestFirst());
        return candidates.get(0);
    }

    public PoolState choose(RequestSpec spec) {
        List<PoolState> candidates = new ArrayList<>(hosts.usablePools());
        if (candidates.isEmpty()) {
            throw new NoValidBackendException("No volume backend is up and enabled.");
        }
        StringBuilder why = new StringBuilder();
        for (BackendFilter filter : filters) {
            int before = candidates.size();
            candidates.removeIf(pool -> !filter.passes(pool, spec));
            if (candidates.isEmpty()) {
                why.append(filter.name()).append(" eliminated the last ").append(before)
                        .append(before == 1 ? " pool" : " pools")
                        .append(" (size ").append(spec.sizeGb()).append(" GiB, extra specs ")
                        .append(spec.extraSpecs()).append(").");
                throw new NoValidBackendException(why.toString());
            }
        }
        candidates.sort(weigher.bestFirst());
        return candidates.get(0);
    }
}
