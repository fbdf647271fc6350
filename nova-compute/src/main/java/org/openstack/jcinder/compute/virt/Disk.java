package org.openstack.jcinder.compute.virt;

import java.nio.file.Path;

/**
 * A volume as the domain sees it: guest device {@code target} (e.g. {@code vdb}) backed by {@code source}, a
 * block device or a raw file on this host, and {@code serial} = the Cinder volume id (what the guest reads as
 * the disk's serial, as with Nova).
 */
public record Disk(String target, Path source, boolean blockDevice, String serial) {

    public Disk {
        if (!source.isAbsolute()) {
            throw new IllegalArgumentException("disk source must be an absolute path: " + source);
        }
    }

    public Disk withTarget(String newTarget) {
        return new Disk(newTarget, source, blockDevice, serial);
    }
}
