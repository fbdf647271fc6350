package org.openstack.jcinder.api.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.PolicySample;
import org.openstack.jcinder.shared.policy.RuleDefault;

/**
 * No rule name the code checks can be missing from the registry (which would be a 500 at request time): every
 * check names a constant of a feature's {@link PolicyRuleSource}, every such constant is registered, and the
 * enforcer refuses to start otherwise. Also: the sample policy file lists exactly what is registered.
 */
class PolicyRegistryTest {

    private static final Path MAIN = Path.of("src", "main", "java");
    static final Path SAMPLE = Path.of("..", "etc", "cinder", "policy.yaml.sample");

    static List<PolicyRuleSource> sources() {
        return TestPolicies.sources();
    }

    @Test
    void everyRuleNameConstantIsRegisteredAndTheEnforcerStarts() {
        List<PolicyRuleSource> sources = sources();
        assertThat(sources).hasSizeGreaterThanOrEqualTo(7);
        PolicyEnforcer enforcer = new PolicyEnforcer(sources, Map::of);
        List<String> names = PolicyEnforcer.ruleNameConstants(sources);
        assertThat(names).contains("volume_extension:volume_admin_actions:migrate_volume", "volume:get_all",
                "jcinder:volume_admin_actions:migrate_volume_cancel");
        assertThat(names).allSatisfy(n -> assertThat(enforcer.isRegistered(n)).as(n).isTrue());
    }

    @Test
    void anEnforcerWithAConstantNobodyRegistersDoesNotStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PolicyEnforcer(
                        List.of(new BasePolicies(), new UnregisteredConstant()), Map::of))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("volume:not_declared");
    }

    static class UnregisteredConstant implements PolicyRuleSource {
        public static final String NOT_DECLARED = "volume:not_declared";

        @Override
        public List<RuleDefault> rules() {
            return List.of();
        }
    }

    /**
     * The API's checks name constants, never string literals, and nothing but the enforcer refuses with Cinder's
     * policy 403 or asks for the admin role itself.
     */
    @Test
    void checksNameConstantsAndNothingBypassesTheEnforcer() throws IOException {
        Pattern literalRule = Pattern.compile("\\.(authorize|allows)\\(req,\\s*\"");
        Pattern check = Pattern.compile("\\.(?:authorize|allows)\\(req,[^;]*");
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                boolean enforcer = f.endsWith(Path.of("policy", "PolicyEnforcer.java"));
                Matcher m = literalRule.matcher(text);
                while (m.find()) {
                    problems.add(f + ": a rule named by a string literal: " + m.group());
                }
                if (!enforcer && text.contains("new PolicyNotAuthorizedException(")) {
                    problems.add(f + ": refuses with PolicyNotAuthorizedException itself");
                }
                if (!f.endsWith(Path.of("web", "ApiRequest.java")) && text.contains(".isAdmin()")) {
                    problems.add(f + ": decides on the admin role itself (isAdmin())");
                }
                Matcher c = check.matcher(text);
                while (c.find()) {
                    String call = c.group();
                    if (!call.contains("Policies.") && !call.matches("(?s).*\\(req,\\s*(action|rule)\\b.*")) {
                        problems.add(f + ": rule not named by a *Policies constant: " + call);
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /**
     * etc/cinder/policy.yaml.sample is what oslopolicy-sample-generator would write for the registered rules.
     * Run with {@code -Dpolicy.sample.write=true} to rewrite it after changing a rule.
     */
    @Test
    void theSamplePolicyFileListsEveryRegisteredRule() throws IOException {
        String expected = PolicySample.render(sources(), BasePolicies.class);
        if (Boolean.getBoolean("policy.sample.write")) {
            Files.writeString(SAMPLE, expected, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(SAMPLE, StandardCharsets.UTF_8)).isEqualTo(expected);
    }
}
