package org.openstack.jcinder.volume.migration;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.openstack.jcinder.common.quota.VolumeQuotas;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.VolumeAttachmentEntity;
import org.openstack.jcinder.common.db.VolumeAttachmentRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.exception.InvalidVolumeException;
import org.openstack.jcinder.common.volume.MigratedName;
import org.openstack.jcinder.common.volume.AttachStatus;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

/**
 * The commit point of a generic migration (Cinder's {@code finish_volume_migration}): in one transaction,
 * with both rows locked, the user's volume takes over the temporary volume's backend object ({@code _name_id},
 * provider location, host) and the temporary row takes the old one, marked for deletion. Before this the
 * source is untouched; after it the destination holds the data the user sees.
 */
@Component
public class MigrationCompletion {

    private final EntityManager em;
    private final VolumeAttachmentRepository attachments;

    private final VolumeQuotas quotas;
    private final VolumeRepository volumes;

    public MigrationCompletion(EntityManager em, VolumeAttachmentRepository attachments, VolumeQuotas quotas,
                               VolumeRepository volumes) {
        this.quotas = quotas;
        this.volumes = volumes;
        this.em = em;
        this.attachments = attachments;
    }

    /** Swaps the rows, the new object keeping its name; returns the host of the old backend object. */
    @Transactional
    public String finish(String sourceId, String targetId) {
        return commit(sourceId, targetId, MigratedName.KEPT, Map.of(), false);
    }

    /**
     * Swaps the rows; returns the host of the old backend object (where the temporary row now points). When
     * the destination renamed the new object to the source's own name, the source needs no {@code _name_id}.
     */
    @Transactional
    public String finish(String sourceId, String targetId, MigratedName name) {
        return commit(sourceId, targetId, name, Map.of(), true);
    }

    /**
     * The swap of a migration {@code with_snapshots}: in the same transaction each snapshot row is pointed at its
     * copy on the destination ({@code snapshotLocations}, by id). The snapshots the volume has now must be exactly
     * those copied, each still available; otherwise nothing is committed and the migration fails as a whole.
     */
    @Transactional
    public String finish(String sourceId, String targetId, MigratedName name, Map<String, String> snapshotLocations) {
        return commit(sourceId, targetId, name, snapshotLocations, true);
    }

    /** {@code requireActive}: a host copy commits only while the source is still migrating. */
    private String commit(String sourceId, String targetId, MigratedName name, Map<String, String> snapshotLocations,
                          boolean requireActive) {
        VolumeEntity src = em.find(VolumeEntity.class, sourceId, LockModeType.PESSIMISTIC_WRITE);
        VolumeEntity tmp = em.find(VolumeEntity.class, targetId, LockModeType.PESSIMISTIC_WRITE);
        if (src == null || src.isDeleted() || tmp == null || tmp.isDeleted()) {
            throw new InvalidVolumeException("source or destination volume disappeared during the migration");
        }
        if (requireActive && !MigrationStatus.isActive(src.getMigrationStatus())) {
            // The reconciler of another service failed this migration (its owner looked dead): the swap would
            // revive a migration whose temporary volume is being deleted.
            throw new InvalidVolumeException("Source has migration_status " + src.getMigrationStatus()
                    + ": the migration has ended.");
        }
        MigrationStatus expected = MigrationStatus.target(sourceId);
        if (!expected.equals(tmp.getMigrationStatus())) {
            throw new InvalidVolumeException("Destination has migration_status " + tmp.getMigrationStatus()
                    + ", expected " + expected + ".");
        }
        repointSnapshots(sourceId, snapshotLocations);
        String oldType = swap(src, tmp, name);
        tmp.setDisplayDescription("migration src for " + sourceId);
        moveQuotaAndAttachments(src, targetId, oldType);
        return tmp.getHost();
    }

    /**
     * {@code os-migrate_volume_revert}, on the backend holding the new copy: the user's volume takes the kept old
     * copy back (its {@code _name_id}, provider location, host) and the kept row takes the new copy, marked for
     * deletion. No data moves. Returns the host of the new copy (now the kept row's).
     */
    @Transactional
    public String swapBack(String volumeId, String keptId) {
        VolumeEntity src = em.find(VolumeEntity.class, volumeId, LockModeType.PESSIMISTIC_WRITE);
        VolumeEntity kept = em.find(VolumeEntity.class, keptId, LockModeType.PESSIMISTIC_WRITE);
        if (src == null || src.isDeleted() || kept == null || kept.isDeleted()) {
            throw new InvalidVolumeException("the volume or its kept source disappeared before the revert");
        }
        if (src.getStatus() != VolumeStatus.MAINTENANCE || kept.getStatus() != VolumeStatus.MAINTENANCE) {
            throw new InvalidVolumeException("Volume " + volumeId + " is " + src.getStatus() + " and its kept source "
                    + kept.getStatus() + "; expected maintenance for a revert.");
        }
        String newType = swap(src, kept, MigratedName.KEPT);
        src.setPreviousStatus(null);
        kept.setDisplayDescription("migration revert of " + volumeId);
        moveQuotaAndAttachments(src, keptId, newType);
        return kept.getHost();
    }

    /**
     * The exchange of backend objects between the user's row and the other row: the user's row takes the other's
     * object, host, zone and type, and gets its status back; the other row takes the user's old object and
     * becomes a row to delete.
     */
    private static String swap(VolumeEntity src, VolumeEntity tmp, MigratedName name) {
        String srcName = src.getNameId() != null ? src.getNameId() : src.getId();
        String tmpName = tmp.getNameId() != null ? tmp.getNameId() : tmp.getId();
        String srcLocation = src.getProviderLocation();
        String oldHost = src.getHost();
        String oldServiceUuid = src.getServiceUuid();
        String oldZone = src.getAvailabilityZone();
        String oldCluster = src.getClusterName();
        AttachStatus oldAttachStatus = src.getAttachStatus();
        String oldType = src.getVolumeTypeId();

        if (name.renamed()) {
            src.setNameId(null);
            src.setProviderLocation(name.providerLocation());
        } else {
            src.setNameId(tmpName.equals(src.getId()) ? null : tmpName);
            src.setProviderLocation(tmp.getProviderLocation());
        }
        src.setHost(tmp.getHost());
        src.setServiceUuid(tmp.getServiceUuid());
        src.setAvailabilityZone(tmp.getAvailabilityZone());
        src.setClusterName(tmp.getClusterName());
        src.setAttachStatus(tmp.getAttachStatus());
        src.setVolumeTypeId(tmp.getVolumeTypeId());
        VolumeStatus restored = src.getPreviousStatus() != null ? src.getPreviousStatus() : src.getStatus();
        src.setPreviousStatus(tmp.getStatus());
        src.setStatus(restored);
        src.setMigrationStatus(MigrationStatus.SUCCESS);
        src.setStatusReason(null);
        src.setUpdatedAt(Clock.now());

        tmp.setNameId(srcName);
        tmp.setProviderLocation(srcLocation);
        tmp.setHost(oldHost);
        tmp.setServiceUuid(oldServiceUuid);
        tmp.setAvailabilityZone(oldZone);
        tmp.setClusterName(oldCluster);
        tmp.setAttachStatus(oldAttachStatus);
        tmp.setVolumeTypeId(oldType);
        tmp.setStatus(VolumeStatus.DELETING);
        tmp.setMigrationStatus(MigrationStatus.DELETING);
        tmp.setUpdatedAt(Clock.now());

        return oldType;
    }

    /** The user's row's per-type quota counts follow a type change; attachments of the other row become its. */
    private void moveQuotaAndAttachments(VolumeEntity src, String otherId, String oldType) {
        // The temporary row never counted (use_quota false) and the user's row still does, once; with a retype its
        // per-type counts move to the new type here, in the swap's transaction.
        quotas.moveType(src.getProjectId(), src.getSize(), oldType, src.getVolumeTypeId(), src.isUseQuota());

        // An attachment made on the temporary volume (Nova's swap) belongs to the user's volume from now on.
        for (VolumeAttachmentEntity a : attachments.findByVolumeIdAndDeletedFalse(otherId)) {
            a.setVolumeId(src.getId());
        }
    }

    /**
     * The commit of a native migration {@code with_snapshots}: the volume row takes the destination's host and
     * object (as {@code finishMovedByDriver}), and each snapshot row its copy, in one transaction.
     */
    @Transactional
    public void finishMovedByDriver(String volumeId, String host, String serviceUuid, String providerLocation,
                                    Map<String, String> snapshotLocations) {
        // The bulk update first: it clears the persistence context, which must not drop the snapshot changes.
        if (volumes.finishMovedByDriver(volumeId, host, serviceUuid, providerLocation, null, Clock.now()) == 0) {
            throw new InvalidVolumeException("Volume " + volumeId + " is no longer migrating.");
        }
        repointSnapshots(volumeId, snapshotLocations);
    }

    /** Locks the volume's snapshot rows and points each at its copy; refuses any change to the chain meanwhile. */
    private void repointSnapshots(String volumeId, Map<String, String> snapshotLocations) {
        if (snapshotLocations.isEmpty()) {
            return;
        }
        List<SnapshotEntity> live = em.createQuery("select s from SnapshotEntity s where s.volumeId = :v "
                        + "and s.deleted = false", SnapshotEntity.class)
                .setParameter("v", volumeId).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
        Set<String> liveIds = new HashSet<>();
        live.forEach(s -> liveIds.add(s.getId()));
        if (!liveIds.equals(snapshotLocations.keySet())) {
            throw new InvalidVolumeException("The snapshots of volume " + volumeId + " changed during the migration "
                    + "(copied " + new TreeSet<>(snapshotLocations.keySet()) + ", now " + new TreeSet<>(liveIds) + ").");
        }
        for (SnapshotEntity s : live) {
            if (!"available".equals(s.getStatus())) {
                throw new InvalidVolumeException("Snapshot " + s.getId() + " is " + s.getStatus()
                        + ": the migration cannot commit it.");
            }
            s.setProviderLocation(snapshotLocations.get(s.getId()));
            s.setUpdatedAt(Clock.now());
        }
    }
}
