package org.openstack.jcinder.volume.migration;

/** [3] An attached volume: the compute service swaps it under the running server. The only way for it. */
final class AttachedSwapMigration implements MigrationStrategy {

    private final MigrationPaths paths;

    AttachedSwapMigration(MigrationPaths paths) {
        this.paths = paths;
    }

    @Override
    public String name() {
        return "attached";
    }

    @Override
    public Fitness fitness(MigrationJob job) {
        return job.attached() ? Fitness.HIGHEST : Fitness.CANNOT;
    }

    @Override
    public boolean migrate(MigrationJob job) {
        paths.migrateAttached(job);
        return true;
    }
}
