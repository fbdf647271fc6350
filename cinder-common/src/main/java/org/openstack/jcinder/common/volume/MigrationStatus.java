package org.openstack.jcinder.common.volume;

import java.util.List;

/** The {@code migration_status} values during which a migration is in flight (Cinder's rule). */
public final class MigrationStatus {

    public static final List<String> ACTIVE = List.of("starting", "migrating", "completing");

    private MigrationStatus() {
    }

    public static boolean isActive(String migrationStatus) {
        return migrationStatus != null && ACTIVE.contains(migrationStatus);
    }
}
