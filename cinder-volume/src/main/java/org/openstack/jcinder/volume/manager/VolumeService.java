package org.openstack.jcinder.volume.manager;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.openstack.jcinder.common.quota.VolumeQuotas;
import org.openstack.jcinder.common.quota.SnapshotQuotas;
import org.openstack.jcinder.common.db.SnapshotRepository;
import org.openstack.jcinder.common.group.GroupStatusRollup;
import org.openstack.jcinder.volume.snapshot.SnapshotTargetTasks;
import org.openstack.jcinder.volume.manage.ManageTasks;
import org.openstack.jcinder.common.capability.BackendCapabilities;
import org.openstack.jcinder.common.config.BackendConfig;
import org.openstack.jcinder.common.config.BackendOptions;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.message.UserMessages;
import org.openstack.jcinder.common.config.CinderOptions;
import org.openstack.jcinder.shared.context.ContextHolder;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.db.ServiceEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.rpc.RpcServer;
import org.openstack.jcinder.common.rpc.RpcTopics;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi;
import org.openstack.jcinder.common.rpc.scheduler.SchedulerRpcApi;
import org.openstack.jcinder.common.service.ServiceRegistry;
import org.openstack.jcinder.volume.copy.CopyEngineWarmUp;
import org.openstack.jcinder.volume.copy.CopyEngines;
import org.openstack.jcinder.volume.driver.VolumeDriverFactory;
import org.openstack.jcinder.common.db.VolumeAttachmentRepository;
import org.openstack.jcinder.volume.copy.CopyEngine;
import org.openstack.jcinder.volume.copy.CopyOptions;
import org.openstack.jcinder.volume.copy.DdCopyEngine;
import org.openstack.jcinder.volume.copy.QemuImgCopyEngine;
import org.openstack.jcinder.volume.driver.VolumeDriver;
import org.openstack.jcinder.volume.driver.target.VolumeTargets;
import org.openstack.jcinder.volume.migration.MigrationQueue;
import org.openstack.jcinder.volume.migration.VolumeMigratorFactory;
import org.openstack.jcinder.volume.nova.NovaClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/**
 * The cinder-volume service: one {@link VolumeManager} and one RPC server per enabled backend, a heartbeat
 * per backend in the services table, and a capability report to the schedulers every report interval.
 */
@Component
public class VolumeService implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeService.class);
    private static final int CONSUMERS_PER_BACKEND = 4;

    private final CinderConfig config;
    private final VolumeDriverFactory drivers;
    private final VolumeQuotas quotas;
    private final SnapshotRepository snapshots;
    private final SnapshotQuotas snapshotQuotas;
    private final VolumeRepository volumes;
    private final ServiceRegistry registry;
    private final RpcServer rpcServer;
    private final SchedulerRpcApi scheduler;
    private final JsonMapper mapper;
    private final VolumeAttachmentRepository attachments;
    private final NovaClient nova;
    private final DdCopyEngine dd;
    private final VolumeMigratorFactory migrators;
    private final UserMessages messages;
    private final GroupStatusRollup groupRollup;
    private final List<Backend> backends = new ArrayList<>();
    private ScheduledExecutorService reporter;
    private ScheduledExecutorService reconciler;
    private volatile boolean running;

    private record Backend(VolumeManager manager, ServiceEntity service) {
    }

    public VolumeService(CinderConfig config, VolumeDriverFactory drivers, VolumeRepository volumes,
                         ServiceRegistry registry, RpcServer rpcServer, SchedulerRpcApi scheduler,
                         JsonMapper mapper, VolumeAttachmentRepository attachments, NovaClient nova,
                         DdCopyEngine dd, VolumeMigratorFactory migrators, UserMessages messages,
                         VolumeQuotas quotas, SnapshotRepository snapshots, SnapshotQuotas snapshotQuotas,
                         GroupStatusRollup groupRollup) {
        this.groupRollup = groupRollup;
        this.snapshots = snapshots;
        this.snapshotQuotas = snapshotQuotas;
        this.messages = messages;
        this.quotas = quotas;
        this.config = config;
        this.drivers = drivers;
        this.volumes = volumes;
        this.registry = registry;
        this.rpcServer = rpcServer;
        this.scheduler = scheduler;
        this.mapper = mapper;
        this.attachments = attachments;
        this.nova = nova;
        this.dd = dd;
        this.migrators = migrators;
    }

    @Override
    public void start() {
        if (config.enabledBackends().isEmpty()) {
            throw config.missing(CinderOptions.ENABLED_BACKENDS);
        }
        Map<String, CopyEngine> engines = new LinkedHashMap<>();
        for (BackendConfig backendConfig : config.backends().values()) {
            String serviceHost = config.host() + "@" + backendConfig.name();
            VolumeDriver driver = drivers.create(config, backendConfig);
            CopyEngine copyEngine = CopyEngines.forBackend(backendConfig, dd);
            engines.put(backendConfig.name(), copyEngine);
            MigrationQueue.Limits limits = new MigrationQueue.Limits(
                    backendConfig.get(BackendOptions.MAX_CONCURRENT_MIGRATIONS), config.maxConcurrentMigrationsPerHost());
            // The RPC endpoint exports connections (target_helper); the migration attaches its own source locally.
            VolumeManager manager = new VolumeManager(serviceHost, VolumeTargets.exported(config, backendConfig,
                    driver), volumes, attachments, nova, migrators.create(serviceHost, driver, copyEngine,
                    new QemuImgCopyEngine(backendConfig.get(CopyOptions.VOLUME_COPY_BPS_LIMIT)), limits,
                    backendConfig.get(org.openstack.jcinder.volume.driver.DriverOptions.MIGRATION_KEEP_SOURCE)), messages,
                    quotas, snapshots, snapshotQuotas, groupRollup);
            // Registered (a fresh heartbeat) before the recovery: other services' reconcilers then see this
            // backend alive and leave the migrations it is about to resume alone.
            String rpcVersion = config.upgradeLevels().served(ServiceRegistry.VOLUME_BINARY, VolumeRpcApi.VERSION);
            ServiceEntity service = registry.register(ServiceRegistry.VOLUME_BINARY, serviceHost,
                    RpcTopics.VOLUME, config.storageAvailabilityZone(), rpcVersion);
            manager.initHost();
            SnapshotTargetTasks snapshotTargets = new SnapshotTargetTasks(serviceHost, driver, snapshots,
                    manager::ready);
            ManageTasks manageTasks = new ManageTasks(serviceHost, driver, volumes, snapshots, quotas,
                    snapshotQuotas, manager::ready);
            rpcServer.serve(RpcTopics.volume(serviceHost),
                    manageTasks.registerOn(snapshotTargets.registerOn(manager.dispatcher())).servingAt(rpcVersion),
                    CONSUMERS_PER_BACKEND);
            backends.add(new Backend(manager, service));
        }
        backends.forEach(b -> b.manager().startMigrationQueue());
        CopyEngineWarmUp.inBackground(engines, Path.of(System.getProperty("java.io.tmpdir")));
        reporter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "volume-report");
            t.setDaemon(true);
            return t;
        });
        long period = config.reportInterval().toMillis();
        reporter.scheduleWithFixedDelay(this::reportAll, 0, period, TimeUnit.MILLISECONDS);
        reconciler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "migration-reconcile");
            t.setDaemon(true);
            return t;
        });
        long every = config.migrationReconcileInterval().toMillis();
        reconciler.scheduleWithFixedDelay(this::reconcileAll, every, every, TimeUnit.MILLISECONDS);
        reporter.scheduleWithFixedDelay(this::expireKeptSources, period, period, TimeUnit.MILLISECONDS);
        running = true;
    }

    /** Heartbeat and capability report of every backend; a failure of one never stops the others. */
    void reportAll() {
        for (Backend b : backends) {
            ContextHolder.set(RequestContext.internal());
            try {
                BackendCapabilities caps = b.manager().stats(config.storageAvailabilityZone());
                registry.heartbeat(b.service(), mapper.writeValueAsString(caps), caps.stateReason());
                scheduler.updateServiceCapabilities(RequestContext.internal(), caps);
            } catch (RuntimeException e) {
                LOG.warn("Report of {} failed: {}", b.manager().serviceHost(), e.getMessage());
            } finally {
                ContextHolder.clear();
            }
        }
    }

    /** One pass of every ready backend's migration reconciler; a failure of one never stops the others. */
    void reconcileAll() {
        for (Backend b : backends) {
            if (!b.manager().ready()) {
                continue;
            }
            ContextHolder.set(RequestContext.internal());
            try {
                b.manager().migrator().reconcile();
                b.manager().removeStaleExports(config.migrationReconcileInterval());
            } catch (RuntimeException e) {
                LOG.warn("Migration reconciler of {} failed: {}", b.manager().serviceHost(), e.getMessage());
            } finally {
                ContextHolder.clear();
            }
        }
    }

    /** The rollback window's periodic task, on the report thread's interval; one backend's failure stops none. */
    void expireKeptSources() {
        for (Backend b : backends) {
            ContextHolder.set(RequestContext.internal());
            try {
                b.manager().expireKeptSources();
            } catch (RuntimeException e) {
                LOG.warn("Expiry of kept migration sources on {} failed: {}", b.manager().serviceHost(), e.getMessage());
            } finally {
                ContextHolder.clear();
            }
        }
    }

    public List<VolumeManager> managers() {
        return backends.stream().map(Backend::manager).toList();
    }

    @Override
    public void stop() {
        running = false;
        if (reporter != null) {
            reporter.shutdownNow();
        }
        if (reconciler != null) {
            reconciler.shutdownNow();
        }
        backends.forEach(b -> b.manager().stop());
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
