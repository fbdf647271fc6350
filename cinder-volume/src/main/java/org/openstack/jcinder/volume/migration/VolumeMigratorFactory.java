package org.openstack.jcinder.volume.migration;

import org.openstack.jcinder.common.quota.VolumeQuotas;
import org.openstack.jcinder.common.db.ServiceRepository;
import org.openstack.jcinder.common.db.SnapshotRepository;
import org.openstack.jcinder.common.db.VolumeAttachmentRepository;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.service.ServiceRegistry;
import org.openstack.jcinder.volume.copy.CheckpointedCopy;
import org.openstack.jcinder.volume.copy.CopyEngine;
import org.openstack.jcinder.volume.copy.QemuImgCopyEngine;
import org.openstack.jcinder.volume.driver.VolumeDriver;
import org.openstack.jcinder.volume.nova.NovaClient;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

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
    private final SnapshotRepository snapshots;
    private final ServiceRegistry registry;
    private final CinderConfig config;
    private final JsonMapper mapper;
    private final KeptSources kept;

    public VolumeMigratorFactory(VolumeRepository volumes, VolumeAttachmentRepository attachments,
                                 ServiceRepository services, DestinationBackend destinations,
                                 MigrationTargets targets, MigrationCompletion completion,
                                 MigrationRecorder recorder, NovaClient nova, VolumeQuotas quotas,
                                 SnapshotRepository snapshots, ServiceRegistry registry, CinderConfig config,
                                 JsonMapper mapper, KeptSources kept) {
        this.kept = kept;
        this.snapshots = snapshots;
        this.registry = registry;
        this.config = config;
        this.mapper = mapper;
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

    /** A backend's migrator without concurrency limits. */
    public VolumeMigrator create(String serviceHost, VolumeDriver driver, CopyEngine copyEngine) {
        return create(serviceHost, driver, copyEngine, new QemuImgCopyEngine(0), MigrationQueue.Limits.NONE, 0);
    }

    /** A backend's migrator with concurrency limits ({@code max_concurrent_migrations}). */
    public VolumeMigrator create(String serviceHost, VolumeDriver driver, CopyEngine copyEngine,
                                 MigrationQueue.Limits limits) {
        return create(serviceHost, driver, copyEngine, new QemuImgCopyEngine(0), limits, 0);
    }

    /** With {@code remoteCopy}, the engine of copies to volumes another host exports. */
    public VolumeMigrator create(String serviceHost, VolumeDriver driver, CopyEngine copyEngine,
                                 QemuImgCopyEngine remoteCopy) {
        return create(serviceHost, driver, copyEngine, remoteCopy, MigrationQueue.Limits.NONE, 0);
    }

    /** {@code keepSourceSeconds}: the backend's {@code migration_keep_source} (0: the old copy is deleted at once). */
    public VolumeMigrator create(String serviceHost, VolumeDriver driver, CopyEngine copyEngine,
                                 long keepSourceSeconds) {
        return create(serviceHost, driver, copyEngine, new QemuImgCopyEngine(0), MigrationQueue.Limits.NONE,
                keepSourceSeconds);
    }

    public VolumeMigrator create(String serviceHost, VolumeDriver driver, CopyEngine copyEngine,
                                 QemuImgCopyEngine remoteCopy, MigrationQueue.Limits limits, long keepSourceSeconds) {
        SnapshotChainCopy chainCopy = new SnapshotChainCopy(driver, copyEngine, recorder);
        return new VolumeMigrator(serviceHost, volumes, attachments, snapshots, recorder,
                new DriverNativeMigration(driver, volumes, services, recorder, quotas,
                        new NativeChainMove(driver, copyEngine, chainCopy, completion, services, recorder), kept,
                        keepSourceSeconds),
                new GenericCopyMigration(driver, copyEngine, remoteCopy, volumes, destinations, targets, completion,
                        recorder, chainCopy, config.migrationResume()
                                ? new CheckpointedCopy(copyEngine, config.migrationCheckpointBytes()) : null,
                        kept, keepSourceSeconds),
                new AttachedSwapMigration(nova, volumes, destinations, targets, completion, recorder),
                new MigrationRecovery(serviceHost, volumes, recorder, services, registry, targets,
                        config.migrationResume(), config.migrationReconcileInterval()),
                limits, config.serviceDownTime(), mapper, kept, driver, keepSourceSeconds);
    }
}
