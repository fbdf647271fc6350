package org.openstack.jcinder.shared.context;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Who asked, and under which request id. Travels in every RPC envelope so that the logs of the API, the
 * scheduler and the volume service carry the same {@code req-…} id for one user request.
 *
 * <p>With Keystone the names, domains and the roles of a valid {@code X-Service-Token} come from the tokens
 * (what Cinder's {@code RequestContext} gets from keystonemiddleware's headers); the policy engine and the
 * service-to-service calls of issue 9 are to read them from here. With noauth they stay empty.
 *
 * @param serviceRoles roles of the service token sent with the request (empty when there was none)
 */
public record RequestContext(String requestId, String userId, String projectId, List<String> roles,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String userName,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String projectName,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String userDomainId,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String projectDomainId,
                             @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> serviceRoles) {

    public RequestContext {
        roles = roles == null ? List.of() : List.copyOf(roles);
        serviceRoles = serviceRoles == null ? List.of() : List.copyOf(serviceRoles);
    }

    /** A context known only by ids (noauth, and work a service does itself). */
    public RequestContext(String requestId, String userId, String projectId, List<String> roles) {
        this(requestId, userId, projectId, roles, null, null, null, null, List.of());
    }

    /** Cinder's default policy's {@code context_is_admin}: {@code role:admin}. */
    @JsonIgnore
    public boolean isAdmin() {
        return roles.contains("admin");
    }

    public static String newRequestId() {
        return "req-" + UUID.randomUUID();
    }

    /** The context of work a service starts by itself (periodic tasks, start-up recovery). */
    public static RequestContext internal() {
        return new RequestContext(newRequestId(), null, null, List.of("admin"));
    }
}
