package org.openstack.jcinder.api.groups;

import org.openstack.jcinder.api.volumes.VolumeGroupCheck;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.db.GroupEntity;
import org.openstack.jcinder.common.db.GroupRepository;
import org.openstack.jcinder.common.db.VolumeTypeEntity;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.InvalidInputException;
import org.springframework.stereotype.Component;

/** Cinder's checks of a volume created in a group ({@code volume/api.py} and the create flow). */
@Component
public class GroupVolumeCheck implements VolumeGroupCheck {

    private final GroupLookup groups;
    private final GroupRepository rows;
    private final GroupTypeLookup groupTypes;

    public GroupVolumeCheck(GroupLookup groups, GroupRepository rows, GroupTypeLookup groupTypes) {
        this.groups = groups;
        this.rows = rows;
        this.groupTypes = groupTypes;
    }

    @Override
    public boolean isConsistencyGroup(String groupId) {
        return rows.findById(groupId).map(g -> groupTypes.isReservedCgType(g.getGroupTypeId())).orElse(false);
    }

    @Override
    public String admit(ApiRequest req, String groupId, VolumeTypeEntity type) {
        GroupEntity g = groups.get(req, groupId);
        if (type == null) {
            throw new InvalidInputException("volume_type must be provided when creating a volume in a group.");
        }
        if (!g.getVolumeTypeIds().contains(type.getId())) {
            throw new InvalidInputException("Invalid volume_type provided: " + type.getName() + " (requested type "
                    + "must be supported by this group).");
        }
        if (!g.getStatus().equals("available") && !g.getStatus().equals("creating")) {
            throw new CinderException(400, "Invalid Group: Originating group status must be one of 'available, "
                    + "creating' values");
        }
        return g.getAvailabilityZone();
    }
}
