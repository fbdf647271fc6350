package org.openstack.jcinder.api.actions;

import static org.openstack.jcinder.api.policy.BasePolicies.ADMIN;
import static org.openstack.jcinder.api.policy.BasePolicies.MEMBER;

import java.util.List;

import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;
import org.springframework.stereotype.Component;

/**
 * The rules of {@code POST /volumes/{id}/action}: Cinder's ({@code cinder/policies/volume_actions.py}) for
 * Cinder's actions, and this project's own, under the {@code jcinder:} prefix, for the actions Cinder does not
 * have (cancelling or re-limiting a running migration, the compute service's copy progress reports).
 */
@Component
public class VolumeActionPolicies implements PolicyRuleSource {

    public static final String EXTEND = "volume:extend";
    public static final String EXTEND_ATTACHED = "volume:extend_attached_volume";
    public static final String RETYPE = "volume:retype";
    public static final String RESET_STATUS = "volume_extension:volume_admin_actions:reset_status";
    public static final String MIGRATE = "volume_extension:volume_admin_actions:migrate_volume";
    public static final String MIGRATE_COMPLETE = "volume_extension:volume_admin_actions:migrate_volume_completion";
    public static final String RESERVE = "volume_extension:volume_actions:reserve";
    public static final String UNRESERVE = "volume_extension:volume_actions:unreserve";
    public static final String ATTACH = "volume_extension:volume_actions:attach";
    public static final String DETACH = "volume_extension:volume_actions:detach";
    public static final String BEGIN_DETACHING = "volume_extension:volume_actions:begin_detaching";
    public static final String ROLL_DETACHING = "volume_extension:volume_actions:roll_detaching";
    public static final String REVERT = "volume:revert_to_snapshot";

    /** This project's: {@code os-migrate_volume_cancel}. */
    public static final String MIGRATE_CANCEL = "jcinder:volume_admin_actions:migrate_volume_cancel";
    /** This project's: {@code os-migrate_volume_update} (a running migration's bandwidth limit). */
    public static final String MIGRATE_UPDATE = "jcinder:volume_admin_actions:migrate_volume_update";
    /** This project's: {@code os-migrate_volume_progress}, the compute service's reports of a swap's copy. */
    public static final String MIGRATE_PROGRESS = "jcinder:volume_admin_actions:migrate_volume_progress";

    private static final String ACTION = "POST /volumes/{volume_id}/action ";

    @Override
    public List<RuleDefault> rules() {
        return List.of(
                RuleDefault.of(EXTEND, MEMBER, "Extend a volume.", ACTION + "(os-extend)"),
                RuleDefault.of(EXTEND_ATTACHED, MEMBER, "Extend a attached volume.", ACTION + "(os-extend)"),
                RuleDefault.of(RESET_STATUS, ADMIN, "Reset status of a volume.", ACTION + "(os-reset_status)"),
                RuleDefault.of(RETYPE, MEMBER, "Retype a volume.", ACTION + "(os-retype)"),
                RuleDefault.of(REVERT, MEMBER, "Revert a volume to a snapshot.", ACTION + "(revert)"),
                RuleDefault.of(MIGRATE, ADMIN, "migrate a volume to a specified host.",
                        ACTION + "(os-migrate_volume)"),
                RuleDefault.of(MIGRATE_COMPLETE, ADMIN, "Complete a volume migration.",
                        ACTION + "(os-migrate_volume_completion)"),
                RuleDefault.of(ROLL_DETACHING, MEMBER, "Roll back volume status to 'in-use'.",
                        ACTION + "(os-roll_detaching)"),
                RuleDefault.of(RESERVE, MEMBER, "Mark volume as reserved.", ACTION + "(os-reserve)"),
                RuleDefault.of(UNRESERVE, MEMBER, "Unmark volume as reserved.", ACTION + "(os-unreserve)"),
                RuleDefault.of(BEGIN_DETACHING, MEMBER, "Begin detach volumes.", ACTION + "(os-begin_detaching)"),
                RuleDefault.of(ATTACH, MEMBER, "Add attachment metadata.", ACTION + "(os-attach)"),
                RuleDefault.of(DETACH, MEMBER, "Clear attachment metadata.", ACTION + "(os-detach)"),
                RuleDefault.of(MIGRATE_CANCEL, ADMIN, "jcinder (not Cinder's): cancel a running migration.",
                        ACTION + "(os-migrate_volume_cancel)"),
                RuleDefault.of(MIGRATE_UPDATE, ADMIN,
                        "jcinder (not Cinder's): change a running migration's bandwidth limit.",
                        ACTION + "(os-migrate_volume_update)"),
                RuleDefault.of(MIGRATE_PROGRESS, ADMIN + " or role:service",
                        "jcinder (not Cinder's): the compute service reports the progress of an attached "
                                + "volume's copy (its service user has the service role).",
                        ACTION + "(os-migrate_volume_progress)"));
    }
}
