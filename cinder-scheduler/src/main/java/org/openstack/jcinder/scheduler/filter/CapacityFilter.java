package org.openstack.jcinder.scheduler.filter;

import org.openstack.jcinder.scheduler.host.PoolState;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Enough room, as Cinder's CapacityFilter counts it: free space above the reserved percentage for thick pools;
 * for thin pools with over-subscription, provisioned space stays within total × ratio and some space is free.
 */
@Component
@Order(3)
public class CapacityFilter implements BackendFilter {

    @Override
    public String name() {
        return "CapacityFilter";
    }

    @Override
    public boolean passes(PoolState state, RequestSpec spec) {
        var pool = state.pool();
        double total = pool.totalCapacityGb();
        double reserved = total * pool.reservedPercentage() / 100.0;
        double free = state.freeCapacityGb() - reserved;
        if (total <= 0 || free <= 0) {
            return false;
        }
        boolean thin = pool.thinProvisioningSupport() && pool.maxOverSubscriptionRatio() > 1.0;
        if (thin) {
            double provisionedAfter = state.provisionedCapacityGb() + spec.sizeGb();
            return provisionedAfter <= (total - reserved) * pool.maxOverSubscriptionRatio();
        }
        return free >= spec.sizeGb();
    }
}
