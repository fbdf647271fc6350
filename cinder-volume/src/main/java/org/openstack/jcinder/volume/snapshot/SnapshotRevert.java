package org.openstack.jcinder.volume.snapshot;

import java.util.List;
import java.util.function.BooleanSupplier;

import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.SnapshotRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.openstack.jcinder.common.rpc.RpcDispatcher;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.RevertToSnapshot;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.volume.driver.VolumeDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backend's side of Cinder's {@code revert_to_snapshot} (3.40): the driver puts the snapshot's data back into
 * the volume; the volume moves {@code reverting} → {@code available} ({@code error} when the driver failed) and
 * the snapshot {@code restoring} → {@code available} in both cases, each by compare-and-set so a reset meanwhile
 * wins. Cinder's optional safety snapshot taken before the revert (drivers that ask for one) is not taken: both
 * drivers here write the volume only after the snapshot's data has been read successfully up to that point, and
 * the snapshot itself stays.
 */
public class SnapshotRevert {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotRevert.class);

    private final String serviceHost;
    private final VolumeDriver driver;
    private final SnapshotRepository snapshots;
    private final VolumeRepository volumes;
    private final BooleanSupplier ready;

    public SnapshotRevert(String serviceHost, VolumeDriver driver, SnapshotRepository snapshots,
                          VolumeRepository volumes, BooleanSupplier ready) {
        this.serviceHost = serviceHost;
        this.driver = driver;
        this.snapshots = snapshots;
        this.volumes = volumes;
        this.ready = ready;
    }

    public RpcDispatcher registerOn(RpcDispatcher dispatcher) {
        return dispatcher.register(VolumeRpcApi.REVERT_TO_SNAPSHOT, RevertToSnapshot.class, this::revert);
    }

    Object revert(RequestContext ctx, RevertToSnapshot request) {
        VolumeEntity volume = volumes.findByIdAndDeletedFalse(request.volumeId()).orElse(null);
        SnapshotEntity snapshot = snapshots.findByIdAndDeletedFalse(request.snapshotId()).orElse(null);
        if (volume == null || snapshot == null || volume.getStatus() != VolumeStatus.REVERTING
                || !"restoring".equals(snapshot.getStatus())) {
            LOG.warn("revert_to_snapshot: volume {} or snapshot {} is gone or no longer reverting/restoring; "
                    + "nothing to do", request.volumeId(), request.snapshotId());
            return null;
        }
        LOG.info("[{}] Reverting volume {} to snapshot {} on {}", ctx.requestId(), volume.getId(), snapshot.getId(),
                serviceHost);
        VolumeStatus outcome = VolumeStatus.AVAILABLE;
        String reason = null;
        try {
            if (!ready.getAsBoolean()) {
                throw new VolumeDriverException("backend " + serviceHost + " is not initialised");
            }
            driver.revertToSnapshot(volume, snapshot);
            LOG.info("[{}] Reverted volume {} to snapshot {} on {}", ctx.requestId(), volume.getId(),
                    snapshot.getId(), serviceHost);
        } catch (RuntimeException e) {
            LOG.error("[{}] Revert of volume {} to snapshot {} on {} failed: {}", ctx.requestId(), volume.getId(),
                    snapshot.getId(), serviceHost, e.getMessage());
            outcome = VolumeStatus.ERROR;
            reason = e.getMessage() == null || e.getMessage().length() <= 1000 ? e.getMessage()
                    : e.getMessage().substring(0, 1000);
        }
        if (volumes.compareAndSetStatusWithReason(volume.getId(), List.of(VolumeStatus.REVERTING), outcome, reason,
                Clock.now()) == 0) {
            LOG.warn("Revert finished, but volume {} was no longer reverting: its status is left as it is",
                    volume.getId());
        }
        if (snapshots.compareAndSetStatus(snapshot.getId(), List.of("restoring"), "available", Clock.now()) == 0) {
            LOG.warn("Revert finished, but snapshot {} was no longer restoring: its status is left as it is",
                    snapshot.getId());
        }
        return null;
    }
}
