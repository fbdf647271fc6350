package org.openstack.jcinder.api.groups;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.db.GroupTypeEntity;
import org.openstack.jcinder.common.db.GroupTypeRepository;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.NotFoundException;
import org.springframework.stereotype.Component;

/** Finds group types as Cinder does: a private type is invisible to non-admins (no group type access API). */
@Component
public class GroupTypeLookup {

    /** Cinder's DEFAULT_CGSNAPSHOT_TYPE, created by the V13 migration as by Cinder's initial one. */
    public static final String RESERVED_CG_TYPE = "default_cgsnapshot_type";

    private final GroupTypeRepository types;
    private final PolicyEnforcer policy;

    public GroupTypeLookup(GroupTypeRepository types, PolicyEnforcer policy) {
        this.types = types;
        this.policy = policy;
    }

    /** A live type, whoever asks (the admin-only routes use it). */
    public GroupTypeEntity existing(String id) {
        return types.findByIdAndDeletedFalse(id).orElseThrow(() -> notFound(id));
    }

    /** A live type the caller may see. */
    public GroupTypeEntity visible(ApiRequest req, String id) {
        GroupTypeEntity t = existing(id);
        if (!t.isIsPublic() && !policy.isAdmin(req)) {
            throw notFound(id);
        }
        return t;
    }

    /** By id, else by name, as Cinder's group create resolves {@code group_type}. */
    public GroupTypeEntity byIdOrName(ApiRequest req, String ref) {
        GroupTypeEntity t = types.findByIdAndDeletedFalse(ref)
                .or(() -> types.findFirstByNameAndDeletedFalse(ref)).orElseThrow(() -> notFound(ref));
        if (!t.isIsPublic() && !policy.isAdmin(req)) {
            throw notFound(ref);
        }
        return t;
    }

    /** Cinder's is_default_cgsnapshot_type: the reserved type of consistency groups migrated to groups. */
    public boolean isReservedCgType(String groupTypeId) {
        return types.findFirstByNameAndDeletedFalse(RESERVED_CG_TYPE).map(t -> t.getId().equals(groupTypeId))
                .orElse(false);
    }

    /** Cinder's get_default_cgsnapshot_type, the type every consistency group is created with. */
    public GroupTypeEntity reservedCgType() {
        return types.findFirstByNameAndDeletedFalse(RESERVED_CG_TYPE).orElseThrow(() -> new CinderException(400,
                "Group type " + RESERVED_CG_TYPE + " not found. Rerun migration script to create the default "
                        + "cgsnapshot type."));
    }

    static NotFoundException notFound(String id) {
        return new NotFoundException("Group type " + id + " could not be found.");
    }
}
