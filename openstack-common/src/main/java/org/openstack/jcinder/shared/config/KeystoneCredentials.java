package org.openstack.jcinder.shared.config;

import java.util.Optional;

/**
 * A keystoneauth section as OpenStack services write it (Cinder's {@code [nova]}, Nova's {@code [cinder]}, both
 * services' {@code [service_user]}): read and kept so the Keystone issue can switch them on. With noauth, every
 * call forwards the caller's token instead, and {@link #configured()} only tells the operator what was given.
 */
public record KeystoneCredentials(Optional<String> authType, Optional<String> authUrl, Optional<String> username,
                                  Optional<String> password, Optional<String> projectName,
                                  Optional<String> userDomainName, Optional<String> projectDomainName,
                                  Optional<String> regionName, boolean sendServiceUserToken) {

    public static final KeystoneCredentials NONE = new KeystoneCredentials(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), false);

    public static KeystoneCredentials from(OptionReader section) {
        return new KeystoneCredentials(section.string("auth_type"), section.string("auth_url"),
                section.string("username"), section.string("password"), section.string("project_name"),
                section.string("user_domain_name"), section.string("project_domain_name"),
                section.string("region_name"), section.bool("send_service_user_token", false));
    }

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
