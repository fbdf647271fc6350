package org.openstack.jcinder.compute.api;

import jakarta.servlet.http.HttpServletRequest;

import org.openstack.jcinder.shared.context.RequestContext;

/**
 * Who is calling and at which microversion, resolved once by {@link ComputeRequestFilter}; {@code token} is
 * forwarded to Cinder as Nova forwards the user's token.
 */
public record ComputeRequest(RequestContext context, String token, ComputeApiVersion version, String baseUrl) {

    static final String ATTRIBUTE = ComputeRequest.class.getName();

    public static ComputeRequest of(HttpServletRequest request) {
        return (ComputeRequest) request.getAttribute(ATTRIBUTE);
    }

}
