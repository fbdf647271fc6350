package org.openstack.jcinder.api.snapshots;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.volumes.VolumeApiService;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.ListQuery;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.SnapshotRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.InvalidVolumeException;
import org.openstack.jcinder.common.exception.NotFoundException;
import org.openstack.jcinder.common.quota.SnapshotQuotas;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.shared.policy.PolicyTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The snapshot operations of Cinder's {@code volume/api.py}: checks, the row with its quota, then the cast to
 * the volume's backend; a cast the broker refuses takes the row and the quota back.
 */
@Service
public class SnapshotApiService {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotApiService.class);

    private final SnapshotRepository snapshots;
    private final VolumeRepository volumes;
    private final VolumeApiService volumeApi;
    private final SnapshotQuotas quotas;
    private final VolumeRpcApi volumeRpc;
    private final PolicyEnforcer policy;

    public SnapshotApiService(SnapshotRepository snapshots, VolumeRepository volumes, VolumeApiService volumeApi,
                              SnapshotQuotas quotas, VolumeRpcApi volumeRpc, PolicyEnforcer policy) {
        this.snapshots = snapshots;
        this.volumes = volumes;
        this.volumeApi = volumeApi;
        this.quotas = quotas;
        this.volumeRpc = volumeRpc;
        this.policy = policy;
    }

    static PolicyTarget target(SnapshotEntity s) {
        return PolicyTarget.owner(s.getProjectId(), s.getUserId());
    }

    /** Cinder's {@code get_snapshot}: 404 unless the caller's project's (or an admin), then the rule. */
    public SnapshotEntity get(ApiRequest req, String id) {
        SnapshotEntity s = snapshots.findByIdAndDeletedFalse(id)
                .filter(x -> policy.sees(req, x.getProjectId()))
                .orElseThrow(() -> new NotFoundException("Snapshot " + id + " could not be found."));
        policy.authorize(req, SnapshotPolicies.GET, target(s));
        return s;
    }

    public SnapshotEntity get(ApiRequest req, String id, String action) {
        SnapshotEntity s = get(req, id);
        policy.authorize(req, action, target(s));
        return s;
    }

    public record CreateRequest(String volumeId, String name, String description, boolean allowInUse,
                                Map<String, String> metadata) {
    }

    /** The volume a snapshot is asked of, as Cinder's {@code volume_api.get} answers it (404, 403). */
    public VolumeEntity volume(ApiRequest req, String volumeId) {
        return volumeApi.get(req, volumeId);
    }

    public SnapshotEntity create(ApiRequest req, CreateRequest create) {
        VolumeEntity volume = volumeApi.get(req, create.volumeId());
        checkSnapshotable(req, volume);
        List<VolumeStatus> valid = create.allowInUse() ? List.of(VolumeStatus.AVAILABLE, VolumeStatus.IN_USE)
                : List.of(VolumeStatus.AVAILABLE);
        if (!valid.contains(volume.getStatus())) {
            throw new InvalidVolumeException("Volume " + volume.getId() + " status must be "
                    + String.join(", ", valid.stream().map(VolumeStatus::wire).toList())
                    + ", but current status is: " + volume.getStatus().wire() + ".");
        }
        SnapshotEntity s = newSnapshot(req, volume, create.name(), create.description(), null);
        s.setMetadata(new HashMap<>(create.metadata() == null ? Map.of() : create.metadata()));
        quotas.insert(s);
        try {
            volumeRpc.createSnapshot(req.context(), BackendHost.parse(volume.getHost()), s.getId());
        } catch (RuntimeException e) {
            quotas.removeUnsent(s);
            throw e;
        }
        LOG.info("Snapshot {} of volume {} accepted and sent to {}", s.getId(), volume.getId(), volume.getHost());
        return s;
    }

    /** A new {@code creating} row of a snapshot of {@code volume}, not yet written. */
    public SnapshotEntity newSnapshot(ApiRequest req, VolumeEntity volume, String name, String description,
                                      String groupSnapshotId) {
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
        s.setGroupSnapshotId(groupSnapshotId);
        s.setCreatedAt(Clock.now());
        return s;
    }

    /** Sends a written snapshot to its volume's backend. */
    public void sendCreate(ApiRequest req, VolumeEntity volume, SnapshotEntity s) {
        volumeRpc.createSnapshot(req.context(), BackendHost.parse(volume.getHost()), s.getId());
        LOG.info("Snapshot {} of volume {} (group snapshot {}) sent to {}", s.getId(), volume.getId(),
                s.getGroupSnapshotId(), volume.getHost());
    }

    /**
     * Cinder's {@code _create_snapshot_in_db_validate}, shared by a single snapshot and each member of a group
     * snapshot: the rule on the volume, then scheduled, not in maintenance, not migrating, not in error.
     */
    public void checkSnapshotable(ApiRequest req, VolumeEntity volume) {
        policy.authorize(req, SnapshotPolicies.CREATE, VolumeApiService.target(volume));
        if (volume.getHost() == null) {
            throw new InvalidVolumeException("The snapshot cannot be created because volume has not been "
                    + "scheduled to any host.");
        }
        if (volume.getStatus() == VolumeStatus.MAINTENANCE) {
            throw new InvalidVolumeException("The snapshot cannot be created when the volume is in maintenance "
                    + "mode.");
        }
        MigrationStatus migration = volume.getMigrationStatus();
        if (migration != null && migration != MigrationStatus.Standard.ERROR
                && migration != MigrationStatus.Standard.SUCCESS) {
            throw new InvalidVolumeException("Snapshot cannot be created while volume is migrating.");
        }
        if (volume.getStatus() == VolumeStatus.ERROR) {
            throw new InvalidVolumeException("The snapshot cannot be created when the volume is in error status.");
        }
    }

    public record SnapshotQuery(String projectId, String status, String volumeId, String name,
                                Map<String, String> metadata, ListQuery<SnapshotEntity> page) {
    }

    /** What a snapshot list may be sorted on: the model's columns, and the names Cinder's API maps to them. */
    public static final Map<String, Function<SnapshotEntity, Object>> COLUMNS = columns();

    private static Map<String, Function<SnapshotEntity, Object>> columns() {
        Map<String, Function<SnapshotEntity, Object>> m = new LinkedHashMap<>();
        m.put("id", SnapshotEntity::getId);
        m.put("status", SnapshotEntity::getStatus);
        m.put("size", SnapshotEntity::getVolumeSize);
        m.put("volume_size", SnapshotEntity::getVolumeSize);
        m.put("name", SnapshotEntity::getDisplayName);
        m.put("display_name", SnapshotEntity::getDisplayName);
        m.put("description", SnapshotEntity::getDisplayDescription);
        m.put("display_description", SnapshotEntity::getDisplayDescription);
        m.put("volume_id", SnapshotEntity::getVolumeId);
        m.put("project_id", SnapshotEntity::getProjectId);
        m.put("user_id", SnapshotEntity::getUserId);
        m.put("progress", SnapshotEntity::getProgress);
        m.put("volume_type_id", SnapshotEntity::getVolumeTypeId);
        m.put("group_snapshot_id", SnapshotEntity::getGroupSnapshotId);
        m.put("created_at", SnapshotEntity::getCreatedAt);
        m.put("updated_at", SnapshotEntity::getUpdatedAt);
        return Map.copyOf(m);
    }

    /** Newest first by default (Cinder's created_at desc, id desc), filtered, then marker, offset and limit. */
    public List<SnapshotEntity> list(ApiRequest req, SnapshotQuery q) {
        policy.authorize(req, SnapshotPolicies.GET_ALL);
        List<SnapshotEntity> all = q.projectId() == null ? snapshots.findByDeletedFalseOrderByCreatedAtDescIdDesc()
                : snapshots.findByProjectIdAndDeletedFalseOrderByCreatedAtDescIdDesc(q.projectId());
        List<SnapshotEntity> rows = all.stream()
                .filter(s -> q.status() == null || q.status().equals(s.getStatus()))
                .filter(s -> q.volumeId() == null || q.volumeId().equals(s.getVolumeId()))
                .filter(s -> q.name() == null || q.name().equals(s.getDisplayName()))
                .filter(s -> q.metadata() == null || s.getMetadata().entrySet().containsAll(q.metadata().entrySet()))
                .toList();
        return q.page().page(rows, SnapshotEntity::getId, "Marker " + q.page().marker() + " could not be found.");
    }

    public SnapshotEntity update(ApiRequest req, String id, String name, boolean nameGiven, String description,
                                 boolean descriptionGiven) {
        SnapshotEntity s = get(req, id, SnapshotPolicies.UPDATE);
        if (nameGiven) {
            s.setDisplayName(name);
        }
        if (descriptionGiven) {
            s.setDisplayDescription(description);
        }
        s.setUpdatedAt(Clock.now());
        return snapshots.saveAndFlush(s);
    }

    public void delete(ApiRequest req, String id) {
        delete(req, get(req, id, SnapshotPolicies.DELETE), false);
    }

    /** {@code force} (os-force_delete) drops the status condition, as Cinder's conditional update does. */
    public void delete(ApiRequest req, SnapshotEntity s, boolean force) {
        List<String> from = force ? List.of("creating", "available", "error", "deleting", "error_deleting",
                "backing-up", "restoring", "unmanaging") : List.of("available", "error");
        // A member of a group snapshot goes only with its group snapshot (Cinder's expected group_snapshot_id).
        if (s.getGroupSnapshotId() != null
                || snapshots.compareAndSetStatus(s.getId(), from, "deleting", Clock.now()) == 0) {
            throw new CinderException(400, "Invalid snapshot: Snapshot " + (force ? "" : "status must be available "
                    + "or error and") + " must not be part of a group.");
        }
        VolumeEntity volume = volumes.findById(s.getVolumeId()).orElse(null);
        if (volume == null || volume.getHost() == null) {
            quotas.softDelete(s.getId());
            return;
        }
        try {
            volumeRpc.deleteSnapshot(req.context(), BackendHost.parse(volume.getHost()), s.getId());
        } catch (RuntimeException e) {
            snapshots.compareAndSetStatus(s.getId(), List.of("deleting"), s.getStatus(), Clock.now());
            throw e;
        }
        LOG.info("Delete of snapshot {} sent to {}", s.getId(), volume.getHost());
    }

    /**
     * The delete of a member of a group snapshot being deleted (Cinder's delete_group_snapshot sets every member
     * {@code deleting}): sent to its volume's backend, or gone at once when that volume was never placed.
     */
    public void deleteMember(ApiRequest req, SnapshotEntity s) {
        snapshots.setStatus(s.getId(), "deleting", s.getProgress(), Clock.now());
        VolumeEntity volume = volumes.findById(s.getVolumeId()).orElse(null);
        if (volume == null || volume.getHost() == null) {
            quotas.softDelete(s.getId());
            return;
        }
        volumeRpc.deleteSnapshot(req.context(), BackendHost.parse(volume.getHost()), s.getId());
        LOG.info("Delete of snapshot {} (group snapshot {}) sent to {}", s.getId(), s.getGroupSnapshotId(),
                volume.getHost());
    }

    public void forceDelete(ApiRequest req, SnapshotEntity s) {
        policy.authorize(req, SnapshotPolicies.FORCE_DELETE, target(s));
        delete(req, s, true);
    }

    public void resetStatus(ApiRequest req, String id, String status) {
        SnapshotEntity s = get(req, id);
        policy.authorize(req, SnapshotPolicies.RESET_STATUS, target(s));
        snapshots.setStatus(id, status, s.getProgress(), Clock.now());
        LOG.info("Snapshot {} status reset from {} to {}", id, s.getStatus(), status);
    }

    /** Cinder's snapshot_actions: creating → creating/available/error, deleting → deleting/error_deleting. */
    public void updateStatus(ApiRequest req, String id, String status, String progress) {
        SnapshotEntity s = snapshots.findByIdAndDeletedFalse(id)
                .filter(x -> policy.sees(req, x.getProjectId()))
                .orElseThrow(() -> new NotFoundException("Snapshot " + id + " could not be found."));
        policy.authorize(req, SnapshotPolicies.UPDATE_STATUS, target(s));
        Map<String, List<String>> allowed = Map.of("creating", List.of("creating", "available", "error"),
                "deleting", List.of("deleting", "error_deleting"));
        if (!allowed.containsKey(s.getStatus())) {
            throw new CinderException(400, "Invalid snapshot: Snapshot status " + s.getStatus()
                    + " not allowed for update_snapshot_status");
        }
        if (!allowed.get(s.getStatus()).contains(status)) {
            throw new CinderException(400, "Invalid snapshot: Provided snapshot status " + status
                    + " not allowed for snapshot with status " + s.getStatus() + ".");
        }
        snapshots.setStatus(id, status, progress != null ? progress : s.getProgress(), Clock.now());
    }

    public Map<String, String> metadata(ApiRequest req, String id) {
        return new LinkedHashMap<>(get(req, id, SnapshotPolicies.GET_METADATA).getMetadata());
    }

    public String metadataItem(ApiRequest req, String id, String key) {
        String value = get(req, id, SnapshotPolicies.GET_METADATA).getMetadata().get(key);
        if (value == null) {
            throw new NotFoundException("Metadata item was not found");
        }
        return value;
    }

    public Map<String, String> writeMetadata(ApiRequest req, String id, Map<String, String> metadata,
                                             boolean replace) {
        SnapshotEntity s = get(req, id, SnapshotPolicies.UPDATE_METADATA);
        if (replace) {
            s.getMetadata().clear();
        }
        s.getMetadata().putAll(metadata);
        s.setUpdatedAt(Clock.now());
        return new LinkedHashMap<>(snapshots.saveAndFlush(s).getMetadata());
    }

    public void deleteMetadataKey(ApiRequest req, String id, String key) {
        SnapshotEntity s = get(req, id, SnapshotPolicies.DELETE_METADATA);
        if (s.getMetadata().remove(key) == null) {
            throw new NotFoundException("Metadata item was not found");
        }
        s.setUpdatedAt(Clock.now());
        snapshots.saveAndFlush(s);
    }
}
