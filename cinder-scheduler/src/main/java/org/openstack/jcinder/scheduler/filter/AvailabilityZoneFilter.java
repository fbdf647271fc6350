package org.openstack.jcinder.scheduler.filter;

import org.openstack.jcinder.scheduler.host.PoolState;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** The pool's backend is in the availability zone the volume asks for (any zone when none is asked). */
@Component
@Order(1)
public class AvailabilityZoneFilter implements BackendFilter {

    @Override
    public String name() {
        return "AvailabilityZoneFilter";
    }

    @Override
    public boolean passes(PoolState pool, RequestSpec spec) {
        return spec.availabilityZone() == null || spec.availabilityZone().equals(pool.backend().availabilityZone());
    }
}
