package org.openstack.jcinder.api.transfers;

import static org.openstack.jcinder.api.policy.BasePolicies.MEMBER;
import static org.openstack.jcinder.api.policy.BasePolicies.READER;

import java.util.List;

import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;
import org.springframework.stereotype.Component;

/** Cinder's volume transfer rules ({@code cinder/policies/volume_transfer.py}), with its defaults. */
@Component
public class TransferPolicies implements PolicyRuleSource {

    public static final String GET_ALL = "volume:get_all_transfers";
    public static final String CREATE = "volume:create_transfer";
    public static final String GET = "volume:get_transfer";
    public static final String ACCEPT = "volume:accept_transfer";
    public static final String DELETE = "volume:delete_transfer";

    @Override
    public List<RuleDefault> rules() {
        return List.of(
                new RuleDefault(GET_ALL, READER, "List volume transfer."),
                new RuleDefault(CREATE, MEMBER, "Create a volume transfer."),
                new RuleDefault(GET, READER, "Show one specified volume transfer."),
                new RuleDefault(ACCEPT, MEMBER, "Accept a volume transfer."),
                new RuleDefault(DELETE, MEMBER, "Delete volume transfer."));
    }
}
