package org.openstack.jcinder.volume.migration;

import org.openstack.jcinder.common.quota.VolumeQuotas;
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

    public MigrationCompletion(EntityManager em, VolumeAttachmentRepository attachments, VolumeQuotas quotas) {
        this.quotas = quotas;
        this.em = em;
        this.attachments = attachments;
    }

    /** Swaps the rows, the new object keeping its name; returns the host of the old backend object. */
    @Transactional
    public String finish(String sourceId, String targetId) {
        return finish(sourceId, targetId, MigratedName.KEPT);
    }

    /**
     * Swaps the rows; returns the host of the old backend object (where the temporary row now points). When
     * the destination renamed the new object to the source's own name, the source needs no {@code _name_id}.
     */
    @Transactional
    public String finish(String sourceId, String targetId, MigratedName name) {
        VolumeEntity src = em.find(VolumeEntity.class, sourceId, LockModeType.PESSIMISTIC_WRITE);
        VolumeEntity tmp = em.find(VolumeEntity.class, targetId, LockModeType.PESSIMISTIC_WRITE);
        if (src == null || src.isDeleted() || tmp == null || tmp.isDeleted()) {
            throw new InvalidVolumeException("source or destination volume disappeared during the migration");
        }
        MigrationStatus expected = MigrationStatus.target(sourceId);
        if (!expected.equals(tmp.getMigrationStatus())) {
            throw new InvalidVolumeException("Destination has migration_status " + tmp.getMigrationStatus()
                    + ", expected " + expected + ".");
        }
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
}
