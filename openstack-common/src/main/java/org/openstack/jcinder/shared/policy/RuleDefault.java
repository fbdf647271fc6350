package org.openstack.jcinder.shared.policy;

/**
 * One policy rule as Cinder declares it ({@code oslo_policy.policy.RuleDefault} / {@code DocumentedRuleDefault}):
 * the name an API checks ({@code volume_extension:volume_admin_actions:migrate_volume}), its default check
 * string in oslo.policy's syntax, and what it guards (for the generated sample policy file).
 */
public record RuleDefault(String name, String checkString, String description) {
}
