package org.openstack.jcinder.api.policy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.exception.PolicyNotAuthorizedException;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;

class PolicyEnforcerTest {

    @Test
    void refusalIsCindersForbiddenMessage() {
        PolicyRuleSource feature = () -> List.of(
                new RuleDefault("volume_extension:volume_admin_actions:migrate_volume", BasePolicies.ADMIN, ""));
        PolicyEnforcer enforcer = new PolicyEnforcer(List.of(new BasePolicies(), feature), Map::of);
        ApiRequest member = new ApiRequest(new RequestContext("req-1", "u1", "p1", List.of("member", "reader")),
                null, "http://x", "p1");
        assertThatThrownBy(() -> enforcer.authorize(member, "volume_extension:volume_admin_actions:migrate_volume"))
                .isInstanceOf(PolicyNotAuthorizedException.class)
                .hasMessage("Policy doesn't allow volume_extension:volume_admin_actions:migrate_volume to be performed.");
    }
}
