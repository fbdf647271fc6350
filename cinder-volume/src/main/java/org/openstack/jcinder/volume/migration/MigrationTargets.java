package org.openstack.jcinder.volume.migration;

import java.util.HashMap;
import java.util.List;
import java.util.UUID;

import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.AttachStatus;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The temporary volume a host copy or a swap moves the data into: a row marked {@code target:<source id>}
 * (hidden from its owner), created on the destination backend, and discarded again when the migration fails
 * before its commit.
 */
@Component
public class MigrationTargets {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationTargets.class);

    private final VolumeRepository volumes;
    private final DestinationBackend destinations;

    public MigrationTargets(VolumeRepository volumes, DestinationBackend destinations) {
        this.volumes = volumes;
        this.destinations = destinations;
    }

    /**
     * Writes the temporary row for {@code job} before anything is created on the destination, so a crash in
     * between leaves a row that the recovery finds.
     */
    public VolumeEntity reserve(MigrationJob job) {
        VolumeEntity target = newTarget(job.volume(), job.destination(), job.newTypeId());
        volumes.saveAndFlush(target);
        return target;
    }

    /** Cinder's {@code create_volume} on the destination, waited for ({@code migration_create_volume_timeout_secs}). */
    public void createOnDestination(RequestContext ctx, VolumeEntity target, BackendHost destination) {
        destinations.createVolume(ctx, destination, target.getId());
    }

    /** Removes the temporary volume of a failed migration; the user's volume was never touched. */
    public void discard(RequestContext ctx, String sourceId, String targetId, BackendHost destination) {
        try {
            volumes.compareAndSetMigrationStatus(targetId, List.of(MigrationStatus.target(sourceId)),
                    MigrationStatus.DELETING, Clock.now());
            if (volumes.compareAndSetStatus(targetId, List.of(VolumeStatus.CREATING, VolumeStatus.AVAILABLE,
                    VolumeStatus.ERROR), VolumeStatus.DELETING, Clock.now()) > 0) {
                destinations.deleteVolume(ctx, destination, targetId);
            }
        } catch (RuntimeException e) {
            LOG.warn("Temporary volume {} could not be cleaned up: {}", targetId, e.getMessage());
        }
    }

    /** Queues again the deletion of a temporary volume already marked deleting (its first request was lost). */
    public void redelete(RequestContext ctx, String targetId, BackendHost host) {
        try {
            destinations.deleteVolume(ctx, host, targetId);
        } catch (RuntimeException e) {
            LOG.warn("Temporary volume {} could not be queued for deletion: {}", targetId, e.getMessage());
        }
    }

    /** The temporary destination row; with a retype it already has the new type, which the swap hands over. */
    static VolumeEntity newTarget(VolumeEntity v, BackendHost destination, String newTypeId) {
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
        t.setUseQuota(false); // Cinder's use_quota: the copy never counts; after the swap the user's row does, once
        t.setMetadata(new HashMap<>(v.getMetadata()));
        t.setCreatedAt(Clock.now());
        return t;
    }
}
