package org.openstack.jcinder.api.actions;

import java.util.Set;

import org.openstack.jcinder.api.migrations.MigrationPolicies;
import org.openstack.jcinder.api.volumes.VolumeApiService;
import org.openstack.jcinder.api.volumes.VolumeViews;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.db.VolumeMigrationRepository;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.exception.InvalidVolumeException;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi;
import org.openstack.jcinder.common.volume.BackendHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;

/**
 * {@code os-migrate_volume_revert} (this project's extension, admin): within the rollback window of the volume's
 * last migration ({@code migration_keep_source}), the volume goes back to the old copy that migration kept, with
 * no data copy. Whatever was written to the volume since the migration is lost. Cinder's order of checks: body
 * (400), lookup (404), policy (403), then state (400). The volume goes into {@code maintenance} and the record is
 * claimed for the revert (both conditional updates), then the backend holding the new copy swaps the rows back
 * and deletes that copy; the answer is 202.
 */
@Component
public class MigrationRevertAction {

    public static final String ACTION = "os-migrate_volume_revert";
    private static final Logger LOG = LoggerFactory.getLogger(MigrationRevertAction.class);

    private final VolumeApiService volumeApi;
    private final VolumeRepository volumes;
    private final VolumeMigrationRepository migrations;
    private final VolumeRpcApi volumeRpc;

    public MigrationRevertAction(VolumeApiService volumeApi, VolumeRepository volumes,
                                 VolumeMigrationRepository migrations, VolumeRpcApi volumeRpc) {
        this.volumeApi = volumeApi;
        this.volumes = volumes;
        this.migrations = migrations;
        this.volumeRpc = volumeRpc;
    }

    public void revert(ApiRequest req, String volumeId, JsonNode args) {
        if (args != null && !args.isNull()) {
            if (!args.isObject()) {
                throw JsonBody.bad("Invalid input for field/attribute " + ACTION + ". Value: " + args + ". " + args
                        + " is not of type 'object'");
            }
            JsonBody.of(args).allowOnly(Set.of());
        }
        VolumeEntity v = volumeApi.get(req, volumeId, MigrationPolicies.REVERT);
        VolumeMigrationEntity m = migrations.findFirstByVolumeIdOrderByCreatedAtDesc(volumeId)
                .filter(r -> r.getSourceState() != null)
                .orElseThrow(() -> new InvalidVolumeException("Volume " + volumeId + " has no kept source to revert "
                        + "to: its last migration did not keep the old copy (migration_keep_source is 0, the "
                        + "volume was attached, or the migration failed)."));
        switch (m.getSourceState()) {
            case VolumeMigrationEntity.SOURCE_REVERTED -> throw new InvalidVolumeException("The migration of volume "
                    + volumeId + " to " + m.getDestinationHost() + " is already reverted.");
            case VolumeMigrationEntity.SOURCE_REVERTING -> throw new InvalidVolumeException("The migration of volume "
                    + volumeId + " to " + m.getDestinationHost() + " is being reverted.");
            case VolumeMigrationEntity.SOURCE_DELETED -> throw windowEnded(volumeId, m);
            default -> {
                if (!m.getKeptSourceUntil().isAfter(Clock.now())) {
                    throw windowEnded(volumeId, m);
                }
            }
        }
        if (volumes.startRevert(volumeId, Clock.now()) == 0) {
            throw new InvalidVolumeException("Volume " + volumeId + " must be available, detached, without "
                    + "snapshots and its last migration successful to revert that migration (status " + v.getStatus()
                    + ", migration_status " + v.getMigrationStatus() + ").");
        }
        if (migrations.moveKeptSource(m.getId(), VolumeMigrationEntity.SOURCE_KEPT,
                VolumeMigrationEntity.SOURCE_REVERTING, true, Clock.now()) == 0) {
            volumes.abandonRevert(volumeId, null, Clock.now());
            throw windowEnded(volumeId, m); // the expiry (or another revert) came first
        }
        try {
            volumeRpc.migrateVolumeRevert(req.context(), BackendHost.parse(v.getHost()),
                    new VolumeRpcApi.MigrationRevert(volumeId, m.getId()));
        } catch (RuntimeException e) {
            migrations.setKeptSourceState(m.getId(), VolumeMigrationEntity.SOURCE_REVERTING,
                    VolumeMigrationEntity.SOURCE_KEPT, Clock.now());
            volumes.abandonRevert(volumeId, null, Clock.now());
            throw e;
        }
        LOG.info("Revert of the migration of volume {} accepted: from {} back to {} (kept copy {})", volumeId,
                v.getHost(), m.getSourceHost(), m.getKeptSourceVolumeId());
    }

    private static InvalidVolumeException windowEnded(String volumeId, VolumeMigrationEntity m) {
        return new InvalidVolumeException("The rollback window of the migration of volume " + volumeId + " ended at "
                + VolumeViews.time(m.getKeptSourceUntil()) + "; its old copy on " + m.getSourceHost()
                + " is deleted and the migration cannot be reverted.");
    }
}
