package org.openstack.jcinder.api.messages;

import java.util.List;

import org.openstack.jcinder.api.policy.BasePolicies;
import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;
import org.springframework.stereotype.Component;

/** Cinder's {@code cinder/policies/messages.py}. */
@Component
public class MessagePolicies implements PolicyRuleSource {

    public static final String GET_ALL = "message:get_all";
    public static final String GET = "message:get";
    public static final String DELETE = "message:delete";

    @Override
    public List<RuleDefault> rules() {
        return List.of(
                new RuleDefault(GET_ALL, BasePolicies.READER, "List messages."),
                new RuleDefault(GET, BasePolicies.READER, "Show message."),
                new RuleDefault(DELETE, BasePolicies.MEMBER, "Delete message."));
    }
}
