package org.openstack.jcinder.scheduler.weigher;

import java.util.Comparator;

import org.openstack.jcinder.scheduler.host.PoolState;
import org.springframework.stereotype.Component;

/**
 * Prefers the pool with the most free space (Cinder's default weigher, multiplier 1.0); ties go to the
 * lexically smaller {@code host@backend#pool} so placement is deterministic.
 */
@Component
public class CapacityWeigher {

    public Comparator<PoolState> bestFirst() {
        return Comparator.comparingDouble(PoolState::freeCapacityGb).reversed()
                .thenComparing(p -> p.location().toString());
    }
}
