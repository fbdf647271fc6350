package org.openstack.jcinder.api.services;

import static org.openstack.jcinder.api.policy.BasePolicies.ADMIN;

import java.util.List;

import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;
import org.springframework.stereotype.Component;

/** Cinder's rules of the services API ({@code cinder/policies/services.py}) that this API serves. */
@Component
public class ServicePolicies implements PolicyRuleSource {

    public static final String GET_ALL = "volume_extension:services:index";

    @Override
    public List<RuleDefault> rules() {
        return List.of(RuleDefault.of(GET_ALL, ADMIN, "List all services.", "GET /os-services"));
    }
}
