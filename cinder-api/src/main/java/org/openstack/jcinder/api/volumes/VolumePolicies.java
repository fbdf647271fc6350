package org.openstack.jcinder.api.volumes;

import static org.openstack.jcinder.api.policy.BasePolicies.ADMIN;
import static org.openstack.jcinder.api.policy.BasePolicies.MEMBER;
import static org.openstack.jcinder.api.policy.BasePolicies.READER;

import java.util.List;

import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;
import org.springframework.stereotype.Component;

/** Cinder's rules of the volumes API ({@code cinder/policies/volumes.py}, {@code volume_metadata.py}). */
@Component
public class VolumePolicies implements PolicyRuleSource {

    public static final String CREATE = "volume:create";
    public static final String MULTIATTACH = "volume:multiattach";
    public static final String GET = "volume:get";
    public static final String GET_ALL = "volume:get_all";
    public static final String UPDATE = "volume:update";
    public static final String DELETE = "volume:delete";
    public static final String FORCE_DELETE = "volume:force_delete";
    public static final String HOST_ATTRIBUTE = "volume_extension:volume_host_attribute";
    public static final String TENANT_ATTRIBUTE = "volume_extension:volume_tenant_attribute";
    public static final String MIG_ATTRIBUTE = "volume_extension:volume_mig_status_attribute";
    public static final String GET_METADATA = "volume:get_volume_metadata";
    public static final String CREATE_METADATA = "volume:create_volume_metadata";
    public static final String UPDATE_METADATA = "volume:update_volume_metadata";
    public static final String DELETE_METADATA = "volume:delete_volume_metadata";

    @Override
    public List<RuleDefault> rules() {
        return List.of(
                RuleDefault.of(CREATE, MEMBER, "Create volume.", "POST /volumes"),
                RuleDefault.of(GET, READER, "Show volume.", "GET /volumes/{volume_id}"),
                RuleDefault.of(GET_ALL, READER, "List volumes or get summary of volumes.", "GET /volumes",
                        "GET /volumes/detail"),
                RuleDefault.of(UPDATE, MEMBER, "Update volume or update a volume's bootable status.",
                        "PUT /volumes"),
                RuleDefault.of(DELETE, MEMBER, "Delete volume.", "DELETE /volumes/{volume_id}"),
                RuleDefault.of(FORCE_DELETE, ADMIN, "Force Delete a volume.", "DELETE /volumes/{volume_id}"),
                RuleDefault.of(HOST_ATTRIBUTE, ADMIN, "List or show volume with host attribute.",
                        "GET /volumes/{volume_id}", "GET /volumes/detail"),
                RuleDefault.of(TENANT_ATTRIBUTE, READER, "List or show volume with tenant attribute.",
                        "GET /volumes/{volume_id}", "GET /volumes/detail"),
                RuleDefault.of(MIG_ATTRIBUTE, ADMIN, "List or show volume with migration status attribute.",
                        "GET /volumes/{volume_id}", "GET /volumes/detail"),
                RuleDefault.of(MULTIATTACH, MEMBER, "Create multiattach capable volume.", "POST /volumes"),
                RuleDefault.of(GET_METADATA, READER,
                        "Show volume's metadata or one specified metadata with a given key.",
                        "GET /volumes/{volume_id}/metadata", "GET /volumes/{volume_id}/metadata/{key}"),
                RuleDefault.of(CREATE_METADATA, MEMBER, "Create volume metadata.",
                        "POST /volumes/{volume_id}/metadata"),
                RuleDefault.of(UPDATE_METADATA, MEMBER,
                        "Replace a volume's metadata dictionary or update a single metadatum with a given key.",
                        "PUT /volumes/{volume_id}/metadata", "PUT /volumes/{volume_id}/metadata/{key}"),
                RuleDefault.of(DELETE_METADATA, MEMBER, "Delete a volume's metadatum with the given key.",
                        "DELETE /volumes/{volume_id}/metadata/{key}"));
    }
}
