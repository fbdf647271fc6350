package org.openstack.jcinder.shared.io;

import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Paces a copy to a bandwidth limit that may change while it runs (0 = unlimited): the native copy engine's
 * streams and a hypervisor's mirror job both take their bytes from one. A changed limit starts a new window,
 * as if the copy began now — measured against the old window it would stall or burst. Waits in slices of at
 * most 50 ms, re-reading the limit and calling {@code stopCheck} (which throws to end the copy) between them,
 * so a new limit or a cancel takes hold within one slice. Thread-safe.
 */
public final class Pacer {

    private static final long SLICE_NANOS = 50_000_000L;

    private final LongSupplier limitSource;
    private final LongConsumer onChange;
    private final Runnable stopCheck;
    private long limit = Long.MIN_VALUE;
    private long start;
    private long granted;

    /**
     * @param limitSource the limit in force now, bytes per second (0 = unlimited)
     * @param onChange    told each limit taken into use (the first one too)
     * @param stopCheck   throws when the copy must stop
     */
    public Pacer(LongSupplier limitSource, LongConsumer onChange, Runnable stopCheck) {
        this.limitSource = limitSource;
        this.onChange = onChange;
        this.stopCheck = stopCheck;
    }

    private long current() {
        long wanted = limitSource.getAsLong();
        if (wanted != limit) {
            limit = wanted;
            start = System.nanoTime();
            granted = 0;
            onChange.accept(wanted);
        }
        return limit;
    }

    /** Returns once {@code bytes} more are within the limit. */
    public synchronized void acquire(long bytes) throws InterruptedException {
        if (current() <= 0) {
            return;
        }
        granted += bytes;
        while (true) {
            stopCheck.run();
            long wait = start + (long) (granted * 1e9 / limit) - System.nanoTime();
            if (wait <= 0) {
                return;
            }
            long slice = Math.min(wait, SLICE_NANOS);
            Thread.sleep(slice / 1_000_000, (int) (slice % 1_000_000));
            long before = limit;
            if (current() != before) {
                if (limit <= 0) {
                    return;
                }
                granted = bytes;
            }
        }
    }
}
