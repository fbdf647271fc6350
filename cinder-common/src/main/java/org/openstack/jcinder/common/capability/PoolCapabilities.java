package org.openstack.jcinder.common.capability;

/**
 * What a backend reports about one of its pools, in GiB as Cinder reports it. {@code locationInfo} is the
 * driver's own address of the pool (for example {@code LVMVolumeDriver:host:vg:default:0}); drivers compare it
 * to decide whether they can move a volume natively.
 */
public record PoolCapabilities(
        String poolName,
        double totalCapacityGb,
        double freeCapacityGb,
        double allocatedCapacityGb,
        double provisionedCapacityGb,
        int reservedPercentage,
        boolean thinProvisioningSupport,
        boolean thickProvisioningSupport,
        double maxOverSubscriptionRatio,
        boolean multiattach,
        String locationInfo) {
}
