package org.openstack.jcinder.volume.migration;

import java.nio.file.Path;

import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.volume.ConnectionInfo;
import org.openstack.jcinder.common.volume.MigratedName;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.UpdateMigrated;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.MigrationPath;
import org.openstack.jcinder.common.volume.MigrationPhase;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.volume.copy.CopyControl;
import org.openstack.jcinder.volume.copy.CopyEngine;
import org.openstack.jcinder.volume.driver.VolumeDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * [2] Cinder's {@code _migrate_volume_generic} for a detached volume: a temporary volume is created on the
 * destination ({@code create_volume} over RPC), both volumes are connected to this host, the source backend's
 * copy engine copies the data ({@code copy_volume_data}), both are disconnected, the destination may rename the
 * new object ({@code update_migrated_volume}), and {@link MigrationCompletion} commits the swap. Until that
 * commit the source and its data are untouched; any failure or cancel before it discards the temporary volume.
 */
final class GenericCopyMigration implements MigrationStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(GenericCopyMigration.class);
    private static final long GIB = 1L << 30;

    private final VolumeDriver driver;
    private final CopyEngine copyEngine;
    private final VolumeRepository volumes;
    private final DestinationBackend destinations;
    private final MigrationTargets targets;
    private final MigrationCompletion completion;
    private final MigrationRecorder recorder;
    private final KeptSources kept;
    /** {@code migration_keep_source}: seconds the old copy is kept after the swap; 0 deletes it at once. */
    private final long keepSourceSeconds;

    GenericCopyMigration(VolumeDriver driver, CopyEngine copyEngine, VolumeRepository volumes,
                         DestinationBackend destinations, MigrationTargets targets, MigrationCompletion completion,
                         MigrationRecorder recorder, KeptSources kept, long keepSourceSeconds) {
        this.kept = kept;
        this.keepSourceSeconds = keepSourceSeconds;
        this.driver = driver;
        this.copyEngine = copyEngine;
        this.volumes = volumes;
        this.destinations = destinations;
        this.targets = targets;
        this.completion = completion;
        this.recorder = recorder;
    }

    @Override
    public MigrationPath path() {
        return MigrationPath.GENERIC;
    }

    @Override
    public Fitness fitness(MigrationJob job) {
        return job.attached() ? Fitness.CANNOT : Fitness.DEFAULT;
    }

    @Override
    public String refusal(MigrationJob job) {
        return job.attached() ? "the volume is attached: the compute service must swap it" : null;
    }

    /** Whether a bandwidth change reaches the running copy; dd's does not. */
    boolean followsLiveBandwidthLimit() {
        return copyEngine.followsLiveBandwidthLimit();
    }

    @Override
    public boolean migrate(MigrationJob job) {
        migrateVolumeGeneric(job);
        return true;
    }

    private void migrateVolumeGeneric(MigrationJob job) {
        job.control().throwIfCancelled();
        VolumeEntity v = job.volume();
        BackendHost destination = job.destination();
        VolumeMigrationEntity record = job.record();
        VolumeEntity target = targets.reserve(job);
        recorder.path(record, path(), target.getId());
        boolean committed = false;
        try {
            LOG.info("Migration of volume {}: creating temporary volume {} on {}", v.getId(), target.getId(),
                    destination);
            recorder.phase(record, MigrationPhase.CREATING_DESTINATION);
            targets.createOnDestination(job.ctx(), target, destination);
            copyVolumeData(job, target);
            recorder.phase(record, MigrationPhase.COMPLETING);
            MigratedName name = updateMigratedVolume(job.ctx(), v, target.getId(), destination);
            String oldHost = completion.finish(v.getId(), target.getId(), name);
            committed = true;
            if (keepSourceSeconds > 0) {
                LOG.info("Migration of volume {} committed: now on {}; keeping the old copy on {} for {} s",
                        v.getId(), destination, oldHost, keepSourceSeconds);
                kept.keepSwappedOut(record, target.getId(), keepSourceSeconds);
                recorder.succeeded(record);
                return;
            }
            LOG.info("Migration of volume {} committed: now on {}; deleting the old copy on {}", v.getId(),
                    destination, oldHost);
            recorder.succeeded(record);
            try {
                destinations.deleteVolume(job.ctx(), BackendHost.parse(oldHost), target.getId());
            } catch (RuntimeException e) {
                LOG.warn("Old copy of volume {} (row {}) could not be queued for deletion: {}", v.getId(),
                        target.getId(), e.getMessage());
            }
        } finally {
            if (!committed) {
                targets.discard(job.ctx(), v.getId(), target.getId(), destination);
            }
        }
    }

    /**
     * Cinder's {@code copy_volume_data}: both volumes connected to this host, the copy engine between them, and
     * both disconnected again whatever happened, so loop devices and exports are not left behind.
     */
    private void copyVolumeData(MigrationJob job, VolumeEntity target) {
        CopyControl control = job.control();
        control.throwIfCancelled();
        VolumeEntity v = job.volume();
        VolumeMigrationEntity record = job.record();
        Object thin = job.destinationCapabilities() == null ? null
                : job.destinationCapabilities().get("thin_provisioning_support");
        boolean sparse = Boolean.TRUE.equals(thin);
        long bytes = v.getSize() * GIB;
        long started = System.nanoTime();
        ConnectionInfo dst = destinations.initializeConnection(job.ctx(), job.destination(), target.getId());
        try {
            ConnectionInfo src = driver.initializeConnection(v);
            try {
                LOG.info("Migration of volume {}: copying {} GiB {} -> {} (sparse={})", v.getId(), v.getSize(),
                        src.path(), dst.path(), sparse);
                recorder.copyStarted(record);
                CopyProgressLog log = new CopyProgressLog(v.getId(), src.path() + " -> " + dst.path(), bytes,
                        started);
                copyEngine.copy(Path.of(src.path()), Path.of(dst.path()), bytes, sparse,
                        copied -> recorder.copied(record, copied, log.due(copied)), control);
            } finally {
                driver.terminateConnection(v);
            }
        } finally {
            try {
                destinations.terminateConnection(job.ctx(), job.destination(), target.getId());
            } catch (RuntimeException e) {
                LOG.warn("Could not release the destination's connection of {}: {}", target.getId(), e.getMessage());
            }
        }
        recorder.copied(record, bytes, true);
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        LOG.info("Migration of volume {}: copied {} GiB in {} s ({} MB/s)", v.getId(), v.getSize(),
                String.format("%.1f", seconds), String.format("%.0f", bytes / 1e6 / seconds));
    }

    /**
     * Asks the destination whether its driver gives the new object the source's own name (Cinder's
     * {@code update_migrated_volume}); any failure keeps the temporary name, which {@code _name_id} then covers.
     */
    private MigratedName updateMigratedVolume(RequestContext ctx, VolumeEntity v, String targetId,
                                              BackendHost destination) {
        VolumeStatus originalStatus = v.getPreviousStatus() != null ? v.getPreviousStatus() : v.getStatus();
        boolean stillOurs = volumes.findByIdAndDeletedFalse(targetId)
                .map(t -> MigrationStatus.target(v.getId()).equals(t.getMigrationStatus())).orElse(false);
        if (!stillOurs) {
            // The swap will refuse; renaming first would leave an object no row points at.
            return MigratedName.KEPT;
        }
        try {
            MigratedName name = destinations.updateMigratedVolume(ctx, destination,
                    new UpdateMigrated(v.getId(), targetId, originalStatus));
            LOG.info("Migration of volume {}: the destination {}", v.getId(),
                    name.renamed() ? "renamed the new object to the volume's own name" : "kept the new object's name");
            return name;
        } catch (RuntimeException e) {
            LOG.warn("Migration of volume {}: update_migrated_volume on {} failed, keeping the name: {}", v.getId(),
                    destination, e.getMessage());
            return MigratedName.KEPT;
        }
    }
}
