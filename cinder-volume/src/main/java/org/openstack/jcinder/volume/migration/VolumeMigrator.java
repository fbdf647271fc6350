package org.openstack.jcinder.volume.migration;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.VolumeAttachmentEntity;
import org.openstack.jcinder.common.db.VolumeAttachmentRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.Completion;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.CompletionResult;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.MigrateVolume;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.AttachStatus;
import org.openstack.jcinder.volume.copy.CopyCancelledException;
import org.openstack.jcinder.volume.copy.CopyControl;
import org.openstack.jcinder.volume.driver.VolumeDriver;
import org.openstack.jcinder.common.exception.VolumeNotFoundException;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.MigrationPlan;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.MigrationRevert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The volume manager's three-way decision for one backend (Cinder's {@code migrate_volume} on the source),
 * made by ranked {@link MigrationStrategy strategies}, the best that fits first, until one has moved the volume:
 * {@link DriverNativeMigration} (detached, no forced host copy; "not moved" goes on to the next),
 * {@link GenericCopyMigration} (detached), {@link AttachedSwapMigration} (attached: the compute service swaps
 * it and its completion commits). Until a path commits, the source volume and its data are untouched; any
 * failure before that leaves the user's volume as it was, with {@code migration_status=error}.
 *
 * <p>Also the handle on this backend's running migrations: cancel and bandwidth changes reach them here.
 */
public class VolumeMigrator {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeMigrator.class);

    private final String serviceHost;
    private final VolumeRepository volumes;
    private final VolumeAttachmentRepository attachments;
    private final MigrationRecorder recorder;
    private final List<MigrationStrategy> strategies;
    private final GenericCopyMigration generic;
    private final AttachedSwapMigration attached;
    private final MigrationRecovery recovery;
    private final KeptSources kept;
    private final VolumeDriver driver;
    private final long keepSourceSeconds;
    /** The running migrations of this backend's volumes: their controls and records, by volume id. */
    private final Map<String, CopyControl> controls = new ConcurrentHashMap<>();
    private final Map<String, VolumeMigrationEntity> records = new ConcurrentHashMap<>();

    VolumeMigrator(String serviceHost, VolumeRepository volumes, VolumeAttachmentRepository attachments,
                   MigrationRecorder recorder, DriverNativeMigration driverNative, GenericCopyMigration generic,
                   AttachedSwapMigration attached, MigrationRecovery recovery, KeptSources kept,
                   VolumeDriver driver, long keepSourceSeconds) {
        this.kept = kept;
        this.driver = driver;
        this.keepSourceSeconds = keepSourceSeconds;
        this.serviceHost = serviceHost;
        this.volumes = volumes;
        this.attachments = attachments;
        this.recorder = recorder;
        this.generic = generic;
        this.attached = attached;
        this.recovery = recovery;
        this.strategies = List.of(driverNative, generic, attached);
    }

    /** Cinder's {@code migrate_volume}, on the source backend once the scheduler accepted the destination. */
    public void migrateVolume(RequestContext ctx, MigrateVolume req) {
        CopyControl control = new CopyControl(req.bpsLimit() == null ? CopyControl.BACKEND_DEFAULT : req.bpsLimit());
        // Registered before the volume shows "migrating", so a cancel that follows the status finds it.
        controls.put(req.volumeId(), control);
        try {
            VolumeEntity v = volumes.findByIdAndDeletedFalse(req.volumeId()).orElse(null);
            if (v == null || volumes.compareAndSetMigrationStatus(req.volumeId(),
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
        VolumeMigrationEntity record = recorder.start(ctx, v, req);
        records.put(v.getId(), record);
        LOG.info("Migration of volume {} from {} to {} started (force_host_copy={}, bps_limit={})", v.getId(),
                v.getHost(), destination, req.forceHostCopy(), req.bpsLimit() == null ? "backend default"
                        : req.bpsLimit());
        try {
            List<VolumeAttachmentEntity> attachedTo = attachments.findByVolumeIdAndDeletedFalse(v.getId()).stream()
                    .filter(a -> a.getAttachStatus() == AttachStatus.ATTACHED).toList();
            MigrationJob job = new MigrationJob(ctx, v, destination, req.destinationCapabilities(),
                    req.forceHostCopy(), req.newTypeId(), attachedTo, record, control);
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
            fail(v.getId(), record, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Migration of volume {} from {} to {} failed: {}", v.getId(), v.getHost(), destination,
                    e.getMessage());
            fail(v.getId(), record, e.getMessage());
        }
    }

    private void fail(String volumeId, VolumeMigrationEntity record, String reason) {
        volumes.failMigration(volumeId, MigrationStatus.ACTIVE, MigrationRecorder.truncate(reason), Clock.now());
        recorder.failed(record, reason);
    }

    /** {@code os-migrate_volume_completion} from the compute service, for an attached migration of this backend. */
    public CompletionResult migrateVolumeCompletion(RequestContext ctx, Completion completion) {
        return attached.migrateVolumeCompletion(ctx, completion);
    }

    /** At start: see {@link MigrationRecovery}; and the kept old copies whose window ended while it was down. */
    public void recoverAfterRestart() {
        recovery.recoverAfterRestart();
        expireKeptSources();
    }

    /** Deletes this backend's kept old copies whose rollback window has ended (see {@link KeptSources}). */
    public void expireKeptSources() {
        kept.expire(serviceHost, driver);
    }

    /** {@code migrate_volume_revert}, on the backend that holds the volume's new copy. */
    public void revert(MigrationRevert revert) {
        kept.revert(revert, driver, serviceHost);
    }

    /**
     * A dry-run's question (changes nothing): which path {@link #migrateVolume} would take for {@code req}, the
     * strategies asked in the order they would run, and why each other one would not move the volume.
     */
    public MigrationPlan plan(RequestContext ctx, MigrateVolume req) {
        VolumeEntity v = volumes.findByIdAndDeletedFalse(req.volumeId())
                .orElseThrow(() -> new VolumeNotFoundException(req.volumeId()));
        List<VolumeAttachmentEntity> attachedTo = attachments.findByVolumeIdAndDeletedFalse(v.getId()).stream()
                .filter(a -> a.getAttachStatus() == AttachStatus.ATTACHED).toList();
        MigrationJob job = new MigrationJob(ctx, v, BackendHost.parse(req.destinationHost()),
                req.destinationCapabilities(), req.forceHostCopy(), req.newTypeId(), attachedTo, null, null);
        String chosen = null;
        Map<String, String> notTaken = new java.util.LinkedHashMap<>();
        for (MigrationStrategy strategy : strategies) {
            String refusal = strategy.refusal(job);
            if (refusal == null && chosen == null) {
                chosen = strategy.path().wire();
            } else {
                notTaken.put(strategy.path().wire(), refusal != null ? refusal : "the " + chosen + " path comes first");
            }
        }
        boolean keeps = keepSourceSeconds > 0 && attachedTo.isEmpty();
        LOG.info("Dry-run: migration of volume {} from {} to {} would take the {} path", v.getId(), v.getHost(),
                req.destinationHost(), chosen);
        return new MigrationPlan(chosen, notTaken, keeps ? keepSourceSeconds : 0);
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
     * up within one pause, dd within a few milliseconds (its process is paused and resumed); where an engine
     * cannot follow a change (dd without glibc or /proc), the record says so.
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
            recorder.bandwidth(record, bpsLimit);
            if (record.getPath() == generic.path() && !generic.followsLiveBandwidthLimit()) {
                recorder.note(record, "bps_limit " + bpsLimit
                        + " not applied: the copy engine cannot pace a running copy here");
            }
        }
    }
}
