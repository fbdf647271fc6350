package org.openstack.jcinder.shared.policy;

import java.util.List;

/**
 * The default rules of one feature (Cinder keeps one module per feature under {@code cinder/policies}). Each
 * feature package declares its own as a Spring bean; the {@link PolicyEnforcer} collects them all.
 */
public interface PolicyRuleSource {
    List<RuleDefault> rules();
}
