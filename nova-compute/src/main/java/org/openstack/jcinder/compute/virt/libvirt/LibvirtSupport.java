package org.openstack.jcinder.compute.virt.libvirt;

import java.time.Duration;
import java.util.Optional;

import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.openstack.jcinder.compute.virt.HypervisorException;
import org.openstack.jcinder.compute.virt.libvirt.DomainXml.LiveDisk;

/** The small libvirt utilities both {@link LibvirtDriver} and {@link LibvirtVolumeSwap} use. */
final class LibvirtSupport {

    private LibvirtSupport() {
    }

    static HypervisorException failure(String message, Exception cause) {
        return new HypervisorException(message, cause);
    }

    static Optional<LiveDisk> liveDisk(Domain dom, String target) throws LibvirtException {
        return DomainXml.liveDisk(dom.getXMLDesc(0), target);
    }

    static void free(Domain dom) {
        try {
            dom.free();
        } catch (LibvirtException ignored) {
            // freeing a handle cannot fail in a way the caller could act on
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException("interrupted while waiting for libvirt");
        }
    }
}
