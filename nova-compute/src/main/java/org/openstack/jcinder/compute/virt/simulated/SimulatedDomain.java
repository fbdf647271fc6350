package org.openstack.jcinder.compute.virt.simulated;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.openstack.jcinder.compute.virt.Disk;
import org.openstack.jcinder.compute.virt.HypervisorDriver.DomainSpec;

/** One simulated guest: its disks, and the journal workloads writing to them when asked for. */
final class SimulatedDomain implements AutoCloseable {

    private final DomainSpec spec;
    private final Map<String, GuestDisk> disks = new ConcurrentHashMap<>();
    private final Map<String, JournalWorkload> workloads = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    SimulatedDomain(DomainSpec spec) {
        this.spec = spec;
    }

    DomainSpec spec() {
        return spec;
    }

    boolean running() {
        return running;
    }

    void plug(Disk disk, boolean journal) {
        GuestDisk d = new GuestDisk(disk);
        if (disks.putIfAbsent(disk.target(), d) != null) {
            d.close();
            throw new IllegalStateException("domain " + spec.name() + " already has a disk " + disk.target());
        }
        if (journal) {
            workloads.put(disk.target(), new JournalWorkload(spec.name() + "/" + disk.target(), d));
        }
    }

    void unplug(String target) {
        JournalWorkload w = workloads.remove(target);
        if (w != null) {
            w.close();
        }
        GuestDisk d = disks.remove(target);
        if (d != null) {
            d.close();
        }
    }

    Optional<GuestDisk> disk(String target) {
        return Optional.ofNullable(disks.get(target));
    }

    Optional<JournalWorkload> workload(String target) {
        return Optional.ofNullable(workloads.get(target));
    }

    @Override
    public void close() {
        running = false;
        workloads.values().forEach(JournalWorkload::close);
        workloads.clear();
        disks.values().forEach(GuestDisk::close);
        disks.clear();
    }
}
