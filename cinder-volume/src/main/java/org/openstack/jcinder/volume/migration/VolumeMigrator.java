package org.openstack.jcinder.volume.migration;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.openstack.jcinder.common.context.RequestContext;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.VolumeAttachmentEntity;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.MigrateVolume;
import org.openstack.jcinder.common.volume.AttachStatus;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.MigrationPath;
import org.openstack.jcinder.common.volume.MigrationPhase;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.volume.copy.CopyCancelledException;
import org.openstack.jcinder.volume.copy.CopyControl;
import org.openstack.jcinder.volume.copy.CopyEngine;
import org.openstack.jcinder.volume.driver.VolumeDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The volume manager's three-way decision for one backend (the seed's {@code migrateVolume}), made by small
 * ranked {@link MigrationStrategy strategies} — the best that fits runs first:
 * <ol>
 *   <li>driver-native when the volume is detached and no host copy is forced; a driver that cannot or fails
 *       answers "not moved" and the flow goes on — unlike Cinder, which stops with an error;</li>
 *   <li>generic ({@code migrateVolumeGeneric}): a temporary volume on the destination, both attached to this
 *       host, {@code copyVolumeData}, then {@code migrateVolumeCompletion} swaps the rows;</li>
 *   <li>attached: the compute service swaps the volume under the guest; its completion commits.</li>
 * </ol>
 * Until the completion commits, the source volume and its data are untouched; any failure before that deletes
 * the temporary volume and leaves the user's volume as it was, with {@code migration_status=error}.
 */
public class VolumeMigrator {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeMigrator.class);
    private static final List<MigrationStatus> ACTIVE = MigrationStatus.ACTIVE;

    private final String serviceHost;
    private final VolumeDriver driver;
    private final MigrationSupport s;
    private final MigrationPaths paths;
    private final List<MigrationStrategy> strategies;
    /** The running migrations of this backend's volumes: their controls and records, by volume id. */
    private final Map<String, CopyControl> controls = new ConcurrentHashMap<>();
    private final Map<String, VolumeMigrationEntity> records = new ConcurrentHashMap<>();

    public VolumeMigrator(String serviceHost, VolumeDriver driver, MigrationSupport support, CopyEngine copyEngine) {
        this.serviceHost = serviceHost;
        this.driver = driver;
        this.s = support;
        this.paths = new MigrationPaths(driver, support, copyEngine);
        this.strategies = List.of(new DriverNativeMigration(paths), new GenericCopyMigration(paths),
                new AttachedSwapMigration(paths));
    }

    public void migrateVolume(RequestContext ctx, MigrateVolume req) {
        CopyControl control = new CopyControl(req.bpsLimit() == null ? CopyControl.BACKEND_DEFAULT : req.bpsLimit());
        // Registered before the volume shows "migrating", so a cancel that follows the status finds it.
        controls.put(req.volumeId(), control);
        try {
            VolumeEntity v = s.volumes().findByIdAndDeletedFalse(req.volumeId()).orElse(null);
            if (v == null || s.volumes().compareAndSetMigrationStatus(req.volumeId(),
                    List.of(MigrationStatus.STARTING), MigrationStatus.MIGRATING, Clock.now()) == 0) {
                LOG.warn("migrate_volume: volume {} is gone or not waiting to migrate; nothing to do", req.volumeId());
                return;
            }
            run(ctx, req, v, control);
        } finally {
            controls.remove(req.volumeId());
            records.remove(req.volumeId());
        }
    }

    private void run(RequestContext ctx, MigrateVolume req, VolumeEntity v, CopyControl control) {
        BackendHost destination = BackendHost.parse(req.destinationHost());
        VolumeMigrationEntity record = paths.newRecord(ctx, v, req);
        records.put(v.getId(), record);
        LOG.info("Migration of volume {} from {} to {} started (force_host_copy={}, bps_limit={})", v.getId(),
                v.getHost(), destination, req.forceHostCopy(), req.bpsLimit() == null ? "backend default"
                        : req.bpsLimit());
        try {
            List<VolumeAttachmentEntity> attached = s.attachments().findByVolumeIdAndDeletedFalse(v.getId()).stream()
                    .filter(a -> a.getAttachStatus() == AttachStatus.ATTACHED).toList();
            MigrationJob job = new MigrationJob(ctx, v, destination, req.destinationCapabilities(),
                    req.forceHostCopy(), req.newTypeId(), attached, record, control);
            control.throwIfCancelled();
            for (MigrationStrategy strategy : MigrationStrategy.ranked(strategies, job)) {
                if (strategy.migrate(job)) {
                    return;
                }
            }
            throw new VolumeDriverException("no migration path could move the volume");
        } catch (CopyCancelledException e) {
            LOG.info("Migration of volume {} from {} to {} cancelled; the source is untouched", v.getId(),
                    v.getHost(), destination);
            s.volumes().failMigration(v.getId(), ACTIVE, e.getMessage(), Clock.now());
            paths.finish(record, MigrationPhase.ERROR, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Migration of volume {} from {} to {} failed: {}", v.getId(), v.getHost(), destination,
                    e.getMessage());
            s.volumes().failMigration(v.getId(), ACTIVE, MigrationPaths.truncate(e.getMessage()), Clock.now());
            paths.finish(record, MigrationPhase.ERROR, e.getMessage());
        }
    }

    /**
     * After a restart nothing is left half-way (Cinder leaves such volumes in {@code migrating} for ever): a
     * migration of one of this backend's volumes that was in flight ends in {@code error} with the lock
     * released, and temporary volumes on this backend whose migration is over are deleted.
     */
    public void recoverAfterRestart() {
        for (VolumeEntity v : s.volumes().findByHostStartingWithAndMigrationStatusInAndDeletedFalse(
                serviceHost + "#", ACTIVE)) {
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
            s.volumes().failMigration(v.getId(), ACTIVE, "interrupted by a restart of " + serviceHost, Clock.now());
            s.migrations().findFirstByVolumeIdOrderByCreatedAtDesc(v.getId())
                    .filter(r -> r.getFinishedAt() == null)
                    .ifPresent(r -> paths.finish(r, MigrationPhase.ERROR,
                            "interrupted by a restart of " + serviceHost));
        }
        for (VolumeEntity t : s.volumes().findByHostStartingWithAndDeletedFalse(serviceHost + "#")) {
            if (!(t.getMigrationStatus() instanceof MigrationStatus.Target target)) {
                continue;
            }
            String sourceId = target.sourceId();
            boolean sourceMigrating = s.volumes().findByIdAndDeletedFalse(sourceId)
                    .map(src -> MigrationStatus.isActive(src.getMigrationStatus())).orElse(false);
            if (!sourceMigrating) {
                LOG.warn("Deleting temporary volume {} of an ended migration of volume {}", t.getId(), sourceId);
                try {
                    driver.deleteVolume(t);
                    s.volumes().softDelete(t.getId(), Clock.now());
                } catch (RuntimeException e) {
                    LOG.error("Temporary volume {} could not be deleted: {}", t.getId(), e.getMessage());
                }
            }
        }
    }

    private boolean computeIsCopying(String volumeId) {
        return s.migrations().findFirstByVolumeIdOrderByCreatedAtDesc(volumeId)
                .filter(r -> r.getFinishedAt() == null && r.getPath() == MigrationPath.ATTACHED)
                .map(r -> r.getState().inComputeService())
                .orElse(false);
    }

    /** {@code os-migrate_volume_cancel}: stops this backend's running migration of the volume, if any. */
    public void cancel(String volumeId) {
        CopyControl control = controls.get(volumeId);
        if (control == null) {
            LOG.warn("migrate_volume_cancel: no migration of volume {} is running on {}", volumeId, serviceHost);
            return;
        }
        LOG.info("Cancelling the migration of volume {} on {}", volumeId, serviceHost);
        control.cancel();
    }

    /**
     * {@code os-migrate_volume_update}: a new bandwidth limit for the running copy. The native engine picks it
     * up within one pause; dd cannot change the rate of a running process, which the record then says.
     */
    public void updateBandwidth(String volumeId, long bpsLimit) {
        CopyControl control = controls.get(volumeId);
        if (control == null) {
            LOG.warn("migrate_volume_update: no migration of volume {} is running on {}", volumeId, serviceHost);
            return;
        }
        control.setBpsLimit(bpsLimit);
        VolumeMigrationEntity record = records.get(volumeId);
        LOG.info("Migration of volume {}: bandwidth limit set to {} bytes/s{}", volumeId, bpsLimit,
                bpsLimit == 0 ? " (unlimited)" : "");
        if (record != null) {
            record.setBpsLimit(bpsLimit);
            if (record.getPath() == MigrationPath.GENERIC && !paths.copyEngine().followsLiveBandwidthLimit()) {
                paths.note(record, "bps_limit " + bpsLimit + " not applied: the dd copy engine has no throttle");
            } else {
                s.migrations().save(record);
            }
        }
    }

    /** Closes the record of a migration that the compute service completed (or reported failed). */
    public void completedByCompute(String volumeId, boolean error) {
        s.migrations().findFirstByVolumeIdOrderByCreatedAtDesc(volumeId).filter(r -> r.getFinishedAt() == null)
                .ifPresent(r -> paths.finish(r, error ? MigrationPhase.ERROR : MigrationPhase.SUCCESS,
                        !error ? r.getDetail() : r.isCancelRequested() ? "cancelled"
                                : "the compute service reported an error"));
    }
}
