package org.openstack.jcinder.compute.api;

import java.util.List;

import org.openstack.jcinder.compute.config.NovaConfig;
import org.openstack.jcinder.compute.config.NovaOptions;
import org.openstack.jcinder.compute.exception.NovaException;
import org.openstack.jcinder.shared.policy.PolicyEngine;
import org.openstack.jcinder.shared.policy.PolicyFile;
import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.PolicyTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Nova's {@code context.can(action, target)} for the compute API: Nova's rules ({@link NovaPolicies}) on the
 * shared engine, overridable by nova.conf's {@code [oslo_policy] policy_file}. A refusal is Nova's 403
 * ({@code {"forbidden": {"code": 403, "message": "Policy doesn't allow … to be performed."}}}).
 */
@Component
public class ComputePolicy {

    private static final Logger LOG = LoggerFactory.getLogger(ComputePolicy.class);

    private final PolicyEngine engine;

    @Autowired
    public ComputePolicy(NovaConfig config) {
        this(List.of(new NovaPolicies()), config);
    }

    /** Nova's rules only: in the all-in-one, Cinder's rule sources are beans of the same process. */
    ComputePolicy(List<PolicyRuleSource> sources, NovaConfig config) {
        this.engine = new PolicyEngine(sources, new PolicyFile(PolicyFile.locate(config.file(),
                NovaOptions.POLICY_FILE)));
    }

    /** For tests: the given rules, no file. */
    ComputePolicy(PolicyEngine engine) {
        this.engine = engine;
    }

    /** Refuses with Nova's 403 unless {@code action} allows the caller on {@code target}. */
    public void authorize(ComputeRequest req, String action, PolicyTarget target) {
        if (!engine.allows(req.context(), action, target)) {
            LOG.info("Policy {} refuses user {} (project {}, roles {})", action, req.context().userId(),
                    req.context().projectId(), req.context().roles());
            throw new NovaException(403, "Policy doesn't allow " + action + " to be performed.");
        }
    }

    /** Against the caller's own project (Nova's default target). */
    public void authorize(ComputeRequest req, String action) {
        authorize(req, action, PolicyTarget.project(req.context().projectId()));
    }

    public boolean allows(ComputeRequest req, String action, PolicyTarget target) {
        return engine.allows(req.context(), action, target);
    }

    /** Nova's admin context ({@code context_is_admin}): who sees every project's servers. */
    public boolean isAdmin(ComputeRequest req) {
        return engine.isAdmin(req.context());
    }

    /** A server of {@code project} exists for the caller (Nova's project-filtered lookups: 404 otherwise). */
    public boolean sees(ComputeRequest req, String project) {
        return project != null && project.equals(req.context().projectId()) || isAdmin(req);
    }

    public PolicyEngine engine() {
        return engine;
    }
}
