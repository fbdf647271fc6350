package org.openstack.jcinder.api.groups;

import static org.openstack.jcinder.api.policy.BasePolicies.ADMIN;
import static org.openstack.jcinder.api.policy.BasePolicies.MEMBER;
import static org.openstack.jcinder.api.policy.BasePolicies.READER;

import java.util.List;

import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;
import org.springframework.stereotype.Component;

/**
 * Cinder's rules for group snapshots and their actions ({@code cinder/policies/group_snapshots.py},
 * {@code group_snapshot_actions.py}) with their default check strings.
 */
@Component
public class GroupSnapshotPolicies implements PolicyRuleSource {

    public static final String GET_ALL = "group:get_all_group_snapshots";
    public static final String CREATE = "group:create_group_snapshot";
    public static final String GET = "group:get_group_snapshot";
    public static final String DELETE = "group:delete_group_snapshot";
    public static final String UPDATE = "group:update_group_snapshot";
    public static final String PROJECT_ATTRIBUTE = "group:group_snapshot_project_attribute";
    public static final String RESET_STATUS = "group:reset_group_snapshot_status";

    @Override
    public List<RuleDefault> rules() {
        return List.of(
                new RuleDefault(GET_ALL, READER, "List group snapshots."),
                new RuleDefault(CREATE, MEMBER, "Create group snapshot."),
                new RuleDefault(GET, READER, "Show group snapshot."),
                new RuleDefault(DELETE, MEMBER, "Delete group snapshot."),
                new RuleDefault(UPDATE, MEMBER, "Update group snapshot."),
                new RuleDefault(PROJECT_ATTRIBUTE, ADMIN, "List group snapshots or show group snapshot with project "
                        + "attributes."),
                new RuleDefault(RESET_STATUS, ADMIN, "Reset status of group snapshot."));
    }
}
