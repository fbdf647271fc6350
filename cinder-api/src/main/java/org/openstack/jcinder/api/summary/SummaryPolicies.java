package org.openstack.jcinder.api.summary;

import java.util.List;

import org.openstack.jcinder.api.policy.BasePolicies;
import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;
import org.springframework.stereotype.Component;

/**
 * Cinder's {@code volume:get_all} ({@code cinder/policies/volumes.py}), which guards the summary as well as the
 * volume list; declared identically wherever it is declared, so the engine accepts both.
 */
@Component
public class SummaryPolicies implements PolicyRuleSource {

    public static final String GET_ALL = "volume:get_all";

    @Override
    public List<RuleDefault> rules() {
        return List.of(new RuleDefault(GET_ALL, BasePolicies.READER, "List volumes or get summary of volumes."));
    }
}
