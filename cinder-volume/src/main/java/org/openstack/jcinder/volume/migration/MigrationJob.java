package org.openstack.jcinder.volume.migration;

import java.util.List;
import java.util.Map;

import org.openstack.jcinder.common.context.RequestContext;
import org.openstack.jcinder.common.db.VolumeAttachmentEntity;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.volume.BackendHost;

/** One migration as the strategies see it: what moves where, under which constraints, and its record. */
public record MigrationJob(RequestContext ctx, VolumeEntity volume, BackendHost destination,
                           Map<String, Object> destinationCapabilities, boolean forceHostCopy, String newTypeId,
                           List<VolumeAttachmentEntity> attachments, VolumeMigrationEntity record) {

    public boolean attached() {
        return !attachments.isEmpty();
    }
}
