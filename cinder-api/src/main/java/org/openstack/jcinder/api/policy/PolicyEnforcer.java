package org.openstack.jcinder.api.policy;

import java.util.List;
import java.util.Map;

import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.exception.PolicyNotAuthorizedException;
import org.openstack.jcinder.shared.policy.PolicyEngine;
import org.openstack.jcinder.shared.policy.PolicyOverrides;
import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.PolicyTarget;
import org.openstack.jcinder.shared.policy.RuleDefault;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The one place the API decides who may do what: Cinder's {@code policy.authorize(context, action, target)}.
 * Every API names the Cinder rule it checks; each feature package declares its rules' defaults as a
 * {@link PolicyRuleSource} bean, which the operator's {@link PolicyOverrides} may replace (none: Cinder's
 * defaults). A refusal is Cinder's 403 "Policy doesn't allow … to be performed.".
 */
@Component
public class PolicyEnforcer {

    private final PolicyEngine engine;

    @Autowired
    public PolicyEnforcer(List<PolicyRuleSource> sources, ObjectProvider<PolicyOverrides> overrides) {
        this(sources, overrides.getIfAvailable(() -> Map::of));
    }

    public PolicyEnforcer(List<PolicyRuleSource> sources, PolicyOverrides overrides) {
        this.engine = new PolicyEngine(sources, overrides);
    }

    /** Refuses with 403 unless {@code action} allows the caller on {@code target}. */
    public void authorize(ApiRequest req, String action, PolicyTarget target) {
        if (!allows(req, action, target)) {
            throw new PolicyNotAuthorizedException(action);
        }
    }

    /** {@link #authorize} against the caller's own project (Cinder's default target). */
    public void authorize(ApiRequest req, String action) {
        authorize(req, action, PolicyTarget.project(req.projectId()));
    }

    public boolean allows(ApiRequest req, String action, PolicyTarget target) {
        return engine.allows(req.context(), action, target);
    }

    public Map<String, String> rulesInEffect() {
        return engine.rulesInEffect();
    }

    public List<RuleDefault> registeredRules() {
        return engine.registeredRules();
    }
}
