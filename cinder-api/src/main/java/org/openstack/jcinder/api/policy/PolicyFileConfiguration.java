package org.openstack.jcinder.api.policy;

import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.CinderOptions;
import org.openstack.jcinder.shared.policy.PolicyFile;
import org.openstack.jcinder.shared.policy.PolicyOverrides;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The operator's rules for the {@link PolicyEnforcer}: cinder.conf's {@code [oslo_policy] policy_file}. */
@Configuration(proxyBeanMethods = false)
public class PolicyFileConfiguration {

    @Bean
    PolicyOverrides cinderPolicyFile(CinderConfig config) {
        return new PolicyFile(PolicyFile.locate(config.file(), CinderOptions.POLICY_FILE));
    }
}
