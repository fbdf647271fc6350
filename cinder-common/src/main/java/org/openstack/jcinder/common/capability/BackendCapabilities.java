package org.openstack.jcinder.common.capability;

import java.util.List;

/**
 * One capability report of one backend ({@code host@backend}), sent every report interval to the schedulers
 * and kept in the services table. {@code up} is false when the driver could not initialise (for example its
 * storage is missing); {@code stateReason} then says why.
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
        List<PoolCapabilities> pools) {

    public BackendCapabilities {
        pools = pools == null ? List.of() : List.copyOf(pools);
    }
}
