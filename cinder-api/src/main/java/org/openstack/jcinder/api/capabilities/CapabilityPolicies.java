package org.openstack.jcinder.api.capabilities;

import java.util.List;

import org.openstack.jcinder.api.policy.BasePolicies;
import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;
import org.springframework.stereotype.Component;

/** Cinder's {@code cinder/policies/capabilities.py}. */
@Component
public class CapabilityPolicies implements PolicyRuleSource {

    public static final String CAPABILITIES = "volume_extension:capabilities";

    @Override
    public List<RuleDefault> rules() {
        return List.of(new RuleDefault(CAPABILITIES, BasePolicies.ADMIN, "Show backend capabilities."));
    }
}
