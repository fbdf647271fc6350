package org.openstack.jcinder.volume.snapshot;

import java.util.List;

import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.SnapshotRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.group.GroupStatusRollup;
import org.openstack.jcinder.common.quota.SnapshotQuotas;
import org.openstack.jcinder.common.rpc.RpcDispatcher;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.SnapshotRef;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.volume.driver.VolumeDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backend's side of Cinder's {@code create_snapshot} / {@code delete_snapshot}: the driver makes or removes
 * the copy, the row moves {@code creating} → {@code available} / {@code error} and {@code deleting} → deleted
 * (its quota given back) / {@code error_deleting}, each by compare-and-set so a reset meanwhile wins.
 */
public class SnapshotTasks {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotTasks.class);

    private final String serviceHost;
    private final VolumeDriver driver;
    private final SnapshotRepository snapshots;
    private final VolumeRepository volumes;
    private final SnapshotQuotas quotas;
    private final java.util.function.BooleanSupplier ready;
    private final GroupStatusRollup groupRollup;

    public SnapshotTasks(String serviceHost, VolumeDriver driver, SnapshotRepository snapshots,
                         VolumeRepository volumes, SnapshotQuotas quotas, java.util.function.BooleanSupplier ready,
                         GroupStatusRollup groupRollup) {
        this.groupRollup = groupRollup;
        this.serviceHost = serviceHost;
        this.driver = driver;
        this.snapshots = snapshots;
        this.volumes = volumes;
        this.quotas = quotas;
        this.ready = ready;
    }

    /** Adds this backend's snapshot messages to its dispatcher. */
    public RpcDispatcher registerOn(RpcDispatcher dispatcher) {
        return dispatcher.register(VolumeRpcApi.CREATE_SNAPSHOT, SnapshotRef.class, this::create)
                .register(VolumeRpcApi.DELETE_SNAPSHOT, SnapshotRef.class, this::delete);
    }

    Object create(RequestContext ctx, SnapshotRef ref) {
        SnapshotEntity s = snapshots.findByIdAndDeletedFalse(ref.snapshotId()).orElse(null);
        if (s == null || !"creating".equals(s.getStatus())) {
            LOG.warn("create_snapshot: snapshot {} is gone or no longer creating; nothing to do", ref.snapshotId());
            return null;
        }
        LOG.info("Creating snapshot {} of volume {} on {}", s.getId(), s.getVolumeId(), serviceHost);
        try {
            requireReady();
            VolumeEntity volume = volumes.findByIdAndDeletedFalse(s.getVolumeId())
                    .orElseThrow(() -> new IllegalStateException("volume " + s.getVolumeId() + " is gone"));
            String location = driver.createSnapshot(s, volume);
            if (snapshots.markCreated(s.getId(), location, Clock.now()) == 0) {
                LOG.warn("Snapshot {} changed state while it was created; leaving it as it is", s.getId());
            } else {
                LOG.info("Created snapshot {} on {} at {}", s.getId(), serviceHost, location);
            }
        } catch (RuntimeException e) {
            LOG.error("Failed to create snapshot {} on {}: {}", s.getId(), serviceHost, e.getMessage());
            snapshots.compareAndSetStatus(s.getId(), List.of("creating"), "error", Clock.now());
        }
        // A member of a group snapshot: the last member settled settles the group snapshot.
        groupRollup.snapshotCreated(s.getGroupSnapshotId());
        return null;
    }

    Object delete(RequestContext ctx, SnapshotRef ref) {
        SnapshotEntity s = snapshots.findByIdAndDeletedFalse(ref.snapshotId()).orElse(null);
        if (s == null || !"deleting".equals(s.getStatus())) {
            LOG.warn("delete_snapshot: snapshot {} is gone or not deleting; nothing to do", ref.snapshotId());
            return null;
        }
        try {
            deleteMarked(s);
        } catch (RuntimeException e) {
            // recorded on the snapshot by deleteMarked
        }
        // A member of a group snapshot: its last member gone (or failed) settles the group snapshot.
        groupRollup.snapshotDeleted(s.getGroupSnapshotId());
        return null;
    }

    /**
     * Cinder's {@code init_host}: a snapshot of this backend left {@code deleting} by an earlier life of the
     * service (its {@code delete_snapshot} lost to a crash or a shutdown) is deleted now. Run after the volumes'
     * own resumed deletes, whose cascade took their snapshots.
     */
    public void resumeDeletes() {
        for (SnapshotEntity s : snapshots.findOnBackendInStatus(serviceHost + "#", "deleting")) {
            LOG.info("Resuming delete on snapshot {} of volume {} on {}", s.getId(), s.getVolumeId(), serviceHost);
            delete(RequestContext.internal(), new SnapshotRef(s.getId()));
        }
    }

    /**
     * A cascade delete's first step (Cinder's manager deletes each snapshot of the volume before it): every
     * snapshot must be {@code deleting} (the API marked them); one in any other state, or one the driver fails
     * to remove, stops the cascade with the reason, and the volume is not deleted.
     */
    public void deleteAllOf(String volumeId) {
        for (SnapshotEntity s : snapshots.findByVolumeIdAndDeletedFalseOrderByCreatedAtDescIdDesc(volumeId)) {
            if (!"deleting".equals(s.getStatus())) {
                throw new org.openstack.jcinder.common.exception.CinderException(400, "Invalid snapshot: Snapshot "
                        + s.getId() + " was found in state " + s.getStatus() + " rather than 'deleting' during "
                        + "cascade delete.");
            }
            deleteMarked(s);
            groupRollup.snapshotDeleted(s.getGroupSnapshotId());
        }
    }

    /** Removes a {@code deleting} snapshot's data and row (its quota given back); error_deleting and rethrows on failure. */
    private void deleteMarked(SnapshotEntity s) {
        LOG.info("Deleting snapshot {} of volume {} on {}", s.getId(), s.getVolumeId(), serviceHost);
        try {
            requireReady();
            driver.deleteSnapshot(s);
            quotas.softDelete(s.getId());
            LOG.info("Deleted snapshot {} on {}", s.getId(), serviceHost);
        } catch (RuntimeException e) {
            LOG.error("Failed to delete snapshot {} on {}: {}", s.getId(), serviceHost, e.getMessage());
            snapshots.compareAndSetStatus(s.getId(), List.of("deleting"), "error_deleting", Clock.now());
            throw e;
        }
    }

    private void requireReady() {
        if (!ready.getAsBoolean()) {
            throw new org.openstack.jcinder.common.exception.VolumeDriverException("backend " + serviceHost
                    + " is not initialised");
        }
    }
}
