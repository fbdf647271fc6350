package org.openstack.jcinder.common.exception;

/**
 * Cinder's {@code QuotaError} family (413, {@code Retry-After: 0}), with its exact messages: the API maps it to
 * an {@code overLimit} body. The factories are the subclasses Cinder raises, by name.
 */
public class QuotaExceededException extends CinderException {

    public QuotaExceededException(String message) {
        super(413, message);
    }

    /** {@code VolumeSizeExceedsAvailableQuota}. */
    public static QuotaExceededException sizeExceedsAvailableQuota(String name, long requested, long quota,
                                                                   long consumed) {
        return new QuotaExceededException("Requested volume or snapshot exceeds allowed " + name + " quota. "
                + "Requested " + requested + "G, quota is " + quota + "G and " + consumed + "G has been consumed.");
    }

    /** {@code VolumeLimitExceeded}. */
    public static QuotaExceededException volumeLimitExceeded(long allowed, String name) {
        return new QuotaExceededException("Maximum number of volumes allowed (" + allowed + ") exceeded for quota '"
                + name + "'.");
    }

    /** {@code SnapshotLimitExceeded}. */
    public static QuotaExceededException snapshotLimitExceeded(long allowed) {
        return new QuotaExceededException("Maximum number of snapshots allowed (" + allowed + ") exceeded");
    }

    /** {@code VolumeSizeExceedsLimit}: larger than {@code per_volume_gigabytes}. */
    public static QuotaExceededException sizeExceedsLimit(long size, long limit) {
        return new QuotaExceededException("Requested volume size " + size + "G is larger than maximum allowed limit "
                + limit + "G.");
    }

    /** {@code UnexpectedOverQuota}. */
    public static QuotaExceededException unexpected(String name) {
        return new QuotaExceededException("Unexpected over quota on " + name + ".");
    }
}
