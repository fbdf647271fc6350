package org.openstack.jcinder.volume.migration;

import java.time.Duration;

import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi;
import org.openstack.jcinder.common.volume.ConnectionInfo;
import org.openstack.jcinder.common.volume.MigratedName;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.UpdateMigrated;
import org.openstack.jcinder.common.volume.BackendHost;
import org.springframework.stereotype.Component;

/** The destination's volume service over the volume RPC API. */
@Component
class RpcDestinationBackend implements DestinationBackend {

    private final VolumeRpcApi rpc;
    /** {@code [DEFAULT] migration_create_volume_timeout_secs} (Cinder's default: 300 s). */
    private final Duration createTimeout;

    RpcDestinationBackend(VolumeRpcApi rpc, CinderConfig config) {
        this.rpc = rpc;
        this.createTimeout = config.migrationCreateVolumeTimeout();
    }

    @Override
    public void createVolume(RequestContext ctx, BackendHost destination, String volumeId) {
        rpc.createMigrationTarget(ctx, destination, volumeId, createTimeout);
    }

    @Override
    public ConnectionInfo initializeConnection(RequestContext ctx, BackendHost destination, String volumeId) {
        return rpc.initializeConnection(ctx, destination, volumeId);
    }

    @Override
    public void terminateConnection(RequestContext ctx, BackendHost destination, String volumeId) {
        rpc.terminateConnection(ctx, destination, volumeId);
    }

    @Override
    public MigratedName updateMigratedVolume(RequestContext ctx, BackendHost destination, UpdateMigrated request) {
        return rpc.updateMigratedVolume(ctx, destination, request);
    }

    @Override
    public void deleteVolume(RequestContext ctx, BackendHost host, String volumeId) {
        rpc.deleteVolume(ctx, host, volumeId);
    }

    @Override
    public String createSnapshotTarget(RequestContext ctx, BackendHost destination, String snapshotId) {
        return rpc.createSnapshotTarget(ctx, destination, snapshotId, createTimeout);
    }

    @Override
    public ConnectionInfo initializeSnapshotConnection(RequestContext ctx, BackendHost destination,
                                                       String snapshotId) {
        return rpc.initializeSnapshotConnection(ctx, destination, snapshotId);
    }

    @Override
    public void terminateSnapshotConnection(RequestContext ctx, BackendHost destination, String snapshotId) {
        rpc.terminateSnapshotConnection(ctx, destination, snapshotId);
    }

    @Override
    public void deleteSnapshotTarget(RequestContext ctx, BackendHost destination, String snapshotId) {
        rpc.deleteSnapshotTarget(ctx, destination, snapshotId);
    }
}
