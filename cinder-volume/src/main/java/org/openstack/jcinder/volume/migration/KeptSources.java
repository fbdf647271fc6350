package org.openstack.jcinder.volume.migration;

import java.util.HashMap;
import java.util.List;
import java.util.UUID;

import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.db.VolumeMigrationRepository;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.quota.VolumeQuotas;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.MigrationRevert;
import org.openstack.jcinder.common.volume.AttachStatus;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.volume.driver.VolumeDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The rollback window ({@code migration_keep_source}): after a successful detached migration the old copy stays
 * on its backend under a hidden row ({@code maintenance}, {@code migration_status=deleting}, not counted by
 * quotas, its backend object still counted in that backend's capacity), tracked on the migration's record with
 * its expiry. {@code os-migrate_volume_revert} swaps the volume back to it without copying data; once the window
 * has ended the backend that holds it deletes it. A revert and the expiry claim the record with one conditional
 * update each, so only one of them happens.
 */
@Component
public class KeptSources {

    private static final Logger LOG = LoggerFactory.getLogger(KeptSources.class);

    private final VolumeRepository volumes;
    private final VolumeMigrationRepository migrations;
    private final MigrationCompletion completion;
    private final VolumeQuotas quotas;

    public KeptSources(VolumeRepository volumes, VolumeMigrationRepository migrations, MigrationCompletion completion,
                       VolumeQuotas quotas) {
        this.volumes = volumes;
        this.migrations = migrations;
        this.completion = completion;
        this.quotas = quotas;
    }

    /**
     * A generic migration's swapped-out row (now holding the old copy, marked {@code deleting}) is kept instead of
     * deleted: it goes to {@code maintenance} and the record says until when.
     */
    void keepSwappedOut(VolumeMigrationEntity record, String rowId, long seconds) {
        volumes.compareAndSetStatus(rowId, List.of(VolumeStatus.DELETING), VolumeStatus.MAINTENANCE, Clock.now());
        track(record, rowId, seconds);
    }

    /**
     * A driver moved the volume and left the old object where it was: a hidden row gets it (the old host,
     * location and backend name of {@code before}, the volume as it was before the move).
     */
    void keepMovedByDriver(VolumeMigrationEntity record, VolumeEntity before, long seconds) {
        VolumeEntity kept = new VolumeEntity();
        kept.setId(UUID.randomUUID().toString());
        kept.setNameId(before.getNameId() != null ? before.getNameId() : before.getId());
        kept.setSize(before.getSize());
        kept.setDisplayName(before.getDisplayName());
        kept.setDisplayDescription("migration src for " + before.getId());
        kept.setStatus(VolumeStatus.MAINTENANCE);
        kept.setAttachStatus(AttachStatus.DETACHED);
        kept.setMigrationStatus(MigrationStatus.DELETING);
        kept.setHost(before.getHost());
        kept.setServiceUuid(before.getServiceUuid());
        kept.setClusterName(before.getClusterName());
        kept.setAvailabilityZone(before.getAvailabilityZone());
        kept.setVolumeTypeId(before.getVolumeTypeId());
        kept.setProviderLocation(before.getProviderLocation());
        kept.setProjectId(before.getProjectId());
        kept.setUserId(before.getUserId());
        kept.setBootable(before.isBootable());
        kept.setMultiattach(before.isMultiattach());
        kept.setUseQuota(false); // like a migration's temporary volume: never counted against the project
        kept.setMetadata(new HashMap<>(before.getMetadata()));
        kept.setCreatedAt(Clock.now());
        volumes.saveAndFlush(kept);
        track(record, kept.getId(), seconds);
    }

    private void track(VolumeMigrationEntity record, String rowId, long seconds) {
        record.setKeptSourceVolumeId(rowId);
        record.setKeptSourceUntil(Clock.now().plusSeconds(seconds));
        record.setSourceState(VolumeMigrationEntity.SOURCE_KEPT);
        LOG.info("Migration of volume {}: old copy kept as row {} on {} until {} (migration_keep_source={} s)",
                record.getVolumeId(), rowId, record.getSourceHost(), record.getKeptSourceUntil(), seconds);
    }

    /**
     * {@code migrate_volume_revert} on the backend that holds the new copy (the API claimed the record and put
     * the volume into maintenance): the rows swap back, then this backend deletes the new copy. A failure before
     * the swap gives the volume its status back and the record its kept copy.
     */
    public void revert(MigrationRevert revert, VolumeDriver driver, String serviceHost) {
        VolumeMigrationEntity record = migrations.findById(revert.migrationId()).orElse(null);
        if (record == null || !VolumeMigrationEntity.SOURCE_REVERTING.equals(record.getSourceState())) {
            LOG.warn("migrate_volume_revert: migration {} of volume {} is not being reverted; nothing to do",
                    revert.migrationId(), revert.volumeId());
            return;
        }
        String newHost;
        try {
            newHost = completion.swapBack(revert.volumeId(), record.getKeptSourceVolumeId());
        } catch (RuntimeException e) {
            LOG.error("Revert of the migration of volume {} on {} failed: {}", revert.volumeId(), serviceHost,
                    e.getMessage());
            volumes.abandonRevert(revert.volumeId(), MigrationRecorder.truncate("revert failed: " + e.getMessage()),
                    Clock.now());
            migrations.setKeptSourceState(record.getId(), VolumeMigrationEntity.SOURCE_REVERTING,
                    VolumeMigrationEntity.SOURCE_KEPT, Clock.now());
            return;
        }
        migrations.setKeptSourceState(record.getId(), VolumeMigrationEntity.SOURCE_REVERTING,
                VolumeMigrationEntity.SOURCE_REVERTED, Clock.now());
        LOG.info("Migration of volume {} reverted: back on {}; deleting the new copy on {}", revert.volumeId(),
                record.getSourceHost(), newHost);
        deleteRow(record.getKeptSourceVolumeId(), driver);
    }

    /**
     * Deletes the kept copies on this backend whose window has ended (a periodic task of the volume service, and
     * at its start).
     */
    public void expire(String serviceHost, VolumeDriver driver) {
        for (VolumeMigrationEntity record : migrations.findExpiredKeptSources(Clock.now())) {
            VolumeEntity row = volumes.findByIdAndDeletedFalse(record.getKeptSourceVolumeId()).orElse(null);
            if (row != null && (row.getHost() == null || !row.getHost().startsWith(serviceHost + "#"))) {
                continue; // another backend's copy: that backend deletes it
            }
            if (migrations.moveKeptSource(record.getId(), VolumeMigrationEntity.SOURCE_KEPT,
                    VolumeMigrationEntity.SOURCE_DELETED, false, Clock.now()) == 0) {
                continue; // reverted meanwhile
            }
            LOG.info("Rollback window of the migration of volume {} ended at {}: deleting the old copy (row {}) on {}",
                    record.getVolumeId(), record.getKeptSourceUntil(), record.getKeptSourceVolumeId(), serviceHost);
            if (row != null) {
                deleteRow(row.getId(), driver);
            }
        }
    }

    private void deleteRow(String rowId, VolumeDriver driver) {
        VolumeEntity row = volumes.findByIdAndDeletedFalse(rowId).orElse(null);
        if (row == null) {
            return;
        }
        try {
            driver.deleteVolume(row);
            quotas.softDelete(rowId); // not counted (use_quota false): nothing to give back
        } catch (RuntimeException e) {
            LOG.error("Copy {} of volume {} could not be deleted: {}", rowId, row.getDisplayDescription(),
                    e.getMessage());
            volumes.compareAndSetStatusWithReason(rowId, List.of(VolumeStatus.MAINTENANCE, VolumeStatus.DELETING),
                    VolumeStatus.ERROR_DELETING, MigrationRecorder.truncate(e.getMessage()), Clock.now());
        }
    }
}
