package org.openstack.jcinder.shared.policy;

import java.util.List;

/**
 * One policy rule as Cinder declares it ({@code oslo_policy.policy.RuleDefault} / {@code DocumentedRuleDefault}):
 * the name an API checks ({@code volume_extension:volume_admin_actions:migrate_volume}), its default check
 * string in oslo.policy's syntax, what it guards and the API calls that check it (both for the sample policy
 * file, as oslopolicy-sample-generator writes them).
 */
public record RuleDefault(String name, String checkString, String description, List<String> operations) {

    public RuleDefault {
        operations = operations == null ? List.of() : List.copyOf(operations);
    }

    public RuleDefault(String name, String checkString, String description) {
        this(name, checkString, description, List.of());
    }

    /** A rule checked by the given API calls ({@code "POST /volumes/{volume_id}/action (os-extend)"}). */
    public static RuleDefault of(String name, String checkString, String description, String... operations) {
        return new RuleDefault(name, checkString, description, List.of(operations));
    }
}
