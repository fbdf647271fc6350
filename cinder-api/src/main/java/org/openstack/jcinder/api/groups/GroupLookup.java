package org.openstack.jcinder.api.groups;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.db.GroupEntity;
import org.openstack.jcinder.common.db.GroupRepository;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.shared.policy.PolicyTarget;
import org.springframework.stereotype.Component;

/** Cinder's group_api.get: a live group of the caller's project (any for admins), then {@code group:get}. */
@Component
public class GroupLookup {

    private final GroupRepository groups;
    private final PolicyEnforcer policy;

    public GroupLookup(GroupRepository groups, PolicyEnforcer policy) {
        this.groups = groups;
        this.policy = policy;
    }

    public GroupEntity get(ApiRequest req, String id) {
        GroupEntity g = groups.findByIdAndDeletedFalse(id).filter(x -> policy.sees(req, x.getProjectId()))
                .orElseThrow(() -> new CinderException(404, "Group " + id + " could not be found."));
        policy.authorize(req, GroupPolicies.GET, PolicyTarget.project(g.getProjectId()));
        return g;
    }
}
