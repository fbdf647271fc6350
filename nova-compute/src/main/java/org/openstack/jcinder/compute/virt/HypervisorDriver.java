package org.openstack.jcinder.compute.virt;

import java.util.Optional;

/**
 * One hypervisor on this compute host (Nova's {@code compute_driver}). The compute manager owns the instance
 * and its volume attachments; a driver only runs domains and moves their disks, and reports failure by
 * throwing {@link HypervisorException}.
 */
public interface HypervisorDriver extends AutoCloseable {

    /** The {@code compute_driver} name that selects it, e.g. {@code libvirt.LibvirtDriver}. */
    String name();

    /** Checks the hypervisor is reachable; throws with a reason an operator can act on. */
    void setup();

    /** Starts a domain for the instance and returns once it runs. */
    void spawn(DomainSpec spec);

    /** Stops and forgets the domain; a missing domain is not an error (delete must be repeatable). */
    void destroy(String instanceUuid);

    DomainState state(String instanceUuid);

    /** Plugs the disk into the running domain as {@code disk.target()}. */
    void attachDisk(String instanceUuid, Disk disk);

    /** Unplugs the disk at {@code target}; an absent disk is not an error. */
    void detachDisk(String instanceUuid, String target);

    /** The disk the running domain uses at {@code target} now (after a swap: the new one). */
    Optional<Disk> disk(String instanceUuid, String target);

    /**
     * Copies the disk at {@code target} onto {@code newDisk} (pre-created, at least as large) while the guest
     * keeps running and writing, then pivots the domain onto it. Returns only once the domain uses
     * {@code newDisk}. On any failure or cancellation the job is aborted, the domain still uses its old disk,
     * and a {@link HypervisorException} says why. Nova's virt driver {@code swap_volume}.
     */
    void swapVolume(String instanceUuid, String target, Disk newDisk, BlockCopyControl control);

    /**
     * Makes the guest see the disk at {@code target} as {@code newSizeBytes} (the volume under it has already
     * grown: Cinder's extend of an attached volume, Nova's {@code volume-extended} event).
     */
    void resizeDisk(String instanceUuid, String target, long newSizeBytes);

    /** Stops what the driver started (domains it owns, connections); repeatable. */
    @Override
    void close();

    /** What to create: the simulated hypervisor ignores image and flavor beyond memory. */
    record DomainSpec(String instanceUuid, String name, int memoryMb, int vcpus) {
    }

    enum DomainState {
        RUNNING, PAUSED, SHUTOFF, MISSING
    }
}
