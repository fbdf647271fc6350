package org.openstack.jcinder.compute.virt;

import java.nio.file.Path;

/**
 * A volume as the domain sees it: guest device {@code target} (e.g. {@code vdb}) backed by {@code source}, a
 * block device or a raw file on this host, and {@code serial} = the Cinder volume id (what the guest reads as
 * the disk's serial, as with Nova). An iSCSI volume has {@code iscsi} set; its {@code source} is then the
 * os-brick style by-path name ({@link IscsiTarget#byPath()}) for a libvirt network disk, or the local file
 * the simulated hypervisor reaches the LUN through.
 */
public record Disk(String target, Path source, boolean blockDevice, String serial, IscsiTarget iscsi) {

    public Disk {
        if (!source.isAbsolute()) {
            throw new IllegalArgumentException("disk source must be an absolute path: " + source);
        }
    }

    public Disk(String target, Path source, boolean blockDevice, String serial) {
        this(target, source, blockDevice, serial, null);
    }

    /** An iSCSI LUN named by its by-path device name. */
    public static Disk iscsi(String target, IscsiTarget lun, String serial) {
        return new Disk(target, lun.byPath(), true, serial, lun);
    }

    public boolean network() {
        return iscsi != null;
    }

    public Disk withTarget(String newTarget) {
        return new Disk(newTarget, source, blockDevice, serial, iscsi);
    }

    public Disk withSource(Path newSource, boolean newBlockDevice) {
        return new Disk(target, newSource, newBlockDevice, serial, iscsi);
    }
}
