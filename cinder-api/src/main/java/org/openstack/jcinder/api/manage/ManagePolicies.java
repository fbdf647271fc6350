package org.openstack.jcinder.api.manage;

import static org.openstack.jcinder.api.policy.BasePolicies.ADMIN;

import java.util.List;

import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;
import org.springframework.stereotype.Component;

/** Cinder's rules of manage and unmanage ({@code cinder/policies/manageable_volumes.py}, {@code manageable_snapshots.py}). */
@Component
public class ManagePolicies implements PolicyRuleSource {

    public static final String LIST_MANAGEABLE_VOLUMES = "volume_extension:list_manageable";
    public static final String MANAGE_VOLUME = "volume_extension:volume_manage";
    public static final String UNMANAGE_VOLUME = "volume_extension:volume_unmanage";
    public static final String LIST_MANAGEABLE_SNAPSHOTS = "snapshot_extension:list_manageable";
    public static final String MANAGE_SNAPSHOT = "snapshot_extension:snapshot_manage";
    public static final String UNMANAGE_SNAPSHOT = "snapshot_extension:snapshot_unmanage";

    @Override
    public List<RuleDefault> rules() {
        return List.of(
                RuleDefault.of(LIST_MANAGEABLE_VOLUMES, ADMIN,
                        "List (in detail) of volumes which are available to manage.", "GET /manageable_volumes",
                        "GET /manageable_volumes/detail"),
                RuleDefault.of(MANAGE_VOLUME, ADMIN, "Manage existing volumes.", "POST /manageable_volumes"),
                RuleDefault.of(UNMANAGE_VOLUME, ADMIN, "Stop managing a volume.",
                        "POST /volumes/{volume_id}/action (os-unmanage)"),
                RuleDefault.of(LIST_MANAGEABLE_SNAPSHOTS, ADMIN,
                        "List (in detail) of snapshots which are available to manage.", "GET /manageable_snapshots",
                        "GET /manageable_snapshots/detail"),
                RuleDefault.of(MANAGE_SNAPSHOT, ADMIN, "Manage an existing snapshot.", "POST /manageable_snapshots"),
                RuleDefault.of(UNMANAGE_SNAPSHOT, ADMIN, "Stop managing a snapshot.",
                        "POST /snapshots/{snapshot_id}/action (os-unmanage)"));
    }
}
