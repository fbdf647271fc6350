package org.openstack.jcinder.shared.config;

import java.util.Optional;

/**
 * A keystoneauth section as OpenStack services write it (Cinder's {@code [nova]}, Nova's {@code [cinder]}, both
 * services' {@code [service_user]}; read through {@link KeystoneOptions}): used by {@code PasswordAuth}. With noauth, every call forwards the caller's token instead, and {@link #configured()} only tells the
 * operator what was given.
 * With {@code auth_type = password}, the token's service catalog also says where the other service is when
 * {@code endpoint_override} does not.
 */
public record KeystoneCredentials(Optional<String> authType, Optional<String> authUrl, Optional<String> username,
                                  Optional<String> password, Optional<String> projectName,
                                  Optional<String> userDomainName, Optional<String> userDomainId,
                                  Optional<String> projectDomainName, Optional<String> projectDomainId,
                                  Optional<String> regionName, boolean sendServiceUserToken) {

    public static final KeystoneCredentials NONE = new KeystoneCredentials(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), false);

    public boolean configured() {
        return authType.isPresent() || authUrl.isPresent();
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "KeystoneCredentials[auth_type=" + authType.orElse("-") + ", auth_url=" + authUrl.orElse("-")
                + ", username=" + username.orElse("-") + ", project_name=" + projectName.orElse("-")
                + ", password=" + (password.isPresent() ? "***" : "-") + "]";
    }
}
