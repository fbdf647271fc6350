package org.openstack.jcinder.compute.virt.libvirt;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.jna.DomainPointer;
import org.libvirt.jna.Libvirt;
import org.libvirt.jna.virError;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/**
 * A libvirt connection plus the one block-job call the Java binding 0.5.4 lacks: {@code
 * virDomainBlockJobSetSpeed}, needed to change a running copy's bandwidth. The binding keeps a domain's native
 * pointer package-private, so the domain is looked up again through this connection's pointer (a subclass may
 * read it) and released after the call.
 */
final class LibvirtConnection extends Connect {

    /** {@code VIR_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES}: the bandwidth is in bytes/s, not MiB/s. */
    private static final int SPEED_BANDWIDTH_BYTES = 1;

    interface BlockJobSpeed extends com.sun.jna.Library {
        // Same library name as the binding, so JNA resolves the same libvirt.so.0.
        BlockJobSpeed INSTANCE = Native.load("virt", BlockJobSpeed.class);

        int virDomainBlockJobSetSpeed(DomainPointer domain, String disk, NativeLong bandwidth, int flags);
    }

    /**
     * Without a handler, libvirt prints every error to stderr ("libvirt: QEMU Driver error : Domain not found"),
     * even those the driver expects and handles; the binding still raises each one as a LibvirtException. Held
     * in a static field because JNA must not see the callback collected.
     */
    private static final org.libvirt.ErrorCallback QUIET = new org.libvirt.ErrorCallback();
    private static volatile boolean quieted;

    LibvirtConnection(String uri) throws LibvirtException {
        super(uri, false);
        if (!quieted) {
            Connect.setErrorCallback(QUIET);
            quieted = true;
        }
    }

    /**
     * Sets the bandwidth of the block job on {@code disk} (0 = unlimited).
     *
     * @throws IllegalStateException with libvirt's message when the domain or the job is gone, or libvirt refuses
     */
    void setBlockJobSpeed(String domainName, String disk, long bytesPerSecond) {
        DomainPointer dp = Libvirt.INSTANCE.virDomainLookupByName(vcp, domainName);
        if (dp == null) {
            throw new IllegalStateException(lastError("domain " + domainName + " not found"));
        }
        try {
            if (BlockJobSpeed.INSTANCE.virDomainBlockJobSetSpeed(dp, disk, new NativeLong(bytesPerSecond),
                    SPEED_BANDWIDTH_BYTES) < 0) {
                throw new IllegalStateException(lastError("virDomainBlockJobSetSpeed failed"));
            }
        } finally {
            Libvirt.INSTANCE.virDomainFree(dp);
        }
    }

    private static String lastError(String fallback) {
        virError e = Libvirt.INSTANCE.virGetLastError();
        return e == null || e.message == null ? fallback : e.message;
    }
}
