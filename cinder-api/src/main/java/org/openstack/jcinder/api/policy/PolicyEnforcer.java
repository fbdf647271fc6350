package org.openstack.jcinder.api.policy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.exception.PolicyNotAuthorizedException;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.shared.policy.PolicyEngine;
import org.openstack.jcinder.shared.policy.PolicyOverrides;
import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.PolicyTarget;
import org.openstack.jcinder.shared.policy.RuleDefault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The one place the API decides who may do what: Cinder's {@code context.authorize(action, target_obj=…)}.
 * Every API names the Cinder rule it checks through a constant of its feature's {@link PolicyRuleSource}, which
 * declares the rule's default; the operator's {@link PolicyOverrides} ({@code [oslo_policy] policy_file}) may
 * replace it. A refusal is Cinder's 403 "Policy doesn't allow … to be performed.".
 * <p>
 * At start-up every rule-name constant of every source must be registered (the public String constants of a source are
 * the names its feature checks; those starting {@code rule:} are check strings), so a name the code checks
 * cannot be missing at request time, where oslo.policy's PolicyNotRegistered would be a 500.
 */
@Component
public class PolicyEnforcer {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyEnforcer.class);

    private final PolicyEngine engine;

    @Autowired
    public PolicyEnforcer(List<PolicyRuleSource> sources, ObjectProvider<PolicyOverrides> overrides) {
        this(sources, overrides.getIfAvailable(() -> Map::of));
    }

    public PolicyEnforcer(List<PolicyRuleSource> sources, PolicyOverrides overrides) {
        this.engine = new PolicyEngine(sources, overrides);
        engine.requireRegistered(ruleNameConstants(sources));
        LOG.info("Policy: {} rules registered", engine.registeredRules().size());
    }

    /** The rule names the sources' features check: their String constants that are not check strings. */
    public static List<String> ruleNameConstants(List<? extends PolicyRuleSource> sources) {
        List<String> names = new ArrayList<>();
        for (PolicyRuleSource source : sources) {
            for (Field f : source.getClass().getDeclaredFields()) {
                int m = f.getModifiers();
                if (Modifier.isPublic(m) && Modifier.isStatic(m) && Modifier.isFinal(m) && f.getType() == String.class) {
                    try {
                        f.setAccessible(true);
                        String value = (String) f.get(null);
                        if (value != null && !value.startsWith("rule:")) {
                            names.add(value);
                        }
                    } catch (IllegalAccessException | RuntimeException e) {
                        throw new IllegalStateException("cannot read " + f, e);
                    }
                }
            }
        }
        return names;
    }

    /** Refuses with 403 unless {@code action} allows the caller on {@code target}. */
    public void authorize(ApiRequest req, String action, PolicyTarget target) {
        if (!allows(req, action, target)) {
            LOG.info("Policy {} refuses user {} (project {}, roles {}) on {}", action, req.context().userId(),
                    req.projectId(), req.context().roles(), target.values());
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

    /** {@code context.authorize(action, fatal=False)}: against the caller's own project. */
    public boolean allows(ApiRequest req, String action) {
        return allows(req, action, PolicyTarget.project(req.projectId()));
    }

    /**
     * Cinder's {@code context.is_admin} ({@code context_is_admin}, role admin by default): who sees every
     * project's resources and the fields Cinder's views show administrators.
     */
    public boolean isAdmin(ApiRequest req) {
        return engine.isAdmin(req.context());
    }

    /** {@link #isAdmin(ApiRequest)} for code that holds only the request's context. */
    public boolean isAdmin(RequestContext context) {
        return engine.isAdmin(context);
    }

    /**
     * Whether a resource of {@code ownerProject} exists for the caller at all: Cinder's database queries are
     * limited to the caller's project unless the context is admin (a hidden one is a 404, not a 403).
     */
    public boolean sees(ApiRequest req, String ownerProject) {
        return ownerProject != null && ownerProject.equals(req.projectId()) || isAdmin(req);
    }

    public Map<String, String> rulesInEffect() {
        return engine.rulesInEffect();
    }

    public List<RuleDefault> registeredRules() {
        return engine.registeredRules();
    }

    public boolean isRegistered(String action) {
        return engine.isRegistered(action);
    }
}
