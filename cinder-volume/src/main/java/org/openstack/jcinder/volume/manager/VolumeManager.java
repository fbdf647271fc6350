package org.openstack.jcinder.volume.manager;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.openstack.jcinder.common.quota.VolumeQuotas;
import org.openstack.jcinder.common.capability.BackendCapabilities;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.SnapshotRepository;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.group.GroupStatusRollup;
import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.openstack.jcinder.common.rpc.RpcDispatcher;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.VolumeRef;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.DeleteVolume;
import org.openstack.jcinder.common.quota.SnapshotQuotas;
import org.openstack.jcinder.volume.snapshot.SnapshotRevert;
import org.openstack.jcinder.volume.snapshot.SnapshotTasks;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.common.exception.VolumeNotFoundException;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.Completion;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.MigrateVolume;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.UpdateMigrated;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.ExtendVolume;
import org.openstack.jcinder.common.message.MessageAction;
import org.openstack.jcinder.common.message.MessageDetail;
import org.openstack.jcinder.common.message.UserMessages;
import org.openstack.jcinder.common.db.VolumeAttachmentRepository;
import org.openstack.jcinder.volume.driver.VolumeDriver;
import org.openstack.jcinder.volume.driver.target.ExportedVolumeDriver;
import org.openstack.jcinder.volume.driver.target.VolumeTarget;
import org.openstack.jcinder.volume.migration.VolumeMigrator;
import org.openstack.jcinder.volume.nova.NovaClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager of one backend ({@code host@backend}): executes what arrives on that backend's RPC queue
 * through its driver and records the outcome with compare-and-set updates.
 */
public class VolumeManager {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeManager.class);

    private final String serviceHost;
    private final VolumeDriver driver;
    private final VolumeRepository volumes;
    private final UserMessages messages;
    private volatile String notReadyReason = "not initialised yet";

    private final VolumeAttachmentRepository attachments;
    private final NovaClient nova;
    private final VolumeMigrator migrator;
    private final VolumeQuotas quotas;
    private final SnapshotRepository snapshots;
    private final SnapshotTasks snapshotTasks;
    private final SnapshotRevert snapshotRevert;
    private final GroupStatusRollup groupRollup;

    public VolumeManager(String serviceHost, VolumeDriver driver, VolumeRepository volumes,
                         VolumeAttachmentRepository attachments, NovaClient nova, VolumeMigrator migrator,
                         UserMessages messages, VolumeQuotas quotas, SnapshotRepository snapshots,
                         SnapshotQuotas snapshotQuotas, GroupStatusRollup groupRollup) {
        this.groupRollup = groupRollup;
        // The backend's snapshot work shares its driver and its readiness.
        this.snapshotTasks = new SnapshotTasks(serviceHost, driver, snapshots, volumes, snapshotQuotas, this::ready,
                groupRollup);
        this.snapshotRevert = new SnapshotRevert(serviceHost, driver, snapshots, volumes, this::ready);
        this.snapshots = snapshots;
        this.messages = messages;
        this.quotas = quotas;
        this.serviceHost = serviceHost;
        this.driver = driver;
        this.volumes = volumes;
        this.attachments = attachments;
        this.nova = nova;
        this.migrator = migrator;
    }

    public String serviceHost() {
        return serviceHost;
    }

    public VolumeMigrator migrator() {
        return migrator;
    }

    public VolumeDriver driver() {
        return driver;
    }

    /** Prepares the driver; a failure leaves the backend reporting itself down with the reason. */
    public void initHost() {
        try {
            driver.setup();
            notReadyReason = null;
            LOG.info("Backend {} initialised", serviceHost);
            // Before the recovery: the temporary volumes it would queue deletions for again are gone by then.
            resumeDeletes();
            migrator.recoverAfterRestart();
            // Nothing of this process is exported yet: what an earlier life left is judged at once.
            removeStaleExports(Duration.ZERO);
        } catch (RuntimeException e) {
            notReadyReason = e.getMessage();
            LOG.error("Backend {} could not be initialised and will report itself down: {}", serviceHost,
                    e.getMessage());
        }
    }

    /**
     * Cinder's {@code init_host}: a volume or snapshot left {@code deleting} by an earlier life of this backend
     * (its delete lost to a crash or a shutdown mid-way) is deleted now, not left for an administrator's
     * force-delete. With its snapshots: a volume reaches {@code deleting} with snapshots only by a cascade request,
     * which marked them {@code deleting} too. A {@code delete_volume} still queued for it finds it gone.
     */
    private void resumeDeletes() {
        for (VolumeEntity v : volumes.findByHostStartingWithAndStatusAndDeletedFalse(serviceHost + "#",
                VolumeStatus.DELETING)) {
            LOG.info("Resuming delete on volume {} on {}", v.getId(), serviceHost);
            deleteVolume(RequestContext.internal(), new DeleteVolume(v.getId(), true));
        }
        snapshotTasks.resumeDeletes();
    }

    /**
     * The exports no one needs any more are removed: those of a volume that is gone, has moved to another
     * backend, or is {@code available}/{@code error} with no attachment and no migration under way. They are left
     * when this node's service was down while the one who asked for them finished (a migration's source node
     * committed while this destination's JVM was dead: tgtd, a process of its own, kept serving and the
     * {@code terminate_connection} never arrived), or by a crash between the two halves of an export. An export
     * younger than {@code minAge} is left for the next pass: its {@code initialize_connection} may have just
     * answered and the attachment or migration that needs it not be recorded yet.
     */
    public void removeStaleExports(Duration minAge) {
        if (!(driver instanceof ExportedVolumeDriver exported)) {
            return;
        }
        VolumeTarget target = exported.target();
        Instant youngest = Instant.now().minus(minAge);
        for (VolumeTarget.Export e : target.exports()) {
            if (e.written() != null && e.written().isAfter(youngest)) {
                continue;
            }
            try {
                Optional<VolumeEntity> owner = exportedVolume(e.name());
                if (owner.map(this::exportNeeded).orElse(false)) {
                    continue;
                }
                LOG.warn("Removing stale export {} on {}: {}", e.name(), serviceHost, owner.map(v -> "volume "
                        + v.getId() + " is " + v.getStatus().wire() + ", not attached and not migrating")
                        .orElse("no volume of this backend has that name any more"));
                if (owner.isPresent()) {
                    driver.terminateConnection(owner.get()); // the export, then the device it held
                } else {
                    target.removeExport(e.name());
                }
            } catch (RuntimeException ex) {
                LOG.warn("Could not remove stale export {} on {}: {}", e.name(), serviceHost, ex.getMessage());
            }
        }
    }

    /** The live volume of this backend named {@code name} ({@code volume-<id or _name_id>}). */
    private Optional<VolumeEntity> exportedVolume(String name) {
        if (!name.startsWith("volume-")) {
            return Optional.empty();
        }
        String key = name.substring("volume-".length());
        return java.util.stream.Stream.concat(volumes.findByIdAndDeletedFalse(key).stream(),
                        volumes.findByNameIdAndDeletedFalse(key).stream())
                .filter(v -> name.equals(v.backendName()))
                .filter(v -> v.getHost() != null && (v.getHost().equals(serviceHost)
                        || v.getHost().startsWith(serviceHost + "#")))
                .findFirst();
    }

    /**
     * Whether {@code v}'s export is still needed: it is attached, migrating (a live copy may be writing; the
     * migration reconciler ends it otherwise), or in an operation that releases it itself (deleting, in-use,
     * reserved…).
     */
    private boolean exportNeeded(VolumeEntity v) {
        return !attachments.findByVolumeIdAndDeletedFalse(v.getId()).isEmpty()
                || v.getMigrationStatus() instanceof MigrationStatus.Target
                || MigrationStatus.isActive(v.getMigrationStatus())
                || v.getStatus() != VolumeStatus.AVAILABLE && v.getStatus() != VolumeStatus.ERROR;
    }

    /** The service serves every backend: this backend's queued migrations may run (not if it failed to start). */
    public void startMigrationQueue() {
        if (ready()) {
            migrator.startQueue();
        }
    }

    /** The service stops: the migrator admits no more queued migrations. */
    public void stop() {
        migrator.stop();
    }

    /** The periodic task of the rollback window: deletes this backend's kept old copies whose window ended. */
    public void expireKeptSources() {
        if (ready()) {
            migrator.expireKeptSources();
        }
    }

    public boolean ready() {
        return notReadyReason == null;
    }

    /** Why the backend is not ready (its driver failed to initialise), or null when it is. */
    public String notReadyReason() {
        return notReadyReason;
    }

    /** Every message of this backend's queue: the volume's, and those of its snapshots. */
    public RpcDispatcher dispatcher() {
        return snapshotRevert.registerOn(snapshotTasks.registerOn(volumeDispatcher()));
    }

    private RpcDispatcher volumeDispatcher() {
        return new RpcDispatcher("cinder-volume " + serviceHost, VolumeRpcApi.VERSION)
                .register(VolumeRpcApi.CREATE_VOLUME, VolumeRef.class, this::createVolume)
                .register(VolumeRpcApi.DELETE_VOLUME, DeleteVolume.class, this::deleteVolume)
                .register(VolumeRpcApi.MIGRATE_VOLUME, MigrateVolume.class, (ctx, req) -> {
                    requireReadyOrFail(req.volumeId());
                    migrator.migrateVolume(ctx, req);
                    return null;
                })
                .register(VolumeRpcApi.CREATE_MIGRATION_TARGET, VolumeRef.class, this::createMigrationTarget)
                .register(VolumeRpcApi.INITIALIZE_CONNECTION, VolumeRef.class, (ctx, ref) -> {
                    requireReady();
                    return driver.initializeConnection(volumes.findByIdAndDeletedFalse(ref.volumeId())
                            .orElseThrow(() -> new VolumeNotFoundException(ref.volumeId())));
                })
                .register(VolumeRpcApi.TERMINATE_CONNECTION, VolumeRef.class, (ctx, ref) -> {
                    volumes.findByIdAndDeletedFalse(ref.volumeId()).ifPresent(driver::terminateConnection);
                    return null;
                })
                .register(VolumeRpcApi.MIGRATE_VOLUME_COMPLETION, Completion.class, migrator::migrateVolumeCompletion)
                .register(VolumeRpcApi.UPDATE_MIGRATED_VOLUME, UpdateMigrated.class, this::updateMigratedVolume)
                .register(VolumeRpcApi.EXTEND_VOLUME, ExtendVolume.class, this::extendVolume)
                .register(VolumeRpcApi.MIGRATE_VOLUME_CANCEL, VolumeRef.class, (ctx, ref) -> {
                    migrator.cancel(ref.volumeId());
                    return null;
                })
                .register(VolumeRpcApi.MIGRATE_VOLUME_UPDATE, VolumeRpcApi.MigrationUpdate.class, (ctx, u) -> {
                    migrator.updateBandwidth(u.volumeId(), u.bpsLimit());
                    return null;
                })
                .register(VolumeRpcApi.MIGRATION_PLAN, MigrateVolume.class, (ctx, req) -> {
                    requireReady();
                    return migrator.plan(ctx, req);
                })
                .register(VolumeRpcApi.MIGRATE_VOLUME_REVERT, VolumeRpcApi.MigrationRevert.class, (ctx, r) -> {
                    requireReady();
                    migrator.revert(r);
                    return null;
                })
                .register(VolumeRpcApi.RETYPE, VolumeRpcApi.Retype.class, (ctx, r) -> {
                    // The scheduler retypes in place only on a backend that already fits the new type, and no
                    // driver here lays a volume out by its type (file: a sparse file; LVM: thick LVs), so there
                    // is no driver hook as Cinder's driver.retype: the change is the record's.
                    quotas.changingType(r.volumeId(),
                            () -> volumes.finishRetype(r.volumeId(), r.newTypeId(), null, Clock.now()));
                    LOG.info("Retyped volume {} in place on {}", r.volumeId(), serviceHost);
                    return null;
                });
    }

    Object createVolume(RequestContext ctx, VolumeRef ref) {
        VolumeEntity volume = volumes.findByIdAndDeletedFalse(ref.volumeId()).orElse(null);
        if (volume == null || volume.getStatus() != VolumeStatus.CREATING) {
            LOG.warn("create_volume: volume {} is gone or no longer creating; nothing to do", ref.volumeId());
            return null;
        }
        LOG.info("Creating volume {} ({} GiB) on {}", volume.getId(), volume.getSize(), serviceHost);
        try {
            requireReady();
            String location = createBacking(volume);
            if (volumes.markCreated(volume.getId(), location, Clock.now()) == 0) {
                LOG.warn("Volume {} changed state while it was being created; leaving it as it is", volume.getId());
            } else {
                LOG.info("Created volume {} on {} at {}", volume.getId(), serviceHost, location);
            }
        } catch (RuntimeException e) {
            LOG.error("Failed to create volume {} on {}: {}", volume.getId(), serviceHost, e.getMessage());
            volumes.compareAndSetStatusWithReason(volume.getId(), List.of(VolumeStatus.CREATING),
                    VolumeStatus.ERROR, truncate(e.getMessage()), Clock.now());
        }
        // A volume of a group made from a source: the last one settled makes the group usable (or error).
        groupRollup.volumeCreated(volume.getGroupId());
        return null;
    }

    /** An empty volume, or one holding its source snapshot's or source volume's data (Cinder's create flow). */
    private String createBacking(VolumeEntity volume) {
        if (volume.getSnapshotId() != null) {
            SnapshotEntity snapshot = snapshots.findByIdAndDeletedFalse(volume.getSnapshotId())
                    .orElseThrow(() -> new VolumeDriverException("snapshot " + volume.getSnapshotId() + " is gone"));
            LOG.info("Volume {} is made from snapshot {}", volume.getId(), snapshot.getId());
            return driver.createVolumeFromSnapshot(volume, snapshot);
        }
        if (volume.getSourceVolid() != null) {
            VolumeEntity source = volumes.findByIdAndDeletedFalse(volume.getSourceVolid())
                    .orElseThrow(() -> new VolumeNotFoundException(volume.getSourceVolid()));
            LOG.info("Volume {} is a clone of volume {}", volume.getId(), source.getId());
            return driver.createClonedVolume(volume, source);
        }
        return driver.createVolume(volume);
    }

    /** Creates a migration's temporary volume and answers only when it exists, or with the reason it does not. */
    Object createMigrationTarget(RequestContext ctx, VolumeRef ref) {
        VolumeEntity volume = volumes.findByIdAndDeletedFalse(ref.volumeId())
                .orElseThrow(() -> new VolumeNotFoundException(ref.volumeId()));
        requireReady();
        String location = driver.createVolume(volume);
        if (volumes.markCreated(volume.getId(), location, Clock.now()) == 0) {
            driver.deleteVolume(volume);
            throw new VolumeDriverException("temporary volume " + volume.getId() + " changed state while created");
        }
        LOG.info("Created migration target {} on {} at {}", volume.getId(), serviceHost, location);
        return null;
    }

    /**
     * Cinder's {@code extend_volume} for an attached volume: Nova's {@code volume-extended} external event for
     * each server, so the guest sees the new size. Failing to tell Nova does not undo the extend (as in Cinder):
     * the volume is larger, and the guest sees it after its next attach.
     */
    private void tellComputeOfNewSize(RequestContext ctx, String volumeId) {
        List<String> servers = attachments.findByVolumeIdAndDeletedFalse(volumeId).stream()
                .map(a -> a.getInstanceUuid()).filter(java.util.Objects::nonNull).distinct().toList();
        if (servers.isEmpty()) {
            return;
        }
        try {
            nova.volumeExtended(ctx, servers, volumeId);
        } catch (RuntimeException e) {
            LOG.warn("Volume {} was extended, but the compute service was not told (servers {}): {}", volumeId,
                    servers, e.getMessage());
        }
    }

    /** {@code os-extend}: the driver grows the object; the new size is recorded, or {@code error_extending}. */
    Object extendVolume(RequestContext ctx, ExtendVolume req) {
        VolumeEntity volume = volumes.findByIdAndDeletedFalse(req.volumeId()).orElse(null);
        if (volume == null || volume.getStatus() != VolumeStatus.EXTENDING) {
            LOG.warn("extend_volume: volume {} is gone or not extending; nothing to do", req.volumeId());
            return null;
        }
        LOG.info("Extending volume {} from {} to {} GiB on {}", volume.getId(), volume.getSize(), req.newSize(),
                serviceHost);
        try {
            requireReady();
            driver.extendVolume(volume, req.newSize());
            quotas.finishExtend(volume.getId(), req.newSize()); // the size and the committed reservation together
            LOG.info("Extended volume {} to {} GiB on {}", volume.getId(), req.newSize(), serviceHost);
            if (volume.getPreviousStatus() == VolumeStatus.IN_USE) {
                tellComputeOfNewSize(ctx, volume.getId());
            }
        } catch (RuntimeException e) {
            LOG.error("Failed to extend volume {} on {}: {}", volume.getId(), serviceHost, e.getMessage());
            messages.volumeError(ctx.requestId(), volume.getProjectId(), volume.getId(), MessageAction.EXTEND_VOLUME,
                    ready() ? MessageDetail.DRIVER_FAILED_EXTEND : MessageDetail.DRIVER_NOT_INITIALIZED);
            quotas.failExtend(volume.getId(), req.newSize(), truncate(e.getMessage())); // reservation given back
        }
        return null;
    }

    /** On the destination, before the swap: the driver may give the new object the source's own name. */
    Object updateMigratedVolume(RequestContext ctx, UpdateMigrated req) {
        requireReady();
        VolumeEntity volume = volumes.findByIdAndDeletedFalse(req.volumeId())
                .orElseThrow(() -> new VolumeNotFoundException(req.volumeId()));
        VolumeEntity newVolume = volumes.findByIdAndDeletedFalse(req.newVolumeId())
                .orElseThrow(() -> new VolumeNotFoundException(req.newVolumeId()));
        return driver.updateMigratedVolume(volume, newVolume, req.originalStatus());
    }

    private void requireReadyOrFail(String volumeId) {
        if (!ready()) {
            volumes.failMigration(volumeId, List.of(MigrationStatus.STARTING), "backend " + serviceHost
                    + " is not initialised: " + notReadyReason, Clock.now());
            requireReady();
        }
    }

    Object deleteVolume(RequestContext ctx, DeleteVolume ref) {
        VolumeEntity volume = volumes.findByIdAndDeletedFalse(ref.volumeId()).orElse(null);
        if (volume == null) {
            LOG.info("delete_volume: volume {} is already gone", ref.volumeId());
            return null;
        }
        if (volume.getStatus() != VolumeStatus.DELETING) {
            LOG.warn("delete_volume: volume {} is {} rather than deleting; not deleting", volume.getId(),
                    volume.getStatus());
            return null;
        }
        LOG.info("[{}] Deleting volume {} on {}{}", ctx.requestId(), volume.getId(), serviceHost,
                ref.cascade() ? " with its snapshots (cascade)" : "");
        try {
            requireReady();
            if (ref.cascade()) {
                snapshotTasks.deleteAllOf(volume.getId());
            }
            driver.deleteVolume(volume);
            quotas.softDelete(volume.getId()); // gives its quota back (unless a migration's temporary volume)
            LOG.info("Deleted volume {} on {}", volume.getId(), serviceHost);
        } catch (RuntimeException e) {
            LOG.error("Failed to delete volume {} on {}: {}", volume.getId(), serviceHost, e.getMessage());
            volumes.compareAndSetStatusWithReason(volume.getId(), List.of(VolumeStatus.DELETING),
                    VolumeStatus.ERROR_DELETING, truncate(e.getMessage()), Clock.now());
        }
        return null;
    }

    /** The capability report; a backend that is not ready reports itself down with the reason. */
    public BackendCapabilities stats(String availabilityZone) {
        if (ready()) {
            try {
                return driver.stats().withCopyBandwidthLimit(migrator.keepsBandwidthLimit());
            } catch (RuntimeException e) {
                LOG.warn("Backend {} could not report its capacity: {}", serviceHost, e.getMessage());
                return down(availabilityZone, e.getMessage());
            }
        }
        return down(availabilityZone, notReadyReason);
    }

    private BackendCapabilities down(String availabilityZone, String reason) {
        return new BackendCapabilities(serviceHost, serviceHost.substring(serviceHost.indexOf('@') + 1), null,
                null, null, availabilityZone, Clock.now().toString(), false, reason, List.of());
    }

    private void requireReady() {
        if (!ready()) {
            throw new VolumeDriverException("backend " + serviceHost + " is not initialised: " + notReadyReason);
        }
    }

    private static String truncate(String s) {
        if (s == null) {
            return null;
        }
        return s.length() > 1000 ? s.substring(0, 1000) : s;
    }
}
