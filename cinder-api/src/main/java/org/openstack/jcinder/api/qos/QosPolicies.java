package org.openstack.jcinder.api.qos;

import static org.openstack.jcinder.api.policy.BasePolicies.ADMIN;

import java.util.List;

import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;
import org.springframework.stereotype.Component;

/** Cinder's QoS specs rules ({@code cinder/policies/qos_specs.py}): all admin-only by default. */
@Component
public class QosPolicies implements PolicyRuleSource {

    public static final String CREATE = "volume_extension:qos_specs_manage:create";
    public static final String GET = "volume_extension:qos_specs_manage:get";
    public static final String GET_ALL = "volume_extension:qos_specs_manage:get_all";
    public static final String UPDATE = "volume_extension:qos_specs_manage:update";
    public static final String DELETE = "volume_extension:qos_specs_manage:delete";

    @Override
    public List<RuleDefault> rules() {
        return List.of(
                new RuleDefault(GET_ALL, ADMIN, "List qos specs or list all associations."),
                new RuleDefault(GET, ADMIN, "Show qos specs."),
                new RuleDefault(CREATE, ADMIN, "Create qos specs."),
                new RuleDefault(UPDATE, ADMIN, "Update qos specs (including updating association)."),
                new RuleDefault(DELETE, ADMIN, "delete qos specs or unset one specified qos key."));
    }
}
