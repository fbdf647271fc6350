package org.openstack.jcinder.volume.migration;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.MigrationCheckpointEntity;
import org.openstack.jcinder.common.db.MigrationCheckpointRepository;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.db.VolumeMigrationRepository;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.message.MessageAction;
import org.openstack.jcinder.common.message.MessageDetail;
import org.openstack.jcinder.common.message.UserMessages;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.MigrateVolume;
import org.openstack.jcinder.common.volume.MigrationPath;
import org.openstack.jcinder.common.volume.MigrationPhase;
import org.openstack.jcinder.volume.copy.CheckpointedCopy.Checkpoint;
import org.springframework.stereotype.Component;

/**
 * Keeps a migration's record ({@code volume_migrations}): the path taken, the phase, the bytes copied, the notes
 * of a fallback, and how it ended. The one writer of those rows in the volume service, so what the API shows as
 * progress follows one set of rules.
 */
@Component
public class MigrationRecorder {

    private static final long GIB = 1L << 30;
    private static final int DETAIL_LIMIT = 1000;

    private final VolumeMigrationRepository migrations;
    private final MigrationCheckpointRepository checkpoints;
    private final VolumeRepository volumes;
    private final UserMessages messages;
    private final MigrationMetrics metrics;
    private final MigrationQueue queue;
    /** Records of migrations that carry a retype, so a failure tells the owner its retype failed. */
    private final java.util.Set<String> retypes = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public MigrationRecorder(VolumeMigrationRepository migrations, VolumeRepository volumes, UserMessages messages,
                             MigrationMetrics metrics, MigrationCheckpointRepository checkpoints,
                             MigrationQueue queue) {
        this.checkpoints = checkpoints;
        this.metrics = metrics;
        this.queue = queue;
        this.migrations = migrations;
        this.volumes = volumes;
        this.messages = messages;
    }

    /** A new record in phase {@code migrating} for the request the source backend received. */
    public VolumeMigrationEntity start(RequestContext ctx, VolumeEntity v, MigrateVolume req) {
        return start(ctx, v, req, 0);
    }

    /**
     * A new record for a migration that also moves {@code snapshotGb} GiB of snapshots ({@code with_snapshots}):
     * its total counts every byte to copy, so progress and the ETA cover the whole chain.
     */
    public VolumeMigrationEntity start(RequestContext ctx, VolumeEntity v, MigrateVolume req, long snapshotGb) {
        return begin(ctx, v, req, MigrationPhase.MIGRATING, null, snapshotGb);
    }

    /**
     * A new record in phase {@code queued}, at the end of its backend's queue, keeping {@code request} (the
     * context and message as JSON) for whichever life of the backend admits it.
     */
    VolumeMigrationEntity queue(RequestContext ctx, VolumeEntity v, MigrateVolume req, String request,
                                long snapshotGb) {
        return begin(ctx, v, req, MigrationPhase.QUEUED, request, snapshotGb);
    }

    /**
     * The oldest queued migration of {@code backend}, now {@code migrating}, if a slot is free for it (see
     * {@link MigrationQueue#admitNext}).
     */
    Optional<VolumeMigrationEntity> admitNext(String backend, MigrationQueue.Limits limits,
                                              java.time.Duration serviceDownTime) {
        return queue.admitNext(backend, limits, serviceDownTime).flatMap(migrations::findById).map(r -> {
            metrics.phase(r, MigrationPhase.MIGRATING); // ends the queued phase's timer started in this process
            return r;
        });
    }

    /**
     * Takes a queued migration out of the queue (cancelled): its record ends in {@code error} with the reason
     * and the project is told, as for a running migration that fails. False when it is not queued any more.
     */
    boolean removeFromQueue(VolumeMigrationEntity r, String reason) {
        if (!queue.removeQueued(r.getId(), truncate(reason), Clock.now())) {
            return false;
        }
        migrations.findById(r.getId()).ifPresent(ended -> metrics.finished(ended, MigrationPhase.ERROR));
        tellOwner(r);
        return true;
    }

    /**
     * Marks an open record cancelled for whoever runs it next to see (a queued migration admitted at the moment
     * of the cancel); only that column, so a concurrent admission's state stays.
     */
    void requestCancel(VolumeMigrationEntity r) {
        migrations.requestForCompute(r.getId(), null, true, Clock.now());
    }

    /** A queued migration's new bandwidth limit, written alone (the record may be admitted meanwhile). */
    void queuedBandwidth(VolumeMigrationEntity r, long bpsLimit) {
        migrations.requestForCompute(r.getId(), bpsLimit, false, Clock.now());
    }

    /** The queue gauges of a backend ({@code host@backend}). */
    void watchQueue(String serviceHost) {
        metrics.queue(serviceHost, h -> queue.queued(h).size(), queue::running);
    }

    /** An admitted migration carries a retype (known from its queued request, also after a restart). */
    void carriesRetype(VolumeMigrationEntity r) {
        retypes.add(r.getId());
    }

    /** The record as the database has it now (a queued one may have been admitted or cancelled meanwhile). */
    Optional<VolumeMigrationEntity> reload(String id) {
        return migrations.findById(id);
    }

    private VolumeMigrationEntity begin(RequestContext ctx, VolumeEntity v, MigrateVolume req, MigrationPhase phase,
                                        String queuedRequest, long snapshotGb) {
        VolumeMigrationEntity r = new VolumeMigrationEntity();
        r.setId(UUID.randomUUID().toString());
        r.setVolumeId(v.getId());
        r.setRequestId(ctx.requestId());
        r.setSourceHost(v.getHost());
        r.setDestinationHost(req.destinationHost());
        r.setForceHostCopy(req.forceHostCopy());
        r.setState(phase);
        if (phase == MigrationPhase.QUEUED) {
            r.setQueuedAt(Clock.now());
            r.setQueuedRequest(queuedRequest);
        }
        r.setBytesTotal((v.getSize() + snapshotGb) * GIB);
        r.setBpsLimit(req.bpsLimit());
        r.setCreatedAt(Clock.now());
        if (req.newTypeId() != null) {
            retypes.add(r.getId());
        }
        metrics.started(r);
        // For the log lines of this migration (log_format = json shows them as fields); cleared with the context.
        org.slf4j.MDC.put("volume_id", r.getVolumeId());
        org.slf4j.MDC.put("migration_id", r.getId());
        org.slf4j.MDC.put("phase", r.getState().wire());
        return migrations.save(r);
    }

    /** The path that now owns the migration, and its temporary volume if it has one. */
    public void path(VolumeMigrationEntity r, MigrationPath path, String targetVolumeId) {
        MigrationPath previous = r.getPath();
        r.setPath(path);
        metrics.pathChosen(r, previous);
        r.setTargetVolumeId(targetVolumeId);
        save(r);
    }

    public void phase(VolumeMigrationEntity r, MigrationPhase phase) {
        metrics.phase(r, phase);
        org.slf4j.MDC.put("phase", phase.wire());
        r.setState(phase);
        save(r);
    }

    /** Appends to the record's detail (a fallback's reason, a limit that could not be applied). */
    public void note(VolumeMigrationEntity r, String detail) {
        r.setDetail(truncate(r.getDetail() == null ? detail : r.getDetail() + "; " + detail));
        save(r);
    }

    /** The copy's progress; persisted only when {@code persist}, so the database sees a few updates a copy. */
    public void copied(VolumeMigrationEntity r, long bytes, boolean persist) {
        r.setBytesCopied(bytes);
        metrics.copied(r, bytes);
        r.setUpdatedAt(Clock.now());
        if (persist) {
            migrations.save(r);
        }
    }

    /** A range of the copy is durably on the destination: its checkpoint, and the progress up to it. */
    public void checkpoint(VolumeMigrationEntity r, Checkpoint c) {
        checkpoints.save(new MigrationCheckpointEntity(r.getId(), c.start(), c.end(), c.crc32c(), Clock.now()));
        copied(r, Math.max(r.getBytesCopied(), c.end()), true);
    }

    /** The migration's checkpoints, in order. */
    public List<Checkpoint> checkpoints(VolumeMigrationEntity r) {
        return checkpoints.findByMigrationIdOrderByRangeStart(r.getId()).stream()
                .map(c -> new Checkpoint(c.getRangeStart(), c.getRangeEnd(), c.getCrc32c())).toList();
    }

    /**
     * The copy goes on after a crash of its volume service from {@code from} (0: its checkpoints did not hold),
     * said in the record's detail, its resume count and {@code resumed_from}.
     */
    public void resumed(VolumeMigrationEntity r, long from) {
        r.setResumeCount(r.getResumeCount() + 1);
        r.setResumedFrom(from);
        r.setBytesCopied(from);
        metrics.started(r);
        org.slf4j.MDC.put("volume_id", r.getVolumeId());
        org.slf4j.MDC.put("migration_id", r.getId());
        note(r, "resumed after a restart of its volume service at byte " + from + " of " + r.getBytesTotal());
    }

    public void copyStarted(VolumeMigrationEntity r, boolean sparse) {
        r.setSparseCopy(sparse);
        copyStarted(r);
    }

    public void copyStarted(VolumeMigrationEntity r) {
        r.setCopyStartedAt(Clock.now());
        phase(r, MigrationPhase.COPYING);
    }

    public void bandwidth(VolumeMigrationEntity r, long bpsLimit) {
        r.setBpsLimit(bpsLimit);
        save(r);
    }

    /** Ends the record in {@code success}, keeping the notes gathered on the way. */
    public void succeeded(VolumeMigrationEntity r) {
        retypes.remove(r.getId());
        finish(r, MigrationPhase.SUCCESS, r.getDetail());
    }

    /**
     * Ends the record in {@code error} with the reason, and tells the volume's project with a user message (the
     * reason itself stays in the record and the log: it may name hosts and paths).
     */
    public void failed(VolumeMigrationEntity r, String reason) {
        finish(r, MigrationPhase.ERROR, reason);
        tellOwner(r);
    }

    private void tellOwner(VolumeMigrationEntity r) {
        MessageAction action = retypes.remove(r.getId()) ? MessageAction.RETYPE_VOLUME : MessageAction.MIGRATE_VOLUME;
        volumes.findById(r.getVolumeId()).ifPresent(v -> messages.volumeError(r.getRequestId(), v.getProjectId(),
                v.getId(), action, MessageDetail.MIGRATION_FAILED));
    }

    /** The volume's latest migration that has not ended, if any. */
    public Optional<VolumeMigrationEntity> open(String volumeId) {
        return migrations.findFirstByVolumeIdOrderByCreatedAtDesc(volumeId).filter(r -> r.getFinishedAt() == null);
    }

    private void finish(VolumeMigrationEntity r, MigrationPhase state, String detail) {
        r.setState(state);
        r.setDetail(truncate(detail));
        r.setFinishedAt(Clock.now());
        r.setUpdatedAt(r.getFinishedAt());
        migrations.save(r);
        metrics.finished(r, state);
    }

    private void save(VolumeMigrationEntity r) {
        r.setUpdatedAt(Clock.now());
        migrations.save(r);
    }

    /** Reasons end up in columns and API fields of bounded size. */
    static String truncate(String text) {
        return text == null || text.length() <= DETAIL_LIMIT ? text : text.substring(0, DETAIL_LIMIT);
    }
}
