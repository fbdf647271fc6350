package org.openstack.jcinder.api.quotas;

import java.util.List;

import org.openstack.jcinder.api.policy.BasePolicies;
import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;
import org.springframework.stereotype.Component;

/** Cinder's rules for quotas, quota classes and limits ({@code cinder/policies/quotas.py}, {@code quota_class.py}, {@code limits.py}). */
@Component
public class QuotaPolicies implements PolicyRuleSource {

    public static final String SHOW = "volume_extension:quotas:show";
    public static final String UPDATE = "volume_extension:quotas:update";
    public static final String DELETE = "volume_extension:quotas:delete";
    public static final String CLASS_GET = "volume_extension:quota_classes:get";
    public static final String CLASS_UPDATE = "volume_extension:quota_classes:update";
    public static final String USED_LIMITS = "limits_extension:used_limits";

    @Override
    public List<RuleDefault> rules() {
        return List.of(
                new RuleDefault(SHOW, BasePolicies.READER, "Show project quota (including usage and default)."),
                new RuleDefault(UPDATE, BasePolicies.ADMIN, "Update project quota."),
                new RuleDefault(DELETE, BasePolicies.ADMIN, "Delete project quota."),
                new RuleDefault(CLASS_GET, BasePolicies.ADMIN, "Show project quota class."),
                new RuleDefault(CLASS_UPDATE, BasePolicies.ADMIN, "Update project quota class."),
                new RuleDefault(USED_LIMITS, BasePolicies.READER, "Show limits with used limit attributes."));
    }
}
