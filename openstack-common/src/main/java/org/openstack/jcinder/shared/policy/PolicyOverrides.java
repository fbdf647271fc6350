package org.openstack.jcinder.shared.policy;

import java.util.Map;

/** The operator's rules that replace defaults ({@code [oslo_policy] policy_file}); empty when there is none. */
public interface PolicyOverrides {
    Map<String, String> rules();
}
