package org.openstack.jcinder.compute.manager;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.openstack.jcinder.compute.context.CallerContext;
import org.openstack.jcinder.compute.exception.NovaException;
import org.openstack.jcinder.compute.cinder.CinderClient;
import org.openstack.jcinder.compute.cinder.CinderClient.Connection;
import org.openstack.jcinder.compute.cinder.CinderClient.Volume;
import org.openstack.jcinder.compute.cinder.CinderException;
import org.openstack.jcinder.compute.config.NovaConfig;
import org.openstack.jcinder.compute.instance.BlockDeviceMapping;
import org.openstack.jcinder.compute.instance.Instance;
import org.openstack.jcinder.compute.virt.HypervisorDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

/**
 * Nova's swap_volume, both halves. {@link #requestSwap} is the API's: Nova's checks in Nova's order, the new
 * volume's attachment, then the compute work is queued and the caller gets 202. {@link #swapVolume} is the compute
 * manager's: connect the new volume, let the hypervisor mirror and pivot, move the attachments, and — for a
 * Cinder migration — tell Cinder with {@code os-migrate_volume_completion}, {@code error: true} on failure so
 * Cinder deletes its temporary volume while the guest stays on the old one.
 */
@Service
public class VolumeSwapService implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeSwapService.class);
    /** How long post-pivot calls to Cinder are retried while it is down (its restart takes seconds). */
    static final java.time.Duration COMPLETION_PATIENCE = java.time.Duration.ofMinutes(5);

    private final NovaConfig config;
    private final HypervisorDriver driver;
    private final CinderClient cinder;
    private final ComputeManager compute;
    private final SwapMetrics metrics;
    private final Map<String, SwapProgress> running = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public VolumeSwapService(NovaConfig config, HypervisorDriver driver, CinderClient cinder,
                             ComputeManager compute, SwapMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        metrics.running(running::size);
        this.driver = driver;
        this.cinder = cinder;
        this.compute = compute;
    }

    /** {@code PUT /servers/{id}/os-volume_attachments/{old}}; the caller has passed the policy check. */
    public void requestSwap(CallerContext ctx, Instance instance, String oldVolumeId, String newVolumeId) {
        Volume old;
        try {
            old = cinder.volume(ctx, oldVolumeId);
        } catch (CinderException e) {
            throw e.status() == 404 ? NovaException.notFound("Volume " + oldVolumeId + " could not be found.") : e;
        }
        boolean cinderMigration = old.migrationStatus() != null && !old.migrationStatus().isEmpty();
        if (!cinderMigration) {
            throw NovaException.conflict("volume " + oldVolumeId + " is not migrating; this API should only be "
                    + "called by Cinder");
        }
        Volume neu;
        try {
            neu = cinder.volume(ctx, newVolumeId);
        } catch (CinderException e) {
            throw e.status() == 404 ? NovaException.badRequest("Volume " + newVolumeId + " could not be found.") : e;
        }
        ComputeManager.requireActive(instance, "swap_volume");
        BlockDeviceMapping bdm = instance.volume(oldVolumeId).orElseThrow(() -> NovaException.badRequest(
                "Invalid volume: volume " + oldVolumeId + " is not attached to instance " + instance.uuid()));
        if (!neu.attachedServers().isEmpty()) {
            throw NovaException.badRequest("Invalid volume: volume " + newVolumeId + " is already attached");
        }
        if (neu.sizeGb() < old.sizeGb()) {
            throw NovaException.badRequest("New volume must be the same size or larger.");
        }
        String key = instance.uuid() + "/" + oldVolumeId;
        SwapProgress progress = new SwapProgress(instance.uuid(), oldVolumeId, newVolumeId,
                config.swapVolumeBandwidth(), compute::execute, (copied, end) -> {
                    try {
                        return cinder.reportMigrationProgress(ctx, oldVolumeId, newVolumeId, copied, end);
                    } catch (CinderException e) {
                        // A Cinder without this extension answers 400/404: stop asking; anything else may pass.
                        LOG.debug("Progress report for volume {} not taken: {}", oldVolumeId, e.getMessage());
                        return e.status() >= 500 || e.status() == 0 ? new CinderClient.CopyRequests(null, false)
                                : null;
                    }
                }, metrics);
        if (running.putIfAbsent(key, progress) != null) {
            throw NovaException.conflict("A swap of volume " + oldVolumeId + " on instance " + instance.uuid()
                    + " is already in progress");
        }
        String newAttachment;
        try {
            newAttachment = cinder.attachmentCreate(ctx, newVolumeId, instance.uuid());
        } catch (RuntimeException e) {
            running.remove(key);
            throw e;
        }
        LOG.info("Swap of server {} from volume {} to {} accepted (attachment {})", instance.uuid(), oldVolumeId,
                newVolumeId, newAttachment);
        compute.submit(ctx, () -> {
            try {
                swapVolume(ctx, instance, bdm, newVolumeId, newAttachment, progress);
            } finally {
                running.remove(key);
            }
        });
    }

    /** Nova's compute manager {@code swap_volume}: on a compute worker, holding the instance's lock. */
    private void swapVolume(CallerContext ctx, Instance instance, BlockDeviceMapping bdm, String newVolumeId,
                            String newAttachment, SwapProgress progress) {
        String oldVolumeId = bdm.volumeId();
        instance.lock().lock();
        try {
            metrics.started();
            instance.setTaskState("swapping_volume");
            String failure = copyAndPivot(ctx, instance, bdm, newVolumeId, newAttachment, progress);
            if (failure != null) {
                ComputeManager.quietly(() -> cinder.attachmentDelete(ctx, newAttachment));
                complete(ctx, oldVolumeId, newVolumeId, true);
                return;
            }
            // The guest runs on the new volume now: from here on nothing may be reported as a failed swap,
            // or Cinder would delete the volume the guest is using. Bookkeeping is retried instead.
            withPatience("attachment_complete of " + newAttachment, () -> {
                cinder.attachmentComplete(ctx, newAttachment);
                return null;
            });
            ComputeManager.quietly(() -> cinder.attachmentDelete(ctx, bdm.attachmentId()));
            String saveId = complete(ctx, oldVolumeId, newVolumeId, false);
            instance.replaceVolume(oldVolumeId, bdm.swappedTo(saveId, newAttachment));
            LOG.info("Swap of server {} done: {} now backed by the data of {} ({}% copied)", instance.uuid(), saveId,
                    newVolumeId, progress.percent());
        } finally {
            instance.setTaskState(null);
            instance.lock().unlock();
        }
    }

    /** Connects the new volume and lets the hypervisor move the disk; returns why it did not, or null. */
    private String copyAndPivot(CallerContext ctx, Instance instance, BlockDeviceMapping bdm, String newVolumeId,
                                String newAttachment, SwapProgress progress) {
        try {
            Connection conn = cinder.attachmentUpdate(ctx, newAttachment, config.host(), bdm.device());
            LOG.info("Swap of server {}: volume {} connected at {}; block copy of {} starts", instance.uuid(),
                    newVolumeId, conn.iscsi() != null ? conn.iscsi() : conn.devicePath(), bdm.target());
            long copyStarted = System.nanoTime();
            try {
                driver.swapVolume(instance.uuid(), bdm.target(), ComputeManager.disk(bdm.target(), conn,
                        newVolumeId), progress);
            } catch (RuntimeException e) {
                metrics.copyDuration(outcome(progress), System.nanoTime() - copyStarted);
                throw e;
            }
            metrics.copyDuration(SwapMetrics.Outcome.SUCCESS, System.nanoTime() - copyStarted);
            metrics.finished(SwapMetrics.Outcome.SUCCESS);
            return null;
        } catch (RuntimeException e) {
            metrics.finished(outcome(progress));
            LOG.error("Swap of server {} from volume {} to {} failed; the server stays on {}: {}", instance.uuid(),
                    bdm.volumeId(), newVolumeId, bdm.volumeId(), e.getMessage());
            return e.getMessage();
        }
    }

    /** A swap that did not pivot: stopped on purpose (Cinder's cancel, the service stopping) or failed. */
    private static SwapMetrics.Outcome outcome(SwapProgress progress) {
        return progress.cancelled() ? SwapMetrics.Outcome.CANCELLED : SwapMetrics.Outcome.ERROR;
    }

    /**
     * Posts the completion. After a pivot the guest already runs on the new volume, and a Cinder that never
     * hears of it would leave the migration open, so it is retried like all post-pivot calls.
     */
    private String complete(CallerContext ctx, String oldVolumeId, String newVolumeId, boolean error) {
        long started = System.nanoTime();
        String saveId = withPatience("os-migrate_volume_completion of " + oldVolumeId, () -> {
            try {
                return cinder.migrateVolumeCompletion(ctx, oldVolumeId, newVolumeId, error);
            } catch (RuntimeException e) {
                metrics.completionError(e);
                throw e;
            }
        });
        metrics.completion(error, saveId != null, System.nanoTime() - started);
        if (saveId == null) {
            LOG.error("Cinder was not told that the swap of {} to {} {}; an operator must finish it with "
                    + "os-migrate_volume_completion", oldVolumeId, newVolumeId, error ? "failed" : "succeeded");
            return error ? oldVolumeId : newVolumeId;
        }
        return saveId;
    }

    /**
     * Runs a Cinder call, retrying for up to {@link #COMPLETION_PATIENCE} while Cinder is unreachable or answers
     * 5xx (a restart of its API or volume service). A 4xx is final. Returns null when it never succeeded.
     */
    private <T> T withPatience(String what, java.util.function.Supplier<T> call) {
        long deadline = System.nanoTime() + COMPLETION_PATIENCE.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (CinderException e) {
                boolean retriable = e.status() == 0 || e.status() >= 500;
                LOG.warn("{} (attempt {}) failed{}: {}", what, attempt, retriable ? ", retrying" : "",
                        e.getMessage());
                if (!retriable || stopping || System.nanoTime() > deadline
                        || !sleep(Math.min(10_000L, 500L << Math.min(attempt, 5)))) {
                    return null;
                }
            } catch (RuntimeException e) {
                LOG.warn("{} failed: {}", what, e.getMessage());
                return null;
            }
        }
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The bandwidth limit the running swap of the volume copies at now (0 = unlimited), if one runs. */
    public java.util.OptionalLong bandwidth(String instanceUuid, String volumeId) {
        SwapProgress p = running.get(instanceUuid + "/" + volumeId);
        return p == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(p.bandwidthBytesPerSecond());
    }

    /** Swaps in flight, keyed {@code instance/volume} (for the shutdown and for tests). */
    public boolean swapping(String instanceUuid, String volumeId) {
        return running.containsKey(instanceUuid + "/" + volumeId);
    }

    /** Stopping the service aborts running copies: the guests stay on their old volumes and Cinder is told. */
    @Override
    public void destroy() {
        stopping = true;
        running.values().forEach(SwapProgress::cancel);
    }
}
