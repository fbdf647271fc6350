package org.openstack.jcinder.api.volumes;

import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.db.VolumeTypeEntity;

/**
 * What volume create asks of the groups feature when a {@code group_id} is given (Cinder's checks: the group
 * exists for the caller, its status allows new volumes, the type is one of the group's).
 */
public interface VolumeGroupCheck {

    /**
     * Refuses with Cinder's error unless a volume of {@code type} (null: none was given) may join the group;
     * returns the group's availability zone.
     */
    String admit(ApiRequest req, String groupId, VolumeTypeEntity type);

    /** Whether the group is a consistency group (of the reserved CG type), shown as consistencygroup_id. */
    boolean isConsistencyGroup(String groupId);
}
