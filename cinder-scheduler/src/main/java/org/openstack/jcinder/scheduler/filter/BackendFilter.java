package org.openstack.jcinder.scheduler.filter;

import org.openstack.jcinder.scheduler.host.PoolState;

/** One test a pool must pass to receive a volume. Filters are independent and run in a fixed order. */
public interface BackendFilter {

    String name();

    boolean passes(PoolState pool, RequestSpec spec);
}
