package org.openstack.jcinder.volume.copy;

import java.util.concurrent.atomic.AtomicReference;

/**
 * What an administrator can do to one running copy from another thread (an RPC consumer): cancel it, and
 * change its bandwidth limit. The engine polls it between chunks; dd, which cannot be polled, registers a
 * canceller that ends its process.
 */
public final class CopyControl {

    /** The engine's configured limit applies ({@code volume_copy_bps_limit}). */
    public static final long BACKEND_DEFAULT = -1;

    private volatile boolean cancelled;
    private volatile long bpsLimit;
    private volatile long appliedBpsLimit = BACKEND_DEFAULT;
    private final AtomicReference<Runnable> canceller = new AtomicReference<>();

    /** {@code bpsLimit}: bytes per second, 0 = unlimited, {@link #BACKEND_DEFAULT} = the backend's setting. */
    public CopyControl(long bpsLimit) {
        this.bpsLimit = bpsLimit;
    }

    public static CopyControl none() {
        return new CopyControl(BACKEND_DEFAULT);
    }

    public void cancel() {
        cancelled = true;
        Runnable r = canceller.get();
        if (r != null) {
            r.run();
        }
    }

    public boolean cancelled() {
        return cancelled;
    }

    public void throwIfCancelled() {
        if (cancelled) {
            throw new CopyCancelledException();
        }
    }

    /** Runs {@code r} on cancel — at once if the copy is already cancelled. */
    public void onCancel(Runnable r) {
        canceller.set(r);
        if (cancelled) {
            r.run();
        }
    }

    public long bpsLimit() {
        return bpsLimit;
    }

    public void setBpsLimit(long bytesPerSecond) {
        this.bpsLimit = bytesPerSecond;
    }

    /** The limit the engine last put into effect (what an operator sees took hold), or {@link #BACKEND_DEFAULT}. */
    public long appliedBpsLimit() {
        return appliedBpsLimit;
    }

    void applied(long bytesPerSecond) {
        this.appliedBpsLimit = bytesPerSecond;
    }
}
