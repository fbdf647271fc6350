package org.openstack.jcinder.compute.virt.simulated;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.openstack.jcinder.compute.config.NovaConfig;
import org.openstack.jcinder.compute.virt.BlockCopyControl;
import org.openstack.jcinder.compute.virt.Disk;
import org.openstack.jcinder.compute.virt.HypervisorDriver;
import org.openstack.jcinder.compute.virt.HypervisorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process hypervisor for the all-in-one and for tests: domains are threads, disks are the volumes'
 * files or block devices opened directly, and a swap is a real mirror of the data with dirty tracking while
 * the guest keeps writing ({@code [simulated] guest_workload = journal} gives every disk a journaling guest).
 */
public class SimulatedHypervisor implements HypervisorDriver {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedHypervisor.class);

    private final Map<String, SimulatedDomain> domains = new ConcurrentHashMap<>();
    private final boolean journal;

    public SimulatedHypervisor(NovaConfig config) {
        this(config.simulatedGuestWorkload().equals("journal"));
    }

    public SimulatedHypervisor(boolean journal) {
        this.journal = journal;
    }

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public void setup() {
        LOG.info("Simulated hypervisor ready (guest workload: {})", journal ? "journal" : "none");
    }

    @Override
    public void spawn(DomainSpec spec) {
        if (domains.putIfAbsent(spec.instanceUuid(), new SimulatedDomain(spec)) != null) {
            throw new HypervisorException("domain " + spec.instanceUuid() + " already exists");
        }
    }

    @Override
    public void destroy(String instanceUuid) {
        SimulatedDomain d = domains.remove(instanceUuid);
        if (d != null) {
            d.close();
        }
    }

    @Override
    public DomainState state(String instanceUuid) {
        SimulatedDomain d = domains.get(instanceUuid);
        return d == null ? DomainState.MISSING : DomainState.RUNNING;
    }

    @Override
    public void attachDisk(String instanceUuid, Disk disk) {
        try {
            domain(instanceUuid).plug(disk, journal);
        } catch (RuntimeException e) {
            throw new HypervisorException("cannot attach " + disk.source() + " to " + instanceUuid + " as "
                    + disk.target() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void detachDisk(String instanceUuid, String target) {
        SimulatedDomain d = domains.get(instanceUuid);
        if (d != null) {
            d.unplug(target);
        }
    }

    @Override
    public Optional<Disk> disk(String instanceUuid, String target) {
        SimulatedDomain d = domains.get(instanceUuid);
        return d == null ? Optional.empty() : d.disk(target).map(GuestDisk::disk);
    }

    @Override
    public void swapVolume(String instanceUuid, String target, Disk newDisk, BlockCopyControl control) {
        SimulatedDomain d = domain(instanceUuid);
        GuestDisk disk = d.disk(target).orElseThrow(() -> new HypervisorException("domain " + instanceUuid
                + " has no disk " + target));
        new MirrorJob(instanceUuid, disk, newDisk, control, () -> d.running() && domains.get(instanceUuid) == d)
                .run();
    }

    @Override
    public void resizeDisk(String instanceUuid, String target, long newSizeBytes) {
        GuestDisk disk = domain(instanceUuid).disk(target).orElseThrow(() -> new HypervisorException("domain "
                + instanceUuid + " has no disk " + target));
        try {
            long device = BlockDevices.size(disk.disk().source(), disk.sourceChannel());
            if (device < newSizeBytes) {
                throw new HypervisorException("cannot grow " + instanceUuid + "/" + target + " to " + newSizeBytes
                        + " bytes: " + disk.disk().source() + " has " + device);
            }
        } catch (java.io.IOException e) {
            throw new HypervisorException("cannot size " + disk.disk().source() + ": " + e.getMessage(), e);
        }
        disk.grow(newSizeBytes);
    }

    /** The size the guest sees of a disk. */
    public java.util.OptionalLong diskSize(String instanceUuid, String target) {
        SimulatedDomain d = domains.get(instanceUuid);
        return d == null ? java.util.OptionalLong.empty()
                : d.disk(target).map(g -> java.util.OptionalLong.of(g.size())).orElse(java.util.OptionalLong.empty());
    }

    /** The journaling guest of a disk, when {@code guest_workload = journal}: what tests verify against. */
    public Optional<JournalWorkload> workload(String instanceUuid, String target) {
        SimulatedDomain d = domains.get(instanceUuid);
        return d == null ? Optional.empty() : d.workload(target);
    }

    /** Writes through the guest, as its own I/O would (for tests that need known data on a disk). */
    public void guestWrite(String instanceUuid, String target, long offset, byte[] data) {
        try {
            GuestDisk disk = domain(instanceUuid).disk(target).orElseThrow();
            disk.write(offset, java.nio.ByteBuffer.wrap(data));
            disk.flush();
        } catch (java.io.IOException e) {
            throw new HypervisorException("guest write failed: " + e.getMessage(), e);
        }
    }

    private SimulatedDomain domain(String instanceUuid) {
        SimulatedDomain d = domains.get(instanceUuid);
        if (d == null) {
            throw new HypervisorException("domain " + instanceUuid + " does not exist");
        }
        return d;
    }

    @Override
    public void close() {
        domains.values().forEach(SimulatedDomain::close);
        domains.clear();
    }
}
