package org.openstack.jcinder.volume.migration;

import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.MigrationPath;
import org.openstack.jcinder.common.volume.MigrationPhase;
import org.openstack.jcinder.volume.driver.VolumeDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one backend does at start about migrations its previous life left behind: nothing stays half-way
 * (Cinder leaves such volumes in {@code migrating} for ever). A migration of one of its volumes that was in
 * flight ends in {@code error} with the lock released — unless the compute service is the one copying it — and
 * temporary volumes on this backend whose migration is over are deleted. A migration still waiting in the
 * queue was not interrupted: it stays queued, and the migrator admits it in its turn.
 */
final class MigrationRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationRecovery.class);

    private final String serviceHost;
    private final VolumeDriver driver;
    private final VolumeRepository volumes;
    private final MigrationRecorder recorder;

    MigrationRecovery(String serviceHost, VolumeDriver driver, VolumeRepository volumes, MigrationRecorder recorder) {
        this.serviceHost = serviceHost;
        this.driver = driver;
        this.volumes = volumes;
        this.recorder = recorder;
    }

    void recoverAfterRestart() {
        failInterruptedMigrations();
        deleteOrphanedTargets();
    }

    private void failInterruptedMigrations() {
        String reason = "interrupted by a restart of " + serviceHost;
        for (VolumeEntity v : volumes.findByHostStartingWithAndMigrationStatusInAndDeletedFalse(serviceHost + "#",
                MigrationStatus.ACTIVE)) {
            if (recorder.open(v.getId()).map(r -> r.getState() == MigrationPhase.QUEUED).orElse(false)) {
                LOG.info("Migration of volume {} is still queued on {}; it keeps its place", v.getId(), serviceHost);
                continue;
            }
            if (computeIsCopying(v.getId())) {
                // The copy runs in the compute service, not here: the guest may already be on the temporary
                // volume, so failing the migration (and deleting that volume) could lose the guest's data.
                // Nova's completion finishes it as if nothing had happened.
                LOG.warn("Migration of attached volume {} survives the restart of {}: the compute service is "
                        + "copying it and will call os-migrate_volume_completion", v.getId(), serviceHost);
                continue;
            }
            LOG.warn("Migration of volume {} was interrupted by a restart of {}; marking it failed", v.getId(),
                    serviceHost);
            volumes.failMigration(v.getId(), MigrationStatus.ACTIVE, reason, Clock.now());
            recorder.open(v.getId()).ifPresent(r -> recorder.failed(r, reason));
        }
    }

    private void deleteOrphanedTargets() {
        for (VolumeEntity t : volumes.findByHostStartingWithAndDeletedFalse(serviceHost + "#")) {
            if (!(t.getMigrationStatus() instanceof MigrationStatus.Target target)) {
                continue;
            }
            String sourceId = target.sourceId();
            boolean sourceMigrating = volumes.findByIdAndDeletedFalse(sourceId)
                    .map(src -> MigrationStatus.isActive(src.getMigrationStatus())).orElse(false);
            if (!sourceMigrating) {
                LOG.warn("Deleting temporary volume {} of an ended migration of volume {}", t.getId(), sourceId);
                try {
                    driver.deleteVolume(t);
                    volumes.softDelete(t.getId(), Clock.now());
                } catch (RuntimeException e) {
                    LOG.error("Temporary volume {} could not be deleted: {}", t.getId(), e.getMessage());
                }
            }
        }
    }

    private boolean computeIsCopying(String volumeId) {
        return recorder.open(volumeId)
                .filter(r -> r.getPath() == MigrationPath.ATTACHED)
                .map(r -> r.getState().inComputeService())
                .orElse(false);
    }
}
