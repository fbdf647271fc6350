package org.openstack.jcinder.common.quota;

import java.util.List;
import java.util.Map;

import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.db.VolumeTypeEntity;
import org.openstack.jcinder.common.db.VolumeTypeRepository;
import org.openstack.jcinder.common.exception.QuotaExceededException;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A volume's part in the quotas, each step in the same transaction as the row change it accounts for: the
 * create's insert, the delete's soft delete, an extend's end, a retype's new type. Volumes with
 * {@code use_quota} false (a migration's temporary volume) are never counted.
 */
@Service
public class VolumeQuotas {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeQuotas.class);

    private final QuotaReservations reservations;
    private final QuotaLimits limits;
    private final VolumeRepository volumes;
    private final VolumeTypeRepository types;

    public VolumeQuotas(QuotaReservations reservations, QuotaLimits limits, VolumeRepository volumes,
                        VolumeTypeRepository types) {
        this.reservations = reservations;
        this.limits = limits;
        this.volumes = volumes;
        this.types = types;
    }

    /** Cinder's limit_check on {@code per_volume_gigabytes}: VolumeSizeExceedsLimit (413). */
    public void checkSizeLimit(String projectId, int size) {
        int limit = limits.forProject(projectId).getOrDefault(QuotaResources.PER_VOLUME_GIGABYTES, -1);
        if (limit >= 0 && size > limit) {
            throw QuotaExceededException.sizeExceedsLimit(size, limit);
        }
    }

    /** The create: quota taken and the row written together, or neither (413 with Cinder's message). */
    @Transactional
    public void insert(VolumeEntity v, String typeName) {
        checkSizeLimit(v.getProjectId(), v.getSize());
        if (v.isUseQuota()) {
            try {
                reservations.consume(v.getProjectId(), QuotaResources.volume(typeName, v.getSize()));
            } catch (OverQuotaException e) {
                throw QuotaErrors.forCreate(e, QuotaResources.VOLUMES, v.getSize());
            }
        }
        volumes.saveAndFlush(v);
    }

    /** A create nothing will carry out (the message was refused): the row goes and so does its quota. */
    @Transactional
    public void removeUnsent(VolumeEntity v, String typeName) {
        volumes.deleteById(v.getId());
        if (v.isUseQuota()) {
            reservations.release(v.getProjectId(), QuotaResources.volume(typeName, v.getSize()));
        }
    }

    /** The soft delete; the quota is given back once, by the call that actually deleted the row. */
    @Transactional
    public boolean softDelete(String volumeId) {
        VolumeEntity v = volumes.findByIdAndDeletedFalse(volumeId).orElse(null);
        if (v == null) {
            return false;
        }
        boolean counted = v.isUseQuota();
        String project = v.getProjectId();
        Map<String, Integer> deltas = QuotaResources.volume(typeName(v.getVolumeTypeId()), v.getSize());
        if (volumes.softDelete(volumeId, Clock.now()) == 0) {
            return false;
        }
        if (counted) {
            reservations.release(project, deltas);
        }
        return true;
    }

    /**
     * Manage: the size the backend found, reserved before the object is adopted (Cinder's manager flow reserves
     * the gigabytes once the driver told the size; the API counted the volume with size 0).
     */
    @Transactional
    public void reserveManaged(VolumeEntity v, int size) {
        if (!v.isUseQuota() || size == 0) {
            return;
        }
        try {
            reservations.reserve(v.getProjectId(), QuotaResources.extension(typeName(v.getVolumeTypeId()), size));
        } catch (OverQuotaException e) {
            throw QuotaErrors.forCreate(e, QuotaResources.VOLUMES, size);
        }
    }

    /** The backend adopted the object: managing → available with its size, and the reservation committed. */
    @Transactional
    public boolean finishManage(String volumeId, int size, String location) {
        VolumeEntity v = volumes.findByIdAndDeletedFalse(volumeId).orElse(null);
        if (v == null) {
            return false;
        }
        boolean counted = v.isUseQuota();
        String project = v.getProjectId();
        String type = typeName(v.getVolumeTypeId());
        if (volumes.markManaged(volumeId, size, location, Clock.now()) == 0) {
            return false;
        }
        if (counted && size > 0) {
            reservations.commit(project, QuotaResources.extension(type, size));
        }
        return true;
    }

    /** Manage failed: error_managing with the reason, and a reservation made for it given back. */
    @Transactional
    public void failManage(String volumeId, int reservedSize, String reason) {
        VolumeEntity v = volumes.findByIdAndDeletedFalse(volumeId).orElse(null);
        if (v == null) {
            return;
        }
        boolean counted = v.isUseQuota();
        String project = v.getProjectId();
        String type = typeName(v.getVolumeTypeId());
        volumes.compareAndSetStatusWithReason(volumeId, List.of(VolumeStatus.MANAGING), VolumeStatus.ERROR_MANAGING,
                reason, Clock.now());
        if (counted && reservedSize > 0) {
            reservations.rollback(project, QuotaResources.extension(type, reservedSize));
        }
    }

    /** The extend's reservation (after the volume went to extending); 413 as Cinder's extend says it. */
    @Transactional
    public void reserveExtend(VolumeEntity v, int newSize) {
        checkSizeLimit(v.getProjectId(), newSize);
        if (!v.isUseQuota()) {
            return;
        }
        int increase = newSize - v.getSize();
        try {
            reservations.reserve(v.getProjectId(), QuotaResources.extension(typeName(v.getVolumeTypeId()), increase));
        } catch (OverQuotaException e) {
            throw QuotaErrors.forExtend(e, increase);
        }
    }

    /** The extend could not be sent or failed on its backend: the reservation is given back. */
    @Transactional
    public void rollbackExtend(VolumeEntity v, int newSize) {
        if (v.isUseQuota()) {
            reservations.rollback(v.getProjectId(),
                    QuotaResources.extension(typeName(v.getVolumeTypeId()), newSize - v.getSize()));
        }
    }

    /** The backend grew the volume: the new size recorded and the reservation committed together. */
    @Transactional
    public boolean finishExtend(String volumeId, int newSize) {
        VolumeEntity v = volumes.findByIdAndDeletedFalse(volumeId).orElse(null);
        if (v == null || v.getStatus() != VolumeStatus.EXTENDING) {
            return false;
        }
        int oldSize = v.getSize();
        boolean counted = v.isUseQuota();
        String project = v.getProjectId();
        String type = typeName(v.getVolumeTypeId());
        if (volumes.finishExtend(volumeId, newSize, Clock.now()) == 0) {
            return false;
        }
        if (counted) {
            reservations.commit(project, QuotaResources.extension(type, newSize - oldSize));
        }
        return true;
    }

    /** The extend failed on the backend: error_extending (as before) and the reservation given back. */
    @Transactional
    public void failExtend(String volumeId, int newSize, String reason) {
        VolumeEntity v = volumes.findByIdAndDeletedFalse(volumeId).orElse(null);
        if (v == null) {
            return;
        }
        int oldSize = v.getSize();
        boolean counted = v.isUseQuota();
        String project = v.getProjectId();
        String type = typeName(v.getVolumeTypeId());
        if (volumes.compareAndSetStatusWithReason(volumeId, List.of(VolumeStatus.EXTENDING),
                VolumeStatus.ERROR_EXTENDING, reason, Clock.now()) > 0 && counted) {
            reservations.rollback(project, QuotaResources.extension(type, newSize - oldSize));
        }
    }

    /**
     * Cinder's retype check: the new type's per-type limits must leave room for this volume (checked without
     * a reservation; the counts move when the type changes, {@link #moveType}).
     */
    public void checkRetype(VolumeEntity v, String newTypeName) {
        if (!v.isUseQuota()) {
            return;
        }
        Map<String, QuotaUsage> usage = limits.usagesOf(v.getProjectId());
        List<String> overs = new java.util.ArrayList<>();
        QuotaResources.typeOnly(newTypeName, v.getSize()).forEach((r, d) -> {
            QuotaUsage u = usage.get(r);
            if (u != null && u.limit() >= 0 && u.limit() < u.consumed() + d) {
                overs.add(r);
            }
        });
        if (!overs.isEmpty()) {
            java.util.Collections.sort(overs);
            throw QuotaErrors.forCreate(new OverQuotaException(overs, usage), QuotaResources.VOLUMES, v.getSize());
        }
    }

    /** The volume's type changed (in place or by a migration's swap): its per-type counts follow it. */
    @Transactional
    public void moveType(String projectId, int size, String oldTypeId, String newTypeId, boolean counted) {
        if (!counted || oldTypeId == null || newTypeId == null || oldTypeId.equals(newTypeId)) {
            return;
        }
        reservations.release(projectId, QuotaResources.typeOnly(typeName(oldTypeId), size));
        reservations.add(projectId, QuotaResources.typeOnly(typeName(newTypeId), size));
        LOG.info("Per-type quota of project {} moved from type {} to {} ({} GiB)", projectId, oldTypeId, newTypeId,
                size);
    }

    /**
     * Runs {@code update} (a statement that may change the volume's type: an in-place retype, a driver's move)
     * and moves the per-type counts in the same transaction when it did.
     */
    @Transactional
    public int changingType(String volumeId, java.util.function.IntSupplier update) {
        VolumeEntity before = volumes.findByIdAndDeletedFalse(volumeId).orElse(null);
        if (before == null) {
            return update.getAsInt();
        }
        String oldType = before.getVolumeTypeId();
        String project = before.getProjectId();
        int size = before.getSize();
        boolean counted = before.isUseQuota();
        int changed = update.getAsInt();
        if (changed > 0) {
            String newType = volumes.findByIdAndDeletedFalse(volumeId).map(VolumeEntity::getVolumeTypeId).orElse(null);
            moveType(project, size, oldType, newType, counted);
        }
        return changed;
    }

    public String typeName(String typeId) {
        return typeId == null ? null : types.findById(typeId).map(VolumeTypeEntity::getName).orElse(null);
    }
}
