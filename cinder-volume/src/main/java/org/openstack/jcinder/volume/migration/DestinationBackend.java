package org.openstack.jcinder.volume.migration;

import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.volume.ConnectionInfo;
import org.openstack.jcinder.common.volume.MigratedName;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.UpdateMigrated;
import org.openstack.jcinder.common.volume.BackendHost;

/**
 * The destination backend of a migration as the source's volume manager sees it: another volume service,
 * reached over RPC. The seam exists so the paths can be tested without a broker, and so a later transport
 * (another storage node exporting over iSCSI) changes one class.
 */
public interface DestinationBackend {

    /** Cinder's {@code create_volume} on the destination: answers when the temporary volume exists. */
    void createVolume(RequestContext ctx, BackendHost destination, String volumeId);

    /** Makes the destination volume reachable on this host for the copy. */
    ConnectionInfo initializeConnection(RequestContext ctx, BackendHost destination, String volumeId);

    void terminateConnection(RequestContext ctx, BackendHost destination, String volumeId);

    /** Cinder's {@code update_migrated_volume}: the destination's driver may give the new object the source's name. */
    MigratedName updateMigratedVolume(RequestContext ctx, BackendHost destination, UpdateMigrated request);

    /** Queues the deletion of a volume (status {@code deleting}) on its backend; does not wait. */
    void deleteVolume(RequestContext ctx, BackendHost host, String volumeId);

    /**
     * The destination's empty copy of one snapshot of a volume moved {@code with_snapshots}, under the snapshot's
     * own name; answers its provider location, or throws (an existing object is refused).
     */
    String createSnapshotTarget(RequestContext ctx, BackendHost destination, String snapshotId);

    ConnectionInfo initializeSnapshotConnection(RequestContext ctx, BackendHost destination, String snapshotId);

    void terminateSnapshotConnection(RequestContext ctx, BackendHost destination, String snapshotId);

    /** Removes the destination's copy of a snapshot (a failed migration's); waits for it. */
    void deleteSnapshotTarget(RequestContext ctx, BackendHost destination, String snapshotId);
}
