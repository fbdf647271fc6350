package org.openstack.jcinder.scheduler.host;

import java.util.LinkedHashMap;
import java.util.Map;

import org.openstack.jcinder.common.capability.BackendCapabilities;
import org.openstack.jcinder.common.capability.PoolCapabilities;
import org.openstack.jcinder.common.volume.BackendHost;

/**
 * One pool as the scheduler sees it: the last report of its backend, less what the scheduler has placed there
 * since that report ({@code consumedGb}), so that a burst of creates does not all land on the pool that looked
 * emptiest before the burst.
 */
public record PoolState(BackendCapabilities backend, PoolCapabilities pool, String serviceUuid, double consumedGb) {

    public BackendHost location() {
        int at = backend.serviceHost().indexOf('@');
        return new BackendHost(backend.serviceHost().substring(0, at), backend.serviceHost().substring(at + 1),
                pool.poolName());
    }

    public double freeCapacityGb() {
        return pool.freeCapacityGb() - consumedGb;
    }

    public double provisionedCapacityGb() {
        return pool.provisionedCapacityGb() + consumedGb;
    }

    /** Capabilities under Cinder's names: what extra specs are matched against and what get_pools shows. */
    public Map<String, Object> capabilityMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pool_name", pool.poolName());
        m.put("total_capacity_gb", pool.totalCapacityGb());
        m.put("free_capacity_gb", freeCapacityGb());
        m.put("allocated_capacity_gb", pool.allocatedCapacityGb() + consumedGb);
        m.put("provisioned_capacity_gb", provisionedCapacityGb());
        m.put("reserved_percentage", pool.reservedPercentage());
        m.put("thin_provisioning_support", pool.thinProvisioningSupport());
        m.put("thick_provisioning_support", pool.thickProvisioningSupport());
        m.put("max_over_subscription_ratio", pool.maxOverSubscriptionRatio());
        m.put("multiattach", pool.multiattach());
        m.put("location_info", pool.locationInfo());
        m.put("QoS_support", false);
        m.put("volume_backend_name", backend.volumeBackendName());
        m.put("vendor_name", backend.vendorName());
        m.put("driver_version", backend.driverVersion());
        m.put("storage_protocol", backend.storageProtocol());
        m.put("timestamp", backend.timestamp());
        return m;
    }
}
