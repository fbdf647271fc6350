package org.openstack.jcinder.common.volume;

/**
 * How a host reaches a volume's data: for file volumes, the path; for block devices, the device. Drivers
 * answer it, and it travels in RPC answers unchanged.
 */
public record ConnectionInfo(String driverVolumeType, String path) {
}
