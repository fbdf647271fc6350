package org.openstack.jcinder.compute.virt.libvirt;

import static org.openstack.jcinder.compute.virt.libvirt.LibvirtSupport.failure;
import static org.openstack.jcinder.compute.virt.libvirt.LibvirtSupport.free;
import static org.openstack.jcinder.compute.virt.libvirt.LibvirtSupport.liveDisk;
import static org.openstack.jcinder.compute.virt.libvirt.LibvirtSupport.sleep;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.Secret;
import org.openstack.jcinder.compute.config.NovaConfig;
import org.openstack.jcinder.compute.virt.BlockCopyControl;
import org.openstack.jcinder.compute.virt.Disk;
import org.openstack.jcinder.compute.virt.HypervisorDriver;
import org.openstack.jcinder.compute.virt.HypervisorException;
import org.openstack.jcinder.compute.virt.IscsiTarget;
import org.openstack.jcinder.compute.virt.libvirt.DomainXml.LiveDisk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nova's libvirt driver, for what this compute service does with it: transient QEMU domains, volumes plugged in
 * as virtio disks, and swap_volume the way Nova does it (save the persistent definition and undefine it, abort a
 * stale job, {@code virDomainBlockCopy(REUSE_EXT)}, poll until the mirror is ready, pivot, redefine: the steps
 * are {@link LibvirtVolumeSwap}'s). Domains are named {@code instance-<instance uuid>}.
 */
public class LibvirtDriver implements HypervisorDriver {

    private static final Logger LOG = LoggerFactory.getLogger(LibvirtDriver.class);

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
        List<IscsiTarget> luns = List.of();
        try {
            luns = DomainXml.networkDisks(dom.getXMLDesc(0));
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
        luns.forEach(this::undefineSecret);
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
        if (disk.network()) {
            defineSecret(disk.iscsi());
        }
        try {
            dom.attachDeviceFlags(DomainXml.disk(disk), modifyFlags(dom));
        } catch (LibvirtException e) {
            if (disk.network()) {
                undefineSecret(disk.iscsi());
            }
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
            if (live.get().disk().network()) {
                undefineSecret(live.get().disk().iscsi());
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
    public void swapVolume(String instanceUuid, String target, Disk newDisk, BlockCopyControl control) {
        String name = domainName(instanceUuid);
        Domain dom = domain(instanceUuid);
        Optional<Disk> old;
        boolean pivoted = false;
        try {
            old = liveDisk(dom, target).map(LiveDisk::disk);
        } catch (LibvirtException e) {
            free(dom);
            throw new HypervisorException("cannot read the disks of " + name + ": " + e.getMessage(), e);
        }
        try {
            if (newDisk.network()) {
                defineSecret(newDisk.iscsi());
            }
            new LibvirtVolumeSwap(name, dom, target, newDisk, control, this::conn, pollInterval).run();
            pivoted = true;
        } finally {
            free(dom);
            // QEMU no longer uses one of the two LUNs: the old one after the pivot, the new one after a failure.
            Disk unused = pivoted ? old.orElse(null) : newDisk;
            Disk kept = pivoted ? newDisk : old.orElse(null);
            if (unused != null && unused.network() && (kept == null || !kept.network()
                    || !kept.iscsi().iqn().equals(unused.iscsi().iqn()))) {
                undefineSecret(unused.iscsi());
            }
        }
    }

    /**
     * Defines (or updates) the libvirt secret that holds a target's CHAP password, found by its usage name;
     * the network disk's {@code <auth>} refers to it. Nova's {@code _set_auth_config_iscsi}.
     */
    void defineSecret(IscsiTarget lun) {
        if (!lun.chap()) {
            return;
        }
        try {
            Secret secret = findSecret(DomainXml.secretUsage(lun)).orElse(null);
            if (secret == null) {
                secret = conn().secretDefineXML(DomainXml.secret(lun));
            }
            try {
                secret.setValue((lun.password() == null ? "" : lun.password()).getBytes(StandardCharsets.UTF_8));
            } finally {
                secret.free();
            }
        } catch (LibvirtException e) {
            throw new HypervisorException("cannot define the libvirt secret for " + lun + ": " + e.getMessage(), e);
        }
    }

    /** Removes a target's CHAP secret once no disk uses it; a missing one is not an error. */
    void undefineSecret(IscsiTarget lun) {
        try {
            Optional<Secret> secret = findSecret(DomainXml.secretUsage(lun));
            if (secret.isPresent()) {
                try {
                    secret.get().undefine();
                } finally {
                    secret.get().free();
                }
            }
        } catch (LibvirtException | RuntimeException e) {
            LOG.warn("Could not undefine the libvirt secret of {}: {}", lun, e.getMessage());
        }
    }

    /** The secret with this usage name ({@code virsh secret-list}; the binding has no lookup by usage). */
    Optional<Secret> findSecret(String usage) throws LibvirtException {
        for (String uuid : conn().listSecrets()) {
            Secret s;
            try {
                s = conn().secretLookupByUUIDString(uuid);
            } catch (LibvirtException e) {
                continue; // undefined meanwhile
            }
            if (usage.equals(s.getUsageID())) {
                return Optional.of(s);
            }
            s.free();
        }
        return Optional.empty();
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
