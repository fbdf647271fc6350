package org.openstack.jcinder.api.volumes;

import java.util.List;

import org.openstack.jcinder.api.policy.BasePolicies;
import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;
import org.springframework.stereotype.Component;

/**
 * The rules of Cinder's volume view extensions ({@code cinder/policies/volumes.py}): who sees the owner
 * project, the backend host and the migration attributes on show and the detailed list.
 */
@Component
public class VolumeViewPolicies implements PolicyRuleSource {

    public static final String TENANT_ATTRIBUTE = "volume_extension:volume_tenant_attribute";
    public static final String HOST_ATTRIBUTE = "volume_extension:volume_host_attribute";
    public static final String MIG_STATUS_ATTRIBUTE = "volume_extension:volume_mig_status_attribute";

    @Override
    public List<RuleDefault> rules() {
        return List.of(
                new RuleDefault(TENANT_ATTRIBUTE, BasePolicies.READER,
                        "List or show volume with tenant attribute."),
                new RuleDefault(HOST_ATTRIBUTE, BasePolicies.ADMIN,
                        "List or show volume with host attribute."),
                new RuleDefault(MIG_STATUS_ATTRIBUTE, BasePolicies.ADMIN,
                        "List or show volume with migration status attribute."));
    }
}
