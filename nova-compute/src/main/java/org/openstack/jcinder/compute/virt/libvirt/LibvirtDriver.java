package org.openstack.jcinder.compute.virt.libvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.libvirt.Domain;
import org.libvirt.DomainBlockJobInfo;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.TypedParameter;
import org.libvirt.TypedUlongParameter;
import org.openstack.jcinder.compute.config.NovaConfig;
import org.openstack.jcinder.compute.virt.BlockCopyControl;
import org.openstack.jcinder.compute.virt.Disk;
import org.openstack.jcinder.compute.virt.HypervisorDriver;
import org.openstack.jcinder.compute.virt.HypervisorException;
import org.openstack.jcinder.compute.virt.libvirt.DomainXml.LiveDisk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nova's libvirt driver, for what this compute service does with it: transient QEMU domains, volumes plugged in
 * as virtio disks, and swap_volume the way Nova does it (save the persistent definition and undefine it, abort a
 * stale job, {@code virDomainBlockCopy(REUSE_EXT)}, poll until the mirror is ready, pivot, redefine). Domains
 * are named {@code instance-<instance uuid>}.
 */
public class LibvirtDriver implements HypervisorDriver {

    private static final Logger LOG = LoggerFactory.getLogger(LibvirtDriver.class);

    /** libvirt's {@code VIR_DOMAIN_BLOCK_JOB_TYPE_UNKNOWN}: what {@code getBlockJobInfo} leaves when no job runs. */
    private static final int NO_JOB = 0;
    /** How long libvirt may take to show a completed pivot in the live XML before the swap is called failed. */
    private static final Duration PIVOT_TIMEOUT = Duration.ofSeconds(30);
    /** Nova's {@code [libvirt] device_detach_timeout} default. */
    public static final Duration DEFAULT_DETACH_TIMEOUT = Duration.ofSeconds(20);

    private final String uri;
    private final String virtType;
    private final Duration pollInterval;
    private final Duration detachTimeout;
    private final Set<String> spawned = ConcurrentHashMap.newKeySet();
    private volatile LibvirtConnection conn;

    public LibvirtDriver(NovaConfig config) {
        this(config.libvirtUri(), config.libvirtVirtType(), config.blockJobPollInterval(), DEFAULT_DETACH_TIMEOUT);
    }

    public LibvirtDriver(String uri, String virtType, Duration pollInterval, Duration detachTimeout) {
        this.uri = uri;
        this.virtType = virtType;
        this.pollInterval = pollInterval;
        this.detachTimeout = detachTimeout;
    }

    @Override
    public String name() {
        return "libvirt.LibvirtDriver";
    }

    @Override
    public synchronized void setup() {
        if (conn != null) {
            return;
        }
        LibvirtConnection c;
        try {
            c = new LibvirtConnection(uri);
        } catch (LibvirtException e) {
            throw new HypervisorException("cannot connect to libvirt at " + uri + ": " + e.getMessage()
                    + " (is libvirtd running? without systemd start it with 'libvirtd -d'; see docs/libvirt.md)", e);
        } catch (LinkageError e) {
            throw new HypervisorException("the libvirt client library libvirt.so.0 cannot be loaded (Debian: "
                    + "apt-get install libvirt0): " + e.getMessage(), e);
        }
        try {
            String caps = c.getCapabilities();
            if (!caps.contains("<domain type='" + virtType + "'")) {
                throw new HypervisorException("[libvirt] virt_type = " + virtType + " is not offered by " + uri
                        + ("kvm".equals(virtType) ? " (no /dev/kvm on this host? set virt_type = qemu for software "
                        + "emulation)" : ""));
            }
            LOG.info("libvirt driver connected to {} (libvirt {}, hypervisor version {}), virt_type {}", uri,
                    c.getLibVersion(), c.getVersion(), virtType);
        } catch (LibvirtException e) {
            closeQuietly(c);
            throw new HypervisorException("libvirt at " + uri + " does not answer: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
        conn = c;
    }

    @Override
    public void spawn(DomainSpec spec) {
        spawn(spec, List.of(), Optional.empty());
    }

    /**
     * Starts a transient domain with {@code disks} plugged in from boot (Nova's block_device_info), optionally
     * booting a kernel directly.
     */
    public void spawn(DomainSpec spec, List<Disk> disks, Optional<KernelBoot> boot) {
        String name = domainName(spec.instanceUuid());
        String xml = DomainXml.domain(name, spec, virtType, disks, boot);
        try {
            conn().domainCreateXML(xml, 0);
            spawned.add(spec.instanceUuid());
            LOG.info("Domain {} started ({} MiB, {} disk(s))", name, spec.memoryMb(), disks.size());
        } catch (LibvirtException e) {
            throw new HypervisorException("cannot start domain " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void destroy(String instanceUuid) {
        Optional<Domain> d = lookup(instanceUuid);
        if (d.isEmpty()) {
            spawned.remove(instanceUuid);
            return;
        }
        Domain dom = d.get();
        try {
            if (dom.isActive() == 1) {
                dom.destroy();
            }
            if (dom.isPersistent() == 1) {
                dom.undefine();
            }
        } catch (LibvirtException e) {
            if (!isNoDomain(e)) {
                throw new HypervisorException("cannot destroy domain " + domainName(instanceUuid) + ": "
                        + e.getMessage(), e);
            }
        } finally {
            free(dom);
        }
        spawned.remove(instanceUuid);
    }

    @Override
    public DomainState state(String instanceUuid) {
        Optional<Domain> d = lookup(instanceUuid);
        if (d.isEmpty()) {
            return DomainState.MISSING;
        }
        try {
            org.libvirt.DomainInfo.DomainState s = d.get().getInfo().state;
            return switch (s) {
                case VIR_DOMAIN_RUNNING, VIR_DOMAIN_BLOCKED -> DomainState.RUNNING;
                case VIR_DOMAIN_PAUSED, VIR_DOMAIN_PMSUSPENDED -> DomainState.PAUSED;
                default -> DomainState.SHUTOFF;
            };
        } catch (LibvirtException e) {
            if (isNoDomain(e)) {
                return DomainState.MISSING;
            }
            throw new HypervisorException("cannot read the state of " + domainName(instanceUuid) + ": "
                    + e.getMessage(), e);
        } finally {
            free(d.get());
        }
    }

    @Override
    public void attachDisk(String instanceUuid, Disk disk) {
        Domain dom = domain(instanceUuid);
        try {
            dom.attachDeviceFlags(DomainXml.disk(disk), modifyFlags(dom));
        } catch (LibvirtException e) {
            throw new HypervisorException("cannot attach " + disk.source() + " to " + domainName(instanceUuid)
                    + " as " + disk.target() + ": " + e.getMessage(), e);
        } finally {
            free(dom);
        }
    }

    /** Nova's {@code extend_volume}: {@code virDomainBlockResize} in bytes, once the volume has grown. */
    @Override
    public void resizeDisk(String instanceUuid, String target, long newSizeBytes) {
        Domain dom = domain(instanceUuid);
        try {
            dom.blockResize(target, newSizeBytes, Domain.BlockResizeFlags.BYTES);
        } catch (LibvirtException e) {
            throw failure("cannot resize " + domainName(instanceUuid) + "/" + target + " to " + newSizeBytes
                    + " bytes: " + e.getMessage(), e);
        } finally {
            free(dom);
        }
    }

    /**
     * Asks the guest to release the disk and waits up to {@code device_detach_timeout} for it to go: a PCI
     * hot-unplug completes only when the guest OS acknowledges it (a domain idling in its BIOS never does).
     */
    @Override
    public void detachDisk(String instanceUuid, String target) {
        Optional<Domain> d = lookup(instanceUuid);
        if (d.isEmpty()) {
            return;
        }
        Domain dom = d.get();
        try {
            Optional<LiveDisk> live = liveDisk(dom, target);
            if (live.isEmpty()) {
                return;
            }
            dom.detachDeviceFlags(DomainXml.disk(live.get().disk()), modifyFlags(dom));
            long deadline = System.nanoTime() + detachTimeout.toNanos();
            while (liveDisk(dom, target).isPresent()) {
                if (System.nanoTime() > deadline) {
                    throw new HypervisorException("the guest of " + domainName(instanceUuid) + " did not release "
                            + target + " within " + detachTimeout.toSeconds() + " s (a hot-unplug needs the guest "
                            + "OS to acknowledge it); the disk stays attached");
                }
                sleep(Duration.ofMillis(100));
            }
        } catch (LibvirtException e) {
            if (!isNoDomain(e)) {
                throw new HypervisorException("cannot detach " + target + " from " + domainName(instanceUuid) + ": "
                        + e.getMessage(), e);
            }
        } finally {
            free(dom);
        }
    }

    @Override
    public Optional<Disk> disk(String instanceUuid, String target) {
        Optional<Domain> d = lookup(instanceUuid);
        if (d.isEmpty()) {
            return Optional.empty();
        }
        try {
            return liveDisk(d.get(), target).map(LiveDisk::disk);
        } catch (LibvirtException e) {
            if (isNoDomain(e)) {
                return Optional.empty();
            }
            throw new HypervisorException("cannot read the disks of " + domainName(instanceUuid) + ": "
                    + e.getMessage(), e);
        } finally {
            free(d.get());
        }
    }

    /** The domain's live XML as libvirt reports it (what an operator sees with {@code virsh dumpxml}). */
    public String liveXml(String instanceUuid) {
        Domain dom = domain(instanceUuid);
        try {
            return dom.getXMLDesc(0);
        } catch (LibvirtException e) {
            throw new HypervisorException("cannot read the XML of " + domainName(instanceUuid) + ": "
                    + e.getMessage(), e);
        } finally {
            free(dom);
        }
    }

    /** Whether libvirt keeps a persistent definition of the domain (after a swap it must again, if it had one). */
    public boolean persistent(String instanceUuid) {
        Domain dom = domain(instanceUuid);
        try {
            return dom.isPersistent() == 1;
        } catch (LibvirtException e) {
            throw new HypervisorException(e.getMessage(), e);
        } finally {
            free(dom);
        }
    }

    @Override
    public void swapDisk(String instanceUuid, String target, Disk newDisk, BlockCopyControl control) {
        String name = domainName(instanceUuid);
        Domain dom = domain(instanceUuid);
        try {
            new Swap(name, dom, target, newDisk, control).run();
        } finally {
            free(dom);
        }
    }

    /** One swap_volume: everything it needs to clean up after itself on every path. */
    private final class Swap {
        private final String name;
        private final Domain dom;
        private final String target;
        private final Disk dest;
        private final BlockCopyControl control;
        private Path oldSource;

        Swap(String name, Domain dom, String target, Disk dest, BlockCopyControl control) {
            this.name = name;
            this.dom = dom;
            this.target = target;
            this.dest = dest;
            this.control = control;
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
            long destSize = hostSize(dest);
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
                        conn().setBlockJobSpeed(name, target, wanted);
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
            LOG.info("Block copy of {}/{} pivoted from {} to {} ({} ms from the pivot request)", name, target,
                    oldSource, dest.source(), (System.nanoTime() - started) / 1_000_000);
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
                free(conn().domainDefineXML(xml));
            } catch (LibvirtException e) {
                // The domain runs on, but would not survive its next shutdown: say so loudly, with the XML.
                LOG.error("Could not redefine {} after the block copy; its definition was:\n{}", name, xml);
                throw failure("cannot redefine " + name + " after the block copy: " + e.getMessage(), e);
            }
        }
    }

    private static HypervisorException failure(String message, Exception cause) {
        return new HypervisorException(message, cause);
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

    private static Optional<LiveDisk> liveDisk(Domain dom, String target) throws LibvirtException {
        return DomainXml.liveDisk(dom.getXMLDesc(0), target);
    }

    /** Live, and also in the persistent definition when there is one (Nova's attach flags). */
    private static int modifyFlags(Domain dom) throws LibvirtException {
        int flags = Domain.DeviceModifyFlags.LIVE;
        if (dom.isPersistent() == 1) {
            flags |= Domain.DeviceModifyFlags.CONFIG;
        }
        return flags;
    }

    static String domainName(String instanceUuid) {
        return "instance-" + instanceUuid;
    }

    private Domain domain(String instanceUuid) {
        return lookup(instanceUuid).orElseThrow(() -> new HypervisorException("domain " + domainName(instanceUuid)
                + " does not exist"));
    }

    private Optional<Domain> lookup(String instanceUuid) {
        try {
            return Optional.of(conn().domainLookupByName(domainName(instanceUuid)));
        } catch (LibvirtException e) {
            if (isNoDomain(e)) {
                return Optional.empty();
            }
            throw new HypervisorException("cannot look up " + domainName(instanceUuid) + " at " + uri + ": "
                    + e.getMessage(), e);
        }
    }

    private LibvirtConnection conn() {
        LibvirtConnection c = conn;
        if (c == null) {
            throw new HypervisorException("the libvirt driver is not set up (setup() connects to " + uri + ")");
        }
        return c;
    }

    private static boolean isNoDomain(LibvirtException e) {
        return e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN;
    }

    private static void free(Domain dom) {
        try {
            dom.free();
        } catch (LibvirtException ignored) {
            // freeing a handle cannot fail in a way the caller could act on
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException("interrupted while waiting for libvirt");
        }
    }

    private static void closeQuietly(LibvirtConnection c) {
        try {
            c.close();
        } catch (LibvirtException ignored) {
            // closing after a failed setup: the setup error is the one to report
        }
    }

    /** Destroys the domains this driver started (the interface's contract) and closes the connection. */
    @Override
    public synchronized void close() {
        if (conn == null) {
            return;
        }
        for (String uuid : List.copyOf(spawned)) {
            try {
                destroy(uuid);
            } catch (RuntimeException e) {
                LOG.warn("Could not destroy {} on close: {}", domainName(uuid), e.getMessage());
            }
        }
        closeQuietly(conn);
        conn = null;
    }
}
