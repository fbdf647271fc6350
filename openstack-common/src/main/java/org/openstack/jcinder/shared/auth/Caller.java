package org.openstack.jcinder.shared.auth;

import java.util.List;

import org.openstack.jcinder.shared.context.RequestContext;

/**
 * An authenticated request: the user's token and, when one came with it and Keystone accepted it, the
 * {@code X-Service-Token}.
 *
 * @param service null without a (valid) service token
 */
public record Caller(TokenInfo user, TokenInfo service) {

    public List<String> serviceRoles() {
        return service == null ? List.of() : service.roles();
    }

    public RequestContext context(String requestId) {
        return new RequestContext(requestId, user.userId(), user.projectId(), user.roles(), user.userName(),
                user.projectName(), user.userDomainId(), user.projectDomainId(), serviceRoles());
    }
}
