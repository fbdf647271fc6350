package org.openstack.jcinder.volume.migration;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.SnapshotRepository;
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
    private final SnapshotRepository snapshots;
    private final MigrationRecorder recorder;
    private final List<MigrationStrategy> strategies;
    private final GenericCopyMigration generic;
    private final AttachedSwapMigration attached;
    private final MigrationRecovery recovery;
    /** The running migrations of this backend's volumes: their controls and records, by volume id. */
    private final Map<String, CopyControl> controls = new ConcurrentHashMap<>();
    private final Map<String, VolumeMigrationEntity> records = new ConcurrentHashMap<>();

    VolumeMigrator(String serviceHost, VolumeRepository volumes, VolumeAttachmentRepository attachments,
                   SnapshotRepository snapshots, MigrationRecorder recorder, DriverNativeMigration driverNative, GenericCopyMigration generic,
                   AttachedSwapMigration attached, MigrationRecovery recovery) {
        this.serviceHost = serviceHost;
        this.snapshots = snapshots;
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
        // The chain is read once, before anything is copied; the commit checks it is still the same.
        List<SnapshotEntity> chain = req.withSnapshots()
                ? snapshots.findByVolumeIdAndDeletedFalseOrderByCreatedAtAscIdAsc(v.getId()) : List.of();
        VolumeMigrationEntity record = recorder.start(ctx, v, req,
                chain.stream().mapToLong(s -> (long) s.getVolumeSize()).sum());
        records.put(v.getId(), record);
        LOG.info("Migration of volume {} from {} to {} started (force_host_copy={}, bps_limit={}, snapshots={})",
                v.getId(), v.getHost(), destination, req.forceHostCopy(), req.bpsLimit() == null ? "backend default"
                        : req.bpsLimit(), chain.size());
        try {
            List<VolumeAttachmentEntity> attachedTo = attachments.findByVolumeIdAndDeletedFalse(v.getId()).stream()
                    .filter(a -> a.getAttachStatus() == AttachStatus.ATTACHED).toList();
            MigrationJob job = new MigrationJob(ctx, v, destination, req.destinationCapabilities(),
                    req.forceHostCopy(), req.newTypeId(), attachedTo, record, control, chain);
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

    /**
     * At start (see {@link MigrationRecovery}): this backend's interrupted migrations are resumed, each in a
     * thread of its own, or failed; temporary volumes of ended migrations are deleted.
     */
    public void recoverAfterRestart() {
        recovery.recoverAfterRestart(this::resume);
    }

    /** One pass of the migration reconciler ({@code migration_reconcile_interval}). */
    public void reconcile() {
        recovery.reconcile(java.util.Set.copyOf(controls.keySet()));
    }

    /** Goes on with a host copy interrupted by a crash of this service, as its own migration again. */
    private void resume(VolumeEntity v, VolumeMigrationEntity record, String targetId) {
        CopyControl control = new CopyControl(record.getBpsLimit() == null ? CopyControl.BACKEND_DEFAULT
                : record.getBpsLimit());
        // Registered at once, so the reconciler's next pass sees it running and a cancel finds it.
        controls.put(v.getId(), control);
        records.put(v.getId(), record);
        Thread worker = new Thread(() -> {
            RequestContext ctx = RequestContext.internal();
            org.openstack.jcinder.shared.context.ContextHolder.set(ctx);
            try {
                BackendHost destination = BackendHost.parse(record.getDestinationHost());
                if (!snapshots.findByVolumeIdAndDeletedFalseOrderByCreatedAtAscIdAsc(v.getId()).isEmpty()) {
                    // Only a migration with_snapshots can be running for a volume that has snapshots; its chain
                    // copy is not checkpointed, so it ends here and the volume and its snapshots stay where they are.
                    throw new IllegalStateException("a migration with snapshots is not resumed after a restart");
                }
                LOG.info("Migration of volume {} from {} to {}: resuming after a restart of {}", v.getId(),
                        v.getHost(), destination, serviceHost);
                generic.resume(new MigrationJob(ctx, v, destination, null, record.isForceHostCopy(), null,
                        List.of(), record, control), targetId);
            } catch (CopyCancelledException e) {
                LOG.info("Resumed migration of volume {} cancelled; the source is untouched", v.getId());
                fail(v.getId(), record, e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("Resumed migration of volume {} failed: {}", v.getId(), e.getMessage());
                fail(v.getId(), record, e.getMessage());
            } finally {
                controls.remove(v.getId());
                records.remove(v.getId());
                org.openstack.jcinder.shared.context.ContextHolder.clear();
                org.slf4j.MDC.clear();
            }
        }, "migration-resume-" + v.getId());
        worker.setDaemon(true);
        worker.start();
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
