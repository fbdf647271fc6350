package org.openstack.jcinder.shared.context;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Who asked, and under which request id. Travels in every RPC envelope so that the logs of the API, the
 * scheduler and the volume service carry the same {@code req-…} id for one user request.
 */
public record RequestContext(String requestId, String userId, String projectId, List<String> roles) {

    public RequestContext {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

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
