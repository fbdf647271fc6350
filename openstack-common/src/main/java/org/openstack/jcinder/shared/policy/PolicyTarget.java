package org.openstack.jcinder.shared.policy;

import java.util.Map;

/**
 * The object a rule is checked against: oslo.policy's {@code target} dict, read by {@code %(key)s} in a check
 * string. Cinder passes the resource's {@code project_id} (and {@code user_id}) where it has one, and the
 * caller's own project otherwise.
 */
public record PolicyTarget(Map<String, String> values) {

    public PolicyTarget {
        values = Map.copyOf(values);
    }

    public static PolicyTarget project(String projectId) {
        return projectId == null ? new PolicyTarget(Map.of()) : new PolicyTarget(Map.of("project_id", projectId));
    }

    public static PolicyTarget owner(String projectId, String userId) {
        if (userId == null) {
            return project(projectId);
        }
        return new PolicyTarget(projectId == null ? Map.of("user_id", userId)
                : Map.of("project_id", projectId, "user_id", userId));
    }

    public String get(String key) {
        return values.get(key);
    }
}
