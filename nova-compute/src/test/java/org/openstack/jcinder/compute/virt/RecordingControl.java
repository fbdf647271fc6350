package org.openstack.jcinder.compute.virt;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * A block copy's caller for driver tests: a bandwidth the test may change while the job runs, a cancel that
 * fires once {@code cancelAfter} bytes are copied, a hook on every progress report, and what was reported.
 */
public final class RecordingControl implements BlockCopyControl {

    public volatile long bandwidth;
    public long cancelAfter = Long.MAX_VALUE;
    public volatile long maxCopied;
    public volatile int polls;
    /** What the driver said its pivot took; -1 until it pivots. */
    public volatile long pivotNanos = -1;
    public LongConsumer onProgress = c -> { };
    public final AtomicBoolean cancelled = new AtomicBoolean();

    public RecordingControl(long bandwidth) {
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

    @Override
    public void progress(long copied, long end) {
        polls++;
        maxCopied = Math.max(maxCopied, copied);
        if (copied >= cancelAfter) {
            cancelled.set(true);
        }
        onProgress.accept(copied);
    }

    @Override
    public void pivoted(long nanos) {
        pivotNanos = nanos;
    }
}
