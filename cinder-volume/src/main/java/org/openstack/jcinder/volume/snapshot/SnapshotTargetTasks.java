package org.openstack.jcinder.volume.snapshot;

import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.SnapshotRepository;
import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.openstack.jcinder.common.rpc.RpcDispatcher;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.SnapshotRef;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.SnapshotTargetCreated;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.volume.driver.VolumeDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A migration's destination side for the snapshots of a volume moved {@code with_snapshots}: creates the empty
 * copy of a snapshot on this backend, connects it for the source's copy engine, and removes it again when the
 * migration fails. The snapshot row stays the source's until the migration commits; only the objects are ours.
 */
public class SnapshotTargetTasks {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotTargetTasks.class);

    private final String serviceHost;
    private final VolumeDriver driver;
    private final SnapshotRepository snapshots;
    private final java.util.function.BooleanSupplier ready;

    public SnapshotTargetTasks(String serviceHost, VolumeDriver driver, SnapshotRepository snapshots,
                               java.util.function.BooleanSupplier ready) {
        this.serviceHost = serviceHost;
        this.driver = driver;
        this.snapshots = snapshots;
        this.ready = ready;
    }

    /** Adds the snapshot-target messages to this backend's dispatcher. */
    public RpcDispatcher registerOn(RpcDispatcher dispatcher) {
        return dispatcher.register(VolumeRpcApi.CREATE_SNAPSHOT_TARGET, SnapshotRef.class, this::create)
                .register(VolumeRpcApi.INITIALIZE_SNAPSHOT_CONNECTION, SnapshotRef.class,
                        (ctx, ref) -> driver.initializeSnapshotConnection(snapshot(ref)))
                .register(VolumeRpcApi.TERMINATE_SNAPSHOT_CONNECTION, SnapshotRef.class, (ctx, ref) -> {
                    snapshots.findByIdAndDeletedFalse(ref.snapshotId()).ifPresent(driver::terminateSnapshotConnection);
                    return null;
                })
                .register(VolumeRpcApi.DELETE_SNAPSHOT_TARGET, SnapshotRef.class, this::delete);
    }

    SnapshotTargetCreated create(RequestContext ctx, SnapshotRef ref) {
        if (!ready.getAsBoolean()) {
            throw new VolumeDriverException("backend " + serviceHost + " is not initialised");
        }
        SnapshotEntity s = snapshot(ref);
        String location = driver.createSnapshotTarget(s);
        LOG.info("Created the migration copy of snapshot {} (volume {}) on {} at {}", s.getId(), s.getVolumeId(),
                serviceHost, location);
        return new SnapshotTargetCreated(location);
    }

    Object delete(RequestContext ctx, SnapshotRef ref) {
        SnapshotEntity s = snapshot(ref);
        driver.terminateSnapshotConnection(s);
        driver.deleteSnapshot(s);
        LOG.info("Removed the migration copy of snapshot {} (volume {}) from {}", s.getId(), s.getVolumeId(),
                serviceHost);
        return null;
    }

    private SnapshotEntity snapshot(SnapshotRef ref) {
        return snapshots.findByIdAndDeletedFalse(ref.snapshotId())
                .orElseThrow(() -> new VolumeDriverException("snapshot " + ref.snapshotId() + " is gone"));
    }
}
