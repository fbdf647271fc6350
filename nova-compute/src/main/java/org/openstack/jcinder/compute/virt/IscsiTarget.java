package org.openstack.jcinder.compute.virt;

import java.nio.file.Path;

/**
 * An iSCSI LUN from Cinder's {@code connection_info} ({@code driver_volume_type: iscsi}): the portal, the
 * target's IQN and LUN, and its CHAP credentials. This host has no kernel initiator, so a driver reaches it in
 * user space (libiscsi): libvirt as a network disk, the simulated hypervisor through QEMU's iscsi block driver.
 * {@link #toString()} leaves the password out (it ends up in logs and exception messages).
 */
public record IscsiTarget(String host, int port, String iqn, int lun, String authMethod, String username,
                          String password) {

    public IscsiTarget {
        if (host == null || host.isBlank() || iqn == null || iqn.isBlank()) {
            throw new IllegalArgumentException("an iSCSI connection needs target_portal and target_iqn");
        }
        if (authMethod != null && !authMethod.isBlank() && !authMethod.equalsIgnoreCase("CHAP")) {
            throw new IllegalArgumentException("iSCSI auth_method " + authMethod + " is not supported (only CHAP)");
        }
    }

    /** From Cinder's {@code target_portal} ({@code IP:PORT}, {@code [v6]:PORT}; port 3260 when absent). */
    public static IscsiTarget of(String portal, String iqn, int lun, String authMethod, String username,
                                 String password) {
        if (portal == null || portal.isBlank()) {
            throw new IllegalArgumentException("an iSCSI connection needs target_portal");
        }
        int colon = portal.lastIndexOf(':');
        boolean hasPort = colon > 0 && colon > portal.lastIndexOf(']');
        String host = hasPort ? portal.substring(0, colon) : portal;
        int port = hasPort ? Integer.parseInt(portal.substring(colon + 1)) : 3260;
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new IscsiTarget(host, port, iqn, lun, authMethod, username, password);
    }

    public boolean chap() {
        return username != null && !username.isBlank();
    }

    public String portal() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * The name os-brick's iSCSI connector gives the device ({@code /dev/disk/by-path/ip-…-iscsi-…-lun-N}). No such
     * device exists here (no kernel initiator); it names the disk wherever a path is expected.
     */
    public Path byPath() {
        return Path.of("/dev/disk/by-path/ip-" + portal() + "-iscsi-" + iqn + "-lun-" + lun);
    }

    @Override
    public String toString() {
        return "iscsi://" + portal() + "/" + iqn + "/" + lun + (chap() ? " (CHAP user " + username + ")" : "");
    }
}
