package org.openstack.jcinder.api.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.stereotype.Component;

/** The API's registered rules for unit tests, found as Spring's component scan finds them. */
public final class TestPolicies {

    private TestPolicies() {
    }

    /** Every PolicyRuleSource component of the API. */
    public static List<PolicyRuleSource> sources() {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AssignableTypeFilter(PolicyRuleSource.class));
        List<PolicyRuleSource> out = new ArrayList<>();
        for (BeanDefinition bd : scanner.findCandidateComponents("org.openstack.jcinder.api")) {
            try {
                Class<?> type = Class.forName(bd.getBeanClassName());
                if (!type.isAnnotationPresent(Component.class)) {
                    continue; // a test's own source, not the API's
                }
                out.add((PolicyRuleSource) type.getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    /** An enforcer with Cinder's defaults and no policy file. */
    public static PolicyEnforcer defaults() {
        return new PolicyEnforcer(sources(), Map::of);
    }
}
