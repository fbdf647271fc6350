package org.openstack.jcinder.compute.context;

import org.openstack.jcinder.shared.context.RequestContext;

/**
 * The request a piece of compute work serves: its id (for the log lines) and the caller's token, which Nova
 * forwards to Cinder for the whole operation, including the asynchronous part of a swap.
 */
public record CallerContext(RequestContext request, String token) {

    public String requestId() {
        return request.requestId();
    }
}
