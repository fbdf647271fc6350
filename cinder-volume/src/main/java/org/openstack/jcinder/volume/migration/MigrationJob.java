package org.openstack.jcinder.volume.migration;

import java.util.List;
import java.util.Map;

import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.db.VolumeAttachmentEntity;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.volume.copy.CopyControl;

/**
 * One migration as the strategies see it: what moves where, under which constraints, its record, and the
 * control through which an administrator cancels it or changes its bandwidth.
 */
public record MigrationJob(RequestContext ctx, VolumeEntity volume, BackendHost destination,
                           Map<String, Object> destinationCapabilities, boolean forceHostCopy, String newTypeId,
                           List<VolumeAttachmentEntity> attachments, VolumeMigrationEntity record,
                           CopyControl control) {

    public boolean attached() {
        return !attachments.isEmpty();
    }
}
