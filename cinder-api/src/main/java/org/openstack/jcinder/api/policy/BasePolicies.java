package org.openstack.jcinder.api.policy;

import java.util.List;

import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;

import org.springframework.stereotype.Component;

/**
 * Cinder's base rules ({@code cinder/policies/base.py}), which the per-API rules refer to with {@code rule:}.
 */
@Component
public class BasePolicies implements PolicyRuleSource {

    public static final String ADMIN = "rule:admin_api";
    public static final String PROJECT_READER_OR_ADMIN = "rule:project_reader_or_admin";
    public static final String PROJECT_MEMBER_OR_ADMIN = "rule:project_member_or_admin";

    @Override
    public List<RuleDefault> rules() {
        return List.of(
                new RuleDefault("context_is_admin", "role:admin",
                        "Decides what is required for the 'is_admin:True' check to succeed."),
                new RuleDefault("admin_api", "is_admin:True or (role:admin and is_admin_project:True)",
                        "Default rule for most Admin APIs."),
                new RuleDefault("project_member",
                        "role:member and project_id:%(project_id)s", "Member of the target's project."),
                new RuleDefault("project_reader",
                        "role:reader and project_id:%(project_id)s", "Reader of the target's project."),
                new RuleDefault("project_member_or_admin", "rule:project_member or rule:context_is_admin",
                        "Default rule for most non-Admin APIs."),
                new RuleDefault("project_reader_or_admin", "rule:project_reader or rule:context_is_admin",
                        "Default rule for most read-only APIs."));
    }
}
