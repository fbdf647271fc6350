package org.openstack.jcinder.common.volume;

import java.util.Map;

/**
 * How a host reaches a volume's data, as a driver answers {@code initialize_connection}: for volumes attached
 * on the backend's own host, {@code path} is the file or block device; for an exported volume
 * ({@code driverVolumeType} {@code iscsi}), {@code data} holds Cinder's connection properties
 * ({@code target_portal}, {@code target_iqn}, {@code target_lun}, {@code auth_*}, …) and {@code path} is the
 * device on the exporting host only. It travels in RPC answers unchanged.
 */
public record ConnectionInfo(String driverVolumeType, String path, Map<String, Object> data) {

    public static final String ISCSI = "iscsi";

    public ConnectionInfo {
        data = data == null ? Map.of() : Map.copyOf(data);
    }

    /** A volume reached on this host through {@code path} (no export). */
    public ConnectionInfo(String driverVolumeType, String path) {
        this(driverVolumeType, path, Map.of());
    }

    /** Whether the volume is reached over the network (an iSCSI export), not through a local path. */
    public boolean exported() {
        return ISCSI.equals(driverVolumeType);
    }
}
