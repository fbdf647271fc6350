package org.openstack.jcinder.api.web;

import java.util.Set;

/**
 * Both URL forms of the v3 API: {@code /v3/{project_id}/volumes} (the historic one) and {@code /v3/volumes}
 * (project from the token, microversion-independent since Yoga). Each controller maps both.
 */
public final class ApiPaths {

    private static final Set<String> COLLECTIONS = Set.of("volumes", "types", "os-services", "scheduler-stats",
            "attachments", "snapshots", "limits", "os-availability-zone", "messages", "os-quota-sets",
            "os-quota-class-sets", "extensions", "backups", "groups", "group_types", "os-hosts", "workers",
            "clusters", "qos-specs", "default-types", "os-volume-transfer", "volume-transfers");

    private ApiPaths() {
    }

    public static boolean isCollection(String segment) {
        return COLLECTIONS.contains(segment);
    }
}
