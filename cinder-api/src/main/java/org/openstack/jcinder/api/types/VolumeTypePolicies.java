package org.openstack.jcinder.api.types;

import static org.openstack.jcinder.api.policy.BasePolicies.ADMIN;
import static org.openstack.jcinder.api.policy.BasePolicies.READER;

import java.util.List;
import java.util.Set;

import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;
import org.springframework.stereotype.Component;

/**
 * Cinder's rules of the volume types API and their extra specs ({@code cinder/policies/volume_type.py},
 * {@code type_extra_specs.py}).
 */
@Component
public class VolumeTypePolicies implements PolicyRuleSource {

    public static final String CREATE = "volume_extension:type_create";
    public static final String UPDATE = "volume_extension:type_update";
    public static final String DELETE = "volume_extension:type_delete";
    public static final String GET = "volume_extension:type_get";
    public static final String GET_ALL = "volume_extension:type_get_all";
    public static final String EXTRA_SPEC_ATTRIBUTE = "volume_extension:access_types_extra_specs";
    public static final String QOS_ATTRIBUTE = "volume_extension:access_types_qos_specs_id";
    public static final String SPECS_INDEX = "volume_extension:types_extra_specs:index";
    public static final String SPECS_CREATE = "volume_extension:types_extra_specs:create";
    public static final String SPECS_SHOW = "volume_extension:types_extra_specs:show";
    public static final String SPECS_READ_SENSITIVE = "volume_extension:types_extra_specs:read_sensitive";
    public static final String SPECS_UPDATE = "volume_extension:types_extra_specs:update";
    public static final String SPECS_DELETE = "volume_extension:types_extra_specs:delete";

    /** Cinder's {@code USER_VISIBLE_EXTRA_SPECS}: what a caller without read_sensitive sees of extra specs. */
    public static final Set<String> USER_VISIBLE_EXTRA_SPECS = Set.of("RESKEY:availability_zones", "multiattach",
            "replication_enabled");

    @Override
    public List<RuleDefault> rules() {
        String shown = " The ability to make these calls is governed by other policies.";
        return List.of(
                RuleDefault.of(CREATE, ADMIN, "Create volume type.", "POST /types"),
                RuleDefault.of(UPDATE, ADMIN, "Update volume type.", "PUT /types"),
                RuleDefault.of(DELETE, ADMIN, "Delete volume type.", "DELETE /types"),
                RuleDefault.of(GET, READER, "Get one specific volume type.", "GET /types/{type_id}"),
                RuleDefault.of(GET_ALL, READER, "List volume types.", "GET /types/"),
                RuleDefault.of(EXTRA_SPEC_ATTRIBUTE, READER, "Include the volume type's extra_specs attribute in "
                        + "the volume type list or show requests." + shown, "GET /types/{type_id}", "GET /types"),
                RuleDefault.of(QOS_ATTRIBUTE, ADMIN, "Include the volume type's QoS specifications ID attribute "
                        + "in the volume type list or show requests." + shown, "GET /types/{type_id}", "GET /types"),
                RuleDefault.of(SPECS_INDEX, READER, "List type extra specs.", "GET /types/{type_id}/extra_specs"),
                RuleDefault.of(SPECS_CREATE, ADMIN, "Create type extra specs.", "POST /types/{type_id}/extra_specs"),
                RuleDefault.of(SPECS_SHOW, READER, "Show one specified type extra specs.",
                        "GET /types/{type_id}/extra_specs/{extra_spec_key}"),
                RuleDefault.of(SPECS_READ_SENSITIVE, ADMIN, "Include extra_specs fields that may reveal sensitive "
                        + "information about the deployment that should not be exposed to end users in various "
                        + "volume-type responses that show extra_specs." + shown, "GET /types",
                        "GET /types/{type_id}", "GET /types/{type_id}/extra_specs",
                        "GET /types/{type_id}/extra_specs/{extra_spec_key}"),
                RuleDefault.of(SPECS_UPDATE, ADMIN, "Update type extra specs.",
                        "PUT /types/{type_id}/extra_specs/{extra_spec_key}"),
                RuleDefault.of(SPECS_DELETE, ADMIN, "Delete type extra specs.",
                        "DELETE /types/{type_id}/extra_specs/{extra_spec_key}"));
    }
}
