package org.openstack.jcinder.api.hosts;

import java.util.List;

import org.openstack.jcinder.api.policy.BasePolicies;
import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;
import org.springframework.stereotype.Component;

/** Cinder's {@code cinder/policies/hosts.py}. */
@Component
public class HostPolicies implements PolicyRuleSource {

    public static final String MANAGE = "volume_extension:hosts";

    @Override
    public List<RuleDefault> rules() {
        return List.of(new RuleDefault(MANAGE, BasePolicies.ADMIN, "List, update or show hosts for a project."));
    }
}
