package org.openstack.jcinder.volume.migration;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
import org.openstack.jcinder.volume.copy.CheckpointedCopy;
import org.openstack.jcinder.volume.copy.CopyControl;
import org.openstack.jcinder.volume.copy.CopyEndpoint;
import org.openstack.jcinder.volume.copy.CopyEngine;
import org.openstack.jcinder.volume.copy.QemuImgCopyEngine;
import org.openstack.jcinder.volume.driver.VolumeDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * [2] Cinder's {@code _migrate_volume_generic} for a detached volume: a temporary volume is created on the
 * destination ({@code create_volume} over RPC), both volumes are connected to this host (the destination as an
 * iSCSI export when its backend exports, {@code target_helper = tgtadm}), the source backend's copy engine (or,
 * for an export, qemu-img with the user-space initiator) copies the data ({@code copy_volume_data}), both are disconnected, the destination may rename the
 * new object ({@code update_migrated_volume}), and {@link MigrationCompletion} commits the swap. Until that
 * commit the source and its data are untouched; any failure or cancel before it discards the temporary volume.
 *
 * <p>With {@code with_snapshots} the destination also makes a copy of each snapshot under the snapshot's own
 * name ({@link SnapshotChainCopy}); the commit points the snapshot rows at them, and only then are the source's
 * snapshot objects removed. A failure or cancel before it discards the copies made so far.
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
    private final QemuImgCopyEngine remoteCopy;
    private final SnapshotChainCopy chainCopy;
    /** The copy in checkpointed ranges ({@code migration_checkpoint_mb}), or null with {@code migration_resume} off. */
    private final CheckpointedCopy checkpointed;
    private final KeptSources kept;
    /** {@code migration_keep_source}: seconds the old copy is kept after the swap; 0 deletes it at once. */
    private final long keepSourceSeconds;

    GenericCopyMigration(VolumeDriver driver, CopyEngine copyEngine, QemuImgCopyEngine remoteCopy,
                         VolumeRepository volumes, DestinationBackend destinations, MigrationTargets targets,
                         MigrationCompletion completion, MigrationRecorder recorder, SnapshotChainCopy chainCopy,
                         CheckpointedCopy checkpointed, KeptSources kept, long keepSourceSeconds) {
        this.chainCopy = chainCopy;
        this.checkpointed = checkpointed;
        this.remoteCopy = remoteCopy;
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

    /** Whether the host copy keeps a bandwidth limit at all (dd only where it can be paced). */
    boolean keepsBandwidthLimit() {
        return copyEngine.keepsBandwidthLimit();
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
        LOG.info("Migration of volume {}: creating temporary volume {} on {}", v.getId(), target.getId(),
                destination);
        boolean created = false;
        try {
            recorder.phase(record, MigrationPhase.CREATING_DESTINATION);
            targets.createOnDestination(job.ctx(), target, destination);
            created = true;
        } finally {
            if (!created) {
                targets.discard(job.ctx(), v.getId(), target.getId(), destination);
            }
        }
        copyAndCommit(job, target.getId(), false);
    }

    /**
     * After a crash of this volume service: the same migration goes on with its temporary volume, the copy
     * starting after the last checkpoint the destination still matches (from 0 when none does).
     */
    void resume(MigrationJob job, String targetId) {
        copyAndCommit(job, targetId, true);
    }

    private void copyAndCommit(MigrationJob job, String targetId, boolean resuming) {
        VolumeEntity v = job.volume();
        BackendHost destination = job.destination();
        VolumeMigrationEntity record = job.record();
        boolean committed = false;
        SnapshotTargets snapshotTargets = new SnapshotTargets.Remote(destinations, job.ctx(), destination);
        // The destination's copies of the snapshots, by id, as they come to exist: discarded unless committed.
        Map<String, String> snapshotCopies = new LinkedHashMap<>();
        try {
            copyVolumeData(job, targetId, resuming);
            chainCopy.copy(job, snapshotTargets, v.getSize() * GIB, job.sparseDestination(), snapshotCopies);
            recorder.phase(record, MigrationPhase.COMPLETING);
            MigratedName name = updateMigratedVolume(job.ctx(), v, targetId, destination);
            String oldHost = completion.finish(v.getId(), targetId, name, snapshotCopies);
            committed = true;
            if (keepSourceSeconds > 0) {
                LOG.info("Migration of volume {} committed: now on {}; keeping the old copy on {} for {} s",
                        v.getId(), destination, oldHost, keepSourceSeconds);
                kept.keepSwappedOut(record, targetId, keepSourceSeconds);
                recorder.succeeded(record);
                chainCopy.deleteSources(job);
                return;
            }
            LOG.info("Migration of volume {} committed{}: now on {}; deleting the old copy on {}", v.getId(),
                    job.withSnapshots() ? " with " + job.snapshots().size() + " snapshots" : "", destination,
                    oldHost);
            recorder.succeeded(record);
            chainCopy.deleteSources(job);
            try {
                destinations.deleteVolume(job.ctx(), BackendHost.parse(oldHost), targetId);
            } catch (RuntimeException e) {
                LOG.warn("Old copy of volume {} (row {}) could not be queued for deletion: {}", v.getId(),
                        targetId, e.getMessage());
            }
        } finally {
            if (!committed) {
                chainCopy.discard(job, snapshotTargets, snapshotCopies);
                targets.discard(job.ctx(), v.getId(), targetId, destination);
            }
        }
    }

    /**
     * Cinder's {@code copy_volume_data}: both volumes connected to this host, the copy engine between them, and
     * both disconnected again whatever happened, so loop devices and exports are not left behind.
     */
    private void copyVolumeData(MigrationJob job, String targetId, boolean resuming) {
        CopyControl control = job.control();
        control.throwIfCancelled();
        VolumeEntity v = job.volume();
        VolumeMigrationEntity record = job.record();
        Object thin = job.destinationCapabilities() == null ? null
                : job.destinationCapabilities().get("thin_provisioning_support");
        // A resumed copy does as the first attempt did (its capabilities are not known any more).
        boolean sparse = resuming ? record.isSparseCopy() : Boolean.TRUE.equals(thin);
        long bytes = v.getSize() * GIB;
        long started = System.nanoTime();
        ConnectionInfo dst = destinations.initializeConnection(job.ctx(), job.destination(), targetId);
        try {
            ConnectionInfo src = driver.initializeConnection(v);
            try {
                boolean remote = src.exported() || dst.exported();
                CopyEndpoint from = CopyEndpoint.of(src);
                CopyEndpoint to = CopyEndpoint.of(dst);
                // A copy over iSCSI (qemu-img) has no checkpoints: it is not resumed, it starts again.
                long start = resuming && !remote ? resumePoint(record, Path.of(dst.path()), bytes) : 0;
                if (resuming && remote) {
                    // qemu-img has no byte range: the copy into an export starts again from 0 (the export
                    // itself survived the crash, or was made again by the initialize_connection above).
                    recorder.resumed(record, 0);
                    LOG.info("Migration of volume {}: resuming the copy {} -> {} over iSCSI with qemu-img from "
                            + "byte 0 of {} (a copy into an export has no checkpoints: it starts again)", v.getId(),
                            from, to, bytes);
                } else if (resuming) {
                    recorder.resumed(record, start);
                    LOG.info("Migration of volume {}: resuming the copy {} -> {} at byte {} of {} ({} MiB verified "
                            + "on the destination and skipped)", v.getId(), from, to, start, bytes, start >> 20);
                } else {
                    LOG.info("Migration of volume {}: copying {} GiB {} -> {} (sparse={}, {})", v.getId(),
                            v.getSize(), from, to, sparse, remote ? "over iSCSI with qemu-img" : "local copy engine");
                }
                recorder.copyStarted(record, sparse);
                CopyProgressLog log = new CopyProgressLog(v.getId(), from + " -> " + to, bytes, started);
                CopyEngine.Progress progress = copied -> recorder.copied(record, copied, log.due(copied));
                if (remote) {
                    remoteCopy.copy(from, to, bytes, sparse, progress, control);
                } else if (checkpointed != null && checkpointed.checkpoints()) {
                    checkpointed.copy(Path.of(src.path()), Path.of(dst.path()), bytes, start, sparse, progress,
                            control, c -> recorder.checkpoint(record, c));
                } else {
                    copyEngine.copy(Path.of(src.path()), Path.of(dst.path()), bytes, sparse, progress, control);
                }
            } finally {
                driver.terminateConnection(v);
            }
        } finally {
            try {
                destinations.terminateConnection(job.ctx(), job.destination(), targetId);
            } catch (RuntimeException e) {
                LOG.warn("Could not release the destination's connection of {}: {}", targetId, e.getMessage());
            }
        }
        recorder.copied(record, bytes, true);
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        LOG.info("Migration of volume {}: copied {} GiB in {} s ({} MB/s)", v.getId(), v.getSize(),
                String.format("%.1f", seconds), String.format("%.0f", bytes / 1e6 / seconds));
    }

    /**
     * Where a resumed copy may start: after the longest run of checkpoints the destination still matches
     * (each range re-read and checksummed); 0 without checkpointing or when the first range does not match.
     */
    private long resumePoint(VolumeMigrationEntity record, Path destination, long bytes) {
        if (checkpointed == null || !checkpointed.checkpoints()) {
            return 0;
        }
        List<CheckpointedCopy.Checkpoint> recorded = recorder.checkpoints(record);
        long verified = Math.min(bytes, CheckpointedCopy.verifiedPrefix(destination, recorded));
        long claimed = recorded.isEmpty() ? 0 : recorded.get(recorded.size() - 1).end();
        if (verified < claimed) {
            LOG.warn("Migration of volume {}: the destination matches its checkpoints only up to byte {} of {}; "
                    + "copying again from there", record.getVolumeId(), verified, claimed);
        }
        return verified;
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
