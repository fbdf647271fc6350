package org.openstack.jcinder.compute.virt.libvirt;

import static org.openstack.jcinder.compute.virt.libvirt.LibvirtSupport.failure;
import static org.openstack.jcinder.compute.virt.libvirt.LibvirtSupport.free;
import static org.openstack.jcinder.compute.virt.libvirt.LibvirtSupport.liveDisk;
import static org.openstack.jcinder.compute.virt.libvirt.LibvirtSupport.sleep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import org.libvirt.Domain;
import org.libvirt.DomainBlockJobInfo;
import org.libvirt.LibvirtException;
import org.libvirt.TypedParameter;
import org.libvirt.TypedUlongParameter;
import org.openstack.jcinder.compute.virt.BlockCopyControl;
import org.openstack.jcinder.compute.virt.Disk;
import org.openstack.jcinder.compute.virt.HypervisorException;
import org.openstack.jcinder.compute.virt.libvirt.DomainXml.LiveDisk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One swap_volume on a libvirt domain (Nova's {@code _swap_volume}): everything it needs to clean up after itself
 * on every path. Refuse a too-small destination, save the persistent definition, abort a stale job, undefine,
 * {@code virDomainBlockCopy(REUSE_EXT)}, poll until the mirror is ready, pivot, redefine; on cancellation or any
 * failure the job is aborted without pivot and the guest stays on its old disk.
 */
final class LibvirtVolumeSwap {

    private static final Logger LOG = LoggerFactory.getLogger(LibvirtVolumeSwap.class);

    /** libvirt's {@code VIR_DOMAIN_BLOCK_JOB_TYPE_UNKNOWN}: what {@code getBlockJobInfo} leaves when no job runs. */
    private static final int NO_JOB = 0;
    /** How long libvirt may take to show a completed pivot in the live XML before the swap is called failed. */
    private static final Duration PIVOT_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Domain dom;
    private final String target;
    private final Disk dest;
    private final BlockCopyControl control;
    private final Supplier<LibvirtConnection> conn;
    private final Duration pollInterval;
    private Path oldSource;

    LibvirtVolumeSwap(String name, Domain dom, String target, Disk dest, BlockCopyControl control,
                      Supplier<LibvirtConnection> conn, Duration pollInterval) {
        this.name = name;
        this.dom = dom;
        this.target = target;
        this.dest = dest;
        this.control = control;
        this.conn = conn;
        this.pollInterval = pollInterval;
    }

    void run() {
        String persistentXml;
        long capacity;
        try {
            LiveDisk current = liveDisk(dom, target).orElseThrow(() -> new HypervisorException("domain " + name
                    + " has no disk " + target));
            oldSource = current.disk().source();
            capacity = dom.blockInfo(target).getCapacity();
            persistentXml = dom.isPersistent() == 1
                    ? dom.getXMLDesc(Domain.XMLFlags.INACTIVE | Domain.XMLFlags.SECURE) : null;
        } catch (LibvirtException e) {
            throw failure("cannot inspect " + name + "/" + target + ": " + e.getMessage(), e);
        }
        // A LUN's size is not readable here without logging in; Nova's API already refused a smaller volume,
        // and QEMU's mirror refuses a target of another size when the copy starts.
        long destSize = dest.network() ? capacity : hostSize(dest);
        if (destSize < capacity) {
            throw new HypervisorException("block copy of " + name + "/" + target + ": destination "
                    + dest.source() + " has " + destSize + " bytes, the disk has " + capacity);
        }
        abortStaleJob();
        if (persistentXml != null) {
            // A block copy runs only on a transient domain (libvirt's rule): Nova undefines and redefines.
            try {
                dom.undefine();
            } catch (LibvirtException e) {
                throw failure("cannot make " + name + " transient for the block copy: " + e.getMessage(), e);
            }
        }
        boolean pivoted = false;
        try {
            copy(capacity, destSize);
            pivot();
            pivoted = true;
        } finally {
            if (persistentXml != null) {
                redefine(pivoted ? liveDefinition() : persistentXml);
            }
        }
    }

    private void abortStaleJob() {
        try {
            if (dom.getBlockJobInfo(target, 0).type != NO_JOB) {
                LOG.warn("Aborting a stale block job on {}/{} before the swap", name, target);
                dom.blockJobAbort(target, 0);
            }
        } catch (LibvirtException e) {
            throw failure("cannot clear a stale block job on " + name + "/" + target + ": " + e.getMessage(), e);
        }
    }

    private void copy(long capacity, long destSize) {
        long bandwidth = Math.max(0, control.bandwidthBytesPerSecond());
        long started = System.nanoTime();
        try {
            // The binding passes an empty parameter array as a null pointer with a count, which libvirt
            // rejects: the bandwidth is always sent (0 = unlimited).
            dom.blockCopy(target, DomainXml.copyDestination(dest, destSize > capacity ? capacity : 0),
                    new TypedParameter[] {new TypedUlongParameter(Domain.BlockCopyParameters.BANDWIDTH,
                            bandwidth)},
                    Domain.BlockCopyFlags.REUSE_EXT);
        } catch (LibvirtException e) {
            throw failure("block copy of " + name + "/" + target + " to " + dest.source() + " could not start: "
                    + e.getMessage() + "; the guest stays on " + oldSource, e);
        }
        LOG.info("Block copy of {}/{} from {} to {} started ({} bytes, bandwidth {} B/s)", name, target,
                oldSource, dest.source(), capacity, bandwidth);
        while (true) {
            if (control.cancelled()) {
                abortCopy();
                throw new HypervisorException("block copy of " + name + "/" + target + " was cancelled; the "
                        + "guest stays on " + oldSource);
            }
            DomainBlockJobInfo info;
            boolean ready;
            try {
                info = dom.getBlockJobInfo(target, 0);
                if (info.type == NO_JOB) {
                    throw vanished();
                }
                control.progress(info.cur, info.end);
                long wanted = Math.max(0, control.bandwidthBytesPerSecond());
                if (wanted != bandwidth) {
                    conn.get().setBlockJobSpeed(name, target, wanted);
                    LOG.info("Block copy of {}/{}: bandwidth {} -> {} B/s", name, target, bandwidth, wanted);
                    bandwidth = wanted;
                }
                // cur == end alone is not enough (libvirt reported it before QEMU's job was ready); the
                // live XML's mirror ready='yes' is what allows a pivot, as Nova checks.
                ready = info.end > 0 && info.cur == info.end
                        && liveDisk(dom, target).map(LiveDisk::mirrorReady).orElse(false);
            } catch (LibvirtException | IllegalStateException e) {
                if (!alive()) {
                    throw disappeared();
                }
                abortCopy();
                throw failure("block copy of " + name + "/" + target + " failed: " + e.getMessage()
                        + "; the guest stays on " + oldSource, e);
            }
            if (ready) {
                LOG.info("Block copy of {}/{} ready after {} ms ({} of {} bytes)", name, target,
                        (System.nanoTime() - started) / 1_000_000, info.cur, info.end);
                return;
            }
            sleep(pollInterval);
        }
    }

    private void pivot() {
        long started = System.nanoTime();
        try {
            dom.blockJobAbort(target, Domain.BlockJobAbortFlags.PIVOT);
        } catch (LibvirtException e) {
            if (!alive()) {
                throw disappeared();
            }
            abortCopy();
            throw failure("pivot of " + name + "/" + target + " onto " + dest.source() + " failed: "
                    + e.getMessage() + "; the guest stays on " + currentSourceOr(oldSource), e);
        }
        long deadline = System.nanoTime() + PIVOT_TIMEOUT.toNanos();
        while (true) {
            Optional<LiveDisk> live;
            try {
                live = liveDisk(dom, target);
            } catch (LibvirtException e) {
                throw alive() ? failure("cannot read " + name + " after the pivot: " + e.getMessage(), e)
                        : disappeared();
            }
            if (live.isPresent() && live.get().mirrorSource().isEmpty()
                    && live.get().disk().source().equals(dest.source())) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new HypervisorException("pivot of " + name + "/" + target + " onto " + dest.source()
                        + " was accepted but the domain still shows " + live.map(l -> l.disk().source()
                        .toString()).orElse("no disk") + " after " + PIVOT_TIMEOUT.toSeconds() + " s");
            }
            sleep(Duration.ofMillis(20));
        }
        long took = System.nanoTime() - started;
        control.pivoted(took);
        LOG.info("Block copy of {}/{} pivoted from {} to {} ({} ms from the pivot request)", name, target,
                oldSource, dest.source(), took / 1_000_000);
    }

    /** Ends the job without a pivot: QEMU keeps the guest on the source, the destination is left as copied. */
    private void abortCopy() {
        try {
            if (dom.getBlockJobInfo(target, 0).type != NO_JOB) {
                dom.blockJobAbort(target, 0);
            }
        } catch (LibvirtException e) {
            LOG.warn("Could not abort the block job on {}/{}: {}", name, target, e.getMessage());
        }
    }

    private HypervisorException vanished() {
        if (!alive()) {
            return disappeared();
        }
        return new HypervisorException("block copy of " + name + "/" + target + " to " + dest.source()
                + " ended in QEMU before it was ready (an I/O error, or a destination QEMU refused; see "
                + "/var/log/libvirt/qemu/" + name + ".log); the guest stays on " + currentSourceOr(oldSource));
    }

    private HypervisorException disappeared() {
        return new HypervisorException("domain " + name + " disappeared during the block copy of " + target);
    }

    private boolean alive() {
        try {
            return dom.isActive() == 1;
        } catch (LibvirtException e) {
            return false;
        }
    }

    private String currentSourceOr(Path fallback) {
        try {
            return liveDisk(dom, target).map(l -> l.disk().source()).orElse(fallback).toString();
        } catch (LibvirtException e) {
            return fallback.toString();
        }
    }

    private String liveDefinition() {
        try {
            return dom.getXMLDesc(Domain.XMLFlags.SECURE);
        } catch (LibvirtException e) {
            throw failure("cannot read the live XML of " + name + " to redefine it: " + e.getMessage(), e);
        }
    }

    private void redefine(String xml) {
        try {
            free(conn.get().domainDefineXML(xml));
        } catch (LibvirtException e) {
            // The domain runs on, but would not survive its next shutdown: say so loudly, with the XML.
            LOG.error("Could not redefine {} after the block copy; its definition was:\n{}", name, xml);
            throw failure("cannot redefine " + name + " after the block copy: " + e.getMessage(), e);
        }
    }

    /** Bytes the disk's source offers on this host: {@code fstat} says 0 for a block device, sysfs knows. */
    private static long hostSize(Disk disk) {
        try {
            Path real = disk.source().toRealPath();
            if (!disk.blockDevice()) {
                return Files.size(real);
            }
            Path sectors = Path.of("/sys/class/block", real.getFileName().toString(), "size");
            return Long.parseLong(Files.readString(sectors).strip()) * 512;
        } catch (IOException | NumberFormatException e) {
            throw new HypervisorException("cannot read the size of " + disk.source() + ": " + e, e);
        }
    }
}
