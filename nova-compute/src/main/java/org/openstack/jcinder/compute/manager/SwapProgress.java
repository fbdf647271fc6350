package org.openstack.jcinder.compute.manager;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.openstack.jcinder.compute.virt.BlockCopyControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compute manager's side of one swap's block copy: the bandwidth limit, the cancel flag (raised when the
 * service stops, so no copy outlives it half-done), and the operator's progress line every 10 % or 5 s. The
 * job's {@code end} grows while the guest writes, so the shown percentage is held monotonic: it never goes
 * backwards, it only waits. Every 2 s the figures also go to Cinder ({@link Reporter}), off the copy's thread
 * and at most one report in flight, so a slow Cinder never slows the copy.
 */
final class SwapProgress implements BlockCopyControl {

    private static final Logger LOG = LoggerFactory.getLogger(SwapProgress.class);
    private static final long REPORT_INTERVAL_NS = 2_000_000_000L;

    /** Where progress goes besides the log; returns false when the receiver refuses reports for good. */
    @FunctionalInterface
    interface Reporter {
        boolean report(long copied, long end);
    }

    private final String instanceUuid;
    private final String oldVolumeId;
    private final String newVolumeId;
    private final long bandwidth;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final long started = System.nanoTime();
    private volatile int percent;
    private volatile long copied;
    private int loggedPercent = -10;
    private long loggedAt;
    private final Executor reportExecutor;
    private final Reporter reporter;
    private final AtomicBoolean reportInFlight = new AtomicBoolean();
    private volatile boolean reporting = true;
    private long reportedAt;

    SwapProgress(String instanceUuid, String oldVolumeId, String newVolumeId, long bandwidth,
                 Executor reportExecutor, Reporter reporter) {
        this.reportExecutor = reportExecutor;
        this.reporter = reporter;
        this.instanceUuid = instanceUuid;
        this.oldVolumeId = oldVolumeId;
        this.newVolumeId = newVolumeId;
        this.bandwidth = bandwidth;
    }

    @Override
    public long bandwidthBytesPerSecond() {
        return bandwidth;
    }

    @Override
    public boolean cancelled() {
        return cancelled.get();
    }

    void cancel() {
        cancelled.set(true);
    }

    @Override
    public synchronized void progress(long copiedBytes, long end) {
        copied = copiedBytes;
        int p = end <= 0 ? 0 : (int) Math.min(100, copiedBytes * 100 / end);
        percent = Math.max(percent, p);
        long now = System.nanoTime();
        if (reporting && now - reportedAt > REPORT_INTERVAL_NS && reportInFlight.compareAndSet(false, true)) {
            reportedAt = now;
            reportExecutor.execute(() -> {
                try {
                    reporting = reporter.report(copiedBytes, end);
                } finally {
                    reportInFlight.set(false);
                }
            });
        }
        if (percent >= loggedPercent + 10 || now - loggedAt > 5_000_000_000L) {
            loggedPercent = percent;
            loggedAt = now;
            double seconds = (now - started) / 1e9;
            LOG.info("Swap of server {} from volume {} to {}: {}% ({} MiB copied, {} MiB/s)", instanceUuid, oldVolumeId, newVolumeId, percent, copiedBytes >> 20,
                    seconds > 0 ? String.format("%.1f", copiedBytes / seconds / (1 << 20)) : "-");
        }
    }

    int percent() {
        return percent;
    }

    long copied() {
        return copied;
    }
}
