package org.openstack.jcinder.volume.migration;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
import org.openstack.jcinder.common.volume.MigrationPhase;
import org.openstack.jcinder.shared.context.ContextHolder;
import org.openstack.jcinder.volume.copy.CopyCancelledException;
import org.openstack.jcinder.volume.copy.CopyControl;
import org.openstack.jcinder.volume.driver.VolumeDriver;
import org.openstack.jcinder.common.exception.VolumeNotFoundException;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.MigrationPlan;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.MigrationRevert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.databind.json.JsonMapper;

/**
 * The volume manager's three-way decision for one backend (Cinder's {@code migrate_volume} on the source),
 * made by ranked {@link MigrationStrategy strategies}, the best that fits first, until one has moved the volume:
 * {@link DriverNativeMigration} (detached, no forced host copy; "not moved" goes on to the next),
 * {@link GenericCopyMigration} (detached), {@link AttachedSwapMigration} (attached: the compute service swaps
 * it and its completion commits). Until a path commits, the source volume and its data are untouched; any
 * failure before that leaves the user's volume as it was, with {@code migration_status=error}.
 *
 * <p>Also the handle on this backend's running migrations: cancel and bandwidth changes reach them here.
 *
 * <p>With {@code max_concurrent_migrations} (per backend) or {@code max_concurrent_migrations_per_host} set, a
 * migration first joins its backend's queue (its record {@code queued}, the volume {@code migrating} as Cinder
 * shows it) and runs, on this backend's migration threads, when {@link MigrationQueue} admits it: first come,
 * first served, when a slot is free. Admissions are tried when a migration arrives or ends, at start, and every
 * {@value #QUEUE_POLL_SECONDS} s (slots freed by other processes of the host). Without limits (the default)
 * a migration runs at once on the RPC consumer that received it, as before.
 */
public class VolumeMigrator {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeMigrator.class);
    static final int QUEUE_POLL_SECONDS = 2;

    /** What a queued migration needs to run later, kept on its record (no credentials in either part). */
    record QueuedRequest(RequestContext context, MigrateVolume request) {
    }

    private final String serviceHost;
    private final VolumeRepository volumes;
    private final VolumeAttachmentRepository attachments;
    private final SnapshotRepository snapshots;
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
    private final MigrationQueue.Limits limits;
    private final Duration serviceDownTime;
    private final JsonMapper mapper;
    /** Runs admitted queued migrations (at most as many at once as the limits allow). */
    private final ExecutorService runners;
    private volatile ScheduledExecutorService poller;

    VolumeMigrator(String serviceHost, VolumeRepository volumes, VolumeAttachmentRepository attachments,
                   SnapshotRepository snapshots, MigrationRecorder recorder, DriverNativeMigration driverNative,
                   GenericCopyMigration generic, AttachedSwapMigration attached, MigrationRecovery recovery,
                   MigrationQueue.Limits limits, Duration serviceDownTime, JsonMapper mapper, KeptSources kept,
                   VolumeDriver driver, long keepSourceSeconds) {
        this.limits = limits;
        this.serviceDownTime = serviceDownTime;
        this.mapper = mapper;
        AtomicInteger n = new AtomicInteger();
        this.runners = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "migration-" + serviceHost + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.kept = kept;
        this.driver = driver;
        this.keepSourceSeconds = keepSourceSeconds;
        this.serviceHost = serviceHost;
        this.snapshots = snapshots;
        this.volumes = volumes;
        this.attachments = attachments;
        this.recorder = recorder;
        this.generic = generic;
        this.attached = attached;
        this.recovery = recovery;
        this.strategies = List.of(driverNative, generic, attached);
        recorder.watchQueue(serviceHost);
    }

    /** Cinder's {@code migrate_volume}, on the source backend once the scheduler accepted the destination. */
    public void migrateVolume(RequestContext ctx, MigrateVolume req) {
        if (limits.limited()) {
            enqueue(ctx, req);
            return;
        }
        CopyControl control = new CopyControl(req.bpsLimit() == null ? CopyControl.BACKEND_DEFAULT : req.bpsLimit());
        // Registered before the volume shows "migrating", so a cancel that follows the status finds it. A
        // migration of this volume already running here (one resumed at start, whose request RabbitMQ now
        // redelivers because the dead process never acknowledged it) keeps its registration: replacing it, then
        // removing it, would let the reconciler take the running copy for an interrupted one and fail it.
        if (controls.putIfAbsent(req.volumeId(), control) != null) {
            LOG.warn("migrate_volume: a migration of volume {} already runs on {}; request ignored", req.volumeId(),
                    serviceHost);
            return;
        }
        try {
            VolumeEntity v = volumes.findByIdAndDeletedFalse(req.volumeId()).orElse(null);
            if (v == null || volumes.compareAndSetMigrationStatus(req.volumeId(),
                    List.of(MigrationStatus.STARTING), MigrationStatus.MIGRATING, Clock.now()) == 0) {
                LOG.warn("migrate_volume: volume {} is gone or not waiting to migrate; nothing to do", req.volumeId());
                return;
            }
            run(ctx, req, v, control);
        } finally {
            controls.remove(req.volumeId(), control);
            records.remove(req.volumeId());
        }
    }

    /** Joins the backend's queue; runs now if a slot is free and nobody waits before it. */
    private void enqueue(RequestContext ctx, MigrateVolume req) {
        // Until the record exists a cancel has nothing in the database to find: it lands on this control.
        CopyControl pending = new CopyControl(CopyControl.BACKEND_DEFAULT);
        if (controls.putIfAbsent(req.volumeId(), pending) != null) {
            LOG.warn("migrate_volume: a migration of volume {} already runs on {}; request ignored", req.volumeId(),
                    serviceHost);
            return;
        }
        boolean cancelled;
        try {
            VolumeEntity v = volumes.findByIdAndDeletedFalse(req.volumeId()).orElse(null);
            if (v == null || volumes.compareAndSetMigrationStatus(req.volumeId(),
                    List.of(MigrationStatus.STARTING), MigrationStatus.MIGRATING, Clock.now()) == 0) {
                LOG.warn("migrate_volume: volume {} is gone or not waiting to migrate; nothing to do",
                        req.volumeId());
                return;
            }
            recorder.queue(ctx, v, req, mapper.writeValueAsString(new QueuedRequest(ctx, req)),
                    snapshotGb(req, v));
            LOG.info("Migration of volume {} from {} to {} queued on {} (max_concurrent_migrations {}, per host {})",
                    v.getId(), v.getHost(), req.destinationHost(), serviceHost, limits.perBackend(),
                    limits.perHost());
        } finally {
            controls.remove(req.volumeId(), pending);
            cancelled = pending.cancelled();
        }
        if (cancelled) {
            cancelQueued(req.volumeId());
        }
        admitQueued();
    }

    /** Starts every queued migration of this backend that a slot is free for, oldest first. */
    void admitQueued() {
        while (true) {
            VolumeMigrationEntity record;
            try {
                record = recorder.admitNext(serviceHost, limits, serviceDownTime).orElse(null);
            } catch (RuntimeException e) {
                LOG.warn("Queued migrations of {} not admitted now: {}", serviceHost, e.getMessage());
                return;
            }
            if (record == null) {
                return;
            }
            try {
                runners.execute(() -> runAdmitted(record));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // Stopping: the record stays migrating, and the next start's recovery ends it as interrupted.
                LOG.warn("Migration of volume {} admitted while {} stops", record.getVolumeId(), serviceHost);
                return;
            }
        }
    }

    /** A migration the queue admitted: the request it was queued with, on a migration thread. */
    private void runAdmitted(VolumeMigrationEntity record) {
        String volumeId = record.getVolumeId();
        QueuedRequest queued;
        try {
            queued = mapper.readValue(record.getQueuedRequest(), QueuedRequest.class);
        } catch (RuntimeException e) {
            LOG.error("Queued migration {} of volume {} has an unreadable request: {}", record.getId(), volumeId,
                    e.getMessage());
            fail(volumeId, record, "queued request unreadable: " + e.getMessage());
            admitQueued();
            return;
        }
        RequestContext ctx = queued.context();
        MigrateVolume req = queued.request();
        ContextHolder.set(ctx);
        org.slf4j.MDC.put("volume_id", volumeId);
        org.slf4j.MDC.put("migration_id", record.getId());
        org.slf4j.MDC.put("phase", MigrationPhase.MIGRATING.wire());
        // The limit an administrator set while it waited (os-migrate_volume_update) is on the record.
        Long bps = record.getBpsLimit();
        CopyControl control = new CopyControl(bps == null ? CopyControl.BACKEND_DEFAULT : bps);
        controls.put(volumeId, control);
        try {
            // A cancel that came between the admission and this registration left its mark on the record.
            if (recorder.reload(record.getId()).map(VolumeMigrationEntity::isCancelRequested).orElse(false)) {
                control.cancel();
            }
            if (req.newTypeId() != null) {
                recorder.carriesRetype(record);
            }
            VolumeEntity v = volumes.findByIdAndDeletedFalse(volumeId).orElse(null);
            if (v == null || !MigrationStatus.isActive(v.getMigrationStatus())) {
                LOG.warn("Queued migration of volume {} admitted, but the volume is gone or no longer migrating",
                        volumeId);
                recorder.failed(record, "the volume is gone or no longer migrating");
                return;
            }
            LOG.info("Queued migration of volume {} admitted on {} after waiting since {}", volumeId, serviceHost,
                    record.getQueuedAt());
            run(ctx, req, v, control, record);
        } catch (RuntimeException e) {
            LOG.error("Queued migration of volume {} failed on {}: {}", volumeId, serviceHost, e.getMessage());
        } finally {
            controls.remove(volumeId, control);
            records.remove(volumeId);
            ContextHolder.clear();
            admitQueued();
        }
    }

    private void run(RequestContext ctx, MigrateVolume req, VolumeEntity v, CopyControl control) {
        run(ctx, req, v, control, recorder.start(ctx, v, req, snapshotGb(req, v)));
    }

    /** The snapshots that move with the volume ({@code with_snapshots}), oldest first; none otherwise. */
    private List<SnapshotEntity> chain(MigrateVolume req, VolumeEntity v) {
        return req.withSnapshots() ? snapshots.findByVolumeIdAndDeletedFalseOrderByCreatedAtAscIdAsc(v.getId())
                : List.of();
    }

    /** GiB of snapshots to copy besides the volume, so the record's total (progress, ETA) covers them. */
    private long snapshotGb(MigrateVolume req, VolumeEntity v) {
        return chain(req, v).stream().mapToLong(s -> (long) s.getVolumeSize()).sum();
    }

    private void run(RequestContext ctx, MigrateVolume req, VolumeEntity v, CopyControl control,
                     VolumeMigrationEntity record) {
        BackendHost destination = BackendHost.parse(req.destinationHost());
        // The chain is read once, before anything is copied; the commit checks it is still the same.
        List<SnapshotEntity> chain = chain(req, v);
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
        expireKeptSources();
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
                controls.remove(v.getId(), control);
                records.remove(v.getId());
                org.openstack.jcinder.shared.context.ContextHolder.clear();
                org.slf4j.MDC.clear();
            }
        }, "migration-resume-" + v.getId());
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Once the service serves every backend (a queued migration's first step may be a call to another backend
     * of this process): the queued migrations of this backend are admitted in their order as slots allow, and,
     * with limits, by a poll every {@value #QUEUE_POLL_SECONDS} s from now on.
     */
    public void startQueue() {
        admitQueued();
        if (limits.limited() && poller == null) {
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "migration-queue-" + serviceHost);
                t.setDaemon(true);
                return t;
            });
            poller.scheduleWithFixedDelay(this::admitQueued, QUEUE_POLL_SECONDS, QUEUE_POLL_SECONDS,
                    TimeUnit.SECONDS);
        }
    }

    /** The service stops: no more admissions; running copies end with the process (recovery sees to them). */
    public void stop() {
        if (poller != null) {
            poller.shutdownNow();
        }
        runners.shutdown();
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
                req.destinationCapabilities(), req.forceHostCopy(), req.newTypeId(), attachedTo, null, null,
                chain(req, v));
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

    /**
     * Whether a migration from this backend keeps a {@code bps_limit} (reported with the capabilities; the API
     * refuses a limited migration otherwise). The driver's own moves use the native engine, which always does.
     */
    public boolean keepsBandwidthLimit() {
        return generic.keepsBandwidthLimit();
    }

    /** {@code os-migrate_volume_cancel}: stops this backend's running migration of the volume, if any. */
    public void cancel(String volumeId) {
        CopyControl control = controls.get(volumeId);
        if (control == null && cancelQueued(volumeId)) {
            return;
        }
        control = control != null ? control : controls.get(volumeId);
        if (control == null) {
            LOG.warn("migrate_volume_cancel: no migration of volume {} is running on {}", volumeId, serviceHost);
            return;
        }
        LOG.info("Cancelling the migration of volume {} on {}", volumeId, serviceHost);
        control.cancel();
    }

    /**
     * A cancel of a migration still in the queue: out of the queue, the volume back as a cancelled running
     * migration leaves it ({@code migration_status} error, reason {@code cancelled}). True when it was queued
     * (or was admitted just now and will see the cancel itself).
     */
    private boolean cancelQueued(String volumeId) {
        VolumeMigrationEntity open = recorder.open(volumeId).orElse(null);
        if (open == null) {
            return false;
        }
        String reason = new CopyCancelledException().getMessage();
        if (open.getState() == MigrationPhase.QUEUED) {
            if (recorder.removeFromQueue(open, reason)) {
                volumes.failMigration(volumeId, MigrationStatus.ACTIVE, reason, Clock.now());
                LOG.info("Queued migration of volume {} on {} cancelled; the volume is as it was", volumeId,
                        serviceHost);
                return true;
            }
            // Admitted between the two reads: the runner checks this mark once its control is registered.
            recorder.requestCancel(open);
            return controls.get(volumeId) == null;
        }
        return false;
    }

    /**
     * {@code os-migrate_volume_update}: a new bandwidth limit for the running copy. The native engine picks it
     * up within one pause, dd within a few milliseconds (its process is paused and resumed); where an engine
     * cannot follow a change (dd without glibc or /proc), the record says so.
     */
    public void updateBandwidth(String volumeId, long bpsLimit) {
        CopyControl control = controls.get(volumeId);
        if (control == null && bandwidthWhileQueued(volumeId, bpsLimit)) {
            return;
        }
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

    /** A new limit for a queued migration: kept on its record, which its copy starts with. */
    private boolean bandwidthWhileQueued(String volumeId, long bpsLimit) {
        return recorder.open(volumeId).filter(r -> r.getState() == MigrationPhase.QUEUED).map(r -> {
            recorder.queuedBandwidth(r, bpsLimit);
            LOG.info("Queued migration of volume {}: bandwidth limit set to {} bytes/s", volumeId, bpsLimit);
            return true;
        }).orElse(false);
    }
}
