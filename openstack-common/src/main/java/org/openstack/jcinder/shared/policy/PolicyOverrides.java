package org.openstack.jcinder.shared.policy;

import java.util.Map;

/**
 * The operator's rules that replace defaults ({@code [oslo_policy] policy_file}); empty when there is none. A
 * value is a check string, or oslo.policy's list form (a list of lists of checks).
 * <p>
 * Contract: the same map object is handed back until the rules change, a new one afterwards; the engine
 * re-parses only when the object changes.
 */
public interface PolicyOverrides {
    Map<String, ?> rules();
}
