package org.openstack.jcinder.api.web;

import org.openstack.jcinder.shared.context.RequestContext;

import jakarta.servlet.http.HttpServletRequest;

/**
 * What the filters worked out about one request: its context (who, which request id), its microversion, and
 * the base URL for links. Controllers take it as a parameter.
 */
public record ApiRequest(RequestContext context, ApiVersion version, String baseUrl, String urlProjectId) {

    static final String ATTRIBUTE = ApiRequest.class.getName();

    public static ApiRequest of(HttpServletRequest request) {
        return (ApiRequest) request.getAttribute(ATTRIBUTE);
    }

    /**
     * The caller has the admin role. Not an authorization: every decision goes through
     * {@code api.policy.PolicyEnforcer} (Cinder's rules, the operator's policy file), whose {@code isAdmin}
     * is Cinder's {@code context_is_admin}.
     */
    @Deprecated(forRemoval = true)
    public boolean isAdmin() {
        return context.isAdmin();
    }

    public String projectId() {
        return context.projectId();
    }

    /** The link prefix: {@code http://host:port/v3[/project]}, matching the URL form the request used. */
    public String v3Url() {
        return baseUrl + "/v3" + (urlProjectId != null ? "/" + urlProjectId : "");
    }

    public String bookmarkUrl() {
        return baseUrl + (urlProjectId != null ? "/" + urlProjectId : "");
    }
}
