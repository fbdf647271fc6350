package org.openstack.jcinder.volume.migration;

import java.util.List;

import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.VolumeAttachmentEntity;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.Completion;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.CompletionResult;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.MigrationPath;
import org.openstack.jcinder.common.volume.MigrationPhase;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.volume.nova.NovaClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * [3] An attached volume, the only way it can move: the temporary volume is created on the destination, then
 * Nova is asked to swap each attachment's server onto it ({@code update_server_volume}). The hypervisor copies
 * while the guest runs, and Nova calls back {@code os-migrate_volume_completion}
 * ({@link #migrateVolumeCompletion}), which commits the swap — or, with an error, discards the temporary volume.
 * Nova refusing ends the migration at once with the source untouched.
 */
final class AttachedSwapMigration implements MigrationStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(AttachedSwapMigration.class);

    private final NovaClient nova;
    private final VolumeRepository volumes;
    private final DestinationBackend destinations;
    private final MigrationTargets targets;
    private final MigrationCompletion completion;
    private final MigrationRecorder recorder;

    AttachedSwapMigration(NovaClient nova, VolumeRepository volumes, DestinationBackend destinations,
                          MigrationTargets targets, MigrationCompletion completion, MigrationRecorder recorder) {
        this.nova = nova;
        this.volumes = volumes;
        this.destinations = destinations;
        this.targets = targets;
        this.completion = completion;
        this.recorder = recorder;
    }

    @Override
    public MigrationPath path() {
        return MigrationPath.ATTACHED;
    }

    @Override
    public Fitness fitness(MigrationJob job) {
        // Nova's swap moves the active disk only: a chain of snapshots cannot follow it (the API refuses it too).
        return job.attached() && !job.withSnapshots() ? Fitness.HIGHEST : Fitness.CANNOT;
    }

    @Override
    public String refusal(MigrationJob job) {
        return job.attached() ? null : "the volume is detached: no server to swap it under";
    }

    /** Hands the volume to the compute service; the migration goes on there until its completion arrives. */
    @Override
    public boolean migrate(MigrationJob job) {
        VolumeEntity v = job.volume();
        VolumeMigrationEntity record = job.record();
        VolumeEntity target = targets.reserve(job);
        recorder.path(record, path(), target.getId());
        recorder.phase(record, MigrationPhase.CREATING_DESTINATION);
        try {
            targets.createOnDestination(job.ctx(), target, job.destination());
            for (VolumeAttachmentEntity a : job.attachments()) {
                updateServerVolume(job.ctx(), a, v.getId(), target.getId());
            }
        } catch (RuntimeException e) {
            targets.discard(job.ctx(), v.getId(), target.getId(), job.destination());
            throw e;
        }
        recorder.phase(record, MigrationPhase.WAITING_FOR_COMPUTE);
        LOG.info("Migration of attached volume {}: the compute service is swapping {} server(s) to {} on {}",
                v.getId(), job.attachments().size(), target.getId(), job.destination());
        return true;
    }

    /** Nova's swap of one server's disk ({@code PUT /servers/{server}/os-volume_attachments/{volume}}). */
    private void updateServerVolume(RequestContext ctx, VolumeAttachmentEntity attachment, String volumeId,
                                    String targetId) {
        if (attachment.getInstanceUuid() == null) {
            throw new VolumeDriverException("attachment " + attachment.getId() + " is to a host, not a server: "
                    + "only Nova can move an attached volume");
        }
        nova.updateServerVolume(ctx, attachment.getInstanceUuid(), volumeId, targetId);
    }

    /**
     * {@code os-migrate_volume_completion}, as the compute service calls it after the swap: with {@code error},
     * the temporary volume is deleted and the source keeps its data; otherwise the rows are swapped and the old
     * copy is deleted.
     */
    CompletionResult migrateVolumeCompletion(RequestContext ctx, Completion c) {
        if (c.error()) {
            VolumeEntity tmp = volumes.findByIdAndDeletedFalse(c.newVolumeId()).orElse(null);
            if (tmp != null && volumes.compareAndSetStatus(tmp.getId(), List.of(VolumeStatus.CREATING,
                    VolumeStatus.AVAILABLE, VolumeStatus.ERROR, VolumeStatus.IN_USE), VolumeStatus.DELETING,
                    Clock.now()) > 0) {
                destinations.deleteVolume(ctx, BackendHost.parse(tmp.getHost()), tmp.getId());
            }
            volumes.failMigration(c.volumeId(), MigrationStatus.ACTIVE, "the compute service reported an error",
                    Clock.now());
            recorder.open(c.volumeId()).ifPresent(r -> recorder.failed(r,
                    r.isCancelRequested() ? "cancelled" : "the compute service reported an error"));
            return new CompletionResult(c.volumeId());
        }
        // No update_migrated_volume here: the compute service moved an in-use volume, whose new object keeps
        // its name under every driver this project has (Cinder's LVM rule), so _name_id covers it.
        String oldHost = completion.finish(c.volumeId(), c.newVolumeId());
        recorder.open(c.volumeId()).ifPresent(r -> {
            // The pivot means the whole disk is on the new volume; the compute service's last report may be
            // seconds old.
            recorder.copied(r, r.getBytesTotal(), false);
            recorder.succeeded(r);
        });
        LOG.info("Migration of volume {} completed by the compute service; deleting the old copy on {}",
                c.volumeId(), oldHost);
        destinations.deleteVolume(ctx, BackendHost.parse(oldHost), c.newVolumeId());
        return new CompletionResult(c.volumeId());
    }
}
