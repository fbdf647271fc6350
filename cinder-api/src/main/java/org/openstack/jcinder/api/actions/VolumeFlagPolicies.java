package org.openstack.jcinder.api.actions;

import java.util.List;

import org.openstack.jcinder.api.policy.BasePolicies;
import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;
import org.springframework.stereotype.Component;

/**
 * Cinder's rules for the volume actions in {@link VolumeFlagActions} (os-set_bootable is checked with
 * {@code volume:update}, declared in {@code VolumePolicies}) ({@code cinder/policies/volume_actions.py},
 * {@code volumes.py}), with Cinder's names and defaults.
 */
@Component
public class VolumeFlagPolicies implements PolicyRuleSource {

    public static final String UPDATE_READONLY = "volume:update_readonly_flag";
    public static final String FORCE_DELETE = "volume_extension:volume_admin_actions:force_delete";

    @Override
    public List<RuleDefault> rules() {
        return List.of(
                new RuleDefault(UPDATE_READONLY, BasePolicies.MEMBER, "Update a volume's readonly flag."),
                new RuleDefault(FORCE_DELETE, BasePolicies.ADMIN, "Force delete a volume."));
    }
}
