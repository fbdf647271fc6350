package org.openstack.jcinder.volume.migration;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.openstack.jcinder.common.context.RequestContext;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.VolumeAttachmentEntity;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.ConnectionInfo;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.MigrateVolume;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.MigratedName;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.UpdateMigrated;
import org.openstack.jcinder.common.volume.AttachStatus;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.MigrationPath;
import org.openstack.jcinder.common.volume.MigrationPhase;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.volume.copy.CopyCancelledException;
import org.openstack.jcinder.volume.copy.CopyControl;
import org.openstack.jcinder.volume.copy.CopyEngine;
import org.openstack.jcinder.volume.driver.VolumeDriver;
import org.openstack.jcinder.volume.driver.VolumeDriver.MoveResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the three migration paths for one backend — the seed's {@code migrateVolumeGeneric},
 * {@code copyVolumeData} and the hand-over to the compute service — and the migration record they keep.
 * Until the completion commits, the source volume and its data are untouched; a failure before that deletes
 * the temporary volume.
 */
final class MigrationPaths {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeMigrator.class);
    private static final long GIB = 1L << 30;
    private static final List<MigrationStatus> ACTIVE = MigrationStatus.ACTIVE;

    private final VolumeDriver driver;
    private final MigrationSupport s;
    private final CopyEngine copyEngine;

    CopyEngine copyEngine() {
        return copyEngine;
    }

    MigrationPaths(VolumeDriver driver, MigrationSupport support, CopyEngine copyEngine) {
        this.copyEngine = copyEngine;
        this.driver = driver;
        this.s = support;
    }

    boolean tryDriver(MigrationJob j) {
        return tryDriver(j.volume(), j.destination(), j.destinationCapabilities(), j.record(), j.newTypeId(),
                j.control());
    }

    void migrateAttached(MigrationJob j) {
        migrateAttached(j.ctx(), j.volume(), j.destination(), j.attachments(), j.record(), j.newTypeId());
    }

    void migrateVolumeGeneric(MigrationJob j) {
        migrateVolumeGeneric(j.ctx(), j.volume(), j.destination(), j.destinationCapabilities(), j.record(),
                j.newTypeId(), j.control());
    }

    /** Path 1. True when the driver moved the volume; a failure is recorded and answered as "not moved". */
    private boolean tryDriver(VolumeEntity v, BackendHost destination, Map<String, Object> caps,
                              VolumeMigrationEntity record, String newTypeId, CopyControl control) {
        MoveResult result;
        try {
            result = driver.migrateVolume(v, destination, caps, control);
        } catch (CopyCancelledException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("Driver migration of volume {} to {} failed, falling back to a host copy: {}", v.getId(),
                    destination, e.getMessage());
            note(record, "driver migration failed: " + e.getMessage());
            return false;
        }
        if (!result.moved()) {
            LOG.info("Driver did not move volume {} ({}); copying through the host", v.getId(), result.reason());
            note(record, "driver did not move: " + result.reason());
            return false;
        }
        String serviceUuid = s.services().findByHostAndBinaryName(destination.serviceHost(), "cinder-volume")
                .map(svc -> svc.getUuid()).orElse(null);
        // The record first: whoever sees the volume's "success" also sees which path moved it.
        record.setPath(MigrationPath.DRIVER);
        record.setBytesCopied(record.getBytesTotal());
        s.migrations().save(record);
        s.volumes().finishMovedByDriver(v.getId(), destination.toString(), serviceUuid, result.providerLocation(),
                newTypeId, Clock.now());
        finish(record, MigrationPhase.SUCCESS, record.getDetail());
        LOG.info("Migration of volume {} to {} done by the driver", v.getId(), destination);
        return true;
    }

    /**
     * Path 3: the temporary volume is created, then Nova is asked to swap each attachment's server onto it.
     * The hypervisor copies while the guest runs; Nova calls {@code os-migrate_volume_completion}, which
     * commits (or, with an error, deletes the temporary volume). Nova refusing ends the migration here.
     */
    private void migrateAttached(RequestContext ctx, VolumeEntity v, BackendHost destination,
                                 List<VolumeAttachmentEntity> attached, VolumeMigrationEntity record,
                                 String newTypeId) {
        record.setPath(MigrationPath.ATTACHED);
        VolumeEntity target = newTarget(v, destination, newTypeId);
        s.volumes().saveAndFlush(target);
        record.setTargetVolumeId(target.getId());
        phase(record, MigrationPhase.CREATING_DESTINATION);
        try {
            s.volumeRpc().createMigrationTarget(ctx, destination, target.getId(), s.createTargetTimeout());
            for (VolumeAttachmentEntity a : attached) {
                if (a.getInstanceUuid() == null) {
                    throw new VolumeDriverException("attachment " + a.getId() + " is to a host, not a server: "
                            + "only Nova can move an attached volume");
                }
                s.nova().updateServerVolume(ctx, a.getInstanceUuid(), v.getId(), target.getId());
            }
        } catch (RuntimeException e) {
            discardTarget(ctx, v.getId(), target.getId(), destination);
            throw e;
        }
        phase(record, MigrationPhase.WAITING_FOR_COMPUTE);
        LOG.info("Migration of attached volume {}: the compute service is swapping {} server(s) to {} on {}",
                v.getId(), attached.size(), target.getId(), destination);
    }

    /** Path 2: temporary volume on the destination, host copy, then the swap. */
    private void migrateVolumeGeneric(RequestContext ctx, VolumeEntity v, BackendHost destination,
                                      Map<String, Object> caps, VolumeMigrationEntity record, String newTypeId,
                                      CopyControl control) {
        control.throwIfCancelled();
        record.setPath(MigrationPath.GENERIC);
        VolumeEntity target = newTarget(v, destination, newTypeId);
        s.volumes().saveAndFlush(target);
        record.setTargetVolumeId(target.getId());
        s.migrations().save(record);
        boolean committed = false;
        try {
            LOG.info("Migration of volume {}: creating temporary volume {} on {}", v.getId(), target.getId(),
                    destination);
            phase(record, MigrationPhase.CREATING_DESTINATION);
            s.volumeRpc().createMigrationTarget(ctx, destination, target.getId(), s.createTargetTimeout());
            copyVolumeData(ctx, v, target, destination, caps, record, control);
            phase(record, MigrationPhase.COMPLETING);
            MigratedName name = handOverName(ctx, v, target.getId(), destination);
            String oldHost = s.completion().finish(v.getId(), target.getId(), name);
            committed = true;
            LOG.info("Migration of volume {} committed: now on {}; deleting the old copy on {}", v.getId(),
                    destination, oldHost);
            finish(record, MigrationPhase.SUCCESS, record.getDetail());
            try {
                s.volumeRpc().deleteVolume(ctx, BackendHost.parse(oldHost), target.getId());
            } catch (RuntimeException e) {
                LOG.warn("Old copy of volume {} (row {}) could not be queued for deletion: {}", v.getId(),
                        target.getId(), e.getMessage());
            }
        } finally {
            if (!committed) {
                discardTarget(ctx, v.getId(), target.getId(), destination);
            }
        }
    }

    /**
     * Asks the destination whether its driver gives the new object the source's own name (Cinder's
     * {@code update_migrated_volume}); any failure keeps the temporary name, which {@code _name_id} then covers.
     */
    private MigratedName handOverName(RequestContext ctx, VolumeEntity v, String targetId, BackendHost destination) {
        VolumeStatus originalStatus = v.getPreviousStatus() != null ? v.getPreviousStatus() : v.getStatus();
        boolean stillOurs = s.volumes().findByIdAndDeletedFalse(targetId)
                .map(t -> MigrationStatus.target(v.getId()).equals(t.getMigrationStatus())).orElse(false);
        if (!stillOurs) {
            // The swap will refuse; renaming first would leave an object no row points at.
            return MigratedName.KEPT;
        }
        try {
            MigratedName name = s.volumeRpc().updateMigratedVolume(ctx, destination,
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

    private void copyVolumeData(RequestContext ctx, VolumeEntity v, VolumeEntity target, BackendHost destination,
                                Map<String, Object> caps, VolumeMigrationEntity record, CopyControl control) {
        control.throwIfCancelled();
        boolean sparse = Boolean.TRUE.equals(caps == null ? null : caps.get("thin_provisioning_support"));
        long bytes = v.getSize() * GIB;
        long started = System.nanoTime();
        ConnectionInfo dst = s.volumeRpc().initializeConnection(ctx, destination, target.getId());
        try {
            ConnectionInfo src = driver.initializeConnection(v);
            try {
                LOG.info("Migration of volume {}: copying {} GiB {} -> {} (sparse={})", v.getId(), v.getSize(),
                        src.path(), dst.path(), sparse);
                record.setCopyStartedAt(Clock.now());
                phase(record, MigrationPhase.COPYING);
                ProgressReporter reporter = new ProgressReporter(v.getId(), src.path() + " -> " + dst.path(), bytes,
                        started);
                copyEngine.copy(Path.of(src.path()), Path.of(dst.path()), bytes, sparse, copied -> {
                    record.setBytesCopied(copied);
                    record.setUpdatedAt(Clock.now());
                    if (reporter.due(copied)) {
                        s.migrations().save(record);
                    }
                }, control);
            } finally {
                driver.terminateConnection(v);
            }
        } finally {
            // Both sides are detached whatever happened: loop devices and exports are not left behind.
            try {
                s.volumeRpc().terminateConnection(ctx, destination, target.getId());
            } catch (RuntimeException e) {
                LOG.warn("Could not release the destination's connection of {}: {}", target.getId(), e.getMessage());
            }
        }
        record.setBytesCopied(bytes);
        s.migrations().save(record);
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        LOG.info("Migration of volume {}: copied {} GiB in {} s ({} MB/s)", v.getId(), v.getSize(),
                String.format("%.1f", seconds), String.format("%.0f", bytes / 1e6 / seconds));
    }

    /** Says when to log and persist progress: every 10 % or every 5 s, whichever comes first. */
    private static final class ProgressReporter {
        private final String volumeId;
        private final String route;
        private final long total;
        private final long started;
        private long lastLogged;
        private long lastBytes;

        ProgressReporter(String volumeId, String route, long total, long started) {
            this.volumeId = volumeId;
            this.route = route;
            this.total = total;
            this.started = started;
            this.lastLogged = started;
        }

        boolean due(long copied) {
            long now = System.nanoTime();
            boolean tenPercent = total > 0 && (copied - lastBytes) * 10 >= total;
            if (!tenPercent && now - lastLogged < 5_000_000_000L) {
                return false;
            }
            double seconds = Math.max(1e-3, (now - started) / 1e9);
            double rate = copied / seconds;
            LOG.info("Migration of volume {} ({}): {} of {} MB copied, {}%, {} MB/s, ETA {} s", volumeId, route,
                    copied / 1_000_000, total / 1_000_000, total == 0 ? 100 : copied * 100 / total,
                    String.format("%.0f", rate / 1e6), rate <= 0 ? "?" : String.format("%.0f", (total - copied) / rate));
            lastLogged = now;
            lastBytes = copied;
            return true;
        }
    }

    /** Removes the temporary volume of a failed migration; the user's volume was never touched. */
    void discardTarget(RequestContext ctx, String sourceId, String targetId, BackendHost destination) {
        try {
            s.volumes().compareAndSetMigrationStatus(targetId, List.of(MigrationStatus.target(sourceId)),
                    MigrationStatus.DELETING, Clock.now());
            if (s.volumes().compareAndSetStatus(targetId, List.of(VolumeStatus.CREATING, VolumeStatus.AVAILABLE,
                    VolumeStatus.ERROR), VolumeStatus.DELETING, Clock.now()) > 0) {
                s.volumeRpc().deleteVolume(ctx, destination, targetId);
            }
        } catch (RuntimeException e) {
            LOG.warn("Temporary volume {} could not be cleaned up: {}", targetId, e.getMessage());
        }
    }

    /** The temporary destination row; with a retype it already has the new type, which the swap hands over. */
    private static VolumeEntity newTarget(VolumeEntity v, BackendHost destination, String newTypeId) {
        VolumeEntity t = new VolumeEntity();
        t.setId(UUID.randomUUID().toString());
        t.setSize(v.getSize());
        t.setDisplayName(v.getDisplayName());
        t.setDisplayDescription(v.getDisplayDescription());
        t.setStatus(VolumeStatus.CREATING);
        t.setAttachStatus(AttachStatus.DETACHED);
        t.setMigrationStatus(MigrationStatus.target(v.getId()));
        t.setHost(destination.toString());
        t.setAvailabilityZone(v.getAvailabilityZone());
        t.setVolumeTypeId(newTypeId != null ? newTypeId : v.getVolumeTypeId());
        t.setProjectId(v.getProjectId());
        t.setUserId(v.getUserId());
        t.setBootable(v.isBootable());
        t.setMultiattach(v.isMultiattach());
        t.setMetadata(new HashMap<>(v.getMetadata()));
        t.setCreatedAt(Clock.now());
        return t;
    }

    VolumeMigrationEntity newRecord(RequestContext ctx, VolumeEntity v, MigrateVolume req) {
        VolumeMigrationEntity r = new VolumeMigrationEntity();
        r.setId(UUID.randomUUID().toString());
        r.setVolumeId(v.getId());
        r.setRequestId(ctx.requestId());
        r.setSourceHost(v.getHost());
        r.setDestinationHost(req.destinationHost());
        r.setForceHostCopy(req.forceHostCopy());
        r.setState(MigrationPhase.MIGRATING);
        r.setBytesTotal(v.getSize() * GIB);
        r.setBpsLimit(req.bpsLimit());
        r.setCreatedAt(Clock.now());
        return s.migrations().save(r);
    }

    void phase(VolumeMigrationEntity r, MigrationPhase phase) {
        r.setState(phase);
        r.setUpdatedAt(Clock.now());
        s.migrations().save(r);
    }

    void note(VolumeMigrationEntity r, String detail) {
        r.setDetail(truncate(r.getDetail() == null ? detail : r.getDetail() + "; " + detail));
        r.setUpdatedAt(Clock.now());
        s.migrations().save(r);
    }

    void finish(VolumeMigrationEntity r, MigrationPhase state, String detail) {
        r.setState(state);
        r.setDetail(truncate(detail));
        r.setFinishedAt(Clock.now());
        r.setUpdatedAt(r.getFinishedAt());
        s.migrations().save(r);
    }

    static String truncate(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 1000);
    }

}
