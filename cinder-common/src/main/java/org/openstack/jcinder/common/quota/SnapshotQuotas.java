package org.openstack.jcinder.common.quota;

import java.util.LinkedHashMap;
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
}
