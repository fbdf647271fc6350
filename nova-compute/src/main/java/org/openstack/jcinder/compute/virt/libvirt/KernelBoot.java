package org.openstack.jcinder.compute.virt.libvirt;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Direct kernel boot for a domain (libvirt's {@code <kernel>/<initrd>/<cmdline>}), with its serial console
 * written to {@code consoleLog} on the host. Nova boots from images; this is how a test boots a small real
 * guest without one.
 */
public record KernelBoot(Path kernel, Path initrd, String cmdline, Optional<Path> consoleLog) {

    public KernelBoot {
        if (!kernel.isAbsolute() || !initrd.isAbsolute() || consoleLog.map(p -> !p.isAbsolute()).orElse(false)) {
            throw new IllegalArgumentException("kernel, initrd and console log need absolute paths");
        }
    }
}
