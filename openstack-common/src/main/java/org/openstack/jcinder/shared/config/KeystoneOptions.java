package org.openstack.jcinder.shared.config;

/**
 * The keystoneauth options of one section ({@code [nova]} of cinder.conf, {@code [cinder]} of nova.conf, and
 * {@code [service_user]} of both, which alone has {@code send_service_user_token}, as in oslo).
 */
public record KeystoneOptions(Option<String> authType, Option<String> authUrl, Option<String> username,
                              Option<String> password, Option<String> projectName,
                              Option<String> userDomainName, Option<String> userDomainId,
                              Option<String> projectDomainName, Option<String> projectDomainId,
                              Option<String> regionName, Option<Boolean> sendServiceUserToken) {

    /** The credentials a service uses toward another one, in {@code section}. */
    public static KeystoneOptions declare(OptionCatalogue catalogue, String section) {
        return declare(catalogue, section, null);
    }

    /** {@code [service_user]}: the service token added to calls on a user's behalf. */
    public static KeystoneOptions declareServiceUser(OptionCatalogue catalogue) {
        Option<Boolean> send = catalogue.bool("service_user", "send_service_user_token", false,
                "Add a service token to calls made on a user's behalf.");
        return declare(catalogue, "service_user", send);
    }

    private static KeystoneOptions declare(OptionCatalogue c, String section, Option<Boolean> send) {
        return new KeystoneOptions(
                c.string(section, "auth_type", null, "keystoneauth plugin, e.g. password."),
                c.string(section, "auth_url", null, "Keystone's endpoint."),
                c.string(section, "username", null, "User to authenticate as."),
                c.string(section, "password", null, "That user's password."),
                c.string(section, "project_name", null, "Project to scope the token to."),
                c.string(section, "user_domain_name", null, "The user's domain."),
                c.string(section, "user_domain_id", null, "The user's domain id, when no name is given "
                        + "(neither: the domain with id default)."),
                c.string(section, "project_domain_name", null, "The project's domain."),
                c.string(section, "project_domain_id", null, "The project's domain id, when no name is given "
                        + "(neither: the domain with id default)."),
                c.string(section, "region_name", null, "Region of the endpoint in the catalogue."),
                send);
    }

    public KeystoneCredentials read(IniFile ini) {
        return new KeystoneCredentials(authType.find(ini), authUrl.find(ini), username.find(ini),
                password.find(ini), projectName.find(ini), userDomainName.find(ini), userDomainId.find(ini),
                projectDomainName.find(ini), projectDomainId.find(ini), regionName.find(ini), sendServiceUserToken != null && sendServiceUserToken.get(ini));
    }
}
