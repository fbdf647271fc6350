package org.openstack.jcinder.compute.api;

import java.util.List;

import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;

/**
 * Nova's rules for the compute APIs this service serves, with Nova's names and defaults
 * ({@code nova/policies/base.py}, {@code servers.py}, {@code volumes_attachments.py},
 * {@code server_external_events.py}, {@code extended_server_attributes.py}). Not a bean: {@link ComputePolicy}
 * makes the one engine of the compute API from it alone.
 */
public class NovaPolicies implements PolicyRuleSource {

    static final String ADMIN = "rule:context_is_admin";
    static final String PROJECT_MEMBER_OR_ADMIN = "rule:project_member_or_admin";
    static final String PROJECT_READER_OR_ADMIN = "rule:project_reader_or_admin";
    static final String SERVICE_ROLE = "rule:service_or_admin";

    public static final String SERVERS_INDEX = "os_compute_api:servers:index";
    public static final String SERVERS_DETAIL = "os_compute_api:servers:detail";
    public static final String SERVERS_SHOW = "os_compute_api:servers:show";
    public static final String SERVERS_CREATE = "os_compute_api:servers:create";
    public static final String SERVERS_DELETE = "os_compute_api:servers:delete";
    public static final String EXTENDED_ATTRIBUTES = "os_compute_api:os-extended-server-attributes";
    public static final String ATTACHMENTS_INDEX = "os_compute_api:os-volumes-attachments:index";
    public static final String ATTACHMENTS_CREATE = "os_compute_api:os-volumes-attachments:create";
    public static final String ATTACHMENTS_SHOW = "os_compute_api:os-volumes-attachments:show";
    public static final String ATTACHMENTS_SWAP = "os_compute_api:os-volumes-attachments:swap";
    public static final String ATTACHMENTS_DELETE = "os_compute_api:os-volumes-attachments:delete";
    public static final String EXTERNAL_EVENTS_CREATE = "os_compute_api:os-server-external-events:create";

    private static final String ATTACHMENTS = "/servers/{server_id}/os-volume_attachments";

    @Override
    public List<RuleDefault> rules() {
        return List.of(
                new RuleDefault("context_is_admin", "role:admin",
                        "Decides what is required for the 'is_admin:True' check to succeed."),
                new RuleDefault("admin_or_owner", "is_admin:True or project_id:%(project_id)s",
                        "Default rule for most non-Admin APIs."),
                new RuleDefault("admin_api", "is_admin:True", "Default rule for most Admin APIs."),
                new RuleDefault("project_manager_api", "role:manager and project_id:%(project_id)s",
                        "Default rule for Project level management APIs."),
                new RuleDefault("project_member_api", "role:member and project_id:%(project_id)s",
                        "Default rule for Project level non admin APIs."),
                new RuleDefault("project_reader_api", "role:reader and project_id:%(project_id)s",
                        "Default rule for Project level read only APIs."),
                new RuleDefault("service_api", "role:service", "Default rule for service-to-service APIs."),
                new RuleDefault("project_manager_or_admin", "rule:project_manager_api or rule:context_is_admin",
                        "Default rule for Project Manager or admin APIs."),
                new RuleDefault("project_member_or_admin", "rule:project_member_api or rule:context_is_admin",
                        "Default rule for Project Member or admin APIs."),
                new RuleDefault("project_reader_or_admin", "rule:project_reader_api or rule:context_is_admin",
                        "Default rule for Project reader or admin APIs."),
                new RuleDefault("service_or_admin", "rule:service_api or rule:context_is_admin",
                        "Default rule for service or admin APIs."),
                RuleDefault.of(SERVERS_INDEX, PROJECT_READER_OR_ADMIN, "List all servers", "GET /servers"),
                RuleDefault.of(SERVERS_DETAIL, PROJECT_READER_OR_ADMIN,
                        "List all servers with detailed information", "GET /servers/detail"),
                RuleDefault.of(SERVERS_SHOW, PROJECT_READER_OR_ADMIN, "Show a server", "GET /servers/{server_id}"),
                RuleDefault.of(SERVERS_CREATE, PROJECT_MEMBER_OR_ADMIN, "Create a server", "POST /servers"),
                RuleDefault.of(SERVERS_DELETE, PROJECT_MEMBER_OR_ADMIN, "Delete a server",
                        "DELETE /servers/{server_id}"),
                RuleDefault.of(EXTENDED_ATTRIBUTES, ADMIN, "Return extended attributes for server.",
                        "GET /servers/{id}", "GET /servers/detail"),
                RuleDefault.of(ATTACHMENTS_INDEX, PROJECT_READER_OR_ADMIN, "List volume attachments for an instance",
                        "GET " + ATTACHMENTS),
                RuleDefault.of(ATTACHMENTS_CREATE, PROJECT_MEMBER_OR_ADMIN, "Attach a volume to an instance",
                        "POST " + ATTACHMENTS),
                RuleDefault.of(ATTACHMENTS_SHOW, PROJECT_READER_OR_ADMIN, "Show details of a volume attachment",
                        "GET " + ATTACHMENTS + "/{volume_id}"),
                RuleDefault.of(ATTACHMENTS_SWAP, SERVICE_ROLE,
                        "Update a volume attachment with a different volumeId", "PUT " + ATTACHMENTS + "/{volume_id}"),
                RuleDefault.of(ATTACHMENTS_DELETE, PROJECT_MEMBER_OR_ADMIN, "Detach a volume from an instance",
                        "DELETE " + ATTACHMENTS + "/{volume_id}"),
                RuleDefault.of(EXTERNAL_EVENTS_CREATE, SERVICE_ROLE, "Create one or more external events",
                        "POST /os-server-external-events"));
    }
}
