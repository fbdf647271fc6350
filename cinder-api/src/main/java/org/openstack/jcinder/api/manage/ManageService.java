package org.openstack.jcinder.api.manage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.types.VolumeTypeLookup;
import org.openstack.jcinder.api.volumes.VolumeApiService;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.ServiceEntity;
import org.openstack.jcinder.common.db.ServiceRepository;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.SnapshotRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.db.VolumeTypeEntity;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.InvalidVolumeException;
import org.openstack.jcinder.common.exception.InvalidVolumeTypeException;
import org.openstack.jcinder.common.exception.NotFoundException;
import org.openstack.jcinder.common.quota.SnapshotQuotas;
import org.openstack.jcinder.common.quota.VolumeQuotas;
import org.openstack.jcinder.common.rpc.scheduler.SchedulerRpcApi;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi;
import org.openstack.jcinder.common.service.FrozenBackends;
import org.openstack.jcinder.common.service.ServiceRegistry;
import org.openstack.jcinder.common.volume.AttachStatus;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.ManageableEntry;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.shared.policy.PolicyTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Cinder's {@code manage_existing}, {@code manage_existing_snapshot}, {@code get_manageable_*} and the
 * unmanage side of {@code delete} / {@code delete_snapshot}: the checks and the row (with its quota) here, the
 * backend's part through the scheduler (volumes) or straight to the volume's backend (snapshots).
 */
@Service
public class ManageService {

    private static final Logger LOG = LoggerFactory.getLogger(ManageService.class);
    private static final Pattern UUID_LIKE = Pattern.compile(
            "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");

    private final VolumeRepository volumes;
    private final SnapshotRepository snapshots;
    private final ServiceRepository services;
    private final ServiceRegistry registry;
    private final VolumeTypeLookup typeLookup;
    private final VolumeApiService volumeApi;
    private final VolumeQuotas volumeQuotas;
    private final SnapshotQuotas snapshotQuotas;
    private final SchedulerRpcApi scheduler;
    private final VolumeRpcApi volumeRpc;
    private final PolicyEnforcer policy;
    private final FrozenBackends frozenBackends;

    public ManageService(VolumeRepository volumes, SnapshotRepository snapshots, ServiceRepository services,
                         ServiceRegistry registry, VolumeTypeLookup typeLookup, VolumeApiService volumeApi,
                         VolumeQuotas volumeQuotas, SnapshotQuotas snapshotQuotas, SchedulerRpcApi scheduler,
                         VolumeRpcApi volumeRpc, PolicyEnforcer policy, FrozenBackends frozenBackends) {
        this.volumes = volumes;
        this.snapshots = snapshots;
        this.services = services;
        this.registry = registry;
        this.typeLookup = typeLookup;
        this.volumeApi = volumeApi;
        this.volumeQuotas = volumeQuotas;
        this.snapshotQuotas = snapshotQuotas;
        this.scheduler = scheduler;
        this.volumeRpc = volumeRpc;
        this.policy = policy;
        this.frozenBackends = frozenBackends;
    }

    /** A manage request's fields, validated by the controller. */
    public record ManageVolume(String host, String cluster, Map<String, Object> ref, String name,
                               String description, String volumeType, Map<String, String> metadata,
                               String availabilityZone, boolean bootable) {
    }

    /**
     * Cinder's {@code _get_service_by_host_cluster}: the volume service of the host's backend part; an unknown
     * one is Cinder's "Host '…' not found" (400, as the controller turns ServiceNotFound into ServiceUnavailable),
     * a disabled or down one "Service is unavailable at this time.".
     */
    ServiceEntity volumeService(String host, String cluster) {
        if (cluster != null) {
            // No clustered volume services here: every cluster name is unknown.
            throw new CinderException(400, "Cluster '" + cluster + "' not found");
        }
        BackendHost backend;
        try {
            backend = BackendHost.parse(host);
        } catch (RuntimeException e) {
            throw new CinderException(400, "Host '" + host + "' not found");
        }
        ServiceEntity service = services.findByHostAndBinaryName(backend.serviceHost(), ServiceRegistry.VOLUME_BINARY)
                .filter(s -> !s.isDeleted())
                .orElseThrow(() -> new CinderException(400, "Host '" + host + "' not found"));
        if (service.isDisabled() || !registry.isUp(service)) {
            LOG.error("Unable to manage on {}: the service is {}", host, service.isDisabled() ? "disabled" : "down");
            throw new CinderException(400, "Service is unavailable at this time.");
        }
        return service;
    }

    public VolumeApiService.VolumePage manageVolume(ApiRequest req, ManageVolume m) {
        RequestContext ctx = req.context();
        VolumeTypeEntity type;
        if (m.volumeType() != null && !m.volumeType().isEmpty()) {
            try {
                type = typeLookup.byNameOrIdFor(ctx, m.volumeType());
            } catch (CinderException e) {
                if (e.code() != 404) {
                    throw e;
                }
                throw new InvalidVolumeTypeException("Cannot find requested '" + m.volumeType() + "' volume type");
            }
        } else {
            type = typeLookup.defaultTypeFor(ctx);
        }
        // Cinder refuses at once a source-name that is the backend name of a volume that exists.
        Object sourceName = m.ref().get("source-name");
        if (sourceName instanceof String s && s.startsWith("volume-")
                && UUID_LIKE.matcher(s.substring("volume-".length())).matches()
                && volumes.existsByIdAndDeletedFalse(s.substring("volume-".length()))) {
            throw new InvalidVolumeException("Unable to manage existing volume. The volume is already managed");
        }
        if (typeLookup.isEncrypted(type.getId())) {
            throw new InvalidVolumeTypeException("Managing to an encrypted volume type is not supported.");
        }
        ServiceEntity service = volumeService(m.host(), m.cluster());
        // Cinder: a host with a pool is kept as given, else the service's host@backend (the scheduler adds the pool).
        String manageHost = BackendHost.parse(m.host()).pool() != null ? m.host() : service.getHost();
        VolumeEntity v = new VolumeEntity();
        v.setId(UUID.randomUUID().toString());
        v.setSize(0);
        v.setDisplayName(m.name());
        v.setDisplayDescription(m.description());
        v.setStatus(VolumeStatus.MANAGING);
        v.setAttachStatus(AttachStatus.DETACHED);
        v.setAvailabilityZone(m.availabilityZone() != null ? m.availabilityZone() : service.getAvailabilityZone());
        v.setVolumeTypeId(type.getId());
        v.setProjectId(ctx.projectId());
        v.setUserId(ctx.userId());
        v.setHost(manageHost);
        v.setBootable(m.bootable());
        v.setMultiattach("<is> True".equals(type.getExtraSpecs().get("multiattach")));
        v.setMetadata(new HashMap<>(m.metadata() == null ? Map.of() : m.metadata()));
        v.setCreatedAt(Clock.now());
        volumeQuotas.insert(v, type.getName()); // volumes 1 (size 0): the backend reserves the gigabytes it finds
        try {
            scheduler.manageExisting(ctx, new SchedulerRpcApi.ManageExistingRequest(v.getId(), manageHost,
                    Map.copyOf(type.getExtraSpecs()), v.getAvailabilityZone(), m.ref()));
        } catch (RuntimeException e) {
            volumeQuotas.removeUnsent(v, type.getName());
            throw e;
        }
        LOG.info("Manage of {} on {} accepted as volume {} (type {}) and sent to the scheduler", m.ref(), manageHost,
                v.getId(), type.getName());
        return new VolumeApiService.VolumePage(List.of(v), Map.of(), Map.of(type.getId(), type.getName()));
    }

    /** What the host's backend offers (unsorted; the caller sorts and pages). */
    public List<ManageableEntry> manageable(ApiRequest req, String host, String cluster, boolean snapshot) {
        ServiceEntity service = volumeService(host, cluster);
        BackendHost backend = BackendHost.parse(service.getHost());
        return snapshot ? volumeRpc.getManageableSnapshots(req.context(), backend)
                : volumeRpc.getManageableVolumes(req.context(), backend);
    }

    /** Cinder's manage_existing_snapshot: the volume (404, its rule), its service up, then the row with quota. */
    public SnapshotEntity manageSnapshot(ApiRequest req, String volumeId, Map<String, Object> ref, String name,
                                         String description, Map<String, String> metadata) {
        VolumeEntity volume = volumeApi.get(req, volumeId);
        policy.authorize(req, ManagePolicies.MANAGE_SNAPSHOT, VolumeApiService.target(volume));
        if (volume.getHost() == null) {
            throw new NotFoundException("Service could not be found.");
        }
        volumeService(volume.getHost(), null);
        MigrationStatus migration = volume.getMigrationStatus();
        if (migration != null && migration != MigrationStatus.Standard.ERROR
                && migration != MigrationStatus.Standard.SUCCESS) {
            throw new InvalidVolumeException("Snapshot cannot be created while volume is migrating.");
        }
        if (volume.getStatus() != VolumeStatus.AVAILABLE && volume.getStatus() != VolumeStatus.IN_USE) {
            throw new InvalidVolumeException("Volume " + volume.getId() + " status must be available or in-use, "
                    + "but current status is: " + volume.getStatus().wire() + ".");
        }
        SnapshotEntity s = new SnapshotEntity();
        s.setId(UUID.randomUUID().toString());
        s.setVolumeId(volume.getId());
        s.setStatus("creating");
        s.setProgress("0%");
        s.setVolumeSize(volume.getSize());
        s.setDisplayName(name);
        s.setDisplayDescription(description);
        s.setProjectId(req.context().projectId());
        s.setUserId(req.context().userId());
        s.setVolumeTypeId(volume.getVolumeTypeId());
        s.setMetadata(new HashMap<>(metadata == null ? Map.of() : metadata));
        s.setCreatedAt(Clock.now());
        snapshotQuotas.insert(s);
        try {
            volumeRpc.manageExistingSnapshot(req.context(), BackendHost.parse(volume.getHost()),
                    new VolumeRpcApi.ManageExistingSnapshot(s.getId(), ref));
        } catch (RuntimeException e) {
            snapshotQuotas.removeUnsent(s);
            throw e;
        }
        LOG.info("Manage of {} accepted as snapshot {} of volume {} and sent to {}", ref, s.getId(), volume.getId(),
                volume.getHost());
        return s;
    }

    /** os-unmanage of a volume: Cinder's delete with unmanage_only (the same conditions and message). */
    public void unmanageVolume(ApiRequest req, String volumeId) {
        VolumeEntity v = volumeApi.get(req, volumeId);
        policy.authorize(req, ManagePolicies.UNMANAGE_VOLUME, VolumeApiService.target(v));
        if (v.isEncrypted()) {
            throw new InvalidVolumeException("Unmanaging encrypted volumes is not supported.");
        }
        frozenBackends.assertNotFrozen(v.getHost());
        boolean hasSnapshots = snapshots.countByVolumeIdAndDeletedFalse(volumeId) > 0;
        if (hasSnapshots || volumes.markUnmanaging(volumeId, VolumeApiService.DELETABLE, Clock.now()) == 0) {
            throw new InvalidVolumeException("Volume status must be available or error or error_restoring or "
                    + "error_extending or error_managing and must not be migrating, attached, belong to a group, "
                    + "have snapshots, awaiting a transfer, or be disassociated from snapshots after volume "
                    + "transfer.");
        }
        if (v.getHost() == null) {
            volumeQuotas.softDelete(volumeId);
            LOG.info("Volume {} had no backend and was unmanaged in the database only", volumeId);
            return;
        }
        try {
            volumeRpc.unmanageVolume(req.context(), BackendHost.parse(v.getHost()), volumeId);
        } catch (RuntimeException e) {
            volumes.compareAndSetStatus(volumeId, List.of(VolumeStatus.UNMANAGING), v.getStatus(), Clock.now());
            throw e;
        }
        LOG.info("Unmanage of volume {} sent to {}", volumeId, v.getHost());
    }

    /** os-unmanage of a snapshot: Cinder's delete_snapshot with unmanage_only. */
    public void unmanageSnapshot(ApiRequest req, SnapshotEntity s) {
        policy.authorize(req, ManagePolicies.UNMANAGE_SNAPSHOT, PolicyTarget.owner(s.getProjectId(), s.getUserId()));
        if (snapshots.compareAndSetStatus(s.getId(), List.of("available", "error"), "unmanaging", Clock.now()) == 0) {
            throw new CinderException(400, "Invalid snapshot: Snapshot status must be available or error and must "
                    + "not be part of a group.");
        }
        String host = volumes.findById(s.getVolumeId()).map(VolumeEntity::getHost).orElse(null);
        if (host == null) {
            snapshotQuotas.softDelete(s.getId());
            return;
        }
        try {
            volumeRpc.unmanageSnapshot(req.context(), BackendHost.parse(host), s.getId());
        } catch (RuntimeException e) {
            snapshots.compareAndSetStatus(s.getId(), List.of("unmanaging"), s.getStatus(), Clock.now());
            throw e;
        }
        LOG.info("Unmanage of snapshot {} sent to {}", s.getId(), host);
    }
}
