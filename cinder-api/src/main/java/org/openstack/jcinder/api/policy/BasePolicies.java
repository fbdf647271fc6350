package org.openstack.jcinder.api.policy;

import java.util.List;

import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;
import org.springframework.stereotype.Component;

/**
 * Cinder's base rules ({@code cinder/policies/base.py}: the legacy and Xena defaults it registers), which the
 * per-API rules refer to with {@code rule:}. Per-API defaults use the three constants below, as Cinder's do.
 */
@Component
public class BasePolicies implements PolicyRuleSource {

    /** Cinder's {@code RULE_ADMIN_API}. */
    public static final String ADMIN = "rule:admin_api";
    /** Cinder's {@code SYSTEM_READER_OR_PROJECT_READER}: an admin, or a reader of the target's project. */
    public static final String READER = "rule:xena_system_admin_or_project_reader";
    /** Cinder's {@code SYSTEM_ADMIN_OR_PROJECT_MEMBER}: an admin, or a member of the target's project. */
    public static final String MEMBER = "rule:xena_system_admin_or_project_member";

    @Override
    public List<RuleDefault> rules() {
        return List.of(
                new RuleDefault("admin_or_owner",
                        "is_admin:True or (role:admin and is_admin_project:True) or project_id:%(project_id)s",
                        "DEPRECATED: This rule will be removed in the Yoga release. Default rule for most non-Admin APIs."),
                new RuleDefault("system_or_domain_or_project_admin",
                        "(role:admin and system_scope:all) or (role:admin and domain_id:%(domain_id)s) or "
                                + "(role:admin and project_id:%(project_id)s)",
                        "DEPRECATED: This rule will be removed in the Yoga release. Default rule for admins of "
                                + "cloud, domain or a project."),
                new RuleDefault("context_is_admin", "role:admin",
                        "Decides what is required for the 'is_admin:True' check to succeed."),
                new RuleDefault("admin_api", "is_admin:True or (role:admin and is_admin_project:True)",
                        "Default rule for most Admin APIs."),
                new RuleDefault("xena_system_admin_or_project_reader",
                        "(role:admin) or (role:reader and project_id:%(project_id)s)",
                        "NOTE: this purely role-based rule recognizes only project scope"),
                new RuleDefault("xena_system_admin_or_project_member",
                        "(role:admin) or (role:member and project_id:%(project_id)s)",
                        "NOTE: this purely role-based rule recognizes only project scope"));
    }
}
