package org.openstack.jcinder.api.groups;

import static org.openstack.jcinder.api.policy.BasePolicies.ADMIN;
import static org.openstack.jcinder.api.policy.BasePolicies.MEMBER;
import static org.openstack.jcinder.api.policy.BasePolicies.READER;

import java.util.List;

import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;
import org.springframework.stereotype.Component;

/**
 * Cinder's rules for group types, their specs, groups and group actions ({@code cinder/policies/group_types.py},
 * {@code groups.py}, {@code group_actions.py}) with their default check strings.
 */
@Component
public class GroupPolicies implements PolicyRuleSource {

    public static final String TYPE_CREATE = "group:group_types:create";
    public static final String TYPE_UPDATE = "group:group_types:update";
    public static final String TYPE_DELETE = "group:group_types:delete";
    public static final String TYPE_SPECS_FIELD = "group:access_group_types_specs";
    public static final String SPEC_GET = "group:group_types_specs:get";
    public static final String SPEC_GET_ALL = "group:group_types_specs:get_all";
    public static final String SPEC_CREATE = "group:group_types_specs:create";
    public static final String SPEC_UPDATE = "group:group_types_specs:update";
    public static final String SPEC_DELETE = "group:group_types_specs:delete";

    public static final String GET_ALL = "group:get_all";
    public static final String CREATE = "group:create";
    public static final String GET = "group:get";
    public static final String UPDATE = "group:update";
    public static final String PROJECT_ATTRIBUTE = "group:group_project_attribute";
    public static final String DELETE = "group:delete";
    public static final String RESET_STATUS = "group:reset_status";

    @Override
    public List<RuleDefault> rules() {
        return List.of(
                new RuleDefault(TYPE_CREATE, ADMIN, "Create a group type."),
                new RuleDefault(TYPE_UPDATE, ADMIN, "Update a group type."),
                new RuleDefault(TYPE_DELETE, ADMIN, "Delete a group type."),
                new RuleDefault(TYPE_SPECS_FIELD, ADMIN, "Show group type with type specs attributes."),
                new RuleDefault(SPEC_GET, ADMIN, "Show a group type spec."),
                new RuleDefault(SPEC_GET_ALL, ADMIN, "List group type specs."),
                new RuleDefault(SPEC_CREATE, ADMIN, "Create a group type spec."),
                new RuleDefault(SPEC_UPDATE, ADMIN, "Update a group type spec."),
                new RuleDefault(SPEC_DELETE, ADMIN, "Delete a group type spec."),
                new RuleDefault(GET_ALL, READER, "List groups."),
                new RuleDefault(CREATE, MEMBER, "Create group."),
                new RuleDefault(GET, READER, "Show group."),
                new RuleDefault(UPDATE, MEMBER, "Update group."),
                new RuleDefault(PROJECT_ATTRIBUTE, ADMIN, "List groups or show group with project attributes."),
                new RuleDefault(DELETE, MEMBER, "Delete group."),
                new RuleDefault(RESET_STATUS, ADMIN, "Reset status of group."));
    }
}
