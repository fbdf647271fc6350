package org.openstack.jcinder.api.groups;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.types.VolumeTypeLookup;
import org.openstack.jcinder.api.volumes.VolumeApiService;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.GroupEntity;
import org.openstack.jcinder.common.db.GroupRepository;
import org.openstack.jcinder.common.db.GroupSnapshotEntity;
import org.openstack.jcinder.common.db.GroupSnapshotRepository;
import org.openstack.jcinder.common.db.GroupTypeEntity;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.SnapshotRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.InvalidInputException;
import org.openstack.jcinder.common.exception.InvalidVolumeException;
import org.openstack.jcinder.common.exception.QuotaExceededException;
import org.openstack.jcinder.common.quota.OverQuotaException;
import org.openstack.jcinder.common.quota.QuotaReservations;
import org.openstack.jcinder.common.quota.QuotaResources;
import org.openstack.jcinder.common.volume.AttachStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.shared.policy.PolicyTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Cinder's group operations ({@code group/api.py}) behind both {@code /groups} and the legacy
 * {@code /consistencygroups}: create, update, delete and create from a source. The callers have parsed the
 * request, looked the group up and refused what their own API refuses (the reserved CG type on {@code /groups}).
 */
@Service
public class GroupService {

    private static final Logger LOG = LoggerFactory.getLogger(GroupService.class);

    static final List<String> ADD_STATUSES = List.of("available", "in-use");
    static final List<String> REMOVE_STATUSES = List.of("available", "in-use", "error", "error_deleting");

    private final GroupRepository groups;
    private final GroupSnapshotRepository groupSnapshots;
    private final GroupLookup lookup;
    private final VolumeTypeLookup volumeTypes;
    private final VolumeRepository volumes;
    private final SnapshotRepository snapshots;
    private final VolumeApiService volumeApi;
    private final GroupSnapshotService groupSnapshotApi;
    private final PolicyEnforcer policy;
    private final CinderConfig config;
    private final QuotaReservations quotas;
    private final TransactionTemplate tx;

    public GroupService(GroupRepository groups, GroupSnapshotRepository groupSnapshots, GroupLookup lookup,
                        VolumeTypeLookup volumeTypes, VolumeRepository volumes, SnapshotRepository snapshots,
                        VolumeApiService volumeApi, GroupSnapshotService groupSnapshotApi, PolicyEnforcer policy,
                        CinderConfig config, QuotaReservations quotas, PlatformTransactionManager transactions) {
        this.groups = groups;
        this.groupSnapshots = groupSnapshots;
        this.lookup = lookup;
        this.volumeTypes = volumeTypes;
        this.volumes = volumes;
        this.snapshots = snapshots;
        this.volumeApi = volumeApi;
        this.groupSnapshotApi = groupSnapshotApi;
        this.policy = policy;
        this.config = config;
        this.quotas = quotas;
        this.tx = new TransactionTemplate(transactions);
    }

    /** Cinder's group create: the types resolved, the zone checked, the row and its groups quota together. */
    @Transactional
    public GroupEntity create(ApiRequest req, String name, String description, GroupTypeEntity groupType,
                              List<String> typeRefs, String availabilityZone) {
        String az = availabilityZone;
        policy.authorize(req, GroupPolicies.CREATE, PolicyTarget.project(req.projectId()));
        List<String> typeIds = new ArrayList<>();
        for (String ref : typeRefs) {
            typeIds.add(volumeTypes.byNameOrId(ref).getId());
        }
        if (az == null) {
            az = config.storageAvailabilityZone();
        } else if (!az.equals(config.storageAvailabilityZone())) {
            throw new InvalidInputException("Availability zone '" + az + "' is invalid.");
        }
        consumeGroupQuota(req);
        GroupEntity g = new GroupEntity();
        g.setId(UUID.randomUUID().toString());
        g.setName(name);
        g.setDescription(description);
        g.setAvailabilityZone(az);
        g.setProjectId(req.projectId());
        g.setUserId(req.context().userId());
        g.setGroupTypeId(groupType.getId());
        g.getVolumeTypeIds().addAll(typeIds);
        g.setReplicationStatus("disabled");
        // No backend work for a generic group on these backends: it is usable at once.
        g.setStatus("available");
        g.setCreatedAt(Clock.now());
        groups.saveAndFlush(g);
        LOG.info("[{}] Group {} ({}) created: type {}, volume types {}", req.context().requestId(), g.getId(),
                name, groupType.getId(), typeIds);
        return g;
    }

    private void consumeGroupQuota(ApiRequest req) {
        try {
            // Cinder's groups quota: one per group, counted in the same transaction as the row.
            quotas.consume(req.projectId(), Map.of(QuotaResources.GROUPS, 1));
        } catch (OverQuotaException e) {
            throw new QuotaExceededException("Maximum number of groups allowed ("
                    + e.usages().get(QuotaResources.GROUPS).limit() + ") exceeded");
        }
    }

    /** Cinder's group update: name, description and membership, with its checks and messages. */
    @Transactional
    public void update(ApiRequest req, GroupEntity g, String name, String description, String add,
                       String remove) {
        policy.authorize(req, GroupPolicies.UPDATE, PolicyTarget.project(g.getProjectId()));
        if (name != null && name.equals(g.getName())) {
            name = null;
        }
        if (description != null && description.equals(g.getDescription())) {
            description = null;
        }
        List<String> addList = ids(add);
        List<String> removeList = ids(remove);
        List<String> both = addList.stream().filter(removeList::contains).toList();
        if (!both.isEmpty()) {
            throw new InvalidVolumeException("UUIDs " + pyList(both) + " are in both add and remove volume list.");
        }
        List<VolumeEntity> members = volumes.findByGroupIdAndDeletedFalse(g.getId());
        List<VolumeEntity> toAdd = addList.isEmpty() ? List.of() : validateAdd(req, g, members, addList);
        List<VolumeEntity> toRemove = removeList.isEmpty() ? List.of() : validateRemove(g, members, removeList);
        if (name == null && description == null && toAdd.isEmpty() && toRemove.isEmpty()) {
            throw new CinderException(400, "Invalid Group: Cannot update group " + g.getId() + " because no valid "
                    + "name, description, add_volumes, or remove_volumes were provided.");
        }
        if ((!toAdd.isEmpty() || !toRemove.isEmpty()) && !g.getStatus().equals("available")) {
            throw new CinderException(400, "Invalid Group: Group status must be available.");
        }
        if (name != null) {
            g.setName(name);
        }
        if (description != null) {
            g.setDescription(description);
        }
        // Membership is all there is to change on these backends: done here, the group stays available.
        for (VolumeEntity v : toAdd) {
            v.setGroupId(g.getId());
            v.setUpdatedAt(Clock.now());
            volumes.save(v);
        }
        for (VolumeEntity v : toRemove) {
            v.setGroupId(null);
            v.setUpdatedAt(Clock.now());
            volumes.save(v);
        }
        g.setStatus("available");
        g.setUpdatedAt(Clock.now());
        groups.saveAndFlush(g);
        volumes.flush();
        LOG.info("[{}] Group {} updated: added {}, removed {}", req.context().requestId(), g.getId(),
                toAdd.stream().map(VolumeEntity::getId).toList(), toRemove.stream().map(VolumeEntity::getId)
                        .toList());
    }

    private List<VolumeEntity> validateAdd(ApiRequest req, GroupEntity g, List<VolumeEntity> members,
                                           List<String> addList) {
        List<String> wanted = new ArrayList<>(addList);
        members.forEach(m -> wanted.remove(m.getId()));
        List<VolumeEntity> out = new ArrayList<>();
        for (String id : wanted) {
            VolumeEntity v = volumes.findById(id).filter(x -> !x.isDeleted())
                    .filter(x -> policy.sees(req, x.getProjectId()))
                    .orElseThrow(() -> new InvalidVolumeException("Cannot add volume " + id + " to group "
                            + g.getId() + " because volume cannot be found."));
            String prefix = "Cannot add volume " + v.getId() + " to group " + g.getId();
            if (v.getGroupId() != null) {
                throw new InvalidVolumeException(prefix + " because it is already in group " + v.getGroupId() + ".");
            }
            if (!v.getProjectId().equals(g.getProjectId())) {
                throw new InvalidVolumeException(prefix + " as they belong to different projects.");
            }
            if (v.getVolumeTypeId() == null) {
                throw new InvalidVolumeException(prefix + " because it has no volume type.");
            }
            if (!g.getVolumeTypeIds().contains(v.getVolumeTypeId())) {
                throw new InvalidVolumeException(prefix + " because volume type " + v.getVolumeTypeId()
                        + " is not supported by the group.");
            }
            String status = v.getStatus().wire();
            if (!ADD_STATUSES.contains(status)) {
                throw new InvalidVolumeException(prefix + " because volume is in an invalid state: " + status
                        + ". Valid states are: " + pyTuple(ADD_STATUSES) + ".");
            }
            out.add(v);
        }
        return out;
    }

    private static List<VolumeEntity> validateRemove(GroupEntity g, List<VolumeEntity> members,
                                                     List<String> removeList) {
        List<VolumeEntity> out = new ArrayList<>();
        for (VolumeEntity v : members) {
            if (removeList.contains(v.getId())) {
                String status = v.getStatus().wire();
                if (!REMOVE_STATUSES.contains(status)) {
                    throw new InvalidVolumeException("Cannot remove volume " + v.getId() + " from group "
                            + g.getId() + " because volume is in an invalid state: " + status
                            + ". Valid states are: " + pyTuple(REMOVE_STATUSES) + ".");
                }
                out.add(v);
            }
        }
        for (String id : removeList) {
            if (out.stream().noneMatch(v -> v.getId().equals(id))) {
                throw new InvalidVolumeException("Cannot remove volume " + id + " from group " + g.getId()
                        + " because it is not in the group.");
            }
        }
        return out;
    }

    /**
     * Cinder's group delete. Not one transaction: a volume's delete must be committed before the volume service
     * receives it.
     */
    public void delete(ApiRequest req, GroupEntity g, boolean deleteVolumes) {
        policy.authorize(req, GroupPolicies.DELETE, PolicyTarget.project(g.getProjectId()));
        if (!deleteVolumes && !g.getStatus().equals("available") && !g.getStatus().equals("error")) {
            throw new CinderException(400, "Invalid Group: Group status must be available or error, but current "
                    + "status is: " + g.getStatus());
        }
        if (groupSnapshots.countByGroupIdAndDeletedFalse(g.getId()) > 0) {
            throw new CinderException(400, "Invalid Group: Group has existing snapshots.");
        }
        List<VolumeEntity> members = volumes.findByGroupIdAndDeletedFalse(g.getId());
        if (!members.isEmpty() && !deleteVolumes) {
            throw new CinderException(400, "Invalid Group: Group " + g.getId() + " still contains volumes. The "
                    + "delete-volumes flag is required to delete it.");
        }
        for (VolumeEntity v : members) {
            if (v.getAttachStatus() == AttachStatus.ATTACHED) {
                throw new CinderException(400, "Invalid Group: Volume in group " + g.getId() + " is attached. "
                        + "Need to detach first.");
            }
            if (snapshots.countByVolumeIdAndDeletedFalse(v.getId()) > 0) {
                throw new CinderException(400, "Invalid Group: Volume in group still has dependent snapshots.");
            }
        }
        if (groups.findByDeletedFalse().stream().anyMatch(o -> g.getId().equals(o.getSourceGroupId())
                && o.getStatus().equals("creating"))) {
            throw new CinderException(400, "Invalid Group: Cannot delete group " + g.getId() + ". Group must not "
                    + "have attached volumes, volumes with snapshots, or dependent group snapshots, and it cannot "
                    + "be the source for an ongoing group or group snapshot creation.");
        }
        // The volumes leave the group and go through the ordinary delete (their backend frees the storage).
        for (VolumeEntity v : members) {
            v.setGroupId(null);
            volumes.saveAndFlush(v);
            volumeApi.delete(req, v, true);
        }
        g.setStatus("deleted");
        g.setDeleted(true);
        g.setDeletedAt(Clock.now());
        groups.saveAndFlush(g);
        quotas.release(g.getProjectId(), Map.of(QuotaResources.GROUPS, 1));
        LOG.info("[{}] Group {} deleted with {} volume(s)", req.context().requestId(), g.getId(), members.size());
    }

    /**
     * Cinder's create_from_src (3.14): a new group of the source's type and volume types, {@code creating},
     * holding a new volume made from each member snapshot of the group snapshot, or a clone of each volume of
     * the source group, through the ordinary volume create (scheduled to the source's backend there). The volume
     * service makes the group {@code available} (or {@code error}) when its last volume settles. A volume that
     * cannot be created takes the volumes created so far and the group back with it, as Cinder's does.
     */
    public GroupEntity createFromSource(ApiRequest req, String name, String description, String groupSnapshotId,
                                        String sourceGroupId) {
        policy.authorize(req, GroupPolicies.CREATE, PolicyTarget.project(req.projectId()));
        GroupEntity source;
        List<SnapshotEntity> fromSnapshots = List.of();
        List<VolumeEntity> fromVolumes = List.of();
        GroupSnapshotEntity groupSnapshot = null;
        if (groupSnapshotId != null) {
            groupSnapshot = groupSnapshotApi.get(req, groupSnapshotId);
            source = lookup.get(req, groupSnapshot.getGroupId());
            fromSnapshots = groupSnapshotApi.members(groupSnapshotId);
            if (fromSnapshots.isEmpty()) {
                throw new CinderException(400, "Invalid Group: Group snapshot is empty. No group will be created.");
            }
            for (SnapshotEntity s : fromSnapshots) {
                if (!"available".equals(s.getStatus())) {
                    throw new CinderException(400, "Invalid snapshot: Originating snapshot status must be one of "
                            + "'available' values");
                }
            }
        } else {
            source = lookup.get(req, sourceGroupId);
            fromVolumes = volumes.findByGroupIdAndDeletedFalse(source.getId());
            if (fromVolumes.isEmpty()) {
                throw new CinderException(400, "Invalid Group: Source Group is empty. No group will be created.");
            }
            for (VolumeEntity v : fromVolumes) {
                if (v.getStatus() != VolumeStatus.AVAILABLE && v.getStatus() != VolumeStatus.IN_USE) {
                    throw new InvalidVolumeException("Originating source volume status must be one of 'available, "
                            + "in-use' values");
                }
            }
        }
        GroupEntity g = new GroupEntity();
        g.setId(UUID.randomUUID().toString());
        g.setName(name);
        g.setDescription(description);
        g.setAvailabilityZone(source.getAvailabilityZone());
        g.setProjectId(req.projectId());
        g.setUserId(req.context().userId());
        g.setGroupTypeId(groupSnapshot != null ? groupSnapshot.getGroupTypeId() : source.getGroupTypeId());
        g.setGroupSnapshotId(groupSnapshotId);
        g.setSourceGroupId(groupSnapshotId == null ? sourceGroupId : null);
        // The source's volume types, and each new volume's own (Cinder adds a mapping per member's type).
        Set<String> typeIds = new LinkedHashSet<>(source.getVolumeTypeIds());
        fromSnapshots.forEach(s -> typeIds.add(s.getVolumeTypeId()));
        fromVolumes.forEach(v -> typeIds.add(v.getVolumeTypeId()));
        typeIds.remove(null);
        g.getVolumeTypeIds().addAll(typeIds);
        g.setReplicationStatus("disabled");
        g.setStatus("creating");
        g.setCreatedAt(Clock.now());
        tx.executeWithoutResult(status -> {
            consumeGroupQuota(req);
            groups.saveAndFlush(g);
        });
        LOG.info("[{}] Group {} ({}) accepted from {} {}: {} volume(s)", req.context().requestId(), g.getId(), name,
                groupSnapshotId != null ? "group snapshot" : "group", groupSnapshotId != null ? groupSnapshotId
                        : sourceGroupId, fromSnapshots.size() + fromVolumes.size());
        List<VolumeEntity> created = new ArrayList<>();
        try {
            for (SnapshotEntity s : fromSnapshots) {
                created.addAll(volumeApi.create(req, new VolumeApiService.CreateRequest(s.getVolumeSize(), null, null,
                        s.getVolumeTypeId(), null, null, false, s.getId(), null, s.getVolumeTypeId(), g.getId()))
                        .volumes());
            }
            for (VolumeEntity v : fromVolumes) {
                created.addAll(volumeApi.create(req, new VolumeApiService.CreateRequest(v.getSize(), null, null,
                        v.getVolumeTypeId(), null, null, false, null, v.getId(), v.getVolumeTypeId(), g.getId()))
                        .volumes());
            }
        } catch (RuntimeException e) {
            LOG.error("[{}] Creating group {} from its source failed after {} volume(s); taking them back: {}",
                    req.context().requestId(), g.getId(), created.size(), e.getMessage());
            undoCreateFromSource(req, g, created);
            throw e;
        }
        return g;
    }

    private void undoCreateFromSource(ApiRequest req, GroupEntity g, List<VolumeEntity> created) {
        for (VolumeEntity v : created) {
            try {
                VolumeEntity fresh = volumes.findByIdAndDeletedFalse(v.getId()).orElse(null);
                if (fresh != null) {
                    fresh.setGroupId(null);
                    volumes.saveAndFlush(fresh);
                    volumeApi.delete(req, fresh, true);
                }
            } catch (RuntimeException e) {
                LOG.warn("[{}] Volume {} of the failed group {} could not be deleted: {}", req.context().requestId(),
                        v.getId(), g.getId(), e.getMessage());
            }
        }
        g.setStatus("deleted");
        g.setDeleted(true);
        g.setDeletedAt(Clock.now());
        groups.saveAndFlush(g);
        quotas.release(g.getProjectId(), Map.of(QuotaResources.GROUPS, 1));
    }

    private static List<String> ids(String csv) {
        if (csv == null || csv.isEmpty()) {
            return List.of();
        }
        String s = csv.replaceAll("^,+|,+$", "");
        return s.isEmpty() ? List.of() : new ArrayList<>(List.of(s.split(",", -1)));
    }

    private static String pyList(List<String> items) {
        return "[" + String.join(", ", items.stream().map(i -> "'" + i + "'").toList()) + "]";
    }

    private static String pyTuple(List<String> items) {
        return "(" + String.join(", ", items.stream().map(i -> "'" + i + "'").toList()) + ")";
    }
}
