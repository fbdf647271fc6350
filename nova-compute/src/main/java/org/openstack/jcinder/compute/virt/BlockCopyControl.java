package org.openstack.jcinder.compute.virt;

/**
 * The caller's side of a running block copy: a bandwidth limit it may change while the job runs, a
 * cancellation flag, and where the job's progress goes. Drivers poll {@link #bandwidthBytesPerSecond()} and
 * {@link #cancelled()} at least as often as they report progress.
 */
public interface BlockCopyControl {

    /** 0 means unlimited. */
    long bandwidthBytesPerSecond();

    boolean cancelled();

    /**
     * The job's own figures: {@code end} grows when the guest dirties blocks already copied, so
     * {@code copied/end} may fall; whoever shows it to a user must keep the figure monotonic.
     */
    void progress(long copied, long end);

    /**
     * The job switched the domain onto the new disk, which took {@code nanos}: for libvirt from the pivot
     * request until the live definition shows the new disk, for the simulated hypervisor the time the guest's
     * I/O was held to copy the last dirty blocks and flush. Called once, before the driver's swap returns.
     */
    default void pivoted(long nanos) {
    }

    /** Unlimited, never cancelled, progress ignored. */
    BlockCopyControl NONE = new BlockCopyControl() {
        @Override
        public long bandwidthBytesPerSecond() {
            return 0;
        }

        @Override
        public boolean cancelled() {
            return false;
        }

        @Override
        public void progress(long copied, long end) {
        }
    };
}
