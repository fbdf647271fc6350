package org.openstack.jcinder.api.actions;

import java.util.List;
import java.util.Set;

import org.openstack.jcinder.api.volumes.VolumeApiService;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.VolumeAttachmentRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.db.VolumeMigrationRepository;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.exception.ConflictException;
import org.openstack.jcinder.common.exception.InvalidVolumeException;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi;
import org.openstack.jcinder.common.volume.AttachStatus;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.MigrationPath;
import org.openstack.jcinder.common.volume.MigrationPhase;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import tools.jackson.databind.JsonNode;

/**
 * This project's actions on a running migration, absent from Cinder: {@code os-migrate_volume_cancel} and
 * {@code os-migrate_volume_update} (a new {@code bps_limit}). Admin only. Checks in Cinder's order: body
 * (400), lookup (404), policy (403), then state: not migrating (400), done by the compute service or already
 * committing (409). Accepted requests are cast to the source backend, which runs the copy.
 */
@Service
public class RunningMigrationActions {

    private static final Logger LOG = LoggerFactory.getLogger(RunningMigrationActions.class);

    private final VolumeRepository volumes;
    private final VolumeMigrationRepository migrations;
    private final VolumeAttachmentRepository attachments;
    private final VolumeRpcApi volumeRpc;

    private final VolumeApiService volumeApi;

    public RunningMigrationActions(VolumeRepository volumes, VolumeMigrationRepository migrations,
                                   VolumeAttachmentRepository attachments, VolumeRpcApi volumeRpc,
                                   VolumeApiService volumeApi) {
        this.volumeApi = volumeApi;
        this.volumes = volumes;
        this.migrations = migrations;
        this.attachments = attachments;
        this.volumeRpc = volumeRpc;
    }

    public void cancel(ApiRequest req, String volumeId, JsonNode args) {
        if (args != null && !args.isNull()) {
            body(args, "os-migrate_volume_cancel", Set.of());
        }
        VolumeEntity v = running(req, volumeId, VolumeActionPolicies.MIGRATE_CANCEL, "cancelled");
        if (relayToCompute(volumeId, null, true)) {
            return;
        }
        if (v.getMigrationStatus() == MigrationStatus.STARTING
                && volumes.failMigration(volumeId, List.of(MigrationStatus.STARTING), "cancelled", Clock.now()) > 0) {
            // Not at the source yet: it will find the volume no longer waiting and do nothing.
            LOG.info("Migration of volume {} cancelled before it started", volumeId);
            return;
        }
        volumeRpc.migrateVolumeCancel(req.context(), BackendHost.parse(v.getHost()), volumeId);
        LOG.info("Cancel of the migration of volume {} sent to {}", volumeId, v.getHost());
    }

    public void update(ApiRequest req, String volumeId, JsonNode args) {
        JsonBody b = body(args, "os-migrate_volume_update", Set.of("bps_limit"));
        if (!b.has("bps_limit")) {
            throw JsonBody.bad("'bps_limit' is a required property");
        }
        Long bps = b.optionalNonNegativeLong("bps_limit");
        if (bps == null) {
            throw JsonBody.bad("Invalid input for field/attribute bps_limit. Value: null. None is not of type "
                    + "'integer'");
        }
        VolumeEntity v = running(req, volumeId, VolumeActionPolicies.MIGRATE_UPDATE, "changed");
        if (relayToCompute(volumeId, bps, false)) {
            return;
        }
        if (v.getMigrationStatus() == MigrationStatus.STARTING) {
            throw new ConflictException("The migration of volume " + volumeId + " has not reached its source "
                    + "backend yet; set bps_limit in os-migrate_volume or retry in a moment.");
        }
        volumeRpc.migrateVolumeUpdate(req.context(), BackendHost.parse(v.getHost()),
                new VolumeRpcApi.MigrationUpdate(volumeId, bps));
        LOG.info("Bandwidth limit {} bytes/s for the migration of volume {} sent to {}", bps, volumeId, v.getHost());
    }

    /** The volume, checked to have a migration this service can act on. */
    private VolumeEntity running(ApiRequest req, String volumeId, String rule, String verb) {
        VolumeEntity v = volumeApi.get(req, volumeId, rule);
        MigrationStatus ms = v.getMigrationStatus();
        if (!MigrationStatus.isActive(ms)) {
            throw new InvalidVolumeException("Volume " + volumeId + " is not being migrated (migration_status: "
                    + ms + ").");
        }
        boolean queued = migrations.findFirstByVolumeIdOrderByCreatedAtDesc(volumeId)
                .filter(r -> r.getFinishedAt() == null).map(r -> r.getState() == MigrationPhase.QUEUED).orElse(false);
        // A queued migration has not chosen a path yet: its source backend can cancel or re-limit it, attached
        // or not.
        boolean attached = !queued && attachments.findByVolumeIdAndDeletedFalse(volumeId).stream()
                .anyMatch(a -> a.getAttachStatus() == AttachStatus.ATTACHED)
                || migrations.findFirstByVolumeIdOrderByCreatedAtDesc(volumeId)
                .filter(r -> r.getFinishedAt() == null).map(r -> r.getPath() == MigrationPath.ATTACHED).orElse(false);
        if (attached && computeCopy(volumeId).isEmpty()) {
            throw new ConflictException("The migration of volume " + volumeId + " is attached and its copy has not "
                    + "started in the compute service (or has ended): it cannot be " + verb + " now.");
        }
        if (ms == MigrationStatus.COMPLETING) {
            throw new ConflictException("The migration of volume " + volumeId + " is already completing; it cannot "
                    + "be " + verb + " any more.");
        }
        return v;
    }

    /**
     * The unfinished attempt whose copy the compute service runs (an attached migration that Nova was asked to
     * swap): requests for it are left on the record, and the compute service reads them with its next
     * progress report (at most 2 s later) — the volume service has nothing to stop.
     */
    private java.util.Optional<VolumeMigrationEntity> computeCopy(String volumeId) {
        return migrations.findFirstByVolumeIdOrderByCreatedAtDesc(volumeId)
                .filter(r -> r.getFinishedAt() == null && r.getPath() == MigrationPath.ATTACHED)
                .filter(r -> r.getState().inComputeService());
    }

    private boolean relayToCompute(String volumeId, Long bps, boolean cancel) {
        return computeCopy(volumeId).map(r -> {
            if (migrations.requestForCompute(r.getId(), bps, cancel, Clock.now()) == 0) {
                throw new ConflictException("The migration of volume " + volumeId + " has just ended.");
            }
            LOG.info("Migration of attached volume {}: {} left for the compute service", volumeId,
                    cancel ? "cancel" : "bps_limit " + bps);
            return true;
        }).orElse(false);
    }

    private static JsonBody body(JsonNode args, String action, Set<String> allowed) {
        if (args == null || !args.isObject()) {
            throw JsonBody.bad("Invalid input for field/attribute " + action + ". Value: " + args + ". " + args
                    + " is not of type 'object'");
        }
        return JsonBody.of(args).allowOnly(allowed);
    }
}
