package org.openstack.jcinder.shared.auth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * What Keystone says about one valid token (the body of {@code GET /v3/auth/tokens}): keystonemiddleware's
 * {@code X-User-*}, {@code X-Project-*} and {@code X-Roles}. The project is null for a token not scoped to one.
 */
public record TokenInfo(String userId, String userName, String userDomainId, String userDomainName,
                        String projectId, String projectName, String projectDomainId, String projectDomainName,
                        List<String> roles, Instant expiresAt) {

    public TokenInfo {
        roles = List.copyOf(roles);
    }

    static TokenInfo parse(JsonNode body) {
        JsonNode token = body.path("token");
        JsonNode user = token.path("user");
        JsonNode project = token.path("project");
        List<String> roles = new ArrayList<>();
        token.path("roles").forEach(r -> roles.add(r.path("name").asString()));
        String expires = text(token.path("expires_at"));
        if (text(user.path("id")) == null || expires == null) {
            throw new IllegalArgumentException("Keystone's token document has no user id or expires_at");
        }
        return new TokenInfo(text(user.path("id")), text(user.path("name")), text(user.path("domain").path("id")),
                text(user.path("domain").path("name")), text(project.path("id")), text(project.path("name")),
                text(project.path("domain").path("id")), text(project.path("domain").path("name")), roles,
                Instant.parse(expires));
    }

    private static String text(JsonNode node) {
        return node.isString() ? node.asString() : null;
    }
}
