package org.openstack.jcinder.api.groups;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.snapshots.SnapshotApiService;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.ListQuery;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.GroupEntity;
import org.openstack.jcinder.common.db.GroupRepository;
import org.openstack.jcinder.common.db.GroupSnapshotEntity;
import org.openstack.jcinder.common.db.GroupSnapshotRepository;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.SnapshotRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.NotFoundException;
import org.openstack.jcinder.common.group.GroupStatusRollup;
import org.openstack.jcinder.common.quota.SnapshotQuotas;
import org.openstack.jcinder.shared.policy.PolicyTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Cinder's group snapshot operations ({@code group/api.py}): a group snapshot is a row plus one ordinary
 * snapshot of each of the group's volumes, made by each volume's backend through the snapshot machinery; the
 * volume service settles the group snapshot when its last member settles ({@code GroupStatusRollup}).
 * Used by both {@code /group_snapshots} and the legacy {@code /cgsnapshots}.
 */
@Service
public class GroupSnapshotService {

    private static final Logger LOG = LoggerFactory.getLogger(GroupSnapshotService.class);

    /** Cinder's GroupSnapshotStatus.ALL (the reset_status format check). */
    static final List<String> STATUSES = List.of("error", "available", "creating", "deleting", "deleted",
            "updating", "error_deleting");

    static final Map<String, Function<GroupSnapshotEntity, Object>> COLUMNS = columns();

    private final GroupSnapshotRepository groupSnapshots;
    private final GroupRepository groups;
    private final SnapshotRepository snapshots;
    private final VolumeRepository volumes;
    private final SnapshotApiService snapshotApi;
    private final SnapshotQuotas snapshotQuotas;
    private final GroupStatusRollup rollup;
    private final PolicyEnforcer policy;
    private final TransactionTemplate tx;

    public GroupSnapshotService(GroupSnapshotRepository groupSnapshots, GroupRepository groups,
                                SnapshotRepository snapshots, VolumeRepository volumes, SnapshotApiService snapshotApi,
                                SnapshotQuotas snapshotQuotas, GroupStatusRollup rollup, PolicyEnforcer policy,
                                PlatformTransactionManager transactions) {
        this.groupSnapshots = groupSnapshots;
        this.groups = groups;
        this.snapshots = snapshots;
        this.volumes = volumes;
        this.snapshotApi = snapshotApi;
        this.snapshotQuotas = snapshotQuotas;
        this.rollup = rollup;
        this.policy = policy;
        this.tx = new TransactionTemplate(transactions);
    }

    private static Map<String, Function<GroupSnapshotEntity, Object>> columns() {
        Map<String, Function<GroupSnapshotEntity, Object>> m = new LinkedHashMap<>();
        m.put("id", GroupSnapshotEntity::getId);
        m.put("group_id", GroupSnapshotEntity::getGroupId);
        m.put("name", GroupSnapshotEntity::getName);
        m.put("description", GroupSnapshotEntity::getDescription);
        m.put("status", GroupSnapshotEntity::getStatus);
        m.put("project_id", GroupSnapshotEntity::getProjectId);
        m.put("user_id", GroupSnapshotEntity::getUserId);
        m.put("group_type_id", GroupSnapshotEntity::getGroupTypeId);
        m.put("created_at", GroupSnapshotEntity::getCreatedAt);
        m.put("updated_at", GroupSnapshotEntity::getUpdatedAt);
        return Map.copyOf(m);
    }

    static PolicyTarget target(GroupSnapshotEntity g) {
        return PolicyTarget.owner(g.getProjectId(), g.getUserId());
    }

    /** Cinder's get_group_snapshot: 404 unless the caller's project's (or an admin), then the rule. */
    public GroupSnapshotEntity get(ApiRequest req, String id) {
        GroupSnapshotEntity g = groupSnapshots.findByIdAndDeletedFalse(id)
                .filter(x -> policy.sees(req, x.getProjectId()))
                .orElseThrow(() -> new NotFoundException("GroupSnapshot " + id + " could not be found."));
        policy.authorize(req, GroupSnapshotPolicies.GET, target(g));
        return g;
    }

    /** The live members of a group snapshot. */
    public List<SnapshotEntity> members(String groupSnapshotId) {
        return snapshots.findByGroupSnapshotIdAndDeletedFalse(groupSnapshotId);
    }

    /**
     * Cinder's get_all_group_snapshots: the caller's project, every project for an admin asking all_tenants;
     * column filters match exactly (a column group snapshots lack matches nothing).
     */
    public List<GroupSnapshotEntity> list(ApiRequest req, ListQuery<GroupSnapshotEntity> q) {
        policy.authorize(req, GroupSnapshotPolicies.GET_ALL);
        Map<String, String> filters = new LinkedHashMap<>(q.filters());
        boolean allProjects = filters.remove("all_tenants") != null && policy.isAdmin(req);
        List<GroupSnapshotEntity> rows = (allProjects ? groupSnapshots.findByDeletedFalse()
                : groupSnapshots.findByProjectIdAndDeletedFalse(req.projectId())).stream()
                .filter(g -> matches(g, filters)).toList();
        return q.page(rows, GroupSnapshotEntity::getId, "GroupSnapshot " + q.marker() + " could not be found.");
    }

    private static boolean matches(GroupSnapshotEntity g, Map<String, String> filters) {
        for (Map.Entry<String, String> f : filters.entrySet()) {
            Function<GroupSnapshotEntity, Object> col = COLUMNS.get(f.getKey());
            Object v = col == null ? null : col.apply(g);
            if (v == null || !v.toString().equals(f.getValue())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Cinder's create_group_snapshot: every volume checked as for a single snapshot, then the group snapshot
     * and its members written with their quota in one transaction (all or nothing), then each member sent to
     * its volume's backend. A member the broker refuses is marked {@code error}, which settles the group
     * snapshot {@code error} once the others are done.
     */
    public GroupSnapshotEntity create(ApiRequest req, GroupEntity group, String name, String description) {
        policy.authorize(req, GroupSnapshotPolicies.CREATE, PolicyTarget.project(group.getProjectId()));
        List<VolumeEntity> members = volumes.findByGroupIdAndDeletedFalse(group.getId());
        for (VolumeEntity v : members) {
            snapshotApi.checkSnapshotable(req, v);
        }
        GroupSnapshotEntity g = new GroupSnapshotEntity();
        g.setId(UUID.randomUUID().toString());
        g.setGroupId(group.getId());
        g.setName(name);
        g.setDescription(description);
        g.setProjectId(req.context().projectId());
        g.setUserId(req.context().userId());
        g.setGroupTypeId(group.getGroupTypeId());
        // No member to wait for: nothing will settle it later, so it is complete at once.
        g.setStatus(members.isEmpty() ? "available" : "creating");
        g.setCreatedAt(Clock.now());
        List<SnapshotEntity> rows = new ArrayList<>();
        for (VolumeEntity v : members) {
            rows.add(snapshotApi.newSnapshot(req, v, name, description, g.getId()));
        }
        tx.executeWithoutResult(status -> {
            groupSnapshots.saveAndFlush(g);
            for (SnapshotEntity s : rows) {
                snapshotQuotas.insert(s); // joins this transaction: one over-quota member writes nothing
            }
        });
        LOG.info("[{}] Group snapshot {} of group {} accepted with {} member snapshot(s)", req.context().requestId(),
                g.getId(), group.getId(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            SnapshotEntity s = rows.get(i);
            try {
                snapshotApi.sendCreate(req, members.get(i), s);
            } catch (RuntimeException e) {
                LOG.error("[{}] Member snapshot {} of group snapshot {} could not be sent: {}",
                        req.context().requestId(), s.getId(), g.getId(), e.getMessage());
                snapshots.compareAndSetStatus(s.getId(), List.of("creating"), "error", Clock.now());
                rollup.snapshotCreated(g.getId());
            }
        }
        return g;
    }

    /**
     * Cinder's delete_group_snapshot: {@code available} or {@code error} and no group being made from it, then
     * every member is deleted by its backend; the last member gone takes the group snapshot with it.
     */
    public void delete(ApiRequest req, GroupSnapshotEntity g) {
        policy.authorize(req, GroupSnapshotPolicies.DELETE, target(g));
        boolean sourceOfCreatingGroup = groups.findByDeletedFalse().stream()
                .anyMatch(o -> g.getId().equals(o.getGroupSnapshotId()) && o.getStatus().equals("creating"));
        if (sourceOfCreatingGroup || groupSnapshots.compareAndSetStatus(g.getId(), List.of("available", "error"),
                "deleting", Clock.now()) == 0) {
            throw new CinderException(400, "Invalid GroupSnapshot: GroupSnapshot status must be available or "
                    + "error, and no Group can be currently using it as source for its creation.");
        }
        List<SnapshotEntity> members = members(g.getId());
        // Every member is deleting before any delete is sent, as in Cinder: a backend that removes the first
        // member at once would otherwise find the next one still available, neither deleting nor gone, and the
        // rollup would end the group snapshot in error_deleting while that member's delete is on its way.
        for (SnapshotEntity s : members) {
            snapshots.setStatus(s.getId(), "deleting", s.getProgress(), Clock.now());
        }
        for (SnapshotEntity s : members) {
            try {
                snapshotApi.deleteMember(req, s);
            } catch (RuntimeException e) {
                LOG.error("[{}] Delete of member snapshot {} of group snapshot {} could not be sent: {}",
                        req.context().requestId(), s.getId(), g.getId(), e.getMessage());
                snapshots.compareAndSetStatus(s.getId(), List.of("deleting"), "error_deleting", Clock.now());
            }
        }
        // Members without a backend went at once; with none left this removes the group snapshot now.
        rollup.snapshotDeleted(g.getId());
        LOG.info("[{}] Delete of group snapshot {} sent for {} member snapshot(s)", req.context().requestId(),
                g.getId(), members.size());
    }

    /** Cinder's reset_group_snapshot_status (admin): the row only, members untouched. */
    public void resetStatus(ApiRequest req, GroupSnapshotEntity g, String status) {
        policy.authorize(req, GroupSnapshotPolicies.RESET_STATUS, target(g));
        g.setStatus(status);
        g.setUpdatedAt(Clock.now());
        groupSnapshots.saveAndFlush(g);
        LOG.info("[{}] Group snapshot {} status reset to {}", req.context().requestId(), g.getId(), status);
    }
}
