package org.openstack.jcinder.volume.migration;

import java.time.Duration;

import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.db.ServiceRepository;
import org.openstack.jcinder.common.db.VolumeAttachmentRepository;
import org.openstack.jcinder.common.db.VolumeMigrationRepository;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi;
import org.openstack.jcinder.volume.copy.DdCopyEngine;
import org.openstack.jcinder.volume.nova.NovaClient;
import org.springframework.stereotype.Component;

/** What every backend's migrator shares: repositories, the RPC stubs, dd, the completion, the Nova client. */
@Component
public record MigrationSupport(VolumeRepository volumes, VolumeMigrationRepository migrations,
                               VolumeAttachmentRepository attachments, ServiceRepository services,
                               VolumeRpcApi volumeRpc, DdCopyEngine dd,
                               MigrationCompletion completion, NovaClient nova, CinderConfig config) {

    /** {@code [DEFAULT] migration_create_volume_timeout_secs} (Cinder's default: 300 s). */
    public Duration createTargetTimeout() {
        return config.migrationCreateVolumeTimeout();
    }
}
