package org.openstack.jcinder.api.types;

import static org.openstack.jcinder.api.policy.BasePolicies.ADMIN;
import static org.openstack.jcinder.api.policy.BasePolicies.MEMBER;
import static org.openstack.jcinder.api.policy.BasePolicies.READER;

import java.util.List;
import java.util.Set;

import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;
import org.springframework.stereotype.Component;

/**
 * Cinder's rules for volume types, their extra specs, access lists and encryption
 * ({@code cinder/policies/volume_type.py}, {@code type_extra_specs.py}, {@code volume_access.py}) with their
 * default check strings.
 */
@Component
public class TypePolicies implements PolicyRuleSource {

    public static final String CREATE = "volume_extension:type_create";
    public static final String UPDATE = "volume_extension:type_update";
    public static final String DELETE = "volume_extension:type_delete";
    public static final String GET = "volume_extension:type_get";
    public static final String GET_ALL = "volume_extension:type_get_all";
    public static final String QOS_ID = "volume_extension:access_types_qos_specs_id";
    public static final String EXTRA_SPECS_FIELD = "volume_extension:access_types_extra_specs";

    public static final String ENCRYPTION = "volume_extension:volume_type_encryption";
    public static final String ENCRYPTION_CREATE = "volume_extension:volume_type_encryption:create";
    public static final String ENCRYPTION_GET = "volume_extension:volume_type_encryption:get";
    public static final String ENCRYPTION_UPDATE = "volume_extension:volume_type_encryption:update";
    public static final String ENCRYPTION_DELETE = "volume_extension:volume_type_encryption:delete";

    public static final String SPECS_CREATE = "volume_extension:types_extra_specs:create";
    public static final String SPECS_DELETE = "volume_extension:types_extra_specs:delete";
    public static final String SPECS_INDEX = "volume_extension:types_extra_specs:index";
    public static final String SPECS_SHOW = "volume_extension:types_extra_specs:show";
    public static final String SPECS_READ_SENSITIVE = "volume_extension:types_extra_specs:read_sensitive";
    public static final String SPECS_UPDATE = "volume_extension:types_extra_specs:update";

    public static final String ACCESS_FIELD = "volume_extension:volume_type_access";
    public static final String ACCESS_ADD = "volume_extension:volume_type_access:addProjectAccess";
    public static final String ACCESS_REMOVE = "volume_extension:volume_type_access:removeProjectAccess";
    public static final String ACCESS_LIST = "volume_extension:volume_type_access:get_all_for_type";

    public static final String DEFAULT_SET = "volume_extension:default_set_or_update";
    public static final String DEFAULT_GET = "volume_extension:default_get";
    public static final String DEFAULT_GET_ALL = "volume_extension:default_get_all";
    public static final String DEFAULT_UNSET = "volume_extension:default_unset";

    /** Extra specs every reader may see; the rest need {@link #SPECS_READ_SENSITIVE} (Cinder's list). */
    public static final Set<String> USER_VISIBLE_EXTRA_SPECS =
            Set.of("RESKEY:availability_zones", "multiattach", "replication_enabled");

    @Override
    public List<RuleDefault> rules() {
        return List.of(
                new RuleDefault(CREATE, ADMIN, "Create volume type."),
                new RuleDefault(UPDATE, ADMIN, "Update volume type."),
                new RuleDefault(DELETE, ADMIN, "Delete volume type."),
                new RuleDefault(GET, READER, "Get one specific volume type."),
                new RuleDefault(GET_ALL, READER, "List volume types."),
                new RuleDefault(EXTRA_SPECS_FIELD, READER, "Include the volume type's extra_specs attribute in the "
                        + "volume type list or show requests.  The ability to make these calls is governed by "
                        + "other policies."),
                new RuleDefault(QOS_ID, ADMIN, "Include the volume type's QoS specifications ID attribute in the "
                        + "volume type list or show requests.  The ability to make these calls is governed by "
                        + "other policies."),
                new RuleDefault(ENCRYPTION, ADMIN, "DEPRECATED: This rule will be removed in the Yoga release."),
                new RuleDefault(ENCRYPTION_CREATE, ADMIN, "Create volume type encryption."),
                new RuleDefault(ENCRYPTION_GET, ADMIN,
                        "Show a volume type's encryption type, show an encryption specs item."),
                new RuleDefault(ENCRYPTION_UPDATE, ADMIN, "Update volume type encryption."),
                new RuleDefault(ENCRYPTION_DELETE, ADMIN, "Delete volume type encryption."),
                new RuleDefault(SPECS_INDEX, READER, "List type extra specs."),
                new RuleDefault(SPECS_CREATE, ADMIN, "Create type extra specs."),
                new RuleDefault(SPECS_SHOW, READER, "Show one specified type extra specs."),
                new RuleDefault(SPECS_READ_SENSITIVE, ADMIN, "Include extra_specs fields that may reveal sensitive "
                        + "information about the deployment that should not be exposed to end users in various "
                        + "volume-type responses that show extra_specs. The ability to make these calls is "
                        + "governed by other policies."),
                new RuleDefault(SPECS_UPDATE, ADMIN, "Update type extra specs."),
                new RuleDefault(SPECS_DELETE, ADMIN, "Delete type extra specs."),
                new RuleDefault(ACCESS_FIELD, MEMBER, "Adds the boolean field 'os-volume-type-access:is_public' to "
                        + "the responses for these API calls.  The ability to make these calls is governed by "
                        + "other policies."),
                new RuleDefault(ACCESS_ADD, ADMIN, "Add volume type access for project."),
                new RuleDefault(ACCESS_REMOVE, ADMIN, "Remove volume type access for project."),
                new RuleDefault(DEFAULT_SET, ADMIN, "Set or update default volume type."),
                new RuleDefault(DEFAULT_GET, ADMIN, "Get default types."),
                new RuleDefault(DEFAULT_GET_ALL, ADMIN, "Get all default types. WARNING: Changing this might "
                        + "open up too much information regarding cloud deployment."),
                new RuleDefault(DEFAULT_UNSET, ADMIN, "Unset default type."),
                new RuleDefault(ACCESS_LIST, ADMIN, "List private volume type access detail, that is, list the "
                        + "projects that have access to this volume type."));
    }
}
