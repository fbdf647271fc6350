package org.openstack.jcinder.volume.migration;

/**
 * [1] The backend moves the volume itself — only when it is detached and no host copy is forced. A driver
 * that cannot, or fails, answers "not moved" (recorded on the migration) and the generic copy runs.
 */
final class DriverNativeMigration implements MigrationStrategy {

    private final MigrationPaths paths;

    DriverNativeMigration(MigrationPaths paths) {
        this.paths = paths;
    }

    @Override
    public String name() {
        return "driver";
    }

    @Override
    public Fitness fitness(MigrationJob job) {
        return job.attached() || job.forceHostCopy() ? Fitness.CANNOT : Fitness.HIGHEST;
    }

    @Override
    public boolean migrate(MigrationJob job) {
        return paths.tryDriver(job);
    }
}
