package org.openstack.jcinder.scheduler.manager;

import java.util.ArrayList;
import java.util.List;

import org.openstack.jcinder.common.exception.NoValidBackendException;
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
