package org.openstack.jcinder.api.actions;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.types.RetypeRules;
import org.openstack.jcinder.api.volumes.VolumeApiService;
import org.openstack.jcinder.common.quota.VolumeQuotas;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.SnapshotRepository;
import org.openstack.jcinder.common.db.VolumeAttachmentRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.db.VolumeTypeRepository;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.InvalidVolumeException;
import org.openstack.jcinder.common.rpc.scheduler.SchedulerRpcApi;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi;
import org.openstack.jcinder.common.volume.AttachStatus;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import tools.jackson.databind.JsonNode;

/**
 * The admin actions of a migration, in Cinder's order of checks: body schema (400), volume lookup (404),
 * policy (403), then semantics (400). The state change that accepts a migration is one conditional update,
 * so two concurrent requests cannot both start one.
 */
@Service
public class MigrationActions {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationActions.class);
    /** What {@code os-reset_status} accepts (Cinder's schema); anything else is refused with Cinder's message. */
    private static final Set<AttachStatus> ATTACH_STATUSES = Set.of(AttachStatus.ATTACHED, AttachStatus.DETACHED);
    private static final Set<MigrationStatus> MIGRATION_STATUSES = Set.of(MigrationStatus.MIGRATING,
            MigrationStatus.ERROR, MigrationStatus.SUCCESS, MigrationStatus.COMPLETING, MigrationStatus.STARTING);
    /** This project's opt-in: move the volume with its snapshots (generic and native paths, detached only). */
    static final String WITH_SNAPSHOTS = "with_snapshots";
    /** {@code migration_status: none} clears the column. */
    private static final String NO_MIGRATION = "none";

    private final VolumeRepository volumes;
    private final VolumeTypeRepository types;
    private final VolumeAttachmentRepository attachments;
    private final SchedulerRpcApi scheduler;
    private final VolumeRpcApi volumeRpc;
    private final VolumeApiService volumeApi;
    private final PolicyEnforcer policy;
    private final VolumeQuotas quotas;
    private final RetypeRules retypeRules;
    private final SnapshotRepository snapshots;
    private final MigrationChecks checks;
    private final MigrationDryRun dryRuns;

    public MigrationActions(VolumeRepository volumes, VolumeTypeRepository types,
                            VolumeAttachmentRepository attachments,
                            SchedulerRpcApi scheduler, VolumeRpcApi volumeRpc, VolumeApiService volumeApi,
                            PolicyEnforcer policy, VolumeQuotas quotas, RetypeRules retypeRules,
                            SnapshotRepository snapshots, MigrationChecks checks, MigrationDryRun dryRuns) {
        this.snapshots = snapshots;
        this.checks = checks;
        this.dryRuns = dryRuns;
        this.volumeApi = volumeApi;
        this.policy = policy;
        this.quotas = quotas;
        this.retypeRules = retypeRules;
        this.volumes = volumes;
        this.types = types;
        this.attachments = attachments;
        this.scheduler = scheduler;
        this.volumeRpc = volumeRpc;
    }

    /**
     * Starts a migration (answers null: 202), or with {@code dry_run} answers what it would do (200), changing
     * nothing: the same body checks, lookup, policy and {@link MigrationChecks} in the same order.
     */
    public Map<String, Object> migrate(ApiRequest req, String volumeId, JsonNode args) {
        boolean clusterForm = req.version().atLeast(16);
        // bps_limit, with_snapshots and dry_run are this project's extensions, accepted at every microversion.
        JsonBody b = body(args, "os-migrate_volume", clusterForm
                ? Set.of("host", "cluster", "force_host_copy", "lock_volume", "bps_limit", WITH_SNAPSHOTS, "dry_run")
                : Set.of("host", "force_host_copy", "lock_volume", "bps_limit", WITH_SNAPSHOTS, "dry_run"));
        Long bpsLimit = b.optionalNonNegativeLong("bps_limit");
        boolean withSnapshots = withSnapshots(b.node().get(WITH_SNAPSHOTS));
        String host = b.optionalString("host", 255);
        String cluster = clusterForm ? b.optionalString("cluster", 255) : null;
        boolean force = Boolean.TRUE.equals(b.optionalBoolean("force_host_copy"));
        boolean lock = Boolean.TRUE.equals(b.optionalBoolean("lock_volume"));
        boolean dryRun = Boolean.TRUE.equals(b.optionalBoolean("dry_run"));
        if (clusterForm && (isBlank(host) == isBlank(cluster))) {
            throw new CinderException(400, "Invalid input received: One and only one of cluster and host must be set.");
        }
        if (!clusterForm && isBlank(host)) {
            throw new CinderException(400, "Invalid input received: Host field is missing.");
        }
        VolumeEntity v = volumeApi.get(req, volumeId, VolumeActionPolicies.MIGRATE);
        Map<String, String> extraSpecs = types.findById(v.getVolumeTypeId()).map(t -> Map.copyOf(t.getExtraSpecs()))
                .orElse(Map.of());
        if (dryRun) {
            return dryRuns.answer(req, v, new MigrationDryRun.Ask(host, cluster, force, lock, bpsLimit, extraSpecs,
                    withSnapshots));
        }
        checks.requireAll(new MigrationChecks.Target(v, host, cluster, withSnapshots, bpsLimit));
        int size = v.getSize();
        if (withSnapshots) {
            // Detached and the state were checked above (MigrationChecks); the update loses only to a race.
            if (volumes.startMigrationWithSnapshots(volumeId, host, lock, Clock.now()) == 0) {
                throw MigrationChecks.notMigratableWithSnapshots(volumeId);
            }
            // The destination must hold the snapshots too: the scheduler checks room for the whole chain.
            size += snapshotGb(volumeId);
        } else if (volumes.startMigration(volumeId, host, lock, Clock.now()) == 0) {
            throw MigrationChecks.notMigratable(volumeId); // changed since the check (a concurrent request)
        }
        try {
            scheduler.migrateVolume(req.context(), new SchedulerRpcApi.MigrateVolumeRequest(volumeId, host, force,
                    size, extraSpecs, bpsLimit, withSnapshots));
        } catch (RuntimeException e) {
            volumes.failMigration(volumeId, List.of(MigrationStatus.STARTING),
                    "not sent to the scheduler: " + e.getMessage(), Clock.now());
            throw e;
        }
        LOG.info("Migration of volume {} from {} to {} accepted (force_host_copy={}, lock={}, bps_limit={}, "
                + "with_snapshots={})", volumeId, v.getHost(), host, force, lock, bpsLimit, withSnapshots);
        return null;
    }

    /**
     * {@code os-retype}: project members may retype their volumes. In place when the current backend fits the
     * new type; otherwise a migration if {@code migration_policy=on-demand} (default {@code never}).
     */
    public void retype(ApiRequest req, String volumeId, JsonNode args) {
        JsonBody b = body(args, "os-retype", Set.of("new_type", "migration_policy"));
        String newType = b.requiredString("new_type", 1, 255);
        JsonNode policyNode = b.node().get("migration_policy");
        String policy = "never";
        if (policyNode != null) {
            if (!policyNode.isString() || !Set.of("on-demand", "never").contains(policyNode.stringValue())) {
                throw new CinderException(400, "Invalid input for field/attribute migration_policy. Value: "
                        + policyNode + ". " + policyNode + " is not one of ['on-demand', 'never']");
            }
            policy = policyNode.stringValue();
        }
        VolumeEntity v = volumeApi.get(req, volumeId, VolumeActionPolicies.RETYPE);
        var type = types.findByIdAndDeletedFalse(newType).or(() -> types.findByNameAndDeletedFalse(newType).stream()
                .findFirst()).orElseThrow(() -> new CinderException(400, "Invalid volume_type passed: " + newType + "."));
        retypeRules.check(v, type);
        if (volumes.startRetype(volumeId, type.getId(), Clock.now()) == 0) {
            throw new InvalidVolumeException(RetypeRules.PRECONDITION);
        }
        try {
            quotas.checkRetype(v, type.getName()); // the new type's per-type limits (413), as Cinder's reservation
        } catch (RuntimeException e) {
            volumes.finishRetype(volumeId, null, null, Clock.now());
            throw e;
        }
        try {
            scheduler.retype(req.context(), new SchedulerRpcApi.RetypeRequest(volumeId, type.getId(),
                    Map.copyOf(type.getExtraSpecs()), v.getSize(), policy.equals("on-demand")));
        } catch (RuntimeException e) {
            volumes.finishRetype(volumeId, null, "not sent to the scheduler: " + e.getMessage(), Clock.now());
            throw e;
        }
        LOG.info("Retype of volume {} to {} accepted (migration_policy={})", volumeId, type.getName(), policy);
    }

    public String complete(ApiRequest req, String volumeId, JsonNode args) {
        JsonBody b = body(args, "os-migrate_volume_completion", Set.of("new_volume", "error"));
        String newId = b.requiredString("new_volume", 1, 36);
        JsonNode errorNode = b.node().get("error");
        boolean error = errorNode != null && !errorNode.isNull()
                && !(errorNode.isBoolean() && !errorNode.booleanValue())
                && !(errorNode.isString() && errorNode.stringValue().isEmpty());
        VolumeEntity src = volumeApi.get(req, volumeId, VolumeActionPolicies.MIGRATE_COMPLETE);
        VolumeEntity dst = volumeApi.get(req, newId);
        if (src.getMigrationStatus() == null && dst.getMigrationStatus() == null) {
            return newId;
        }
        if (dst.getMigrationStatus() == null) {
            throw new InvalidVolumeException("Destination volume not mid-migration.");
        }
        if (src.getMigrationStatus() == null) {
            throw new InvalidVolumeException("Source volume not mid-migration.");
        }
        MigrationStatus expected = MigrationStatus.target(volumeId);
        if (!expected.equals(dst.getMigrationStatus())) {
            throw new InvalidVolumeException("Destination has migration_status " + dst.getMigrationStatus()
                    + ", expected " + expected + ".");
        }
        return volumeRpc.migrateVolumeCompletion(req.context(), BackendHost.parse(src.getHost()),
                new VolumeRpcApi.Completion(volumeId, newId, error));
    }

    public void resetStatus(ApiRequest req, String volumeId, JsonNode args) {
        JsonBody b = body(args, "os-reset_status", Set.of("status", "attach_status", "migration_status"));
        String status = lower(b.optionalString("status", 255));
        String attach = lower(b.optionalString("attach_status", 255));
        String migration = lower(b.optionalString("migration_status", 255));
        if (status == null && attach == null && migration == null) {
            throw JsonBody.bad("Must specify 'status', 'attach_status' or 'migration_status' for update.");
        }
        VolumeStatus newStatus = status == null ? null : VolumeStatus.fromWire(status)
                .filter(s -> s != VolumeStatus.DELETED)
                .orElseThrow(() -> JsonBody.bad("Invalid input for field/attribute status. Value: " + status + "."));
        AttachStatus newAttach = attach == null ? null : AttachStatus.fromWire(attach)
                .filter(ATTACH_STATUSES::contains)
                .orElseThrow(() -> JsonBody.bad("Invalid input for field/attribute attach_status. Value: " + attach
                        + "."));
        MigrationStatus newMigration = migration == null || migration.equals(NO_MIGRATION) ? null
                : MigrationStatus.fromWire(migration).filter(MIGRATION_STATUSES::contains)
                .orElseThrow(() -> JsonBody.bad("Invalid input for field/attribute migration_status. Value: "
                        + migration + "."));
        volumeApi.get(req, volumeId, VolumeActionPolicies.RESET_STATUS);
        if (newStatus == VolumeStatus.DELETING) {
            throw JsonBody.bad("Cannot reset-state to deleting");
        }
        if (newStatus == VolumeStatus.IN_USE && attachments.findByVolumeIdAndDeletedFalse(volumeId).isEmpty()) {
            throw JsonBody.bad("Cannot reset-state to in-use because volume does not have any attachments.");
        }
        volumes.resetStatus(volumeId, newStatus, newAttach, migration != null, newMigration, Clock.now());
        LOG.info("Volume {} reset: status={} attach_status={} migration_status={}", volumeId, status, attach,
                migration);
    }

    /** GiB of the snapshots that move with the volume ({@code with_snapshots}); the dry-run counts the same. */
    private int snapshotGb(String volumeId) {
        return snapshots.findByVolumeIdAndDeletedFalseOrderByCreatedAtAscIdAsc(volumeId).stream()
                .mapToInt(s -> s.getVolumeSize()).sum();
    }

    /** {@code with_snapshots}: JSON true or false only (no string forms: Cinder's schemas never see this key). */
    private static boolean withSnapshots(JsonNode node) {
        if (node == null) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new CinderException(400, "Invalid input for field/attribute " + WITH_SNAPSHOTS + ". Value: "
                    + (node.isString() ? node.stringValue() : node.toString()) + ". " + node
                    + " is not of type 'boolean'");
        }
        return node.booleanValue();
    }

    private static JsonBody body(JsonNode args, String action, Set<String> allowed) {
        if (args == null || !args.isObject()) {
            throw JsonBody.bad("Invalid input for field/attribute " + action + ". Value: " + args
                    + ". " + args + " is not of type 'object'");
        }
        return JsonBody.of(args).allowOnly(allowed);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase();
    }
}
