package org.openstack.jcinder.common.capability;

import java.util.List;

/**
 * One capability report of one backend ({@code host@backend}), sent every report interval to the schedulers
 * and kept in the services table. {@code up} is false when the driver could not initialise (for example its
 * storage is missing); {@code stateReason} then says why.
 *
 * <p>{@code copyBandwidthLimit} is this project's: whether the backend's host-copy engine can keep a
 * migration's {@code bps_limit} (null from a service that does not say: taken as yes, as before). The API
 * refuses a limited migration of a volume on a backend that says no, rather than accept and ignore the limit.
 */
public record BackendCapabilities(
        String serviceHost,
        String volumeBackendName,
        String vendorName,
        String driverVersion,
        String storageProtocol,
        String availabilityZone,
        String timestamp,
        boolean up,
        String stateReason,
        List<PoolCapabilities> pools,
        Boolean copyBandwidthLimit) {

    public BackendCapabilities {
        pools = pools == null ? List.of() : List.copyOf(pools);
    }

    /** A driver's report: whether the copy engine keeps a limit is the volume manager's to add. */
    public BackendCapabilities(String serviceHost, String volumeBackendName, String vendorName, String driverVersion,
                               String storageProtocol, String availabilityZone, String timestamp, boolean up,
                               String stateReason, List<PoolCapabilities> pools) {
        this(serviceHost, volumeBackendName, vendorName, driverVersion, storageProtocol, availabilityZone, timestamp,
                up, stateReason, pools, null);
    }

    public BackendCapabilities withCopyBandwidthLimit(boolean kept) {
        return new BackendCapabilities(serviceHost, volumeBackendName, vendorName, driverVersion, storageProtocol,
                availabilityZone, timestamp, up, stateReason, pools, kept);
    }
}
