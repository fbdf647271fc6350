package org.openstack.jcinder.shared.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.shared.context.RequestContext;

class PolicyEngineTest {

    private final Map<String, String> operatorRules = new HashMap<>();

    /** Cinder's base rules and three of its API rules. */
    private PolicyEngine enforcer() {
        PolicyRuleSource base = () -> List.of(
                new RuleDefault("context_is_admin", "role:admin", ""),
                new RuleDefault("admin_api", "is_admin:True or (role:admin and is_admin_project:True)", ""),
                new RuleDefault("project_member", "role:member and project_id:%(project_id)s", ""),
                new RuleDefault("project_reader", "role:reader and project_id:%(project_id)s", ""),
                new RuleDefault("project_member_or_admin", "rule:project_member or rule:context_is_admin", ""),
                new RuleDefault("project_reader_or_admin", "rule:project_reader or rule:context_is_admin", ""));
        PolicyRuleSource feature = () -> List.of(
                new RuleDefault("volume_extension:volume_admin_actions:migrate_volume", "rule:admin_api", "migrate"),
                new RuleDefault("volume:get", "rule:project_reader_or_admin", "show"),
                new RuleDefault("volume:delete", "rule:project_member_or_admin", "delete"));
        return new PolicyEngine(List.of(base, feature), () -> Map.copyOf(operatorRules));
    }

    private static RequestContext caller(String project, String... roles) {
        return new RequestContext("req-1", "u-" + project, project, List.of(roles));
    }

    @Test
    void adminRulesNeedTheAdminRole() {
        PolicyEngine p = enforcer();
        String rule = "volume_extension:volume_admin_actions:migrate_volume";
        assertThat(p.allows(caller("p1", "admin"), rule, PolicyTarget.project("p2"))).isTrue();
        assertThat(p.allows(caller("p1", "member", "reader"), rule, PolicyTarget.project("p1"))).isFalse();
    }

    @Test
    void ownerRulesCompareTheTargetProject() {
        PolicyEngine p = enforcer();
        assertThat(p.allows(caller("p1", "reader"), "volume:get", PolicyTarget.project("p1"))).isTrue();
        assertThat(p.allows(caller("p1", "reader"), "volume:get", PolicyTarget.project("p2"))).isFalse();
        assertThat(p.allows(caller("p1", "reader"), "volume:delete", PolicyTarget.project("p1"))).isFalse();
        assertThat(p.allows(caller("p1", "member"), "volume:delete", PolicyTarget.project("p1"))).isTrue();
        assertThat(p.allows(caller("p9", "ADMIN"), "volume:delete", PolicyTarget.project("p1"))).isTrue();
    }

    @Test
    void operatorRulesReplaceDefaultsAndMayUseEveryOperator() {
        PolicyEngine p = enforcer();
        String rule = "volume_extension:volume_admin_actions:migrate_volume";
        operatorRules.put(rule, "rule:admin_api or (role:mover and not role:intern)");
        assertThat(p.allows(caller("p1", "mover"), rule, PolicyTarget.project("p1"))).isTrue();
        assertThat(p.allows(caller("p1", "mover", "intern"), rule, PolicyTarget.project("p1"))).isFalse();
        operatorRules.put(rule, "!");
        assertThat(p.allows(caller("p1", "admin"), rule, PolicyTarget.project("p1"))).isFalse();
        operatorRules.put(rule, "@");
        assertThat(p.allows(caller("p1"), rule, PolicyTarget.project("p1"))).isTrue();
        operatorRules.put(rule, "user_id:%(user_id)s and 'p1':%(project_id)s");
        assertThat(p.allows(caller("p1"), rule, PolicyTarget.owner("p1", "u-p1"))).isTrue();
        assertThat(p.allows(caller("p1"), rule, PolicyTarget.owner("p1", "someone"))).isFalse();
    }

    @Test
    void contextIsAdminDecidesIsAdmin() {
        PolicyEngine p = enforcer();
        String rule = "volume_extension:volume_admin_actions:migrate_volume";
        operatorRules.put("context_is_admin", "role:cloud_admin");
        assertThat(p.allows(caller("p1", "cloud_admin"), rule, PolicyTarget.project("p2"))).isTrue();
        assertThat(p.allows(caller("p1", "admin"), rule, PolicyTarget.project("p2"))).isTrue(); // admin_api's second half
        operatorRules.put("admin_api", "is_admin:True");
        assertThat(p.allows(caller("p1", "admin"), rule, PolicyTarget.project("p2"))).isFalse();
    }

    @Test
    void brokenOrLoopingRulesDenyInsteadOfFailing() {
        PolicyEngine p = enforcer();
        operatorRules.put("volume:get", "role:admin or (");
        assertThat(p.allows(caller("p1", "admin"), "volume:get", PolicyTarget.project("p1"))).isFalse();
        operatorRules.put("volume:get", "rule:volume:get");
        assertThat(p.allows(caller("p1", "admin"), "volume:get", PolicyTarget.project("p1"))).isFalse();
    }

    @Test
    void keywordsInAnyCaseAndBindsTighterThanOr() {
        PolicyEngine p = enforcer();
        String rule = "volume:get";
        operatorRules.put(rule, "role:a OR role:b AND role:c");
        assertThat(p.allows(caller("p1", "a"), rule, PolicyTarget.project("p1"))).isTrue();
        assertThat(p.allows(caller("p1", "b"), rule, PolicyTarget.project("p1"))).isFalse();
        assertThat(p.allows(caller("p1", "b", "c"), rule, PolicyTarget.project("p1"))).isTrue();
        operatorRules.put(rule, "NOT role:a And role:b");
        assertThat(p.allows(caller("p1", "b"), rule, PolicyTarget.project("p1"))).isTrue();
        assertThat(p.allows(caller("p1", "a", "b"), rule, PolicyTarget.project("p1"))).isFalse();
    }

    @Test
    void genericChecksCompareAsPythonStrSpellsTheCredential() {
        PolicyEngine p = enforcer();
        String rule = "volume:get";
        operatorRules.put(rule, "is_admin:True");
        assertThat(p.allows(caller("p1", "admin"), rule, PolicyTarget.project("p1"))).isTrue();
        operatorRules.put(rule, "is_admin:true"); // oslo.policy compares str(True) == "true": never
        assertThat(p.allows(caller("p1", "admin"), rule, PolicyTarget.project("p1"))).isFalse();
        operatorRules.put(rule, "roles:mover"); // a list credential matches when one element does
        assertThat(p.allows(caller("p1", "reader", "mover"), rule, PolicyTarget.project("p1"))).isTrue();
        operatorRules.put(rule, "project_id:%(no_such_key)s"); // a key the target lacks denies
        assertThat(p.allows(caller("p1", "admin"), rule, PolicyTarget.project("p1"))).isFalse();
        operatorRules.put(rule, "True:%(enabled)s"); // a literal kind is compared with the target's value
        assertThat(p.allows(caller("p1"), rule, new PolicyTarget(Map.of("enabled", "True")))).isTrue();
        assertThat(p.allows(caller("p1"), rule, new PolicyTarget(Map.of("enabled", "False")))).isFalse();
        operatorRules.put(rule, "role:%(role)s"); // role names may come from the target too
        assertThat(p.allows(caller("p1", "Mover"), rule, new PolicyTarget(Map.of("role", "mover")))).isTrue();
        operatorRules.put(rule, "system_scope:all");
        assertThat(p.allows(caller("p1", "admin"), rule, PolicyTarget.project("p1"))).isFalse();
    }

    @Test
    void aWordWithoutColonIsAFalseCheckNotABrokenRule() {
        PolicyEngine p = enforcer();
        operatorRules.put("volume:get", "nonsense or role:reader");
        assertThat(p.allows(caller("p1", "reader"), "volume:get", PolicyTarget.project("p1"))).isTrue();
        operatorRules.put("volume:get", "nonsense");
        assertThat(p.allows(caller("p1", "reader"), "volume:get", PolicyTarget.project("p1"))).isFalse();
        operatorRules.put("volume:get", "'quoted' or role:reader"); // a bare string: the rule does not parse
        assertThat(p.allows(caller("p1", "reader"), "volume:get", PolicyTarget.project("p1"))).isFalse();
    }

    @Test
    void aRuleNamingNoRuleFallsBackToTheDefaultRule() {
        PolicyEngine p = enforcer();
        operatorRules.put("volume:get", "rule:not_defined");
        assertThat(p.allows(caller("p1", "admin"), "volume:get", PolicyTarget.project("p1"))).isFalse();
        operatorRules.put("default", "role:admin");
        assertThat(p.allows(caller("p1", "admin"), "volume:get", PolicyTarget.project("p1"))).isTrue();
    }

    @Test
    void listSyntaxOrsTheInnerAnds() {
        Map<String, Object> rules = new HashMap<>();
        PolicyEngine p = new PolicyEngine(List.of(() -> List.of(new RuleDefault("volume:get", "!", ""))),
                () -> Map.copyOf(rules));
        rules.put("volume:get", List.of(List.of("role:a", "role:b"), List.of("role:admin")));
        assertThat(p.allows(caller("p1", "a"), "volume:get", PolicyTarget.project("p1"))).isFalse();
        assertThat(p.allows(caller("p1", "a", "b"), "volume:get", PolicyTarget.project("p1"))).isTrue();
        assertThat(p.allows(caller("p1", "admin"), "volume:get", PolicyTarget.project("p1"))).isTrue();
        rules.put("volume:get", List.of());
        assertThat(p.allows(caller("p1"), "volume:get", PolicyTarget.project("p1"))).isTrue();
    }

    @Test
    void aDefaultThatDoesNotParseStopsTheStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PolicyEngine(
                        List.of(() -> List.of(new RuleDefault("x", "role:a and (", ""))), Map::of))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void isAdminIsContextIsAdmin() {
        PolicyEngine p = enforcer();
        assertThat(p.isAdmin(caller("p1", "admin"))).isTrue();
        assertThat(p.isAdmin(caller("p1", "member"))).isFalse();
        operatorRules.put("context_is_admin", "role:admin or role:operator");
        assertThat(p.isAdmin(caller("p1", "operator"))).isTrue();
    }

    @Test
    void unregisteredActionsAreAProgrammingError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> enforcer().allows(caller("p1", "admin"), "no:such:rule", PolicyTarget.project("p1")))
                .isInstanceOf(IllegalStateException.class);
    }
}
