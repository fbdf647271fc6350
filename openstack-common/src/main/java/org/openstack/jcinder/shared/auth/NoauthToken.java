package org.openstack.jcinder.shared.auth;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.openstack.jcinder.shared.context.RequestContext;

/**
 * The {@code noauth} token both APIs accept ({@code X-Auth-Token: user:project}, a bare {@code user} meaning
 * the project of that name), as Cinder's and Nova's noauth middlewares read it: user {@code admin} is an
 * administrator, the named service users have the {@code service} role, everyone is a member and a reader.
 */
public final class NoauthToken {

    private NoauthToken() {
    }

    /** The context the token stands for; empty when there is no token, which each API refuses in its words. */
    public static Optional<RequestContext> context(String token, String requestId, Set<String> serviceUsers) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        int colon = token.indexOf(':');
        String user = colon >= 0 ? token.substring(0, colon) : token;
        String project = colon >= 0 && colon < token.length() - 1 ? token.substring(colon + 1) : user;
        List<String> roles = user.equals("admin") ? List.of("admin", "member", "reader")
                : serviceUsers.contains(user) ? List.of("service", "member", "reader") : List.of("member", "reader");
        return Optional.of(new RequestContext(requestId, user, project, roles));
    }
}
