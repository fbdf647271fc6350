package org.openstack.jcinder.api.migrations;

import java.util.List;

import org.openstack.jcinder.api.policy.BasePolicies;
import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;
import org.springframework.stereotype.Component;

/** This project's migration progress API (Cinder has none), under its own {@code jcinder:} prefix; admins by default. */
@Component
public class MigrationPolicies implements PolicyRuleSource {

    public static final String SHOW = "jcinder:volume_migration:show";
    public static final String INDEX = "jcinder:volume_migration:index";
    public static final String REVERT = "jcinder:volume_admin_actions:migrate_volume_revert";

    @Override
    public List<RuleDefault> rules() {
        return List.of(
                new RuleDefault(SHOW, BasePolicies.ADMIN,
                        "Show the progress of a volume's latest migration (GET /volumes/{volume_id}/migration)."),
                new RuleDefault(INDEX, BasePolicies.ADMIN,
                        "List running and recent volume migrations (GET /volume-migrations)."),
                new RuleDefault(REVERT, BasePolicies.ADMIN,
                        "Swap a volume back to the old copy its last migration kept (migration_keep_source); "
                                + "writes made since the migration are lost (os-migrate_volume_revert)."));
    }
}
