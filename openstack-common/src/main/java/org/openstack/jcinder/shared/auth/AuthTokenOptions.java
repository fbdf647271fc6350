package org.openstack.jcinder.shared.auth;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.openstack.jcinder.shared.config.IniFile;
import org.openstack.jcinder.shared.config.Option;
import org.openstack.jcinder.shared.config.OptionCatalogue;
import org.openstack.jcinder.shared.config.OptionType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code [keystone_authtoken]}, with keystonemiddleware's names and defaults so an operator's section carries
 * over from Cinder's or Nova's configuration. Only what this implementation uses is declared; the password
 * plugin is the one {@code auth_type} there is.
 */
public record AuthTokenOptions(Option<String> wwwAuthenticateUri, Option<String> authUrl, Option<String> authType,
                               Option<String> username, Option<String> password, Option<String> projectName,
                               Option<String> userDomainName, Option<String> projectDomainName,
                               Option<List<String>> serviceTokenRoles, Option<Boolean> serviceTokenRolesRequired,
                               Option<Integer> tokenCacheTime, Option<String> memcachedServers) {

    private static final Logger LOG = LoggerFactory.getLogger(AuthTokenOptions.class);
    public static final String SECTION = "keystone_authtoken";

    public static AuthTokenOptions declare(OptionCatalogue c) {
        String s = SECTION;
        return new AuthTokenOptions(
                c.string(s, "www_authenticate_uri", null,
                        "Keystone's public endpoint, named in the WWW-Authenticate header of a 401. Default: auth_url."),
                c.string(s, "auth_url", null, "Keystone's endpoint, where tokens are validated."),
                c.choice(s, "auth_type", null, List.of("password"),
                        "keystoneauth plugin of this service's own credentials: password."),
                c.string(s, "username", null, "The service's user (it needs the service or admin role to "
                        + "validate tokens)."),
                c.string(s, "password", null, "That user's password."),
                c.string(s, "project_name", null, "The project the service's token is scoped to."),
                c.string(s, "user_domain_name", null, "The user's domain. Default: the domain with id default."),
                c.string(s, "project_domain_name", null,
                        "The project's domain. Default: the domain with id default."),
                c.option(s, "service_token_roles", OptionType.list(), List.of("service"),
                        "An X-Service-Token with one of these roles is a service token."),
                c.bool(s, "service_token_roles_required", false,
                        "Refuse (401) an X-Service-Token without one of service_token_roles."),
                c.integer(s, "token_cache_time", 300, -1, Integer.MAX_VALUE,
                        "Seconds a validation is reused (never past the token's expiry); -1: no cache."),
                c.ignored(s, "memcached_servers", "keystonemiddleware's shared cache; the cache here is "
                        + "in-process, this is ignored."));
    }

    /**
     * The section as validation needs it; a missing credential or URL stops the service with one line naming
     * the option.
     */
    public AuthTokenSettings require(IniFile ini) {
        authType.require(ini);
        String url = authUrl.require(ini);
        int cacheSeconds = tokenCacheTime.get(ini);
        return new AuthTokenSettings(wwwAuthenticateUri.find(ini).orElse(url), url, username.require(ini),
                password.require(ini), projectName.require(ini), userDomainName.find(ini),
                projectDomainName.find(ini), serviceTokenRoles.get(ini), serviceTokenRolesRequired.get(ini),
                cacheSeconds < 0 ? Duration.ZERO : Duration.ofSeconds(cacheSeconds));
    }

    /** Says once, when the validation starts, what of the section has no effect here. */
    public void warnIgnored(IniFile ini) {
        if (memcachedServers.find(ini).isPresent()) {
            LOG.warn("{}: [{}] memcached_servers: ignored, token validations are cached in this process only",
                    ini.source(), SECTION);
        }
    }

    /** Settings for tests and embedding, without a file. */
    public static AuthTokenSettings settings(String authUrl, String username, String password, String projectName,
                                             Duration tokenCacheTime) {
        return new AuthTokenSettings(authUrl, authUrl, username, password, projectName, Optional.empty(),
                Optional.empty(), List.of("service"), false, tokenCacheTime);
    }
}
