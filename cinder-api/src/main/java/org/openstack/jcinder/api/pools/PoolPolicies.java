package org.openstack.jcinder.api.pools;

import static org.openstack.jcinder.api.policy.BasePolicies.ADMIN;

import java.util.List;

import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;
import org.springframework.stereotype.Component;

/** Cinder's rule of the scheduler stats API ({@code cinder/policies/scheduler_stats.py}). */
@Component
public class PoolPolicies implements PolicyRuleSource {

    public static final String GET_POOLS = "scheduler_extension:scheduler_stats:get_pools";

    @Override
    public List<RuleDefault> rules() {
        return List.of(RuleDefault.of(GET_POOLS, ADMIN, "List all backend pools.",
                "GET /scheduler-stats/get_pools"));
    }
}
