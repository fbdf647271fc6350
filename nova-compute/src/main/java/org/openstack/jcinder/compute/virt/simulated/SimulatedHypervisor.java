package org.openstack.jcinder.compute.virt.simulated;

import java.nio.file.Files;
import java.nio.file.Path;
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
    /** The iSCSI sessions of attached disks, by {@code instance/target}. */
    private final Map<String, IscsiFuseExport> sessions = new ConcurrentHashMap<>();
    private final boolean journal;
    private volatile Path sessionDir;

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
        sessions.keySet().stream().filter(k -> k.startsWith(instanceUuid + "/")).toList()
                .forEach(k -> logout(instanceUuid, k.substring(instanceUuid.length() + 1)));
    }

    @Override
    public DomainState state(String instanceUuid) {
        SimulatedDomain d = domains.get(instanceUuid);
        return d == null ? DomainState.MISSING : DomainState.RUNNING;
    }

    @Override
    public void attachDisk(String instanceUuid, Disk disk) {
        SimulatedDomain d = domain(instanceUuid);
        IscsiFuseExport session = disk.network() ? login(instanceUuid, disk) : null;
        try {
            d.plug(session == null ? disk : disk.withSource(session.file(), false), journal);
            if (session != null) {
                sessions.put(instanceUuid + "/" + disk.target(), session);
            }
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            throw new HypervisorException("cannot attach " + describe(disk) + " to " + instanceUuid + " as "
                    + disk.target() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void detachDisk(String instanceUuid, String target) {
        SimulatedDomain d = domains.get(instanceUuid);
        if (d != null) {
            d.unplug(target);
        }
        logout(instanceUuid, target);
    }

    /** An iSCSI disk is reached through a user-space session that exports the LUN as a local file. */
    private IscsiFuseExport login(String instanceUuid, Disk disk) {
        return IscsiFuseExport.open(disk.iscsi(), sessionDir(), instanceUuid + "-" + disk.target() + "-"
                + java.util.UUID.randomUUID().toString().substring(0, 8));
    }

    private void logout(String instanceUuid, String target) {
        IscsiFuseExport s = sessions.remove(instanceUuid + "/" + target);
        if (s != null) {
            s.close();
        }
    }

    private Path sessionDir() {
        Path dir = sessionDir;
        if (dir == null) {
            synchronized (this) {
                if (sessionDir == null) {
                    try {
                        sessionDir = Files.createTempDirectory("jcinder-iscsi-");
                    } catch (java.io.IOException e) {
                        throw new HypervisorException("cannot create a directory for iSCSI sessions: "
                                + e.getMessage(), e);
                    }
                }
                dir = sessionDir;
            }
        }
        return dir;
    }

    private static String describe(Disk disk) {
        return disk.network() ? disk.iscsi().toString() : disk.source().toString();
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
        // An iSCSI destination is logged into for the copy; after the pivot the old LUN's session ends (before
        // the compute manager deletes the old attachment, which makes Cinder remove that export), after a
        // failure the new one's.
        IscsiFuseExport session = newDisk.network() ? login(instanceUuid, newDisk) : null;
        Disk destination = session == null ? newDisk : newDisk.withSource(session.file(), false);
        try {
            new MirrorJob(instanceUuid, disk, destination, control,
                    () -> d.running() && domains.get(instanceUuid) == d).run();
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            throw e;
        }
        logout(instanceUuid, target);
        if (session != null) {
            sessions.put(instanceUuid + "/" + target, session);
        }
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
        sessions.values().forEach(IscsiFuseExport::close);
        sessions.clear();
        Path dir = sessionDir;
        if (dir != null) {
            try {
                Files.deleteIfExists(dir); // empty once every session has ended
            } catch (java.io.IOException e) {
                LOG.warn("Could not remove {}: {}", dir, e.getMessage());
            }
        }
    }
}
