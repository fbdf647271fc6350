package org.openstack.jcinder.common.quota;

import org.openstack.jcinder.common.exception.QuotaExceededException;

/**
 * Cinder's {@code quota_utils.process_reserve_over_quota}: the first resource over its limit (in name order)
 * decides the message — a gigabytes resource gives VolumeSizeExceedsAvailableQuota, a count gives the
 * resource's LimitExceeded.
 */
public final class QuotaErrors {

    private QuotaErrors() {
    }

    /** @param resource what was being created: {@code volumes} or {@code snapshots} (the seam for issue 11). */
    public static QuotaExceededException forCreate(OverQuotaException e, String resource, int size) {
        for (String over : e.overs()) {
            QuotaUsage u = e.usages().get(over);
            if (over.contains("gigabytes")) {
                return QuotaExceededException.sizeExceedsAvailableQuota(over, size, u.limit(), u.consumed());
            }
            if (over.contains(resource)) {
                return QuotaResources.SNAPSHOTS.equals(resource)
                        ? QuotaExceededException.snapshotLimitExceeded(u.limit())
                        : QuotaExceededException.volumeLimitExceeded(u.limit(), over);
            }
        }
        return QuotaExceededException.unexpected(String.join(", ", e.overs()));
    }

    /** Cinder's extend: always reports the project's {@code gigabytes} figures, whichever resource was over. */
    public static QuotaExceededException forExtend(OverQuotaException e, int increase) {
        QuotaUsage g = e.usages().get(QuotaResources.GIGABYTES);
        return QuotaExceededException.sizeExceedsAvailableQuota(QuotaResources.GIGABYTES, increase, g.limit(),
                g.consumed());
    }
}
