package org.openstack.jcinder.api.services;

import java.util.List;

import org.openstack.jcinder.api.policy.BasePolicies;
import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;
import org.springframework.stereotype.Component;

/** Cinder's {@code cinder/policies/services.py}. */
@Component
public class ServicePolicies implements PolicyRuleSource {

    public static final String GET_ALL = "volume_extension:services:index";
    public static final String UPDATE = "volume_extension:services:update";
    public static final String FAILOVER = "volume:failover_host";
    public static final String FREEZE = "volume:freeze_host";
    public static final String THAW = "volume:thaw_host";

    @Override
    public List<RuleDefault> rules() {
        return List.of(
                new RuleDefault(GET_ALL, BasePolicies.ADMIN, "List all services."),
                new RuleDefault(UPDATE, BasePolicies.ADMIN, "Update service, including failover_host, thaw, "
                        + "freeze, disable, enable, set-log and get-log actions."),
                new RuleDefault(FREEZE, BasePolicies.ADMIN, "Freeze a backend host."),
                new RuleDefault(THAW, BasePolicies.ADMIN, "Thaw a backend host."),
                new RuleDefault(FAILOVER, BasePolicies.ADMIN, "Failover a backend host."));
    }
}
