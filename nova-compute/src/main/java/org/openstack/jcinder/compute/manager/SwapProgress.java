package org.openstack.jcinder.compute.manager;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.openstack.jcinder.compute.cinder.CinderClient;

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

    /**
     * Where progress goes besides the log. Answers what the migration's owner asks of the copy since (a new
     * limit, a cancel), or null when the receiver refuses reports for good.
     */
    @FunctionalInterface
    interface Reporter {
        CinderClient.CopyRequests report(long copied, long end);
    }

    private final String instanceUuid;
    private final String oldVolumeId;
    private final String newVolumeId;
    private final long bandwidthCap;
    private volatile long migrationLimit;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final long started = System.nanoTime();
    private volatile int percent;
    private int loggedPercent = -10;
    private long loggedAt;
    private final Executor reportExecutor;
    private final Reporter reporter;
    private final AtomicBoolean reportInFlight = new AtomicBoolean();
    private volatile boolean reporting = true;
    private long reportedAt;
    private final SwapMetrics metrics;
    /** The job's {@code copied} at its previous report, for the byte counter's increments. */
    private long counted;

    SwapProgress(String instanceUuid, String oldVolumeId, String newVolumeId, long bandwidth,
                 Executor reportExecutor, Reporter reporter, SwapMetrics metrics) {
        this.metrics = metrics;
        this.reportExecutor = reportExecutor;
        this.reporter = reporter;
        this.instanceUuid = instanceUuid;
        this.oldVolumeId = oldVolumeId;
        this.newVolumeId = newVolumeId;
        this.bandwidthCap = bandwidth;
    }

    /** The stricter of this host's cap ({@code [compute] swap_volume_bandwidth}) and the migration's own limit. */
    @Override
    public long bandwidthBytesPerSecond() {
        long limit = migrationLimit;
        if (bandwidthCap == 0 || limit == 0) {
            return Math.max(bandwidthCap, limit);
        }
        return Math.min(bandwidthCap, limit);
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
        if (copiedBytes > counted) {
            metrics.copied(copiedBytes - counted);
            counted = copiedBytes;
        }
        int p = end <= 0 ? 0 : (int) Math.min(100, copiedBytes * 100 / end);
        percent = Math.max(percent, p);
        long now = System.nanoTime();
        if (reporting && now - reportedAt > REPORT_INTERVAL_NS && reportInFlight.compareAndSet(false, true)) {
            reportedAt = now;
            reportExecutor.execute(() -> {
                try {
                    apply(reporter.report(copiedBytes, end));
                } finally {
                    reportInFlight.set(false);
                }
            });
        }
        if (percent >= loggedPercent + 10 || now - loggedAt > 5_000_000_000L) {
            loggedPercent = percent;
            loggedAt = now;
            double seconds = (now - started) / 1e9;
            LOG.info("Swap of server {} from volume {} to {}: {}% ({} MiB copied, {} MiB/s)", instanceUuid,
                    oldVolumeId, newVolumeId, percent, copiedBytes >> 20, seconds > 0 ? String.format("%.1f", copiedBytes / seconds / (1 << 20)) : "-");
        }
    }

    @Override
    public void pivoted(long nanos) {
        metrics.pivoted(nanos);
    }

    private void apply(CinderClient.CopyRequests requests) {
        if (requests == null) {
            reporting = false;
            return;
        }
        if (requests.bpsLimit() != null && requests.bpsLimit() != migrationLimit) {
            migrationLimit = requests.bpsLimit();
            LOG.info("Swap of server {} from volume {}: bandwidth limit now {} bytes/s (the migration's {})",
                    instanceUuid, oldVolumeId, bandwidthBytesPerSecond(), migrationLimit);
        }
        if (requests.cancel() && !cancelled.getAndSet(true)) {
            LOG.info("Swap of server {} from volume {} to {}: cancelled by the migration's owner; the copy stops "
                    + "and the server stays on {}", instanceUuid, oldVolumeId, newVolumeId, oldVolumeId);
        }
    }

    int percent() {
        return percent;
    }
}
