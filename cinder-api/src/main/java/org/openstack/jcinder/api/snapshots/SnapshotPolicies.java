package org.openstack.jcinder.api.snapshots;

import static org.openstack.jcinder.api.policy.BasePolicies.ADMIN;
import static org.openstack.jcinder.api.policy.BasePolicies.MEMBER;
import static org.openstack.jcinder.api.policy.BasePolicies.READER;

import java.util.List;

import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;
import org.springframework.stereotype.Component;

/**
 * Cinder's rules of the snapshots API ({@code cinder/policies/snapshots.py}, {@code snapshot_actions.py},
 * {@code snapshot_metadata.py}).
 */
@Component
public class SnapshotPolicies implements PolicyRuleSource {

    public static final String GET = "volume:get_snapshot";
    public static final String GET_ALL = "volume:get_all_snapshots";
    public static final String CREATE = "volume:create_snapshot";
    public static final String DELETE = "volume:delete_snapshot";
    public static final String UPDATE = "volume:update_snapshot";
    public static final String EXTEND_ATTRIBUTE = "volume_extension:extended_snapshot_attributes";
    public static final String RESET_STATUS = "volume_extension:snapshot_admin_actions:reset_status";
    public static final String FORCE_DELETE = "volume_extension:snapshot_admin_actions:force_delete";
    public static final String UPDATE_STATUS = "snapshot_extension:snapshot_actions:update_snapshot_status";
    public static final String GET_METADATA = "volume:get_snapshot_metadata";
    public static final String DELETE_METADATA = "volume:delete_snapshot_metadata";
    public static final String UPDATE_METADATA = "volume:update_snapshot_metadata";

    @Override
    public List<RuleDefault> rules() {
        return List.of(
                RuleDefault.of(GET_ALL, READER, "List snapshots.", "GET /snapshots", "GET /snapshots/detail"),
                RuleDefault.of(EXTEND_ATTRIBUTE, READER, "List or show snapshots with extended attributes.",
                        "GET /snapshots/{snapshot_id}", "GET /snapshots/detail"),
                RuleDefault.of(CREATE, MEMBER, "Create snapshot.", "POST /snapshots"),
                RuleDefault.of(GET, READER, "Show snapshot.", "GET /snapshots/{snapshot_id}"),
                RuleDefault.of(UPDATE, MEMBER, "Update snapshot.", "PUT /snapshots/{snapshot_id}"),
                RuleDefault.of(DELETE, MEMBER, "Delete snapshot.", "DELETE /snapshots/{snapshot_id}"),
                RuleDefault.of(RESET_STATUS, ADMIN, "Reset status of a snapshot.",
                        "POST /snapshots/{snapshot_id}/action (os-reset_status)"),
                RuleDefault.of(UPDATE_STATUS, MEMBER, "Update database fields of snapshot.",
                        "POST /snapshots/{snapshot_id}/action (update_snapshot_status)"),
                RuleDefault.of(FORCE_DELETE, ADMIN, "Force delete a snapshot.",
                        "POST /snapshots/{snapshot_id}/action (os-force_delete)"),
                RuleDefault.of(GET_METADATA, READER, "Show snapshot's metadata or one specified metadata with a "
                        + "given key.", "GET /snapshots/{snapshot_id}/metadata",
                        "GET /snapshots/{snapshot_id}/metadata/{key}"),
                RuleDefault.of(UPDATE_METADATA, MEMBER, "Update snapshot's metadata or one specified metadata "
                        + "with a given key.", "POST /snapshots/{snapshot_id}/metadata",
                        "PUT /snapshots/{snapshot_id}/metadata/{key}"),
                RuleDefault.of(DELETE_METADATA, MEMBER, "Delete snapshot's specified metadata with a given key.",
                        "DELETE /snapshots/{snapshot_id}/metadata/{key}"));
    }
}
