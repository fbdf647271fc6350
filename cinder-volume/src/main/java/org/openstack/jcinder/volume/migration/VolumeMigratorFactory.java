package org.openstack.jcinder.volume.migration;

import org.openstack.jcinder.common.quota.VolumeQuotas;
import org.openstack.jcinder.common.db.ServiceRepository;
import org.openstack.jcinder.common.db.VolumeAttachmentRepository;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.volume.copy.CopyEngine;
import org.openstack.jcinder.volume.driver.VolumeDriver;
import org.openstack.jcinder.volume.nova.NovaClient;
import org.springframework.stereotype.Component;

/**
 * Wires a {@link VolumeMigrator} for one backend: the backend's own driver and copy engine, with the services
 * every backend shares. Each strategy receives exactly what it uses.
 */
@Component
public class VolumeMigratorFactory {

    private final VolumeQuotas quotas;
    private final VolumeRepository volumes;
    private final VolumeAttachmentRepository attachments;
    private final ServiceRepository services;
    private final DestinationBackend destinations;
    private final MigrationTargets targets;
    private final MigrationCompletion completion;
    private final MigrationRecorder recorder;
    private final NovaClient nova;
    private final KeptSources kept;

    public VolumeMigratorFactory(VolumeRepository volumes, VolumeAttachmentRepository attachments,
                                 ServiceRepository services, DestinationBackend destinations,
                                 MigrationTargets targets, MigrationCompletion completion,
                                 MigrationRecorder recorder, NovaClient nova, VolumeQuotas quotas, KeptSources kept) {
        this.kept = kept;
        this.quotas = quotas;
        this.volumes = volumes;
        this.attachments = attachments;
        this.services = services;
        this.destinations = destinations;
        this.targets = targets;
        this.completion = completion;
        this.recorder = recorder;
        this.nova = nova;
    }

    /** {@code keepSourceSeconds}: the backend's {@code migration_keep_source} (0: the old copy is deleted at once). */
    public VolumeMigrator create(String serviceHost, VolumeDriver driver, CopyEngine copyEngine,
                                 long keepSourceSeconds) {
        return new VolumeMigrator(serviceHost, volumes, attachments, recorder,
                new DriverNativeMigration(driver, volumes, services, recorder, quotas, kept, keepSourceSeconds),
                new GenericCopyMigration(driver, copyEngine, volumes, destinations, targets, completion, recorder,
                        kept, keepSourceSeconds),
                new AttachedSwapMigration(nova, volumes, destinations, targets, completion, recorder),
                new MigrationRecovery(serviceHost, driver, volumes, recorder), kept, driver, keepSourceSeconds);
    }
}
