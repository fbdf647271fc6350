package org.openstack.jcinder.common.quota;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.SnapshotRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A snapshot's part in the quotas (Cinder's create_snapshot_in_db): {@code snapshots} 1 and {@code gigabytes}
 * the volume's size, plus the per-type pair of the volume's type; taken with the row's insert, given back with
 * its soft delete. Cinder's {@code no_snapshot_gb_quota} is not an option here: snapshot gigabytes always count
 * (its default).
 */
@Service
public class SnapshotQuotas {

    private final QuotaReservations reservations;
    private final SnapshotRepository snapshots;
    private final VolumeQuotas volumeQuotas;

    public SnapshotQuotas(QuotaReservations reservations, SnapshotRepository snapshots, VolumeQuotas volumeQuotas) {
        this.reservations = reservations;
        this.snapshots = snapshots;
        this.volumeQuotas = volumeQuotas;
    }

    public static Map<String, Integer> deltas(String typeName, int size) {
        Map<String, Integer> d = new LinkedHashMap<>();
        d.put(QuotaResources.SNAPSHOTS, 1);
        d.put(QuotaResources.GIGABYTES, size);
        if (typeName != null) {
            d.put(QuotaResources.SNAPSHOTS + "_" + typeName, 1);
            d.put(QuotaResources.GIGABYTES + "_" + typeName, size);
        }
        return d;
    }

    /** The create: quota taken and the row written together, or neither (413 with Cinder's message). */
    @Transactional
    public void insert(SnapshotEntity s) {
        if (s.isUseQuota()) {
            try {
                reservations.consume(s.getProjectId(), deltas(volumeQuotas.typeName(s.getVolumeTypeId()),
                        s.getVolumeSize()));
            } catch (OverQuotaException e) {
                throw QuotaErrors.forCreate(e, QuotaResources.SNAPSHOTS, s.getVolumeSize());
            }
        }
        snapshots.saveAndFlush(s);
    }

    /** A create nothing will carry out: the row goes and so does its quota. */
    @Transactional
    public void removeUnsent(SnapshotEntity s) {
        snapshots.deleteById(s.getId());
        if (s.isUseQuota()) {
            reservations.release(s.getProjectId(), deltas(volumeQuotas.typeName(s.getVolumeTypeId()),
                    s.getVolumeSize()));
        }
    }

    /** The soft delete; the quota is given back once, by the call that actually deleted the row. */
    @Transactional
    public boolean softDelete(String snapshotId) {
        SnapshotEntity s = snapshots.findByIdAndDeletedFalse(snapshotId).orElse(null);
        if (s == null) {
            return false;
        }
        boolean counted = s.isUseQuota();
        String project = s.getProjectId();
        Map<String, Integer> d = deltas(volumeQuotas.typeName(s.getVolumeTypeId()), s.getVolumeSize());
        if (snapshots.softDelete(snapshotId, Clock.now()) == 0) {
            return false;
        }
        if (counted) {
            reservations.release(project, d);
        }
        return true;
    }

    /**
     * Manage: the API counted the snapshot at its volume's size; a larger object found on the backend reserves
     * the difference before it is adopted (Cinder's manage_existing_snapshot flow).
     */
    @Transactional
    public void reserveManaged(SnapshotEntity s, int size) {
        int increase = size - s.getVolumeSize();
        if (!s.isUseQuota() || increase <= 0) {
            return;
        }
        try {
            reservations.reserve(s.getProjectId(), QuotaResources.extension(
                    volumeQuotas.typeName(s.getVolumeTypeId()), increase));
        } catch (OverQuotaException e) {
            throw QuotaErrors.forCreate(e, QuotaResources.SNAPSHOTS, size);
        }
    }

    /** Adopted: creating → available at the object's size; the difference committed (or given back). */
    @Transactional
    public boolean finishManage(String snapshotId, int size, String location) {
        SnapshotEntity s = snapshots.findByIdAndDeletedFalse(snapshotId).orElse(null);
        if (s == null) {
            return false;
        }
        int change = size - s.getVolumeSize();
        boolean counted = s.isUseQuota();
        String project = s.getProjectId();
        String type = volumeQuotas.typeName(s.getVolumeTypeId());
        if (snapshots.markManaged(snapshotId, size, location, Clock.now()) == 0) {
            return false;
        }
        if (counted && change > 0) {
            reservations.commit(project, QuotaResources.extension(type, change));
        } else if (counted && change < 0) {
            reservations.release(project, QuotaResources.extension(type, -change));
        }
        return true;
    }

    /** Manage failed: the snapshot goes to error (as Cinder's), a reservation made for it given back. */
    @Transactional
    public void failManage(String snapshotId, int reservedIncrease) {
        SnapshotEntity s = snapshots.findByIdAndDeletedFalse(snapshotId).orElse(null);
        if (s == null) {
            return;
        }
        snapshots.compareAndSetStatus(snapshotId, List.of("creating"), "error", Clock.now());
        if (s.isUseQuota() && reservedIncrease > 0) {
            reservations.rollback(s.getProjectId(), QuotaResources.extension(
                    volumeQuotas.typeName(s.getVolumeTypeId()), reservedIncrease));
        }
    }
}
