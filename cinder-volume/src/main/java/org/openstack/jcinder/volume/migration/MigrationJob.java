package org.openstack.jcinder.volume.migration;

import java.util.List;
import java.util.Map;

import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.VolumeAttachmentEntity;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.volume.copy.CopyControl;

/**
 * One migration as the strategies see it: what moves where, under which constraints, its record, and the
 * control through which an administrator cancels it or changes its bandwidth. {@code snapshots}: the chain that
 * moves with the volume ({@code with_snapshots}), oldest first; empty for Cinder's migration of the volume alone.
 */
public record MigrationJob(RequestContext ctx, VolumeEntity volume, BackendHost destination,
                           Map<String, Object> destinationCapabilities, boolean forceHostCopy, String newTypeId,
                           List<VolumeAttachmentEntity> attachments, VolumeMigrationEntity record,
                           CopyControl control, List<SnapshotEntity> snapshots) {

    public MigrationJob {
        snapshots = List.copyOf(snapshots);
    }

    /** A migration of the volume alone. */
    public MigrationJob(RequestContext ctx, VolumeEntity volume, BackendHost destination,
                        Map<String, Object> destinationCapabilities, boolean forceHostCopy, String newTypeId,
                        List<VolumeAttachmentEntity> attachments, VolumeMigrationEntity record, CopyControl control) {
        this(ctx, volume, destination, destinationCapabilities, forceHostCopy, newTypeId, attachments, record,
                control, List.of());
    }

    /** Whether snapshots move with the volume. */
    public boolean withSnapshots() {
        return !snapshots.isEmpty();
    }

    /** Whether the destination's new objects read as zeros, so a copy may skip zero blocks. */
    boolean sparseDestination() {
        Object thin = destinationCapabilities == null ? null : destinationCapabilities.get("thin_provisioning_support");
        return Boolean.TRUE.equals(thin);
    }

    public boolean attached() {
        return !attachments.isEmpty();
    }
}
