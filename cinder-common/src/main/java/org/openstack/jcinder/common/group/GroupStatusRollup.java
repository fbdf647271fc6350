package org.openstack.jcinder.common.group;

import java.util.List;

import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.GroupEntity;
import org.openstack.jcinder.common.db.GroupRepository;
import org.openstack.jcinder.common.db.GroupSnapshotRepository;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.SnapshotRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The status of a group snapshot or of a group made from a source follows its members: the members are
 * ordinary snapshots and volumes, each made or removed by its own backend, so the backend that settles the
 * last member settles the whole (as Cinder's volume manager does at the end of create_group_snapshot,
 * delete_group_snapshot and create_group_from_src). Each step is a compare-and-set, so a reset meanwhile wins
 * and two backends settling their last members at once change the row once.
 */
@Service
public class GroupStatusRollup {

    private static final Logger LOG = LoggerFactory.getLogger(GroupStatusRollup.class);

    private final GroupSnapshotRepository groupSnapshots;
    private final SnapshotRepository snapshots;
    private final GroupRepository groups;
    private final VolumeRepository volumes;

    public GroupStatusRollup(GroupSnapshotRepository groupSnapshots, SnapshotRepository snapshots,
                             GroupRepository groups, VolumeRepository volumes) {
        this.groupSnapshots = groupSnapshots;
        this.snapshots = snapshots;
        this.groups = groups;
        this.volumes = volumes;
    }

    /** A member snapshot was made (or failed): {@code creating} → {@code available} / {@code error}. */
    public void snapshotCreated(String groupSnapshotId) {
        if (groupSnapshotId == null) {
            return;
        }
        List<SnapshotEntity> members = snapshots.findByGroupSnapshotIdAndDeletedFalse(groupSnapshotId);
        if (members.stream().anyMatch(s -> "creating".equals(s.getStatus()))) {
            return;
        }
        String status = members.stream().allMatch(s -> "available".equals(s.getStatus())) ? "available" : "error";
        if (groupSnapshots.compareAndSetStatus(groupSnapshotId, List.of("creating"), status, Clock.now()) > 0) {
            LOG.info("Group snapshot {} is {} ({} member snapshot(s))", groupSnapshotId, status, members.size());
        }
    }

    /** A member snapshot was removed (or failed to be): the last one takes the group snapshot with it. */
    public void snapshotDeleted(String groupSnapshotId) {
        if (groupSnapshotId == null) {
            return;
        }
        List<SnapshotEntity> members = snapshots.findByGroupSnapshotIdAndDeletedFalse(groupSnapshotId);
        if (members.isEmpty()) {
            if (groupSnapshots.softDeleteIfDeleting(groupSnapshotId, Clock.now()) > 0) {
                LOG.info("Group snapshot {} deleted with its last member snapshot", groupSnapshotId);
            }
        } else if (members.stream().noneMatch(s -> "deleting".equals(s.getStatus()))) {
            groupSnapshots.compareAndSetStatus(groupSnapshotId, List.of("deleting"), "error_deleting", Clock.now());
            LOG.warn("Group snapshot {}: {} member snapshot(s) could not be deleted", groupSnapshotId,
                    members.size());
        }
    }

    /** How many volumes a group made from a source gets: one per member snapshot, or per source volume. */
    private int expectedVolumes(GroupEntity group) {
        if (group.getGroupSnapshotId() != null) {
            return snapshots.findByGroupSnapshotIdAndDeletedFalse(group.getGroupSnapshotId()).size();
        }
        if (group.getSourceGroupId() != null) {
            return volumes.findByGroupIdAndDeletedFalse(group.getSourceGroupId()).size();
        }
        return 0;
    }

    /** A volume of a group being made from a source settled: the group is usable once all of them are. */
    public void volumeCreated(String groupId) {
        if (groupId == null) {
            return;
        }
        GroupEntity group = groups.findByIdAndDeletedFalse(groupId).orElse(null);
        if (group == null || !"creating".equals(group.getStatus())) {
            return;
        }
        List<VolumeEntity> members = volumes.findByGroupIdAndDeletedFalse(groupId);
        if (members.stream().anyMatch(v -> v.getStatus() == VolumeStatus.CREATING)
                || members.size() < expectedVolumes(group)) {
            return; // the API is still adding the group's volumes, or a backend is still making one
        }
        String status = members.stream().allMatch(v -> v.getStatus() == VolumeStatus.AVAILABLE) ? "available"
                : "error";
        if (groups.compareAndSetStatus(groupId, List.of("creating"), status, Clock.now()) > 0) {
            LOG.info("Group {} is {} ({} volume(s))", groupId, status, members.size());
        }
    }
}
