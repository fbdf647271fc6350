package org.openstack.jcinder.api.volumes;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.shared.policy.PolicyTarget;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.SnapshotRepository;
import org.openstack.jcinder.common.db.VolumeAttachmentEntity;
import org.openstack.jcinder.common.db.VolumeAttachmentRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.db.VolumeTypeEntity;
import org.openstack.jcinder.common.service.FrozenBackends;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.InvalidVolumeException;
import org.openstack.jcinder.common.exception.NotFoundException;
import org.openstack.jcinder.common.exception.VolumeNotFoundException;
import org.openstack.jcinder.common.quota.VolumeQuotas;
import org.openstack.jcinder.common.rpc.scheduler.SchedulerRpcApi;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi;
import org.openstack.jcinder.common.volume.AttachStatus;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.api.types.VolumeTypeLookup;
import org.openstack.jcinder.common.db.VolumeTypeRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;


/**
 * The volume operations behind the REST resource (Cinder's {@code volume/api.py}): checks, the database
 * write, then the RPC message. A request that fails its checks writes nothing; a create whose message the
 * broker refuses is removed again, so the user never sees a volume nobody will create.
 */
@Service
public class VolumeApiService {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeApiService.class);

    public static final List<VolumeStatus> DELETABLE = List.of(VolumeStatus.AVAILABLE, VolumeStatus.ERROR,
            VolumeStatus.ERROR_RESTORING, VolumeStatus.ERROR_EXTENDING, VolumeStatus.ERROR_MANAGING);
    /** Cinder's cascade: the snapshot statuses that do not hold a delete back, and those a snapshot is marked from. */
    private static final List<String> CASCADE_DELETABLE = List.of("available", "error");
    private static final List<String> CASCADE_MARKABLE = List.of("available", "error", "deleting");

    private final VolumeRepository volumes;
    private final VolumeAttachmentRepository attachments;
    private final SnapshotRepository snapshots;
    private final VolumeTypeLookup typeLookup;
    private final VolumeTypeRepository types;
    private final SchedulerRpcApi scheduler;
    private final VolumeRpcApi volumeRpc;
    private final CinderConfig config;
    private final VolumeListQuery listQuery;
    private final PolicyEnforcer policy;
    private final VolumeQuotas quotas;
    /** Cinder's assert_not_frozen on delete. */
    private final FrozenBackends frozenBackends;
    /** The group checks of a volume create. */
    private final VolumeGroupCheck groupCheck;

    public VolumeApiService(VolumeRepository volumes, VolumeAttachmentRepository attachments,
                            SnapshotRepository snapshots, VolumeTypeLookup typeLookup, VolumeTypeRepository types,
                            SchedulerRpcApi scheduler,
                            VolumeRpcApi volumeRpc, CinderConfig config, VolumeListQuery listQuery,
                            PolicyEnforcer policy, VolumeQuotas quotas, FrozenBackends frozenBackends,
                            VolumeGroupCheck groupCheck) {
        this.frozenBackends = frozenBackends;
        this.groupCheck = groupCheck;
        this.volumes = volumes;
        this.attachments = attachments;
        this.snapshots = snapshots;
        this.typeLookup = typeLookup;
        this.types = types;
        this.scheduler = scheduler;
        this.volumeRpc = volumeRpc;
        this.config = config;
        this.listQuery = listQuery;
        this.policy = policy;
        this.quotas = quotas;
    }

    /** A volume as the target of a rule: Cinder passes the volume object (its project and user). */
    public static PolicyTarget target(VolumeEntity v) {
        return PolicyTarget.owner(v.getProjectId(), v.getUserId());
    }

    /**
     * @param snapshotId the source snapshot (checked by the caller), or null
     * @param sourceVolid the source volume (checked by the caller), or null
     * @param sourceTypeId the source's type: the new volume's when none is asked for (Cinder's create flow)
     * @param groupId the generic group (3.13) the new volume joins, or null
     */
    public record CreateRequest(int size, String name, String description, String volumeType,
                                String availabilityZone, Map<String, String> metadata, boolean multiattach,
                                String snapshotId, String sourceVolid, String sourceTypeId, String groupId) {

        public CreateRequest(int size, String name, String description, String volumeType, String availabilityZone,
                             Map<String, String> metadata, boolean multiattach) {
            this(size, name, description, volumeType, availabilityZone, metadata, multiattach, null, null, null,
                    null);
        }
    }

    public VolumePage create(ApiRequest req, CreateRequest create) {
        RequestContext ctx = req.context();
        policy.authorize(req, VolumePolicies.CREATE);
        if (create.multiattach()) {
            policy.authorize(req, VolumePolicies.MULTIATTACH);
        }
        VolumeTypeEntity type = create.volumeType() != null ? typeLookup.byNameOrIdFor(ctx, create.volumeType())
                : create.sourceTypeId() != null ? types.findById(create.sourceTypeId())
                        .orElseGet(() -> typeLookup.defaultTypeFor(ctx))
                : typeLookup.defaultTypeFor(ctx);
        String groupAz = create.groupId() == null ? null
                : groupCheck.admit(req, create.groupId(), create.volumeType() == null ? null : type);
        // Cinder: a volume created in a group is placed in the group's availability zone.
        String az = groupAz != null ? groupAz
                : create.availabilityZone() != null ? create.availabilityZone() : config.storageAvailabilityZone();
        if (!az.equals(config.storageAvailabilityZone())) {
            throw new CinderException(400, "Invalid input received: Availability zone '" + az + "' is invalid.");
        }
        VolumeEntity v = new VolumeEntity();
        v.setId(UUID.randomUUID().toString());
        v.setSize(create.size());
        v.setDisplayName(create.name());
        v.setDisplayDescription(create.description());
        v.setStatus(VolumeStatus.CREATING);
        v.setAttachStatus(AttachStatus.DETACHED);
        v.setAvailabilityZone(az);
        v.setVolumeTypeId(type.getId());
        v.setGroupId(create.groupId());
        v.setProjectId(ctx.projectId());
        v.setUserId(ctx.userId());
        v.setMultiattach(create.multiattach());
        v.setSnapshotId(create.snapshotId());
        v.setSourceVolid(create.sourceVolid());
        v.setEncrypted(typeLookup.isEncrypted(type.getId()));
        v.setMetadata(new HashMap<>(create.metadata() == null ? Map.of() : create.metadata()));
        v.setCreatedAt(Clock.now());
        quotas.insert(v, type.getName()); // 413 over quota; else the row and its quota usage in one transaction
        try {
            scheduler.createVolume(ctx, new SchedulerRpcApi.CreateVolumeRequest(v.getId(), v.getSize(),
                    type.getId(), Map.copyOf(type.getExtraSpecs()), az));
        } catch (RuntimeException e) {
            // Nothing will ever create it: take the row back so no half-made volume is left behind.
            quotas.removeUnsent(v, type.getName());
            throw e;
        }
        LOG.info("Volume {} ({} GiB, type {}, snapshot {}, source volume {}) accepted and sent to the scheduler",
                v.getId(), v.getSize(), type.getName(), v.getSnapshotId(), v.getSourceVolid());
        return new VolumePage(List.of(v), Map.of(), Map.of(type.getId(), type.getName()));
    }

    /** Cinder's {@code SnapshotNotFound} unless the caller may see the snapshot (its project's, or an admin). */
    public org.openstack.jcinder.common.db.SnapshotEntity requireSnapshot(ApiRequest req, String snapshotId) {
        return snapshots.findById(snapshotId)
                .filter(s -> !s.isDeleted() && policy.sees(req, s.getProjectId()))
                .orElseThrow(() -> new NotFoundException("Snapshot " + snapshotId + " could not be found."));
    }

    /**
     * Cinder's {@code volume_api.get}: the volume if it exists for the caller (its project's, or any for an
     * admin context: 404 otherwise), then {@code volume:get} on it (403).
     */
    public VolumeEntity get(ApiRequest req, String id) {
        VolumeEntity v = volumes.findByIdAndDeletedFalse(id).orElseThrow(() -> new VolumeNotFoundException(id));
        if (!policy.sees(req, v.getProjectId())) {
            throw new VolumeNotFoundException(id);
        }
        policy.authorize(req, VolumePolicies.GET, target(v));
        return v;
    }

    /** {@link #get}, then the operation's own rule on the volume. */
    public VolumeEntity get(ApiRequest req, String id, String action) {
        VolumeEntity v = get(req, id);
        policy.authorize(req, action, target(v));
        return v;
    }

    /**
     * One page of volumes with what their views need (attachments, type names), read in one read-only
     * transaction: one connection, no dirty checking, a fixed number of queries whatever the page size.
     */
    @Transactional(readOnly = true)
    public VolumePage list(VolumeQuery q, boolean withDetails) {
        VolumeEntity marker = null;
        if (q.marker() != null) {
            marker = volumes.findByIdAndDeletedFalse(q.marker())
                    .filter(m -> q.projectId() == null || m.getProjectId().equals(q.projectId()))
                    .orElseThrow(() -> new NotFoundException("Marker " + q.marker() + " could not be found."));
        }
        List<VolumeEntity> page = listQuery.run(q, marker);
        if (!withDetails || page.isEmpty()) {
            return new VolumePage(page, Map.of(), Map.of());
        }
        page.forEach(v -> v.getMetadata().size());
        Map<String, List<VolumeAttachmentEntity>> byVolume = attachments
                .findByVolumeIdInAndDeletedFalse(page.stream().map(VolumeEntity::getId).toList())
                .stream().collect(Collectors.groupingBy(VolumeAttachmentEntity::getVolumeId));
        return new VolumePage(page, byVolume, typeNames());
    }

    /** One volume with its attachments and type name, for the detail view. */
    @Transactional(readOnly = true)
    public VolumePage show(ApiRequest req, String id) {
        VolumeEntity v = get(req, id);
        return new VolumePage(List.of(v), Map.of(id, attachments.findByVolumeIdAndDeletedFalse(id)), typeNames());
    }

    private Map<String, String> typeNames() {
        Map<String, String> names = new HashMap<>();
        for (Object[] row : types.idsAndNames()) {
            names.put((String) row[0], (String) row[1]);
        }
        return names;
    }

    /** A page of volumes with what their views need. */
    public record VolumePage(List<VolumeEntity> volumes, Map<String, List<VolumeAttachmentEntity>> attachments,
                             Map<String, String> typeNames) {

        public List<VolumeAttachmentEntity> attachmentsOf(VolumeEntity v) {
            return attachments.getOrDefault(v.getId(), List.of());
        }

        public String typeNameOf(VolumeEntity v) {
            return typeNames.get(v.getVolumeTypeId());
        }
    }

    public VolumePage update(ApiRequest req, String id, String name, boolean nameGiven, String description,
                             boolean descriptionGiven, Map<String, String> metadata) {
        VolumeEntity v = get(req, id, VolumePolicies.UPDATE);
        volumes.updateNameAndDescription(id, nameGiven ? name : v.getDisplayName(),
                descriptionGiven ? description : v.getDisplayDescription(), Clock.now());
        if (metadata != null) {
            writeMetadata(get(req, id), metadata, true);
        }
        return show(req, id);
    }

    public Map<String, String> replaceMetadata(ApiRequest req, String id, Map<String, String> metadata) {
        return writeMetadata(get(req, id, VolumePolicies.UPDATE_METADATA), metadata, true);
    }

    public Map<String, String> mergeMetadata(ApiRequest req, String id, Map<String, String> metadata) {
        return writeMetadata(get(req, id, VolumePolicies.CREATE_METADATA), metadata, false);
    }

    /** The volume's metadata, for {@code GET /volumes/{id}/metadata}. */
    public Map<String, String> metadata(ApiRequest req, String id) {
        return new LinkedHashMap<>(get(req, id, VolumePolicies.GET_METADATA).getMetadata());
    }

    /** One user metadata value; Cinder's {@code VolumeMetadataNotFound} when the key is not there. */
    public String metadataItem(ApiRequest req, String id, String key) {
        String value = get(req, id, VolumePolicies.GET_METADATA).getMetadata().get(key);
        if (value == null) {
            throw new NotFoundException("Volume " + id + " has no metadata with key " + key + ".");
        }
        return value;
    }

    public void deleteMetadataKey(ApiRequest req, String id, String key) {
        VolumeEntity v = get(req, id, VolumePolicies.DELETE_METADATA);
        if (!v.getMetadata().containsKey(key)) {
            throw new NotFoundException("Volume " + id + " has no metadata with key " + key + ".");
        }
        v.getMetadata().remove(key);
        v.setUpdatedAt(Clock.now());
        volumes.saveAndFlush(v);
    }

    private Map<String, String> writeMetadata(VolumeEntity v, Map<String, String> metadata, boolean replace) {
        if (replace) {
            v.getMetadata().clear();
        }
        v.getMetadata().putAll(metadata);
        v.setUpdatedAt(Clock.now());
        volumes.saveAndFlush(v);
        return new LinkedHashMap<>(v.getMetadata());
    }

    public void delete(ApiRequest req, String id) {
        delete(req, id, false, false);
    }

    /** {@code DELETE /volumes/{id}}: Cinder's order of checks (lookup, force rule, delete rule). */
    public void delete(ApiRequest req, String id, boolean cascade, boolean force) {
        VolumeEntity v = get(req, id);
        if (force) {
            policy.authorize(req, VolumePolicies.FORCE_DELETE, target(v));
        }
        policy.authorize(req, VolumePolicies.DELETE, target(v));
        delete(req, v, force, cascade);
    }

    /** os-force_delete's delete (no cascade). */
    public void delete(ApiRequest req, VolumeEntity v, boolean force) {
        delete(req, v, force, false);
    }

    /**
     * Delete; {@code force} drops Cinder's status condition but keeps the others: not attached, no migration in
     * flight or pending, not in a group. Snapshots: none unless {@code cascade}; with cascade all of them must
     * be available or error (any status with force) and, for a non-admin, of the volume's project; they are
     * then marked deleting and the backend deletes them before the volume. The caller has looked the volume up.
     */
    public void delete(ApiRequest req, VolumeEntity v, boolean force, boolean cascade) {
        String id = v.getId();
        frozenBackends.assertNotFrozen(v.getHost());
        List<SnapshotEntity> volumeSnapshots = snapshots.findByVolumeIdAndDeletedFalseOrderByCreatedAtDescIdDesc(id);
        boolean snapshotsAllow;
        if (!cascade) {
            snapshotsAllow = volumeSnapshots.isEmpty();
        } else if (force) {
            snapshotsAllow = true;
        } else {
            // Cinder: a non-admin may not cascade into snapshots of another project (the caller is in the
            // volume's project, so "sees" the snapshot exactly when it is an admin or the snapshot is the volume's).
            snapshotsAllow = volumeSnapshots.stream().allMatch(s -> CASCADE_DELETABLE.contains(s.getStatus())
                    && policy.sees(req, s.getProjectId()));
        }
        boolean marked = snapshotsAllow && (force ? volumes.markForceDeleting(id, Clock.now())
                : volumes.markDeleting(id, DELETABLE, Clock.now())) > 0;
        if (!marked) {
            // Cinder's message; with force there is no status clause, hence its double space.
            throw new InvalidVolumeException("Volume " + (force ? "" : "status must be available or error or "
                    + "error_restoring or error_extending or error_managing and") + " must not be migrating, "
                    + "attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from "
                    + "snapshots after volume transfer.");
        }
        if (cascade) {
            for (SnapshotEntity s : volumeSnapshots) {
                List<String> from = force ? List.of(s.getStatus()) : CASCADE_MARKABLE;
                if (snapshots.compareAndSetStatus(s.getId(), from, "deleting", Clock.now()) == 0) {
                    // Cinder's outcome when a snapshot changed meanwhile: the volume is left in error_deleting.
                    volumes.compareAndSetStatus(id, List.of(VolumeStatus.DELETING), VolumeStatus.ERROR_DELETING,
                            Clock.now());
                    throw new InvalidVolumeException("Failed to update snapshot.");
                }
            }
        }
        if (v.getHost() == null) {
            // Never placed on a backend: there is no storage to release, so the row goes at once.
            quotas.softDelete(id);
            LOG.info("[{}] Volume {} had no backend and was deleted from the database", req.context().requestId(),
                    id);
            return;
        }
        try {
            volumeRpc.deleteVolume(req.context(), BackendHost.parse(v.getHost()), id, cascade);
        } catch (RuntimeException e) {
            volumes.compareAndSetStatus(id, List.of(VolumeStatus.DELETING), v.getStatus(), Clock.now());
            for (SnapshotEntity s : cascade ? volumeSnapshots : List.<SnapshotEntity>of()) {
                snapshots.compareAndSetStatus(s.getId(), List.of("deleting"), s.getStatus(), Clock.now());
            }
            throw e;
        }
        LOG.info("[{}] Delete of volume {}{} sent to {}", req.context().requestId(), id,
                cascade ? " and its " + volumeSnapshots.size() + " snapshot(s)" : "", v.getHost());
    }
}
