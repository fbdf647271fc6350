package org.openstack.jcinder.volume.migration;

import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.ConnectionInfo;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.volume.driver.VolumeDriver;

/**
 * Where a migration {@code with_snapshots} puts its copies of the snapshots: the destination's volume service
 * over RPC (generic path) or the destination's storage reached directly by the source's driver (native path).
 * Each copy has the snapshot's own name, so its id never changes; the rows point at the copies only at commit.
 */
interface SnapshotTargets {

    /** Creates the empty copy; answers its provider location. Refuses an object that exists. */
    String create(SnapshotEntity snapshot);

    ConnectionInfo connect(SnapshotEntity snapshot);

    void disconnect(SnapshotEntity snapshot);

    /** Removes a copy this migration created (never the source's object). */
    void discard(SnapshotEntity snapshot);

    /** The destination's volume service, through the RPC seam. */
    record Remote(DestinationBackend destinations, RequestContext ctx, BackendHost destination)
            implements SnapshotTargets {

        @Override
        public String create(SnapshotEntity snapshot) {
            return destinations.createSnapshotTarget(ctx, destination, snapshot.getId());
        }

        @Override
        public ConnectionInfo connect(SnapshotEntity snapshot) {
            return destinations.initializeSnapshotConnection(ctx, destination, snapshot.getId());
        }

        @Override
        public void disconnect(SnapshotEntity snapshot) {
            destinations.terminateSnapshotConnection(ctx, destination, snapshot.getId());
        }

        @Override
        public void discard(SnapshotEntity snapshot) {
            destinations.deleteSnapshotTarget(ctx, destination, snapshot.getId());
        }
    }

    /** The destination's storage as a driver of this host ({@link VolumeDriver#nativeDestination}). */
    record Local(VolumeDriver destination) implements SnapshotTargets {

        @Override
        public String create(SnapshotEntity snapshot) {
            return destination.createSnapshotTarget(snapshot);
        }

        @Override
        public ConnectionInfo connect(SnapshotEntity snapshot) {
            return destination.initializeSnapshotConnection(snapshot);
        }

        @Override
        public void disconnect(SnapshotEntity snapshot) {
            destination.terminateSnapshotConnection(snapshot);
        }

        @Override
        public void discard(SnapshotEntity snapshot) {
            destination.terminateSnapshotConnection(snapshot);
            destination.deleteSnapshot(snapshot);
        }
    }
}
