package org.openstack.jcinder.volume.migration;

/** [2] Temporary volume on the destination, both attached to this host, copy, then the swap. Detached only. */
final class GenericCopyMigration implements MigrationStrategy {

    private final MigrationPaths paths;

    GenericCopyMigration(MigrationPaths paths) {
        this.paths = paths;
    }

    @Override
    public String name() {
        return "generic";
    }

    @Override
    public Fitness fitness(MigrationJob job) {
        return job.attached() ? Fitness.CANNOT : Fitness.DEFAULT;
    }

    @Override
    public boolean migrate(MigrationJob job) {
        paths.migrateVolumeGeneric(job);
        return true;
    }
}
