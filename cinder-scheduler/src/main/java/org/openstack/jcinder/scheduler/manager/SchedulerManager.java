package org.openstack.jcinder.scheduler.manager;

import java.util.List;

import org.openstack.jcinder.common.exception.ServiceTooOldException;
import org.openstack.jcinder.common.capability.BackendCapabilities;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.exception.NoValidBackendException;
import org.openstack.jcinder.common.message.MessageAction;
import org.openstack.jcinder.common.message.MessageDetail;
import org.openstack.jcinder.common.message.UserMessages;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.rpc.RpcDispatcher;
import org.openstack.jcinder.common.rpc.scheduler.SchedulerRpcApi;
import org.openstack.jcinder.common.rpc.scheduler.SchedulerRpcApi.CreateVolumeRequest;
import org.openstack.jcinder.common.rpc.scheduler.SchedulerRpcApi.GetPoolsRequest;
import org.openstack.jcinder.common.rpc.scheduler.SchedulerRpcApi.MigrateVolumeRequest;
import org.openstack.jcinder.common.rpc.scheduler.SchedulerRpcApi.Pool;
import org.openstack.jcinder.common.rpc.scheduler.SchedulerRpcApi.PoolList;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.scheduler.filter.RequestSpec;
import org.openstack.jcinder.scheduler.host.HostManager;
import org.openstack.jcinder.scheduler.host.PoolState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The scheduler's RPC endpoint: placement of new volumes, pool listing, capability intake. */
@Component
public class SchedulerManager {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerManager.class);

    private final FilterScheduler scheduler;
    private final HostManager hosts;
    private final VolumeRepository volumes;
    private final VolumeRpcApi volumeRpc;
    private final UserMessages messages;

    public SchedulerManager(FilterScheduler scheduler, HostManager hosts, VolumeRepository volumes,
                            VolumeRpcApi volumeRpc, UserMessages messages) {
        this.scheduler = scheduler;
        this.hosts = hosts;
        this.volumes = volumes;
        this.volumeRpc = volumeRpc;
        this.messages = messages;
    }

    public RpcDispatcher dispatcher() {
        return new RpcDispatcher("cinder-scheduler", SchedulerRpcApi.VERSION)
                .register(SchedulerRpcApi.CREATE_VOLUME, CreateVolumeRequest.class, this::createVolume)
                .register(SchedulerRpcApi.GET_POOLS, GetPoolsRequest.class, this::getPools)
                .register(SchedulerRpcApi.MIGRATE_VOLUME, MigrateVolumeRequest.class, this::migrateVolume)
                .register(SchedulerRpcApi.RETYPE, SchedulerRpcApi.RetypeRequest.class, this::retype)
                .register(SchedulerRpcApi.MANAGE_EXISTING, SchedulerRpcApi.ManageExistingRequest.class,
                        this::manageExisting)
                .register(SchedulerRpcApi.CHECK_MIGRATION_DESTINATION, MigrateVolumeRequest.class,
                        this::checkMigrationDestination);
    }

    public RpcDispatcher capabilityDispatcher() {
        return new RpcDispatcher("cinder-scheduler fanout", SchedulerRpcApi.VERSION)
                .register(SchedulerRpcApi.UPDATE_SERVICE_CAPABILITIES, BackendCapabilities.class,
                        (ctx, caps) -> {
                            hosts.update(caps);
                            return null;
                        });
    }

    synchronized Object createVolume(RequestContext ctx, CreateVolumeRequest req) {
        RequestSpec spec = new RequestSpec(req.volumeId(), req.size(), req.extraSpecs(), req.availabilityZone());
        PoolState chosen;
        try {
            // Cinder's rule for a snapshot or a clone: the backend that holds the source (no driver here can
            // make one elsewhere).
            String sourceHost = sourceHostOf(req.volumeId());
            chosen = sourceHost == null ? scheduler.choose(spec)
                    : scheduler.checkDestination(spec, BackendHost.parse(sourceHost));
        } catch (RuntimeException e) {
            fail(req.volumeId(), e.getMessage());
            tellOwner(ctx, req.volumeId(), MessageAction.SCHEDULE_ALLOCATE_VOLUME, detailOf(e));
            return null;
        }
        BackendHost host = chosen.location();
        if (volumes.assignHost(req.volumeId(), VolumeStatus.CREATING, host.toString(), chosen.serviceUuid(),
                Clock.now()) == 0) {
            LOG.warn("Volume {} is no longer waiting for placement; not scheduling it", req.volumeId());
            return null;
        }
        hosts.consume(chosen, req.size());
        LOG.info("Placed volume {} ({} GiB) on {}", req.volumeId(), req.size(), host);
        try {
            volumeRpc.createVolume(ctx, host, req.volumeId());
        } catch (RuntimeException e) {
            fail(req.volumeId(), "could not reach " + host.serviceHost() + ": " + e.getMessage());
            tellOwner(ctx, req.volumeId(), MessageAction.SCHEDULE_ALLOCATE_VOLUME, MessageDetail.UNKNOWN_ERROR);
        }
        return null;
    }

    /**
     * Cinder's scheduler {@code manage_existing}: the requested backend must pass the filters for the volume's
     * type (size 0: the object's size is not known yet); the chosen pool becomes the volume's host, then the
     * backend adopts the object. Refused: {@code error_managing} with the reason.
     */
    synchronized Object manageExisting(RequestContext ctx, SchedulerRpcApi.ManageExistingRequest req) {
        VolumeEntity volume = volumes.findByIdAndDeletedFalse(req.volumeId()).orElse(null);
        if (volume == null || volume.getStatus() != VolumeStatus.MANAGING) {
            LOG.warn("manage_existing: volume {} is gone or no longer managing; nothing to do", req.volumeId());
            return null;
        }
        BackendHost host;
        try {
            host = scheduler.checkDestination(new RequestSpec(req.volumeId(), 0, req.extraSpecs(),
                    req.availabilityZone()), BackendHost.parse(req.host())).location();
        } catch (RuntimeException e) {
            LOG.error("Manage of volume {} on {} refused: {}", req.volumeId(), req.host(), e.getMessage());
            volumes.compareAndSetStatusWithReason(req.volumeId(), List.of(VolumeStatus.MANAGING),
                    VolumeStatus.ERROR_MANAGING, e.getMessage(), Clock.now());
            tellOwner(ctx, req.volumeId(), MessageAction.SCHEDULE_ALLOCATE_VOLUME, detailOf(e));
            return null;
        }
        if (volumes.setManagingHost(req.volumeId(), host.toString(), Clock.now()) == 0) {
            LOG.warn("Volume {} changed state while its manage was scheduled; not sending it", req.volumeId());
            return null;
        }
        LOG.info("Manage of volume {} sent to {}", req.volumeId(), host);
        try {
            volumeRpc.manageExisting(ctx, host, new VolumeRpcApi.ManageExisting(req.volumeId(), req.ref()));
        } catch (RuntimeException e) {
            volumes.compareAndSetStatusWithReason(req.volumeId(), List.of(VolumeStatus.MANAGING),
                    VolumeStatus.ERROR_MANAGING, "could not reach " + host.serviceHost() + ": " + e.getMessage(),
                    Clock.now());
        }
        return null;
    }

    /** The backend of the volume's source snapshot or source volume; null for a new empty volume. */
    private String sourceHostOf(String volumeId) {
        VolumeEntity v = volumes.findByIdAndDeletedFalse(volumeId).orElse(null);
        if (v == null) {
            return null;
        }
        if (v.getSnapshotId() != null) {
            return volumes.hostOfSnapshot(v.getSnapshotId()).orElseThrow(() -> new NoValidBackendException(
                    "the source snapshot " + v.getSnapshotId() + " has no backend"));
        }
        if (v.getSourceVolid() != null) {
            return volumes.findById(v.getSourceVolid()).map(VolumeEntity::getHost).orElseThrow(
                    () -> new NoValidBackendException("the source volume " + v.getSourceVolid() + " has no backend"));
        }
        return null;
    }

    /** Checks the requested destination, then hands the migration to the source backend. */
    synchronized Object migrateVolume(RequestContext ctx, MigrateVolumeRequest req) {
        VolumeEntity volume = volumes.findByIdAndDeletedFalse(req.volumeId()).orElse(null);
        if (volume == null || volume.getMigrationStatus() != MigrationStatus.STARTING) {
            LOG.warn("migrate_volume: volume {} is gone or not starting a migration", req.volumeId());
            return null;
        }
        PoolState destination;
        try {
            destination = scheduler.checkDestination(new RequestSpec(req.volumeId(), req.size(), req.extraSpecs(),
                    null), BackendHost.parse(req.destinationHost()));
        } catch (RuntimeException e) {
            LOG.error("Migration of volume {} to {} refused: {}", req.volumeId(), req.destinationHost(),
                    e.getMessage());
            volumes.failMigration(req.volumeId(), List.of(MigrationStatus.STARTING), e.getMessage(), Clock.now());
            tellOwner(ctx, req.volumeId(), MessageAction.MIGRATE_VOLUME, detailOf(e));
            return null;
        }
        LOG.info("Migration of volume {} from {} to {} accepted by the scheduler", req.volumeId(), volume.getHost(),
                destination.location());
        handOver(ctx, volume, destination, req.forceHostCopy(), null, req.size(), req.bpsLimit(),
                req.withSnapshots());
        return null;
    }

    /**
     * {@link #migrateVolume}'s destination check alone, for a dry-run: the same filters on the same pools, no
     * capacity consumed, no state checked or changed (the API checked the volume).
     */
    SchedulerRpcApi.DestinationCheck checkMigrationDestination(RequestContext ctx, MigrateVolumeRequest req) {
        try {
            PoolState pool = scheduler.checkDestination(new RequestSpec(req.volumeId(), req.size(), req.extraSpecs(),
                    null), BackendHost.parse(req.destinationHost()));
            LOG.info("Dry-run: migration of volume {} to {} would be accepted by the scheduler (pool {})",
                    req.volumeId(), req.destinationHost(), pool.location());
            return new SchedulerRpcApi.DestinationCheck(true, null, pool.location().toString(), pool.capabilityMap());
        } catch (RuntimeException e) {
            LOG.info("Dry-run: migration of volume {} to {} would be refused by the scheduler: {}", req.volumeId(),
                    req.destinationHost(), e.getMessage());
            return new SchedulerRpcApi.DestinationCheck(false, e.getMessage(), null, null);
        }
    }

    private void handOver(RequestContext ctx, VolumeEntity volume, PoolState destination, boolean force,
                          String newTypeId, int size, Long bpsLimit, boolean withSnapshots) {
        try {
            volumeRpc.migrateVolume(ctx, BackendHost.parse(volume.getHost()), new VolumeRpcApi.MigrateVolume(
                    volume.getId(), destination.location().toString(), destination.capabilityMap(), force,
                    newTypeId, bpsLimit, withSnapshots));
            hosts.consume(destination, size);
        } catch (RuntimeException e) {
            // During a rolling upgrade the request may need more than the source's volume service understands
            // ([upgrade_levels]): refused before sending, which is not the same as an unreachable backend.
            String reason = e instanceof ServiceTooOldException ? "refused during a rolling upgrade: "
                    + e.getMessage() : "could not reach the source backend: " + e.getMessage();
            volumes.failMigration(volume.getId(), List.of(MigrationStatus.STARTING), reason, Clock.now());
            tellOwner(ctx, volume.getId(), newTypeId == null ? MessageAction.MIGRATE_VOLUME
                    : MessageAction.RETYPE_VOLUME, MessageDetail.UNKNOWN_ERROR);
        }
    }

    /**
     * Keeps the volume where it is when its backend fits the new type (the volume service changes the type in
     * place); otherwise, with {@code migration_policy=on-demand}, migrates it to the best backend for the new
     * type, the migration ending with the new type; with {@code never}, gives the volume its status back.
     */
    synchronized Object retype(RequestContext ctx, SchedulerRpcApi.RetypeRequest req) {
        VolumeEntity volume = volumes.findByIdAndDeletedFalse(req.volumeId()).orElse(null);
        if (volume == null || volume.getStatus() != VolumeStatus.RETYPING) {
            LOG.warn("retype: volume {} is gone or not retyping", req.volumeId());
            return null;
        }
        RequestSpec spec = new RequestSpec(req.volumeId(), req.size(), req.newExtraSpecs(), null);
        BackendHost current = BackendHost.parse(volume.getHost());
        try {
            scheduler.checkDestination(spec, current);
            LOG.info("Retype of volume {}: its backend {} fits the new type; retyping in place", volume.getId(), current);
            volumeRpc.retype(ctx, current, new VolumeRpcApi.Retype(volume.getId(), req.newTypeId()));
            return null;
        } catch (NoValidBackendException notHere) {
            LOG.info("Retype of volume {}: {} does not fit the new type", volume.getId(), current);
        }
        if (!req.migrationAllowed()) {
            volumes.finishRetype(volume.getId(), null, "Retype requires migration but is not allowed.", Clock.now());
            tellOwner(ctx, volume.getId(), MessageAction.RETYPE_VOLUME, MessageDetail.RETYPE_NEEDS_MIGRATION);
            return null;
        }
        if (volumes.countLiveSnapshots(volume.getId()) > 0) {
            // Cinder's manager refuses a retype that needs a migration of a volume with snapshots.
            LOG.warn("Retype of volume {} needs a migration, but the volume has snapshots", volume.getId());
            volumes.finishRetype(volume.getId(), null, "Volume must not have snapshots.", Clock.now());
            tellOwner(ctx, volume.getId(), MessageAction.RETYPE_VOLUME, MessageDetail.UNKNOWN_ERROR);
            return null;
        }
        PoolState destination;
        try {
            destination = scheduler.choose(spec);
        } catch (RuntimeException e) {
            volumes.finishRetype(volume.getId(), null, e.getMessage(), Clock.now());
            tellOwner(ctx, volume.getId(), MessageAction.RETYPE_VOLUME, detailOf(e));
            return null;
        }
        if (volumes.startRetypeMigration(volume.getId(), Clock.now()) == 0) {
            volumes.finishRetype(volume.getId(), null, "a migration is already in flight", Clock.now());
            return null;
        }
        LOG.info("Retype of volume {} migrates it from {} to {}", volume.getId(), current, destination.location());
        handOver(ctx, volume, destination, false, req.newTypeId(), req.size(), null, false);
        return null;
    }

    /** A user message for the project owning the volume (the one who will look for it, whoever asked). */
    private void tellOwner(RequestContext ctx, String volumeId, MessageAction action, MessageDetail detail) {
        volumes.findById(volumeId).ifPresent(v -> messages.volumeError(ctx.requestId(), v.getProjectId(), volumeId,
                action, detail));
    }

    /** Cinder's exception-to-detail mapping: NoValidBackend is "no backend available", anything else unknown. */
    private static MessageDetail detailOf(RuntimeException e) {
        return e instanceof NoValidBackendException ? MessageDetail.NO_BACKEND_AVAILABLE : MessageDetail.UNKNOWN_ERROR;
    }

    private void fail(String volumeId, String reason) {
        LOG.error("Failed to schedule volume {}: {}", volumeId, reason);
        volumes.compareAndSetStatusWithReason(volumeId, List.of(VolumeStatus.CREATING),
                VolumeStatus.ERROR, reason, Clock.now());
    }

    Object getPools(RequestContext ctx, GetPoolsRequest req) {
        List<Pool> pools = hosts.allPools().stream()
                .filter(p -> matches(p, req))
                .map(p -> new Pool(p.location().toString(), p.capabilityMap()))
                .toList();
        return new PoolList(pools);
    }

    private static boolean matches(PoolState pool, GetPoolsRequest req) {
        if (req == null || req.filters() == null) {
            return true;
        }
        var caps = pool.capabilityMap();
        return req.filters().entrySet().stream().allMatch(f -> switch (f.getKey()) {
            case "name" -> pool.location().toString().equals(f.getValue());
            case "volume_type" -> true;
            default -> String.valueOf(caps.get(f.getKey())).equals(f.getValue());
        });
    }
}
