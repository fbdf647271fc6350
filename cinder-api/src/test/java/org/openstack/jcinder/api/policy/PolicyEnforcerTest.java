package org.openstack.jcinder.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.api.actions.VolumeActionPolicies;
import org.openstack.jcinder.api.volumes.VolumePolicies;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.exception.PolicyNotAuthorizedException;
import org.openstack.jcinder.shared.auth.NoauthToken;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.PolicyTarget;
import org.openstack.jcinder.shared.policy.RuleDefault;

class PolicyEnforcerTest {

    private static ApiRequest noauth(String token) {
        RequestContext ctx = NoauthToken.context(token, "req-1", Set.of()).orElseThrow();
        return new ApiRequest(ctx, null, "http://x", null);
    }

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

    /** noauth's callers on Cinder's defaults: admin is admin everywhere, others members and readers of theirs. */
    @Test
    void noauthCallersGetCindersDefaults() {
        PolicyEnforcer p = TestPolicies.defaults();
        ApiRequest admin = noauth("admin:ops");
        ApiRequest dave = noauth("dave:p1");
        PolicyTarget davesVolume = PolicyTarget.owner("p1", "dave");
        PolicyTarget othersVolume = PolicyTarget.owner("p2", "erin");

        assertThat(p.isAdmin(admin)).isTrue();
        assertThat(p.isAdmin(dave)).isFalse();
        assertThat(p.sees(dave, "p1")).isTrue();
        assertThat(p.sees(dave, "p2")).isFalse();
        assertThat(p.sees(admin, "p2")).isTrue();

        assertThat(p.allows(dave, VolumeActionPolicies.MIGRATE, davesVolume)).isFalse();
        assertThat(p.allows(admin, VolumeActionPolicies.MIGRATE, othersVolume)).isTrue();
        assertThat(p.allows(dave, VolumeActionPolicies.EXTEND, davesVolume)).isTrue();
        assertThat(p.allows(dave, VolumeActionPolicies.EXTEND, othersVolume)).isFalse();
        assertThat(p.allows(dave, VolumePolicies.GET, davesVolume)).isTrue();
        assertThat(p.allows(dave, VolumePolicies.HOST_ATTRIBUTE)).isFalse();
        assertThat(p.allows(dave, VolumePolicies.TENANT_ATTRIBUTE)).isTrue();
        assertThat(p.allows(dave, VolumeActionPolicies.MIGRATE_PROGRESS)).isFalse();
        assertThat(p.allows(new ApiRequest(new RequestContext("r", "nova", "service", List.of("service")), null,
                "http://x", null), VolumeActionPolicies.MIGRATE_PROGRESS)).isTrue();
    }

    @Test
    void theOperatorsRulesTakeOverAtTheNextCheck() {
        java.util.concurrent.atomic.AtomicReference<Map<String, ?>> file = new java.util.concurrent.atomic
                .AtomicReference<>(Map.of());
        PolicyEnforcer p = new PolicyEnforcer(TestPolicies.sources(), file::get);
        ApiRequest dave = noauth("dave:p1");
        assertThat(p.allows(dave, VolumeActionPolicies.MIGRATE, PolicyTarget.project("p1"))).isFalse();
        file.set(Map.of(VolumeActionPolicies.MIGRATE, "rule:admin_api or role:member"));
        assertThat(p.allows(dave, VolumeActionPolicies.MIGRATE, PolicyTarget.project("p1"))).isTrue();
        assertThat(p.rulesInEffect()).containsEntry(VolumeActionPolicies.MIGRATE, "rule:admin_api or role:member");
    }
}
