package org.openstack.jcinder.shared.auth;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What {@code [keystone_authtoken]} says, read by {@link AuthTokenOptions#require}.
 *
 * @param tokenCacheTime zero when validations are not cached
 */
public record AuthTokenSettings(String wwwAuthenticateUri, String authUrl, String username, String password,
                                String projectName, Optional<String> userDomainName,
                                Optional<String> projectDomainName, List<String> serviceTokenRoles,
                                boolean serviceTokenRolesRequired, Duration tokenCacheTime) {

    public AuthTokenSettings {
        serviceTokenRoles = List.copyOf(serviceTokenRoles);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "AuthTokenSettings[auth_url=" + authUrl + ", username=" + username + ", project_name=" + projectName
                + ", token_cache_time=" + tokenCacheTime.toSeconds() + "s]";
    }
}
